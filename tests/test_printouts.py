"""grading.printouts: a quoted say() printout in one language, read from the code that prints it."""

import contextlib
import io

import pytest

from grading import cells as C
from grading.bilingual import single_language
from grading.printouts import UnresolvedQuote, localize_quote, say_calls, unsaid_printouts
from helpers import language

# Cells that print with say() the ways the notebooks do: a literal message, a number in an f-string
# or a str() in both halves, halves on two lines, a printout inside a longer line, a value that holds
# the separator, and one line printed in English only.
PRINTING_CELLS = {
    "literal": 'print(say("The gradient is correct!", "梯度正确！", " / "))\nprint("difference = 2.9e-10")',
    "f-string": 'difference = 0.2850931567761624\n'
                'print(say(f"There is a mistake: difference = {difference}", f"有错误：相对误差 = {difference}", " / "))',
    "str() in both": 'n = 2500\nprint(say("Training for " + str(n) + " iterations", "训练 " + str(n) + " 次迭代", " / "))\n'
                     'print("Cost after iteration 0: 0.693")',
    "two lines": 'y, name_en, name_zh = 1, "cat", "猫"\n'
                 'print(say("y = " + str(y) + \': a "\' + name_en + \'" picture.\', '
                 '"y = " + str(y) + "：这是一张“" + name_zh + "”图片。"))',
    "inside a line": 'print(say("Mislabelled pictures", "判断错误的图片", " / ") + ": " + str(10) + " / " + str(50))',
    "separator in a value": 'ratio = "a / b"\nprint(say(f"ratio {ratio} kept", f"比值 {ratio} 保留", " / "))',
    "twice, and more lines": 'for k in range(2):\n    print(say(f"step {k} done", f"第 {k} 步完成", " / "))\n'
                             'print(say("All tests passed", "全部测试通过", " / "))',
}


@pytest.fixture
def printed_in(monkeypatch):
    """``printed_in(source, lang)``: what ``source`` prints where the course speaks ``lang``."""
    monkeypatch.delenv(language.ENV, raising=False)

    def run(source, lang):
        out = io.StringIO()
        language.set_language(lang)
        try:
            with contextlib.redirect_stdout(out):
                exec(source, {"say": language.say})
        finally:
            language.set_language(None)
        return out.getvalue()

    return run


def notebook_printing(source, quoted):
    """A notebook: the code cell ``source``, then an expected-output pair quoting ``quoted``."""
    return C.notebook([C.code(source), *C.expected_output("shown", quoted)])


@pytest.mark.parametrize("name", sorted(PRINTING_CELLS))
def test_a_quoted_printout_becomes_what_each_language_prints(name, printed_in):
    source = PRINTING_CELLS[name]
    quoted = printed_in(source, "bilingual")
    calls = say_calls(notebook_printing(source, quoted))
    for lang in ("en", "zh"):
        assert localize_quote(quoted, lang, calls) == printed_in(source, lang), lang


def test_the_single_language_versions_quote_their_language(printed_in):
    source = PRINTING_CELLS["two lines"]
    nb = notebook_printing(source, printed_in(source, "bilingual"))
    for lang in ("en", "zh"):
        quote = next(cell for cell in single_language(nb, lang).cells if cell.cell_type == "markdown")
        assert f"```text\n{printed_in(source, lang).strip()}\n```" in quote.source


@pytest.mark.parametrize("source, quoted", [
    ('print("x = 1")', "x = 1 / 一"),  # Chinese that no say() prints
    ('sep = " / "\nprint(say("Done", "完成", sep))', "Done / 完成"),  # a separator that is not a literal
    ('en, zh = "Done", "完成"\nprint(say(en, zh, " / "))', "Done / 完成"),  # no literal to find it by
    ('print(say("Done", "完成", " / "))', "Done / 完成了"),  # the quote is not what the code prints
])
def test_chinese_that_no_say_call_explains_is_refused(source, quoted):
    nb = notebook_printing(source, quoted)
    for lang in ("en", "zh"):
        with pytest.raises(UnresolvedQuote, match="no say"):
            localize_quote(quoted, lang, say_calls(nb))
        with pytest.raises(UnresolvedQuote, match="'shown'"):
            single_language(nb, lang)


def test_a_quote_without_chinese_is_kept_as_it_is():
    quoted = "mean of a * d / keep_prob:  0.5007"
    calls = say_calls(notebook_printing('print(say("Done", "完成", " / "))', quoted))
    assert localize_quote(quoted, "en", calls) == localize_quote(quoted, "zh", calls) == quoted


def test_say_calls_are_read_with_their_holes_and_separator():
    nb = notebook_printing('%matplotlib inline\nprint(say(f"cost {c:.2f}", "代价 " + str(c)))', "")
    (call,) = say_calls(nb)
    assert call.between == "\n" and call.en[0] == "cost " and call.zh[0] == "代价 "
    assert call.en[1] != call.zh[1]  # "{c:.2f}" and str(c) print different text: two holes


def test_chinese_printed_without_say_is_found():
    nb = C.notebook([
        C.code('MESSAGE = "Wrong. / 不对。"\nprint("Done / 完成")\nprint(say("Done", "完成", " / "))'),
        C.code('assert ok, MESSAGE\nprint(label("cost", "代价"))\nfor name in ["a"]:\n    print(name)'),
        C.code('name = label("plain", "普通")\nMESSAGE_OK = say("Fine.", "好。", " / ")\nassert ok, MESSAGE_OK'),
    ])
    assert unsaid_printouts(nb) == [(0, 'print("Done / 完成")'), (1, "assert ok, MESSAGE"),
                                    (1, 'print(label("cost", "代价"))')]
