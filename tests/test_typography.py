"""Prose renders as it was written, in both languages: no emphasis marker left as literal text
(CommonMark does not close ``**`` between a full-width bracket and a Chinese character, so the
course writes ``**术语**（term）``), Chinese prose quotes with “…” only, numbers are written one
way, and Chinese writes small counts in digits ("8 个评分函数") wherever a learner reads it."""

import ast
import re

import nbformat
import pytest

from grading import COURSE_ROOT, NOTEBOOKS_DIR
from grading.printouts import parse_code

mistune = pytest.importorskip("mistune")
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*/*.ipynb"))
PARSE = mistune.create_markdown(renderer=None, plugins=["math", "table", "strikethrough"])


def prose_texts(tokens):
    """The plain text runs of a markdown AST: no code span, code block or formula."""
    for token in tokens:
        if token["type"] == "text":
            yield token["raw"]
        yield from prose_texts(token.get("children") or [])


def markdown_cells(path, lang=None):
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type == "markdown" and lang in (None, cell.metadata.get("dlcourse", {}).get("lang")):
            yield index, cell.source


def emphasis_left_as_text(source):
    return [text for text in prose_texts(PARSE(source)) if re.search(r"\*\*|__|(?<![\w\\])\*\S", text)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.parent.name for p in NOTEBOOKS])
def test_no_emphasis_marker_shows_as_text(path):
    found = {index: left for index, source in markdown_cells(path) if (left := emphasis_left_as_text(source))}
    assert not found, f"{path.name}: literal emphasis markers in cells {found}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.parent.name for p in NOTEBOOKS])
def test_chinese_prose_quotes_with_chinese_quotation_marks(path):
    for index, source in markdown_cells(path, lang="zh"):
        text = "".join(prose_texts(PARSE(source)))
        assert '"' not in text, f"{path.name} cell {index}: ASCII quotes in Chinese prose; write “…”"
        assert text.count("“") == text.count("”"), f"{path.name} cell {index}: unbalanced “…”"


def test_the_check_sees_the_cases_it_is_for():
    assert emphasis_left_as_text("模块之间通过**缓存（cache）**传递数据。")
    assert not emphasis_left_as_text("模块之间通过**缓存**（cache）传递数据。")
    assert not emphasis_left_as_text("`a ** 2` and $a^{**}$ and **bold**")


GROUPED_NUMBER = re.compile(r"\b\d{1,3}(?:[ ,\u2009\u202f]\d{3})+\b")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.parent.name for p in NOTEBOOKS])
def test_numbers_are_written_one_way_in_both_languages(path):
    """30000, as the code writes it: not "30,000" here and "30 000" there (printouts aside)."""
    for index, source in markdown_cells(path):
        text = "".join(prose_texts(PARSE(source)))
        assert not GROUPED_NUMBER.findall(text), f"{path.name} cell {index}: {GROUPED_NUMBER.findall(text)}"


def test_the_number_check_sees_grouped_numbers():
    assert GROUPED_NUMBER.findall("15 000 iterations, 30,000 steps") == ["15 000", "30,000"]
    assert not GROUPED_NUMBER.findall("30000 iterations, 0.5, (2, 400)")


# Small counts in Chinese are Arabic digits with a space before the measure word ("8 个评分函数",
# "第 2 层", "3 个样本"); Chinese numerals stay where the number is a word (CONTRIBUTING.md, "Style").
SPELLED = "一二三四五六七八九十两百千万亿"
MEASURE_WORDS = "个|层|次|轮|行|列|步|种|类|张|批|段|组|处|条|项|倍|天|遍|份|件|团|块|套|位|道|页|节|章|分钟|秒|小时|点"
SPELLED_COUNT = re.compile(rf"第[{SPELLED}]+|[{SPELLED}]+(?=[小大]?(?:{MEASURE_WORDS}))")
APPROXIMATE = re.compile("一两|两三|三四|三五|四五|五六|六七|七八|八九")  # 一两个隐藏单元
BOTH = re.compile(r"[^，。；：、！？\n]*?(?:都|各|分别|之间|相互|互为)")  # 两个网络都能学会
FIXED_WORDS = ("第一作者",)
HAN = "[\u4e00-\u9fff]"
DIGIT_AGAINST_HAN = re.compile(rf"(?<={HAN})\d|\d(?={HAN})")
INLINE_BLOCKS = {"paragraph", "heading", "block_text", "table_cell"}


def prose_blocks(tokens):
    """The plain text of each paragraph, heading, list item and table cell of a markdown AST."""
    for token in tokens:
        if token["type"] in INLINE_BLOCKS:
            yield "".join(prose_texts(token.get("children") or []))
        else:
            yield from prose_blocks(token.get("children") or [])


def is_a_word(number, before, after):
    """Whether a Chinese numeral before a measure word is a word, not a count."""
    return bool(
        set(number) == {"一"}  # the article: 一个网络, 一次前向传播, 一层一层, 一一对应
        or APPROXIMATE.search(number) or before.endswith(("几", "数"))  # 一两个, 几十天, 几千倍
        or before.endswith("每") and number in ("百", "千", "万")  # 每百次
        or number in ("万", "亿") and before.rstrip()[-1:].isdigit()  # 100 万个参数
        or number == "两" and (before.endswith(("这", "那")) or BOTH.match(after)))  # 这两个函数, 两个网络都


def misspelled_counts(text):
    """Counts and ordinals of ``text`` spelled in Chinese numerals, and digits written against a Chinese character."""
    found = []
    for match in SPELLED_COUNT.finditer(text):
        number, before, after = match.group(), text[:match.start()], text[match.end():]
        if number.startswith("第"):
            wrong = not text.startswith(FIXED_WORDS, match.start())
        else:
            wrong = not is_a_word(number, before, after)
        if wrong:
            found.append(text[max(0, match.start() - 4):match.end() + 3])
    return found + [text[max(0, m.start() - 4):m.end() + 3] for m in DIGIT_AGAINST_HAN.finditer(text)]


def chinese_of_notebook(path):
    """(where, text) of everything a learner reads in Chinese: Chinese prose, the zh_code metadata,
    and the Chinese comments and strings of the code cells."""
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        meta = cell.metadata.get("dlcourse", {})
        if cell.cell_type == "markdown" and meta.get("lang") == "zh":
            yield f"cell {index}", "\n".join(prose_blocks(PARSE(cell.source)))
        zh_code = meta.get("zh_code", {})
        for function, docstring in zh_code.get("docstrings", {}).items():
            yield f"cell {index} docstring of {function}", docstring["text"]
        for english, chinese in zh_code.get("comments", {}).items():
            yield f"cell {index} comment {english!r}", chinese
        if cell.cell_type == "code":  # messages, plot labels and comments written in the cell itself
            yield from ((f"cell {index} {where}", text) for where, text in chinese_of_code(cell.source))


def chinese_of_code(source):
    """(where, text) of the Chinese comments and string literals of a code cell's source."""
    for number, line in enumerate(source.splitlines(), start=1):
        comment = re.search(r"#(.*)$", line)
        if comment and re.search(HAN, comment[1]):
            yield f"line {number} comment", comment[1]
    tree = parse_code(source)  # IPython's magics blanked, as grading.printouts reads code cells
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(HAN, node.value):
            yield f"line {node.lineno}", node.value


def chinese_strings(path):
    """(line, text) of the string literals of a Python file that hold Chinese (messages, case labels)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(HAN, node.value):
            yield f"line {node.lineno}", node.value


LEARNER_PY = sorted([*COURSE_ROOT.glob("helpers/*.py"), *COURSE_ROOT.glob("grading/**/*.py"), COURSE_ROOT / "run.py"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.parent.name for p in NOTEBOOKS])
def test_chinese_counts_are_written_in_digits(path):
    found = [(where, bad) for where, text in chinese_of_notebook(path) if (bad := misspelled_counts(text))]
    assert not found, f"{path.name}: write small counts as '3 个', '第 2 层' (CONTRIBUTING.md, Style): {found}"


def test_chinese_counts_in_messages_labels_and_readme_are_written_in_digits():
    texts = [(f"{path.relative_to(COURSE_ROOT)} {where}", text)
             for path in LEARNER_PY for where, text in chinese_strings(path)]
    readme = (COURSE_ROOT / "README.md").read_text(encoding="utf-8")
    texts.append(("README.md", "\n".join(prose_blocks(PARSE(readme)))))
    found = [(where, bad) for where, text in texts if (bad := misspelled_counts(text))]
    assert not found, f"write small counts as '3 个', '第 2 层' (CONTRIBUTING.md, Style): {found}"


def test_the_count_check_sees_spelled_counts():
    for wrong in ("本作业共有八个评分函数", "一个两层网络", "第二个例子", "返回三个数", "第一层", "扩大十倍",
                  "一百万个参数", "分两步", "两个输入、四个单元", "另外还给出两小段代码", "4个输入", "第 2层",
                  "这三个问题"):
        assert misspelled_counts(wrong), wrong
    for right in ("本作业共有 8 个评分函数", "一个 2 层网络", "第 2 个例子", "一个简单的网络", "一次前向传播",
                  "这两个函数", "两个网络都能学会", "两者都有", "一两个隐藏单元", "几十天", "一半", "一维数组",
                  "二分类", "二元组", "三角不等式", "四舍五入", "十分之一", "5 个百分点", "每百次",
                  "100 万个参数", "第一作者", "全零只是最极端的情况", "L2 正则化", "第 $l$ 层"):
        assert not misspelled_counts(right), right


def test_the_count_check_reads_the_comments_and_messages_of_code_cells():
    source = "%matplotlib inline\nx = 1  # the three scales / 三种尺度\n"
    assert [text for _, text in chinese_of_code(source)] == [" the three scales / 三种尺度"]
    source = "def f():\n    raise ValueError('必须是三个数')  # 切成 3 段\n"
    found = dict(chinese_of_code(source))
    assert found == {"line 2 comment": " 切成 3 段", "line 2": "必须是三个数"}
    assert misspelled_counts(found["line 2"]) and not misspelled_counts(found["line 2 comment"])
