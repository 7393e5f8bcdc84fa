"""helpers.language: the setting (session, variable, release file) and what follows it."""

import pytest

from helpers import language as lang
from helpers import plotting
from helpers.checker import Report
from helpers.errors import CourseError


@pytest.fixture(autouse=True)
def default_setting(monkeypatch, tmp_path):
    """No session choice, no variable, a working folder without a language file."""
    monkeypatch.setattr(lang, "_chosen", None)
    monkeypatch.setattr(lang, "_warned", set())
    monkeypatch.delenv(lang.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_bilingual_is_the_default():
    assert lang.language() == "bilingual"
    assert lang.say("cost", "代价") == "cost\n代价"
    assert lang.say("cost", "代价", " / ") == "cost / 代价"


def test_the_release_file_in_the_notebooks_folder_sets_the_language(default_setting):
    (default_setting / lang.LANGUAGE_FILE).write_text("zh  # a comment\n", encoding="utf-8")
    assert lang.language() == "zh" and lang.say("cost", "代价") == "代价"


def test_the_variable_wins_over_the_file_and_the_session_over_both(default_setting, monkeypatch):
    (default_setting / lang.LANGUAGE_FILE).write_text("zh\n", encoding="utf-8")
    monkeypatch.setenv(lang.ENV, "EN")
    assert lang.language() == "en"
    lang.set_language("bilingual")
    assert lang.language() == "bilingual"
    lang.set_language(None)
    assert lang.language() == "en"


def test_a_setting_that_names_no_language_is_said_once_and_the_course_stays_bilingual(monkeypatch, capsys):
    monkeypatch.setenv(lang.ENV, "fr")
    assert lang.language() == "bilingual" and lang.language() == "bilingual"
    out = capsys.readouterr().out
    assert out.count("DLCOURSE_LANGUAGE must be one of") == 1 and "只能是" in out
    with pytest.raises(CourseError, match="must be one of"):
        lang.set_language("klingon")


def test_reports_errors_and_plot_labels_speak_the_chosen_language(monkeypatch):
    report = Report("compute_cost", "public")
    report.fail("Case 1: wrong.", "用例 1：不对。")
    monkeypatch.setattr(plotting, "find_cjk_font", lambda: "Noto Sans CJK SC")
    monkeypatch.setattr(plotting, "_cjk_font", plotting._UNCHECKED)
    lang.set_language("zh")
    assert report.text() == "用例 1：不对。\ncompute_cost：公开测试未通过，见上方报告"
    assert str(CourseError("Bad shape.", "形状不对。")) == "形状不对。"
    assert plotting.label("cost", "代价") == "代价"
    lang.set_language("en")
    assert report.text() == "Case 1: wrong.\ncompute_cost: public tests failed, see the report above"
    assert plotting.label("cost", "代价") == "cost"
    lang.set_language("bilingual")
    assert plotting.label("cost", "代价") == "cost / 代价"
    assert report.summary.endswith(" / compute_cost：公开测试未通过，见上方报告")


def test_chinese_labels_fall_back_to_english_without_a_font(monkeypatch):
    monkeypatch.setattr(plotting, "find_cjk_font", lambda: None)
    monkeypatch.setattr(plotting, "_cjk_font", plotting._UNCHECKED)
    lang.set_language("zh")
    assert plotting.label("cost", "代价") == "cost"
