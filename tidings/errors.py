"""One catalogue of the errors and warnings tidings reports, with stable codes users can search.

Exception hierarchy::

    TidingsError                 base of everything tidings raises on purpose
    ├── RecordError              one input record cannot be coded (E1xx); the batch goes on
    ├── DataFileError            a shipped or user data file is malformed (E2xx)
    └── UsageError               the command or API was called wrongly (E3xx)
"""
from __future__ import annotations

CATALOGUE = {
    "E101": "bad JSON: {detail}",
    "E102": "no text: the record has no 'text' field or it is empty",
    "E103": "not English (language identified as '{detail}'); tidings codes English text only",
    "E104": "too long: {detail} characters (the limit is {limit}); split the article",
    "E105": "no id: the record has no 'id' field",
    "E106": "bad date '{detail}': use YYYY-MM-DD or YYYYMMDD",
    "E107": "not a JSON object: each line must be one object",
    "E108": "text is not a string",
    "E109": "unreadable file: {detail}",
    "E110": "internal error while coding: {detail}",
    "E111": "not text: {detail}",
    "E112": "malformed input: {detail}",
    "E113": "fetch failed: {detail}",
    "E201": "malformed data file {detail}",
    "E301": "bad usage: {detail}",
    "W001": "{name} is named as {title} ({country}), a role held {term}, but the article is dated {date}",
    "W002": "the roles named in the text do not fit in one period: {detail}",
}


class TidingsError(Exception):
    """Base class of the errors tidings raises on purpose."""

    code = "E000"

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        super().__init__(f"{code} {CATALOGUE[code].format(**fields)}")

    def __reduce__(self):           # picklable across worker processes
        return (_rebuild, (type(self), self.code, getattr(self, "record_id", None), self.fields))


class RecordError(TidingsError):
    """One input record cannot be coded; names the record and the reason."""

    def __init__(self, code: str, record_id: object = None, **fields: object) -> None:
        self.record_id = record_id
        super().__init__(code, **fields)

    def as_dict(self) -> dict:
        return {"id": self.record_id, "error": {"code": self.code, "reason": str(self).split(" ", 1)[1]}}


class DataFileError(TidingsError):
    """A data file (shipped or a user's overlay) is malformed."""


class UsageError(TidingsError):
    """The command or API was called wrongly."""


def _rebuild(cls, code, record_id, fields):
    if issubclass(cls, RecordError):
        return cls(code, record_id, **fields)
    return cls(code, **fields)


def warning_text(code: str, **fields: object) -> str:
    """A catalogue warning as the text written into a record's ``warnings``."""
    return f"{code} {CATALOGUE[code].format(**fields)}"
