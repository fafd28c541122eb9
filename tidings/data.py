"""Reading the plain data files shipped in ``tidings/data`` (and users' overlay files).

Every table is tab-separated with a header line; lines starting with ``#`` are comments; cells that
hold lists separate items with ``|``.
"""
from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

DATA = Path(str(resources.files("tidings") / "data"))


def data_path(*parts: str) -> Path:
    """Path of a file shipped in the package's data folder."""
    return DATA.joinpath(*parts)


def read_table(path: Path | str) -> Iterator[dict[str, str]]:
    """Rows of a ``#``-commented TSV file as dicts keyed by the header; blank cells are ''."""
    path = Path(path)
    header: list[str] | None = None
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [c.strip() for c in line.split("\t")]
            if header is None:
                header = cells
                continue
            if len(cells) < len(header):
                cells += [""] * (len(header) - len(cells))
            row = dict(zip(header, cells))
            row["_where"] = f"{path.name}:{lineno}"
            yield row


def split_list(cell: str) -> list[str]:
    """``"a|b| c"`` -> ``["a", "b", "c"]`` (empty items dropped)."""
    return [item.strip() for item in cell.split("|") if item.strip()]


def read_words(path: Path | str) -> set[str]:
    """A one-word-or-phrase-per-line list (``#`` comments allowed), lower-cased."""
    words = set()
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                words.add(line.lower())
    return words
