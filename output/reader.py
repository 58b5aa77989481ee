"""Read committed JSONL parts back, tolerating (and reporting) bad lines."""

from __future__ import annotations

import errno
import filecmp
import gzip
import io
import os
import sys
import zlib
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

import orjson
import zstandard

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


# A cut gzip member or zstd frame raises EOFError, damaged gzip zlib.error or OSError("Not a
# gzipped file"), damaged zstd OSError (see _ZstdReader).
_READ_ERRORS = (OSError, EOFError, zlib.error)


#: The first (and last) four bytes of a Parquet file.
PARQUET_MAGIC = b"PAR1"


class NotJsonl(OSError):
    """A file that is plainly no JSONL (a Parquet file): skipped whole, with what it is."""


#: The input name that means standard input.
STDIN = "-"

#: Names of JSONL files (plain and compressed): part files, and what directory inputs are searched for.
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst")


def open_jsonl(path: Path | str) -> IO[bytes]:
    """Open a JSONL file for binary reading, decompressing gzip or zstd by its magic bytes
    (not by its name: a renamed or suffix-less file still reads). ``-`` is standard input."""
    if str(path) == STDIN:
        stdin = io.open(sys.stdin.fileno(), "rb", closefd=False)   # closing it leaves fd 0 open
        magic = stdin.peek(4)[:4]
        if not magic:   # at its end already: a terminal's Ctrl-D is no lasting end, a read after it waits for another
            return io.BytesIO()
        if magic[:2] == _GZIP_MAGIC:
            return gzip.GzipFile(fileobj=stdin, mode="rb")  # type: ignore[return-value]
        return io.BufferedReader(_ZstdReader(stdin)) if magic == _ZSTD_MAGIC else stdin
    with open(path, "rb") as probe:
        magic = probe.read(4)
    if magic == PARQUET_MAGIC:   # `newsclean export`'s output given back: said, not 98 lines of bad JSON
        raise NotJsonl("a Parquet file, not JSONL (pandas.read_parquet reads it)")
    if magic[:2] == _GZIP_MAGIC:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if magic == _ZSTD_MAGIC:
        return io.BufferedReader(_ZstdReader(open(path, "rb")))
    return open(path, "rb")


class _ZstdReader(io.RawIOBase):
    """Decompress zstd frames one after another, and raise ``EOFError`` when the input ends
    inside a frame: zstandard's own ``stream_reader`` ends silently on a cut file, which would
    lose the tail of a part without a word."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._dobj = zstandard.ZstdDecompressor().decompressobj()
        self._in_frame = False
        self._out = b""

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        while not self._out:
            if self._dobj.eof:   # frame complete: whatever follows starts the next one
                rest = self._dobj.unused_data
                self._dobj = zstandard.ZstdDecompressor().decompressobj()
                self._in_frame = bool(rest)
                if rest:
                    self._out = self._decompress(rest)
                continue
            chunk = self._raw.read(1 << 16)
            if not chunk:
                if self._in_frame:
                    raise EOFError("zstd frame cut short (the file ends inside it)")
                return
            self._in_frame = True
            self._out = self._decompress(chunk)

    def _decompress(self, data: bytes) -> bytes:
        try:
            return self._dobj.decompress(data)
        except zstandard.ZstdError as exc:   # as OSError: callers already handle damaged gzip so
            raise OSError(f"damaged zstd data: {exc}") from exc

    def readinto(self, buffer: Any) -> int:
        self._fill()
        n = min(len(buffer), len(self._out))
        buffer[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class JsonlReader:
    """Iterate JSON objects over JSONL files (gzip and zstd too); bad lines are skipped and listed."""

    def __init__(self) -> None:
        self.skipped: list[tuple[str, int, str]] = []   # (path, line number, error)

    def iter_records(self, paths: Iterable[Path | str]) -> Iterator[dict[str, Any]]:
        """Yield each JSON object line of each path in order (plain, gzip or zstd).

        A file that cannot be opened, or whose compressed stream is cut short or damaged, is
        listed in :attr:`skipped` at the line where reading stopped; the other files go on.
        """
        return (obj for _path, _line, obj in self.iter_located(paths))

    def skip(self, path: Path | str, line_no: int, why: str) -> None:
        """Note a line the caller could not use (e.g. valid JSON that is not a record)."""
        self.skipped.append((str(path), line_no, why))

    def iter_located(self, paths: Iterable[Path | str]) -> Iterator[tuple[Path, int, dict[str, Any]]]:
        """Like :meth:`iter_records`, with each object's file and line number."""
        for p in paths:
            path = Path(p)
            line_no = 0
            try:
                with open_jsonl(path) as fh:
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
                        yield path, line_no, obj
            except NotJsonl as exc:
                self.skipped.append((str(path), 0, str(exc)))
            except _READ_ERRORS as exc:
                self.skipped.append((str(path), line_no + 1, f"cannot read further: {type(exc).__name__}: {exc}"))

    __call__ = iter_records

    def report(self, *, each: int = 5, most: int = 50) -> list[str]:
        """The skipped lines said in a few lines: a file's first ``each`` one by one
        (``FILE:LINE: why``), a file with more as one line of their count and first line numbers
        (a binary file was a line for each of its first 50 lines); at most ``most`` lines."""
        by_file: dict[str, list[tuple[int, str]]] = {}
        for path, line_no, why in self.skipped:
            by_file.setdefault(path, []).append((line_no, why))
        out = []
        for path, lines in by_file.items():
            if len(lines) <= each:
                out += [f"{path}:{line_no}: {why}" for line_no, why in lines]
            else:
                first = ", ".join(str(line_no) for line_no, _ in lines[:each])
                out.append(f"{len(lines)} lines of {path} (lines {first}, ...): the first: {lines[0][1]}")
        if len(out) > most:
            out[most - 1:] = [f"... and {len(out) - most + 1} more"]
        return out


def is_one_of(path: Path | str, files: Iterable[Path | str]) -> bool:
    """True when ``path`` is an existing file that is one of ``files`` (the same file by inode,
    so other spellings and hard links count too)."""
    if str(path) == STDIN or not Path(path).is_file():
        return False
    for f in files:
        try:
            if str(f) != STDIN and os.path.samefile(path, f):
                return True
        except OSError:
            continue   # a missing input is reported elsewhere
    return False


def iter_records(paths: Iterable[Path | str], reader: JsonlReader | None = None) -> Iterator[dict[str, Any]]:
    """Yield records from JSONL files; pass a :class:`JsonlReader` to see skipped lines."""
    return (reader or JsonlReader()).iter_records(paths)


def find_parts(root: Path | str, kind: str = "articles") -> list[Path]:
    """Committed part files of ``kind`` under ``root``, sorted; temp (``.part-*.tmp``) never, nor
    a copy whose name goes on after the part's (``part-X.jsonl.bak``, an editor's ``part-X.jsonl~``:
    ``stats`` and ``export`` read every record of it again, 81 records of a run's 27)."""
    base = Path(root) / kind
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("part-*.jsonl*")
                  if p.name.endswith(JSONL_SUFFIXES) and p.is_file() and not p.name.startswith("."))


def run_parts(root: Path | str, run_id: str, days: Iterable[str], kind: str = "articles") -> list[Path]:
    """The committed parts of the run ``run_id`` of the output directory ``root`` under the days
    ``days`` (``YYYY-MM-DD``), sorted. A crawl partitions its pages by the day they were fetched
    (the records' ``fetched_at``), so the parts of a crawl going on now are under the days it has
    run: a look for them lists the sites' folders and those days', not the corpus's history
    (``newsclean.crawl`` listed every part of ``root`` five times a second)."""
    prefix = f"part-{run_id}-"
    try:
        with os.scandir(Path(root) / kind) as entries:
            sites = [entry.path for entry in entries if entry.name.startswith("site=")]
    except OSError:   # no part yet
        return []
    found = []
    for site in sites:
        for day in days:
            try:
                with os.scandir(Path(site, f"date={day}")) as entries:
                    found += [Path(entry.path) for entry in entries
                              if entry.name.startswith(prefix) and entry.name.endswith(JSONL_SUFFIXES)]
            except OSError:   # the site fetched nothing that day
                continue
    return sorted(found)


def is_temp_part(path: Path | str) -> bool:
    """Whether ``path`` is named as a part still being written (``.part-<run>-<seq>.jsonl.tmp``, renamed
    into view when complete; a killed run's, until the next run removes it): its last line may be torn."""
    name = Path(path).name
    return name.startswith(".part-") and name.endswith(".tmp")


def run_manifests(root: Path | str) -> list[Path]:
    """The manifests of the finished runs of the output directory ``root`` (none: not one)."""
    base = Path(root) / "manifests"
    return sorted(p for p in base.glob("*.json") if not p.name.startswith(".")) if base.is_dir() else []


def is_output_dir(root: Path | str) -> bool:
    """Whether ``root`` is a run's output directory: its parts' folders, or a manifest alone (a
    run that wrote no article and no reject makes neither folder)."""
    path = Path(root)
    return (path / "articles").is_dir() or (path / "rejects").is_dir() or bool(run_manifests(path))


#: The folders of an output directory that this package writes (the crawl adds ``state`` and ``warc``).
OUTPUT_FOLDERS = ("articles", "rejects", "manifests")


def output_dir_around(path: Path | str, folders: Iterable[str] = OUTPUT_FOLDERS) -> tuple[Path, str] | None:
    """``(output directory, folder)`` when ``path`` is one of the ``folders`` of an output directory
    or inside one (``OUT/manifests``, ``OUT/state/articles.sqlite3``): named where the output
    directory was meant. The output directory is spelled as ``path`` is (relative, or absolute)."""
    given = Path(path)
    whole = given.absolute()
    for folder in (whole, *whole.parents):
        if folder.name in folders and _holds_a_run(folder.parent):
            root = folder.parent
            return (root if given.is_absolute() else Path(os.path.relpath(root))), folder.name
    return None


def _holds_a_run(root: Path) -> bool:
    """Whether ``root`` holds what a run leaves (a manifest, a site's part folder): not merely a
    folder named ``articles`` (a user's own ``~/articles`` is no output directory's)."""
    return bool(run_manifests(root)) or any(any((root / kind).glob("site=*")) for kind in ("articles", "rejects"))


def committed_parts(out: Path | str, kind: str = "articles") -> list[Path]:
    """The committed part files of ``kind`` of the output directory ``out`` (:func:`find_parts`),
    to read a corpus from Python. A path that is no output directory raises, where a glob found no
    part and a mistyped path read as a corpus of nothing: ``FileNotFoundError`` when nothing is
    there, ``ValueError`` saying what is (one of an output directory's folders, and that directory)."""
    path = Path(out)
    if not path.exists():
        raise FileNotFoundError(errno.ENOENT, "no such output directory", str(out))
    around = output_dir_around(path)
    if around is not None:
        raise ValueError(f"{out}: {folder_of(*around, path)}; name {around[0]}")
    if not path.is_dir() or not is_output_dir(path):
        raise ValueError(f"{out}: not a newsclean output directory (no articles/, rejects/ or manifests/ in it)")
    return find_parts(path, kind)


def folder_of(root: Path, folder: str, path: Path | str) -> str:
    """How ``path``, one of the output directory ``root``'s ``folder`` or inside it, is said."""
    where = "the" if Path(path).absolute() == (root / folder).absolute() else "in the"
    return f"{where} {folder}/ folder of the output directory {root}"


def part_place(path: Path) -> tuple[str, ...] | None:
    """Where a committed part sits in its output directory (``articles``, ``site=S``, ``date=D``,
    its name), None for a file not placed as one: a part's name is its run's, so two files at one
    place in two output directories (an output and its copy) are one part, the same records."""
    date, site, kind = path.parent, path.parent.parent, path.parent.parent.parent
    if (path.name.startswith("part-") and date.name.startswith("date=") and site.name.startswith("site=")
            and kind.name in ("articles", "rejects")):
        return kind.name, site.name, date.name, path.name
    return None


class SeenFiles:
    """The files of a command's inputs, each taken once however often it is reached (named twice,
    or named and inside a directory named): by its resolved path; a committed part also by its
    place in its output directory (:func:`part_place`): its copy in another is listed in
    :attr:`copies` with the file first read, ``(copy, part)``."""

    def __init__(self) -> None:
        self._seen: set[Path] = set()
        self._places: dict[tuple[str, ...], Path] = {}
        self.copies: list[tuple[Path, Path]] = []

    def first(self, path: Path) -> bool:
        """Whether ``path`` is reached for the first time (it is noted as seen)."""
        key = path.resolve()
        if key in self._seen:
            return False
        self._seen.add(key)
        place = part_place(key)
        if place is not None:
            first = self._places.setdefault(place, path)
            # same bytes too: two outputs' runs may share an id given with -s (a date), not their records
            if first is not path and _same_bytes(first, path):
                self.copies.append((path, first))
                return False
        return True


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:   # unreadable: reading it says why
        return False


def expand_inputs(inputs: Iterable[Path | str], copies: list[tuple[Path, Path]] | None = None,
                  ) -> tuple[list[Path], list[Path], list[str]]:
    """``(article files, reject files, missing inputs)`` of command-line inputs.

    An output directory (see :func:`is_output_dir`) gives its committed parts of
    each kind; another directory gives every JSONL file under it (hidden temp parts never),
    rejects being those under a ``rejects`` folder; a file (or ``-``, standard input) is taken
    as articles. A file reached twice (named twice, or named and inside a directory named) is
    given once: ``stats OUT OUT/articles`` counted every record twice and ``export`` wrote each
    one twice into the Parquet file, without a word. So is a part of an output directory and its
    copy in another (``export OUT OUT_COPY``, a backup): the copy is left out, and added to
    ``copies`` (``(copy, part read)``) for the command to say.
    """
    articles: list[Path] = []
    rejects: list[Path] = []
    missing: list[str] = []
    seen = SeenFiles()

    def add(kind: list[Path], found: Iterable[Path]) -> None:
        kind.extend(f for f in found if seen.first(f))

    for name in inputs:
        path = Path(name)
        if str(name) == STDIN:
            articles.append(path)
        elif path.is_dir():
            if is_output_dir(path):
                add(articles, find_parts(path, "articles"))
                add(rejects, find_parts(path, "rejects"))
                continue
            for f in sorted(path.rglob("*")):
                if f.is_file() and not f.name.startswith(".") and f.name.endswith(JSONL_SUFFIXES):
                    add(rejects if "rejects" in f.relative_to(path).parts[:-1] or path.name == "rejects"
                        else articles, [f])
        elif path.is_file():
            add(articles, [path])
        else:
            missing.append(str(name))
    if copies is not None:
        copies.extend(seen.copies)
    return articles, rejects, missing


def copies_said(copies: list[tuple[Path, Path]]) -> str:
    """The parts left out as copies of parts read (:func:`expand_inputs`), said in one line with
    the records they hold: their lines counted, not parsed (a committed part is one record a
    line; the copy of a whole corpus was read as JSON again just to be counted)."""
    from newsclean.output.stats import counted

    records = sum(_lines(copy) for copy, _part in copies)
    copy, part = copies[0]
    more = f" (and {len(copies) - 1} more)" if len(copies) > 1 else ""
    return (f"left out {counted(len(copies), 'part')} ({counted(records, 'record')}) that another input holds "
            f"too: {copy} is a copy of {part}{more}; each record is read once")


def _lines(path: Path) -> int:
    """The lines of a JSONL file that hold something (gzip and zstd too), not parsed."""
    with open_jsonl(path) as fh:
        return sum(1 for line in fh if not line.isspace())
