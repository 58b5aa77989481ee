"""What is in a corpus: counts by site, language and month, lengths, duplicates, rejects, coverage.

Plain Python over the record and reject files (``newsclean stats`` is the command line over it).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable

from newsclean.output.reader import JsonlReader
from newsclean.output.schema import SCHEMA_VERSION

#: Record fields whose coverage is reported: the share of records where they are not empty.
COVERAGE_FIELDS = ("title", "authors", "published", "modified", "language", "section", "tags", "description")
#: Upper bounds (exclusive) of the word-count histogram bins; the last bin is open.
WORD_BINS = (100, 250, 500, 1000, 2000)
QUANTILES = {"min": 0.0, "p10": 0.1, "p25": 0.25, "median": 0.5, "p75": 0.75, "p90": 0.9, "max": 1.0}
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MONTH = re.compile(r"^\d{4}-\d{2}")
UNKNOWN = "unknown"
#: A reject's time once a record of its page took it: later than any record's.
_TAKEN = 2**63 - 1


def counted(n: int, noun: str, plural: str = "") -> str:
    """``n`` and the noun in its number: "1 record", "2 records" ("1 records from 1 files" was said)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _microseconds(value: Any) -> int | None:
    """An ISO 8601 time as microseconds since 1970 (UTC when it gives no offset); None for
    anything else (such a reject stays counted: no record can be told later than it)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _quantile(ordered: list[int], q: float) -> int:
    """Nearest-rank quantile of a sorted list (a value that occurs in the data)."""
    if not ordered:
        return 0
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _bin_label(i: int) -> str:
    low = 0 if i == 0 else WORD_BINS[i - 1]
    return f"{low}-{WORD_BINS[i] - 1}" if i < len(WORD_BINS) else f"{low}+"


class RejectedPages:
    """The rejects a walk has read, each by its URL's hash, its fetch time and its (reason, site)'s
    number, until a record of its page fetched later takes it (:meth:`written_after`): 20 bytes a
    reject in three sorted arrays, the latest (at most an eighth of them) in a dict until they are
    merged in. Each reject's URL, time, reason and site were kept, ~400 bytes, 80 MB for 200,000.
    A bit a slot of the URL hashes held (:meth:`may_hold`, ~2 bytes a reject) answers most records,
    whose page no reject names, before their fetch time is parsed and the arrays searched (~3 us)."""

    #: Rejects kept in the dict, at least, before they are merged into the arrays.
    MERGE_AT = 4096
    #: Slots of :meth:`may_hold`'s bits a reject, at least (a power of two): ~6% of the URLs no
    #: reject names are searched all the same.
    SLOTS_PER_REJECT = 16
    #: Slots of the bits at the start (8 KB; a power of two).
    FIRST_SLOTS = 1 << 16

    def __init__(self) -> None:
        import numpy as np

        self._np = np
        self.keys = np.empty(0, np.int64)     # hash(url), sorted
        self.times = np.empty(0, np.int64)    # microseconds; _TAKEN once a record took it
        self.kinds = np.empty(0, np.int32)    # numbers of (reason, site) in kind_names
        self.recent: dict[int, list[tuple[int, int]]] = {}
        self.recent_count = 0
        self.kind_names: list[tuple[str, str]] = []
        self._kind_numbers: dict[tuple[str, str], int] = {}
        self._marks = bytearray(self.FIRST_SLOTS // 8)   # a bit a slot
        self._slot_mask = self.FIRST_SLOTS - 1

    def __bool__(self) -> bool:
        return bool(self.recent) or bool(self.keys.size)

    def __len__(self) -> int:
        return int(self.keys.size) + self.recent_count

    def add(self, url: str, when: int, reason: str, site: str) -> None:
        """A reject of ``url`` fetched at ``when`` (microseconds since 1970)."""
        number = self._kind_numbers.setdefault((reason, site), len(self.kind_names))
        if number == len(self.kind_names):
            self.kind_names.append((reason, site))
        key = hash(url)
        self.recent.setdefault(key, []).append((when, number))
        self.recent_count += 1
        slot = key & self._slot_mask
        self._marks[slot >> 3] |= 1 << (slot & 7)
        if self.recent_count >= max(self.MERGE_AT, self.keys.size // 8):
            self._merge()

    def _merge(self) -> None:
        np = self._np
        keys = np.fromiter((key for key, found in self.recent.items() for _ in found), np.int64, self.recent_count)
        times = np.fromiter((when for found in self.recent.values() for when, _ in found), np.int64, self.recent_count)
        kinds = np.fromiter((kind for found in self.recent.values() for _, kind in found), np.int32, self.recent_count)
        order = np.argsort(keys, kind="stable")
        keys, times, kinds = keys[order], times[order], kinds[order]
        at = np.searchsorted(self.keys, keys, side="right")
        self.keys, self.times, self.kinds = (np.insert(self.keys, at, keys), np.insert(self.times, at, times),
                                             np.insert(self.kinds, at, kinds))
        self.recent.clear()
        self.recent_count = 0
        if self.keys.size * self.SLOTS_PER_REJECT > self._slot_mask + 1:
            self._mark_all()

    def _mark_all(self) -> None:
        """The bits laid again for every hash held, over twice the slots (a merge outgrew them)."""
        np = self._np
        slots = self._slot_mask + 1
        while slots < self.keys.size * self.SLOTS_PER_REJECT * 2:
            slots *= 2
        marked = np.zeros(slots, bool)
        marked[self.keys & (slots - 1)] = True
        self._marks = bytearray(np.packbits(marked, bitorder="little").tobytes())
        self._slot_mask = slots - 1

    def may_hold(self, url: str) -> bool:
        """False where no reject kept names ``url`` (True where one may: its slot is marked)."""
        slot = hash(url) & self._slot_mask
        return bool(self._marks[slot >> 3] >> (slot & 7) & 1)

    def written_after(self, url: str, fetched: int) -> list[tuple[str, str]]:
        """The (reason, site) of each reject of ``url`` fetched before ``fetched`` (a record's,
        in microseconds), taken: one page with the record. A later fetch of a written page
        rejected stays, a reject of its own."""
        key = hash(url)
        taken: list[tuple[str, str]] = []
        keys = self.keys
        at = int(keys.searchsorted(key)) if keys.size else 0
        while at < keys.size and keys[at] == key:
            if self.times[at] < fetched:
                taken.append(self.kind_names[self.kinds[at]])
                self.times[at] = _TAKEN
            at += 1
        found = self.recent.get(key)
        if found:
            kept = [(when, kind) for when, kind in found if when >= fetched]
            taken += [self.kind_names[kind] for when, kind in found if when < fetched]
            self.recent_count -= len(found) - len(kept)
            if kept:
                self.recent[key] = kept
            else:
                del self.recent[key]
        return taken


@dataclass
class CorpusStats:
    """Counters filled record by record; :meth:`to_dict` gives the report."""

    records: int = 0
    rejects: int = 0
    duplicates: int = 0
    sites: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    months: Counter[str] = field(default_factory=Counter)
    month_source: Counter[str] = field(default_factory=Counter)
    reject_reasons: Counter[str] = field(default_factory=Counter)
    reject_sites: Counter[str] = field(default_factory=Counter)
    filled: Counter[str] = field(default_factory=Counter)
    words: list[int] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=lambda: {"articles": 0, "rejects": 0})
    #: Rejects by URL until a record of the page fetched later uncounts them (:meth:`add_record`).
    rejected: RejectedPages = field(default_factory=lambda: RejectedPages())
    #: Rejects of a page a later fetch wrote (a ``too_old`` one under a narrower ``--since``, a
    #: timeout retried): the page is counted once, as written, not in ``rejects``.
    written_later: int = 0
    #: Records by their ``schema_version`` (``unknown``: none, or not a whole number).
    versions: Counter[str] = field(default_factory=Counter)

    def add_record(self, rec: dict[str, Any]) -> None:
        self.records += 1
        version = rec.get("schema_version")
        self.versions[str(version) if isinstance(version, int) and not isinstance(version, bool) else UNKNOWN] += 1
        self.sites[str(rec.get("site") or UNKNOWN)] += 1
        self.languages[str(rec.get("language") or UNKNOWN)] += 1
        # Month of publication; pages without a date fall back to the fetch month (counted apart).
        published, fetched = rec.get("published"), rec.get("fetched_at")
        if isinstance(published, str) and _MONTH.match(published):
            self.months[published[:7]] += 1
            self.month_source["published"] += 1
        elif isinstance(fetched, str) and _MONTH.match(fetched):
            self.months[fetched[:7]] += 1
            self.month_source["fetched_at"] += 1
        else:
            self.months[UNKNOWN] += 1
            self.month_source[UNKNOWN] += 1
        wc = rec.get("word_count")
        self.words.append(wc if isinstance(wc, int) and wc >= 0 else len(str(rec.get("text") or "").split()))
        self.duplicates += bool(rec.get("duplicate_of"))
        for name in COVERAGE_FIELDS:
            if rec.get(name) not in (None, "", []):
                self.filled[name] += 1
        if not self.rejected:
            return
        named = {url for url in (rec.get("url"), rec.get("canonical_url"))
                 if isinstance(url, str) and self.rejected.may_hold(url)}
        if named and (when := _microseconds(fetched)) is not None:
            for url in named:
                for reason, site in self.rejected.written_after(url, when):
                        self.rejects -= 1
                        self.reject_reasons[reason] -= 1
                        self.reject_sites[site] -= 1
                        self.written_later += 1

    def add_reject(self, rec: dict[str, Any]) -> None:
        reason, site = sys.intern(str(rec.get("reason") or UNKNOWN)), sys.intern(str(rec.get("site") or UNKNOWN))
        self.rejects += 1
        self.reject_reasons[reason] += 1
        self.reject_sites[site] += 1
        url, when = rec.get("url"), _microseconds(rec.get("fetched_at"))
        if isinstance(url, str) and when is not None:
            self.rejected.add(url, when, reason, site)

    def to_dict(self, skipped: list[tuple[str, int, str]] | None = None) -> dict[str, Any]:
        ordered = sorted(self.words)
        hist = [0] * (len(WORD_BINS) + 1)
        for n in ordered:
            hist[next((i for i, bound in enumerate(WORD_BINS) if n < bound), len(WORD_BINS))] += 1
        pages = self.records + self.rejects
        skipped = skipped or []
        return {
            "files": dict(self.files),
            "records": self.records,
            "schema_versions": dict(self.versions.most_common()),
            "sites": dict(self.sites.most_common()),
            "languages": dict(self.languages.most_common()),
            "months": dict(sorted(self.months.items())),
            "month_source": dict(self.month_source.most_common()),
            "word_count": {
                **{name: _quantile(ordered, q) for name, q in QUANTILES.items()},
                "mean": round(sum(ordered) / len(ordered), 1) if ordered else 0.0,
                "histogram": {_bin_label(i): n for i, n in enumerate(hist)},
            },
            "duplicates": self.duplicates,
            "duplicate_rate": round(self.duplicates / self.records, 4) if self.records else 0.0,
            "rejects": self.rejects,
            "reject_rate": round(self.rejects / pages, 4) if pages else 0.0,
            "reject_reasons": {k: n for k, n in self.reject_reasons.most_common() if n},
            "reject_sites": {k: n for k, n in self.reject_sites.most_common() if n},
            "rejects_written_later": self.written_later,
            "coverage": {name: round(self.filled[name] / self.records, 4) if self.records else 0.0
                         for name in COVERAGE_FIELDS},
            "skipped": len(skipped),
            "skipped_lines": [_text(f"{path}:{line}: {why}") for path, line, why in skipped],
        }


def _text(said: str) -> str:
    """``said`` as JSON can hold it: a file name's bytes that are no UTF-8 (kept by Python as lone
    surrogates, which ``stats --json`` failed on with a traceback) written as stderr shows them,
    ``\\udcff``."""
    return said.encode("utf-8", "backslashreplace").decode("utf-8")


def _is_reject(rec: dict[str, Any]) -> bool:
    return "reason" in rec and "text" not in rec


def corpus_stats(articles: Iterable[Path], rejects: Iterable[Path] = (),
                 reader: JsonlReader | None = None) -> dict[str, Any]:
    """Stats over record files and reject files.

    A line is counted by what it holds (a reject has a ``reason`` and no ``text``), so a file of
    either kind may be passed in either list; JSON objects that are neither are skipped and
    listed, as are lines that are not JSON (``skipped_lines``: ``file:line: why``). A page that
    an earlier fetch rejected and a later one wrote (the same URL, fetched later) is one page,
    counted as written (``rejects_written_later``): the reject files are read first, and a reject
    read after its page's record (a file of rejects in ``articles``) stays counted as one.
    """
    reader = reader or JsonlReader()
    stats = CorpusStats()
    articles, rejects = list(articles), list(rejects)
    stats.files = {"articles": len(articles), "rejects": len(rejects)}
    for path, line_no, rec in reader.iter_located([*rejects, *articles]):
        if _is_reject(rec):
            stats.add_reject(rec)
        elif isinstance(rec.get("text"), str) or "id" in rec:
            stats.add_record(rec)
        else:
            reader.skip(path, line_no, "neither an article record (text, id) nor a reject (reason)")
    return stats.to_dict(reader.skipped)


def _pct(share: float) -> str:
    return f"{100 * share:5.1f}%"


def other_versions(versions: dict[str, int]) -> str:
    """The line saying how many records are of another schema version than this newsclean's, and of
    which (``export`` skips them, each said as such); '' when there are none. ``stats`` counted them
    among the records without a word."""
    other = {version: n for version, n in versions.items() if version != str(SCHEMA_VERSION)}
    if not other:
        return ""
    said = ", ".join(f"{n} of {'no version' if v == UNKNOWN else f'version {v}'}" for v, n in other.items())
    return (f"schema versions: {counted(sum(other.values()), 'record')} of another version than this newsclean's "
            f"{SCHEMA_VERSION} ({said}); export skips them")


def format_stats(stats: dict[str, Any], *, top: int = 20, skipped: list[str] | None = None) -> str:
    """The report as a readable text table (``top`` rows per breakdown, the rest summed).
    ``skipped``: the lines that say what was skipped (:meth:`JsonlReader.report`), else the first
    ``top`` skipped lines."""
    out: list[str] = []
    n = stats["records"]

    def table(title: str, counts: dict[str, int], total: int, top: int = top) -> None:
        out.append(f"\n{title}")
        items = list(counts.items())
        for key, value in items[:top]:
            out.append(f"  {key:<28} {value:>9}  {_pct(value / total) if total else '':>6}")
        if len(items) > top:
            rest = sum(v for _, v in items[top:])
            out.append(f"  {f'({len(items) - top} more)':<28} {rest:>9}  {_pct(rest / total) if total else '':>6}")

    files = stats["files"]
    # was 'files: 1 record, 0 reject': the kinds of file, each count in its number
    out.append(f"files: {counted(files['articles'], 'record file')}, {counted(files['rejects'], 'reject file')}")
    later = stats.get("rejects_written_later", 0)
    out.append(f"records: {n}   duplicates: {stats['duplicates']} ({_pct(stats['duplicate_rate']).strip()})   "
               f"rejects: {stats['rejects']} ({_pct(stats['reject_rate']).strip()} of pages"
               + (f"; {counted(later, 'earlier reject')} of pages written later counted as written" if later else "")
               + ")")
    if other := other_versions(stats.get("schema_versions", {})):
        out.append(other)
    table("sites", stats["sites"], n)
    table("languages", stats["languages"], n)
    src = stats["month_source"]
    table(f"months (by published; by fetched_at for {counted(src.get('fetched_at', 0), 'record')} without a date)",
          stats["months"], n, top=len(stats["months"]))   # every month: a gap is news
    wc = stats["word_count"]
    out.append("\nword count")
    out.append("  " + "  ".join(f"{k} {wc[k]}" for k in (*QUANTILES, "mean")))
    peak = max(wc["histogram"].values(), default=0)
    for label, count in wc["histogram"].items():
        bar = "#" * (round(30 * count / peak) if peak else 0)
        out.append(f"  {label:>10} {count:>9}  {bar}")
    out.append("\nfield coverage")
    for name, share in stats["coverage"].items():
        out.append(f"  {name:<28} {_pct(share):>16}")
    if stats["rejects"]:
        table("rejects by reason", stats["reject_reasons"], stats["rejects"])
    if stats["skipped"]:
        out.append(f"\nskipped: {stats['skipped']} (unreadable or not records)")
        out.extend(f"  {line}" for line in (stats["skipped_lines"][:top] if skipped is None else skipped))
        if skipped is None and stats["skipped"] > top:
            out.append(f"  ... {stats['skipped'] - top} more (all of them with --json)")
    return "\n".join(out)
