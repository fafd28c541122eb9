"""tidings: political event data from news text.

    >>> import tidings
    >>> record = tidings.code("Russia and Belarus held talks in Minsk.", date="2024-05-01")
    >>> [(e["plover"], e["source"]["code"]) for e in record["events"]]
"""
from __future__ import annotations

from .coder import code, code_records
from .errors import DataFileError, RecordError, TidingsError, UsageError
from .record import InputRecord

__version__ = "0.1.0"
__all__ = ["code", "code_records", "InputRecord", "TidingsError", "RecordError", "DataFileError",
           "UsageError", "__version__"]
