"""Errors that speak both languages.

Every module of the course raises :class:`CourseError` (or a subclass) for bad
input, so a learner sees one clear sentence in English and Chinese instead of a
traceback from deep inside numpy or h5py.
"""


class CourseError(Exception):
    """An error with an English and a Chinese explanation.

    Inputs:
        en -- str, the English sentence.
        zh -- str, the same sentence written in Chinese.
    """

    def __init__(self, en, zh):
        from .language import say

        self.en = en
        self.zh = zh
        super().__init__(say(en, zh))  # both languages, or the one the course is set to (helpers.language)


class DatasetError(CourseError):
    """A data file is missing, unreadable or has the wrong layout."""


class CheckSetupError(CourseError):
    """The stored test cases cannot be found or read (a course problem, not the learner's)."""
