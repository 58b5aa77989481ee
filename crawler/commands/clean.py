"""``newsclean clean``: run the current cleaners over stored pages, without fetching anything.

Inputs (any mix, files or directories of them):

- WARC files (``*.warc``, ``*.warc.gz``, and the ``*.warc.gz.open`` a killed crawl leaves):
  every HTTP 2xx HTML response; for WARCs newsclean wrote, only the responses the crawl cleaned
  (``Newsclean-Kind: article``), under the crawl's site (``Newsclean-Site``). ``url`` is the
  WARC-Target-URI, ``fetched_at`` the WARC-Date; the body is decoded as Scrapy decoded it.
- HTML files (``*.html``, ``*.htm``, optionally ``.gz``);
- JSONL whose lines carry ``html`` (and optionally ``url``, ``site``, ``fetched_at``);
- with ``--text``: JSONL whose lines carry ``text`` (extracted elsewhere): boilerplate lines go.

Site rules come from the registry by the page's domain (or ``--site``). Copies among the
input are marked with ``duplicate_of`` (``--duplicates keep``, the crawl's default), dropped to the
rejects (``drop``) or left alone (``off``), by the crawl's dedup index, in memory. Records are built by
:func:`newsclean.crawler.workers.cleaning.article_record`, as the crawl builds them, and pages are cleaned by the
crawl's own cleaners: inline for ``--workers 1``, else a :class:`~newsclean.crawler.workers.pool.PoolCleaner`
(one worker process per core by default), both behind one
:class:`~newsclean.crawler.workers.cleaning.LearningWindow`, so per-site template learning — and so every record —
is the same whatever the worker count. Records are written in input order to one JSONL file
(written under a hidden temporary name and renamed when complete); rejects optionally to a
second one (``--rejects``).

Bad input (unreadable files, damaged WARC records, cut gzip members, lines that are not JSON)
is counted, reported on stderr with file and offset (WARC) or line number (JSONL) and skipped;
the rest is processed. The exit code is 1 when anything was skipped, unless ``--allow-skips``.
A page that a cleaner or the writer fails on with an error no one expected (a bug, not the
page's fault: a page's own trouble is a reject) is said on stderr with its place, counted
(``failed``) and not written; the rest is written and the exit code is 1 whatever
``--allow-skips`` says, as the crawl counts such a page (``newsclean/output/items_failed``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import signal
import sys
import time
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import orjson

from newsclean.cleaners import Article, CleanResult, Rejected, SiteRules, clean_text
from newsclean.cleaners.metadata.language import identify_language
from newsclean.crawler.workers.cleaning import (Cleaned, CleanJob, InlineCleaner, LearningWindow, TemplateBook, article_record,
                                        digest_of, language_filter, language_gate)
from newsclean.crawler.workers.procfs import WORKERS_A_CPU, most_workers, usable_cpus
from newsclean.crawler.sites import Site, load_registry, site_for_url, unknown_name
from newsclean.output import (RECORD_SCHEMA, STDIO, AtomicFile, JsonlReader, OutputError, RecordInvalid, StdoutError,
                              build_reject, new_run_id, validate_record)
from newsclean.output.dedup import DEFAULT_THRESHOLD, DedupIndex
from newsclean.output.reader import STDIN, SeenFiles, is_one_of, is_output_dir, open_jsonl
from newsclean.output.stats import counted

#: Skip lines printed on stderr before the rest are only counted.
MAX_REPORTED = 50


@dataclass(slots=True)
class Doc:
    """One page to clean, and where it came from (``file``, ``file@offset`` or ``file:line``)."""

    where: str
    html: str | bytes
    url: str | None
    site: str | None = None
    fetched_at: datetime | None = None
    file_index: int = 0                          # which input file (progress: files done)
    meta: dict[str, Any] = field(default_factory=dict)   # --text: the input line's own fields


@dataclass
class Tally:
    written: int = 0
    rejected: int = 0
    ignored: int = 0           # well-formed input that is not an article page (robots.txt, feeds...)
    skips: list[str] = field(default_factory=list)   # what is said: a line each
    folded: int = 0            # skipped JSONL lines said in one line of their file's (counted, not listed)
    failures: list[str] = field(default_factory=list)   # pages failed on by an error no one expected

    def skip(self, where: str, why: str) -> None:
        self.skips.append(f"{where}: {why}")

    @contextlib.contextmanager
    def guarding(self, where: str) -> Iterator[None]:
        """One page's cleaning and writing: an error no one expected there (a bug in a cleaner, the
        record's making or the writer) is noted with the page's place and the run goes on to the
        next page. It was a traceback that lost every page, the output discarded. The output
        failing (a full disk, a closed standard output) and an interrupt still end the run."""
        try:
            yield
        except (OutputError, StdoutError):
            raise
        except Exception as exc:  # noqa: BLE001 - one page's bug must not lose the others
            self.failures.append(f"{where}: {type(exc).__name__}: {exc}"[:500])

    @property
    def skipped(self) -> int:
        return len(self.skips) + self.folded


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if ".warc" in name:
        return "warc"
    if name.endswith((".jsonl", ".jsonl.gz", ".jsonl.zst", ".json", ".json.gz")):
        return "jsonl"
    if name.endswith((".html", ".htm", ".html.gz", ".htm.gz")):
        return "html"
    return None


_KINDS = "WARC (.warc/.warc.gz), HTML (.html/.htm) or JSONL (.jsonl)"


def _some(names: list[str], most: int = 3) -> str:
    """A folder's other files as a clause: their count and the first few names."""
    if not names:
        return "no other file either"
    shown = ", ".join(names[:most]) + (", ..." if len(names) > most else "")
    return f"{len(names)} other file{'s' if len(names) > 1 else ''}: {shown}"


def _files(inputs: list[str], tally: Tally) -> Iterator[tuple[Path, str]]:
    """The files of the inputs, each once however often it is reached (named twice, or named and
    inside a directory named: its pages were cleaned and written twice, the same ids twice). A
    crawl's output directory gives the pages it kept, its ``warc/`` folder's files."""
    first = SeenFiles().first
    for name in inputs:
        p = Path(name)
        if name == STDIN:
            yield p, "jsonl"
        elif p.is_dir() and is_output_dir(p) and not (p / "warc").is_dir():
            # a crawl's output named whole: its records, manifests and state were read as pages, 139
            # lines skipped (a manifest's lines as bad JSON) for the 27 records of a demo crawl
            tally.skip(name, "a newsclean output directory with no warc/: its records are cleaned already (stats and "
                             f"export read them); a crawl with --warc keeps its pages in {p / 'warc'} to clean again")
        elif p.is_dir():
            if is_output_dir(p):   # a crawl's output named whole: the pages it kept, not its records
                p = p / "warc"
            others: list[str] = []   # files of no kind read here; said if nothing else is there
            found = False
            for f in sorted(x for x in p.rglob("*") if x.is_file() and not x.name.startswith(".")):
                if (kind := _kind(f)) is None:
                    others.append(str(f.relative_to(p)))
                    continue
                found = True
                if first(f):
                    yield f, kind
            if not found:
                # the wrong folder named: said as a file of no such kind is, not as "no pages
                # read" alone or, beside other inputs, not at all
                tally.skip(name, f"no {_KINDS} file in it ({_some(others)})")
        elif not p.exists():
            tally.skip(name, "cannot read: no such file or directory")
        elif (kind := _kind(p)) is None:
            tally.skip(name, f"not a {_KINDS} file")
        elif first(p):
            yield p, kind


def _open(path: Path) -> BinaryIO:
    return open_jsonl(path)   # type: ignore[return-value]  # plain, gzip or zstd by magic bytes


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _jsonl(path: Path, tally: Tally, field_name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(``file:line``, object) for each JSON object of ``path`` that has ``field_name``."""
    reader = JsonlReader()   # plain, gzip or zstd; bad lines and read errors noted with their line
    for _path, line_no, obj in reader.iter_located([path]):
        if isinstance(obj.get(field_name), (str, bytes)):
            yield f"{path}:{line_no}", obj
        elif field_name == "html" and isinstance(obj.get("text"), str):
            # a record (a crawl's OUT given whole, its articles/ parts): said what would read it
            reader.skip(path, line_no, "no 'html' field, a 'text' one: --text cleans text, "
                                       "a crawl's pages are in its WARC (OUT/warc/, crawl --warc)")
        else:
            reader.skip(path, line_no, f"no {field_name!r} field")
    # A file's first 5 one by one, more as one line (as stats says them): a crawl's OUT given
    # whole was a line for each of its records, 50 of them said.
    said = reader.report(most=len(reader.skipped) + 1)
    tally.skips += said
    tally.folded += len(reader.skipped) - len(said)


def _warc_docs(path: Path, tally: Tally) -> Iterator[Doc]:
    from newsclean.crawler.components.warc import WarcProblem, html_of, iter_warc

    for item in iter_warc(path):
        if isinstance(item, WarcProblem):
            tally.skip(f"{path}@{item.offset}", item.message)
            continue
        if item.kind is not None and item.kind != "article":
            tally.ignored += 1   # the crawl read it for discovery (robots.txt, sitemap, feed, section)
            continue
        html = html_of(item)
        if html is None:
            tally.ignored += 1   # not a 2xx HTML page: the crawl cleaned none of them
            continue
        yield Doc(f"{path}@{item.offset}", html, item.url, item.site, item.fetched_at)


def _docs(files: list[tuple[Path, str]], tally: Tally) -> Iterator[Doc]:
    for index, (path, kind) in enumerate(files):
        if kind == "warc":
            try:
                for doc in _warc_docs(path, tally):
                    doc.file_index = index
                    yield doc
            except OSError as exc:
                tally.skip(str(path), f"cannot read: {exc}")
        elif kind == "jsonl":
            for where, obj in _jsonl(path, tally, "html"):
                yield Doc(where, obj["html"], _str(obj, "url"), _str(obj, "site"),
                          _parse_time(obj.get("fetched_at")), index)
        else:
            try:
                with _open(path) as fh:
                    html = fh.read()
            except (OSError, EOFError, zlib.error) as exc:
                tally.skip(str(path), f"cannot read: {exc}")
                continue
            yield Doc(str(path), html, None, file_index=index)


def _text_docs(files: list[tuple[Path, str]], tally: Tally) -> Iterator[Doc]:
    """``--text``: one Doc per JSONL line with a ``text`` field (its other fields in ``meta``)."""
    for index, (path, kind) in enumerate(files):
        if kind != "jsonl":
            tally.skip(str(path), "--text reads JSONL with a text field")
            continue
        for where, obj in _jsonl(path, tally, "text"):
            # No URL: the line's own address, so each line keeps its own id.
            url = _str(obj, "url") or f"{_uri(path)}#line-{where.rsplit(':', 1)[1]}"
            yield Doc(where, obj["text"], url, _str(obj, "site"), _parse_time(obj.get("fetched_at")),
                      index, meta=obj)


def _str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) and value else None


def _uri(path: Path) -> str:
    return "file:///dev/stdin" if str(path) == STDIN else path.resolve().as_uri()


#: Fields of a ``--text`` input line carried into its record, when they have the record's types.
_TEXT_META_STR = ("title", "description", "section")
_TEXT_META_LIST = ("authors", "tags")
_TEXT_META_DATE = ("published", "modified")
_ISODATE = re.compile(RECORD_SCHEMA["$defs"]["isodate"]["pattern"])


def text_result(doc: Doc, rules: SiteRules, site: str) -> CleanResult:
    """An Article (or Rejected) from an extracted text: its boilerplate lines dropped, the length
    gate of ``clean_html``, the language identified from the text, and the input line's own
    title, authors, dates, section, tags and description where they have the record's types."""
    url = doc.url or ""
    text = clean_text(doc.html if isinstance(doc.html, str) else doc.html.decode("utf-8", "replace"),
                      site, rules=rules)
    if not text:
        return Rejected(url, "empty", detail="no text left after cleaning")
    if len(text) < rules.min_chars:
        return Rejected(url, "too_short", detail=f"{len(text)} < {rules.min_chars} chars")
    meta = doc.meta
    found = identify_language(text)
    return Article(
        url=url, text=text, method="text",
        language=found[0] if found else None,
        **{k: meta[k] for k in _TEXT_META_STR if isinstance(meta.get(k), str)},
        **{k: meta[k] for k in _TEXT_META_LIST
           if isinstance(meta.get(k), list) and all(isinstance(x, str) for x in meta[k])},
        **{k: meta[k] for k in _TEXT_META_DATE if isinstance(meta.get(k), str) and _ISODATE.match(meta[k])},
    )


class SiteResolver:
    """A page's site name and cleaning rules: ``--site``, else the site the crawl named, else
    the registry site whose domain the URL is on, else generic rules named after the host."""

    def __init__(self, registry: dict[str, Site], forced: str | None = None) -> None:
        self.registry = registry
        self.forced = forced

    def __call__(self, url: str | None, site: str | None) -> tuple[str, SiteRules]:
        name = self.forced or site
        if name:
            if name in self.registry:
                return name, self.registry[name].rules
            return name, SiteRules(name=name)   # an ad-hoc crawl's site: generic rules, as it had
        site = site_for_url(url or "", self.registry)
        if site:
            return site.name, site.rules
        name = (urlsplit(url or "").hostname or "").lower().removeprefix("www.") or "generic"
        return name, SiteRules(name=name)


class _Progress:
    """tqdm on a terminal (stderr), nothing otherwise: input files done of the total (so a rate
    and an ETA), pages, written, rejected, skipped."""

    def __init__(self, tally: Tally, files: int) -> None:
        self.tally = tally
        self.bar: Any = None
        self.pages = 0
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=files, unit=" files", file=sys.stderr, dynamic_ncols=True, mininterval=0.5)

    def step(self, doc: Doc) -> None:
        self.pages += 1
        if self.bar is not None:
            t = self.tally
            self.bar.set_postfix(pages=self.pages, written=t.written, rejected=t.rejected,
                                 skipped=t.skipped, refresh=False)
            self.bar.update(doc.file_index - self.bar.n)   # the files before this page's are done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(self.bar.total - self.bar.n)
            self.bar.close()


async def _clean_all(docs: Iterator[Doc], cleaner: Any, resolve: SiteResolver, emit: Any,
                     max_inflight: int, tally: Tally) -> None:
    """Clean ``docs`` with ``cleaner`` and ``emit(doc, site, cleaned)`` them in input order; a page
    the cleaner or ``emit`` fails on unexpectedly is noted in ``tally`` (:meth:`Tally.guarding`)."""
    pending: deque[tuple[Doc, str, asyncio.Future]] = deque()

    async def take() -> None:
        d, s, t = pending.popleft()
        with tally.guarding(d.where):
            emit(d, s, await t)

    for doc in docs:
        site, rules = resolve(doc.url, doc.site)
        doc.url = doc.url or _uri(Path(doc.where))   # an HTML file: its own address
        # Tasks start in creation order, so pages are numbered (LearningWindow) in input order.
        task = asyncio.ensure_future(cleaner.clean(CleanJob(doc.html, doc.url, site, rules)))  # type: ignore[arg-type]
        pending.append((doc, site, task))
        await asyncio.sleep(0)   # let the task take its number now
        while pending and (len(pending) >= max_inflight or pending[0][2].done()):
            await take()
    while pending:
        await take()


def _outputs(args: argparse.Namespace, files: list[tuple[Path, str]]) -> tuple[str, str | None]:
    """The records and rejects outputs, checked before anything is read or written."""
    from newsclean.crawler.commands.cli import UsageError, output_file_dir

    out, rejects = args.output, args.rejects
    if out == STDIO and rejects == STDIO:
        raise UsageError("-o and --rejects cannot both be - (standard output)")
    if rejects is not None and rejects != STDIO and out != STDIO and Path(rejects).resolve() == Path(out).resolve():
        raise UsageError(f"-o and --rejects name the same file {out}")
    for name in (out, rejects):
        if name is None or name == STDIO:
            continue
        output_file_dir(name, create=False)
        if Path(name).is_dir():
            raise UsageError(f"{name} is a directory: name an output file")
        if is_one_of(name, [path for path, _ in files]):
            raise UsageError(f"{name} is also an input: write the output to another file")
        if (folder := _parts_folder(Path(name))) is not None:
            # read by the README's pandas load beside the crawl's own records (each article twice),
            # passed over by stats and export, which read part files alone
            raise UsageError(f"{name} is inside {folder}, which holds a crawl's part files: "
                             "write the output to another folder")
    return out, rejects


def _parts_folder(path: Path) -> Path | None:
    """The ``articles/`` or ``rejects/`` folder of an output directory that ``path`` lies in, or None."""
    from newsclean.output.reader import is_output_dir

    for folder in path.absolute().parents:
        if folder.name in ("articles", "rejects") and is_output_dir(folder.parent) \
                and (folder.parent / "manifests").is_dir():
            return folder
    return None


def clean_command(args: argparse.Namespace) -> int:
    from newsclean.crawler.commands.cli import EXIT_DEGRADED, EXIT_OK, UsageError, check_inputs_exist, open_stdin

    check_inputs_exist(args.input)
    registry = load_registry()
    if args.site and args.site not in registry:
        raise UsageError(f"--site: {unknown_name(args.site, registry)}")
    workers = args.workers if args.workers is not None else usable_cpus()
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    if workers > (most := most_workers()):
        raise UsageError(f"--workers must be at most {most} ({WORKERS_A_CPU} a core), got {workers}")
    if not args.timeout > 0:   # 0 or less rejected every page as a timeout
        raise UsageError(f"--timeout must be more than 0 seconds, got {args.timeout:g}")
    threshold = DEFAULT_THRESHOLD if args.dedup_threshold is None else args.dedup_threshold
    try:
        languages = language_filter({"NEWSCLEAN_LANGUAGES": getattr(args, "languages", "")})
    except ValueError as exc:   # said as the option it was given by
        raise UsageError(str(exc).replace("NEWSCLEAN_LANGUAGES", "--languages", 1)) from None
    if not 0.0 < threshold < 1.0:
        raise UsageError("--dedup-threshold must be between 0 and 1")
    resolve = SiteResolver(registry, args.site)
    run_id = new_run_id()
    tally = Tally()
    files = list(_files(args.input, tally))
    out_name, rejects_name = _outputs(args, files)
    open_stdin(args.input, "JSONL lines" + (" with a text field" if args.text else " with an html field"))
    stop = _StopSignals()
    stop.install()
    t0 = time.monotonic()
    out = AtomicFile(out_name)
    try:
        rej = AtomicFile(rejects_name) if rejects_name else None
    except BaseException:
        out.discard()
        raise
    progress = _Progress(tally, len(files))
    # Copies are marked (or dropped) as a first crawl of these pages would: an index of this
    # input alone, in input order (the earliest record wins).
    index = DedupIndex(None, threshold=threshold) if args.duplicates != "off" else None
    rejected_by: dict[str, int] = {}

    def emit(doc: Doc, site: str, cleaned: Cleaned) -> None:
        stop.check()
        result = language_gate(cleaned.result, languages)
        fetched_at = doc.fetched_at or datetime.now(timezone.utc)
        url = doc.url or result.url
        reason, detail = (None, "") if isinstance(result, Article) else (result.reason, result.detail)
        if reason is None:
            record = article_record(result, url=url, site=site, fetched_at=fetched_at, run_id=run_id,
                                    digest=cleaned.digest)
            try:   # what is written is a valid record, whatever the input line carried
                validate_record(record)
            except RecordInvalid as exc:
                tally.skip(doc.where, f"no valid record: {exc}")
                progress.step(doc)
                return
            match = None
            if index is not None:
                match = index.observe(record["id"], record["content_hash"], record["text"],
                                      run_id=run_id, keep=args.duplicates != "drop",
                                      minhash=cleaned.digest.minhash if cleaned.digest else None)
                if match is not None and args.duplicates == "drop":
                    reason = "duplicate"
                    detail = f"{match.kind} copy of {match.duplicate_of} (similarity {match.similarity:.2f})"
                else:
                    record["duplicate_of"] = match.duplicate_of if match else None
        if reason is None:
            out.write(orjson.dumps(record) + b"\n")
            tally.written += 1
        else:
            if rej is not None:
                rej.write(orjson.dumps(build_reject(url=url, site=site, reason=reason, detail=detail,
                                                       fetched_at=fetched_at, run_id=run_id)) + b"\n")
            tally.rejected += 1
            rejected_by[reason] = rejected_by.get(reason, 0) + 1
        progress.step(doc)

    try:
        try:
            if args.text:
                for doc in _text_docs(files, tally):
                    with tally.guarding(doc.where):
                        site, rules = resolve(doc.url, doc.site)
                        result = text_result(doc, rules, site)
                        emit(doc, site, Cleaned(result, digest_of(result)))
            elif files:
                _clean_pages(files, tally, resolve, emit, workers, args.timeout)
        finally:
            if index is not None:
                index.close()
            progress.close()
        stop.check()
        # No record: the output keeps what it had (an existing corpus is never replaced by an
        # empty one); the rejects are still written when there are some: they say why.
        if tally.written:
            out.commit()
        else:
            out.discard()
        if rej is not None:
            rej.commit() if tally.written or tally.rejected else rej.discard()
    except BaseException:
        for f in (out, rej):
            if f is not None:
                f.discard()
        raise
    seconds = time.monotonic() - t0
    for line in tally.skips[:MAX_REPORTED]:
        print(f"newsclean: skipped {line}", file=sys.stderr)
    if len(tally.skips) > MAX_REPORTED:
        print(f"newsclean: ... and {len(tally.skips) - MAX_REPORTED} more skipped", file=sys.stderr)
    failed = len(tally.failures)
    for line in tally.failures[:MAX_REPORTED]:
        print(f"newsclean: failed on {line}", file=sys.stderr)
    if failed > MAX_REPORTED:
        print(f"newsclean: ... and {failed - MAX_REPORTED} more failed", file=sys.stderr)
    pages = tally.written + tally.rejected + failed
    # stdout may carry the records, or the rejects (the summary was a line among them: '--rejects - | jq')
    summary = sys.stderr if STDIO in (out_name, rejects_name) else sys.stdout
    print(f"{tally.written} written, {tally.rejected} rejected, {tally.skipped} skipped"
          + (f", {failed} failed" if failed else "")
          + (f", {tally.ignored} not cleaned (not article pages)" if tally.ignored else "")
          + f"; {counted(pages, 'page')} in {seconds:.1f} s ({pages / seconds if seconds else 0:.1f} pages/s,"
          f" {counted(workers, 'worker')}) -> {out_name if tally.written else 'nothing written'}",
          file=summary)
    if not pages:
        print(f"newsclean: failed: no pages read from the inputs; {out_name} not written", file=sys.stderr)
        return EXIT_DEGRADED
    unexpected = (f"{counted(failed, 'page')} failed with an unexpected error, not written "
                  f"(the line{'s' if failed > 1 else ''} above say{'' if failed > 1 else 's'} which)")
    if not tally.written:
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(rejected_by.items()))
        said = "; ".join(([f"every other page was rejected ({reasons})" if failed else
                           f"every page was rejected ({reasons})"] if reasons else []) + ([unexpected] if failed else []))
        print(f"newsclean: failed: {said}; {out_name} not written", file=sys.stderr)
        return EXIT_DEGRADED
    if failed:   # a bug met, not damaged input: --allow-skips does not cover it (the crawl's items_failed)
        print(f"newsclean: degraded: {unexpected}", file=sys.stderr)
        return EXIT_DEGRADED
    if tally.skipped and not args.allow_skips:
        print(f"newsclean: {counted(tally.skipped, 'input')} skipped (--allow-skips to exit 0)", file=sys.stderr)
        return EXIT_DEGRADED
    return EXIT_OK


class _StopSignals:
    """SIGTERM and Ctrl-C end the run: workers stopped, temporary files removed, exit 130.

    The handler raises KeyboardInterrupt where the signal lands; when that is a weakref callback
    or a ``__del__`` (the worker pool's, the parser's), Python prints the exception and drops it
    ("Exception ignored in ...") and the run went on to write everything, exit 0. So the handler
    also notes the signal, and the run asks again before each page and before committing."""

    def __init__(self) -> None:
        self.received = False

    def install(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            if signal.getsignal(signum) is not signal.SIG_IGN:   # a parent that ignores it keeps that
                signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: object) -> None:
        self.received = True
        raise KeyboardInterrupt

    def check(self) -> None:
        if self.received:
            raise KeyboardInterrupt


def _clean_pages(files: list[tuple[Path, str]], tally: Tally, resolve: SiteResolver, emit: Any,
                 workers: int, timeout: float) -> None:
    """Clean the pages of ``files`` as a first crawl would, and ``emit`` them in input order."""
    book = TemplateBook(None)   # learned fresh from these pages, as a first crawl learns
    window = LearningWindow(book)
    cleaner: Any
    if workers == 1:
        cleaner = InlineCleaner(book, timeout, window)
    else:
        from newsclean.crawler.workers.pool import PoolCleaner

        cleaner = PoolCleaner(book, timeout, workers, window=window)
    try:
        asyncio.run(_clean_all(_docs(files, tally), cleaner, resolve, emit,
                               max_inflight=2 * window.epoch + workers, tally=tally))
    finally:
        cleaner.close()
