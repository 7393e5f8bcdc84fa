"""grading.code_language: code cells in one language, comments and docstrings only."""

import pytest
from nbformat.v4 import new_code_cell

from grading import cells as C
from grading.code_language import (code_without_docstrings, localized_source, record, split_comment,
                                   translation_problems)

SOURCE = '''def double(x):
    """
    Twice x.

    Arguments:
    x -- a number
    """
    # The product (≈ 1 line of code / 约 1 行代码)
    y = 2 * x  # doubled / 乘以 2
    # Keep the sign
    # 保留符号
    text = "# not a comment / 不是注释"
    return y  # the result
'''


@pytest.mark.parametrize("text, en, zh", [
    ("doubled / 乘以 2", "doubled", "乘以 2"),
    ("(≈ 3 lines of code / 约 3 行代码)", "(≈ 3 lines of code)", "（约 3 行代码）"),
    ("dW1 = a + b / dW1 = 甲 + 乙 (≈ 1 line of code / 约 1 行代码)", "dW1 = a + b (≈ 1 line of code)",
     "dW1 = 甲 + 乙（约 1 行代码）"),
    ("X / Y ratio / X 与 Y 之比", "X / Y ratio", "X 与 Y 之比"),
])
def test_a_bilingual_comment_keeps_its_languages_half(text, en, zh):
    assert split_comment(text, "en") == en and split_comment(text, "zh") == zh


def test_english_only_and_code_comments_are_not_bilingual():
    assert split_comment("12288 = num_px * num_px * 3", "zh") is None
    assert split_comment("the result", "en") is None


def _cell():
    cell = new_code_cell(SOURCE)
    nb = C.notebook([cell])
    assert record(nb, {"double": "x 的两倍。\n\n参数：\nx -- 一个数"}, {"the result": "结果"}) == []
    return nb.cells[0]


def test_each_release_keeps_its_language_and_the_same_code():
    cell = _cell()
    zh, en = localized_source(cell, "zh"), localized_source(cell, "en")
    assert '    """\n    x 的两倍。\n\n    参数：\n    x -- 一个数\n    """' in zh
    assert "# 乘以 2" in zh and "# 结果" in zh and "# 保留符号" in zh and "Keep the sign" not in zh
    assert "# The product (≈ 1 line of code / 约 1 行代码)" in zh  # no clean split: left as written
    assert "# doubled" in en and "保留符号" not in en
    assert '"# not a comment / 不是注释"' in zh and '"# not a comment / 不是注释"' in en  # strings are code
    assert code_without_docstrings(zh) == code_without_docstrings(en) == code_without_docstrings(SOURCE)


def test_a_locked_or_test_cell_is_never_changed():
    cell = _cell()
    cell.metadata["nbgrader"] = {"locked": True, "grade": False, "solution": False, "grade_id": "x"}
    assert localized_source(cell, "zh") == SOURCE


def test_a_missing_or_stale_translation_is_reported():
    cell = _cell()
    [problem] = translation_problems(cell, "cell 0")
    assert "The product (≈ 1 line of code / 约 1 行代码)" in problem and "cannot split" in problem
    cell.source = cell.source.replace("Twice x.", "Two times x.")
    assert any("stale" in problem and "double" in problem for problem in translation_problems(cell, "cell 0"))
    cell.source = "def other():\n    \"\"\"Undocumented in Chinese.\"\"\"\n"
    assert translation_problems(cell, "cell 0") == ["cell 0: the docstring of other has no Chinese translation"]
