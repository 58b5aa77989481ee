"""Read committed JSONL parts back, tolerating (and reporting) bad lines."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

import orjson


class JsonlReader:
    """Iterate JSON objects over JSONL files (``.gz`` too); bad lines are skipped and listed."""

    def __init__(self) -> None:
        self.skipped: list[tuple[str, int, str]] = []   # (path, line number, error)

    @staticmethod
    def _open(path: Path) -> IO[bytes]:
        return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")

    def iter_records(self, paths: Iterable[Path | str]) -> Iterator[dict[str, Any]]:
        """Yield each JSON object line of each path in order."""
        for p in paths:
            path = Path(p)
            with self._open(path) as fh:
                for line_no, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    try:
                        obj = orjson.loads(line)
                    except orjson.JSONDecodeError as exc:
                        self.skipped.append((str(path), line_no, f"bad JSON: {exc}"))
                        continue
                    if not isinstance(obj, dict):
                        self.skipped.append((str(path), line_no, f"not an object: {type(obj).__name__}"))
                        continue
                    yield obj

    __call__ = iter_records


def iter_records(paths: Iterable[Path | str], reader: JsonlReader | None = None) -> Iterator[dict[str, Any]]:
    """Yield records from JSONL files; pass a :class:`JsonlReader` to see skipped lines."""
    return (reader or JsonlReader()).iter_records(paths)


def find_parts(root: Path | str, kind: str = "articles") -> list[Path]:
    """Committed part files of ``kind`` under ``root``, sorted; temp (``.part-*.tmp``) never."""
    base = Path(root) / kind
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("part-*.jsonl*") if p.is_file() and not p.name.startswith("."))
