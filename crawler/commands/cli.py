"""The ``newsclean`` command line.

Exit codes: 0 ok; 1 the run was degraded or failed (one line says why); 2 usage or
configuration error; 3 another run holds the output directory's lock; 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import logging
import math
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlsplit

EXIT_OK, EXIT_DEGRADED, EXIT_USAGE, EXIT_LOCKED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

try:
    from newsclean.crawler.workers.procfs import WORKERS_A_CPU, most_workers
    from newsclean.crawler.state.store import LONGEST_RETRY_WAIT
    from newsclean.output import StdoutError
except KeyboardInterrupt:
    # Ctrl-C while the program loads (these imports take 1-2 s on a busy machine, before run()
    # is there to catch it) was a traceback through importlib: said as run() says it.
    if Path(sys.argv[0]).name not in ("newsclean", "cli.py"):   # imported by a program of its own
        raise
    print("newsclean: interrupted", file=sys.stderr)
    raise SystemExit(EXIT_INTERRUPTED) from None


class UsageError(Exception):
    """A usage or configuration error: printed as one line, exit code 2."""


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
#: The demo site's origin in its pages and records (``.invalid``: it can never be a real host).
DEMO_ORIGIN = "http://demo-herald.invalid"


def _version() -> str:
    from newsclean.output.manifest import versions

    return versions()["newsclean"]


def _log_settings(args: argparse.Namespace) -> dict[str, Any]:
    """LOG_LEVEL (and, for -q, no progress line) from -L/-q/-v; an explicit -s still wins."""
    if args.quiet:
        return {"LOG_LEVEL": "CRITICAL", "NEWSCLEAN_PROGRESS_INTERVAL": -1}
    return {"LOG_LEVEL": args.loglevel or (args.log_verbose if args.verbose else args.log_default)}


#: Settings that name a path: a leading ``~`` is the home directory, as in ``--out``. The shell
#: leaves it as it is in ``-s NEWSCLEAN_STATE_DIR=~/state`` (not an assignment of its own), and a
#: crawl made a directory named ``~`` in the current one and kept its state there.
PATH_SETTINGS = frozenset({"NEWSCLEAN_STATE_DIR", "LOG_FILE", "JOBDIR", "HTTPCACHE_DIR"})


def settings_overrides(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"bad -s {pair!r}: use -s NAME=VALUE")
        name = name.strip()
        value = os.path.expanduser(value) if name in PATH_SETTINGS and value.startswith("~") else value
        if out.get(name, value) != value:
            # as an option of one value given twice (_Once): the last one won without a word, so a
            # cron line edited by appending `-s NEWSCLEAN_STATE_DIR=...` ran on the other state
            raise UsageError(f"-s {name} given twice ({out[name]} and {value}): give it once")
        out[name] = value
    return out


#: Scrapy settings that Scrapy reads as integers (``Settings.getint``).
SCRAPY_COUNTS = frozenset({
    "CONCURRENT_ITEMS", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_REQUESTS_PER_IP",
    "DEPTH_LIMIT", "DEPTH_PRIORITY", "DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE", "REDIRECT_MAX_TIMES",
    "RETRY_TIMES", "CLOSESPIDER_ITEMCOUNT", "CLOSESPIDER_PAGECOUNT", "CLOSESPIDER_ERRORCOUNT",
})
#: newsclean's settings read as integers too: '2.5' or 'inf' there was a run that 'ended early:
#: unknown' with nothing written (the output pipeline's start), or a bound that failed each check.
NEWSCLEAN_COUNTS = frozenset({
    "NEWSCLEAN_PART_MAX_RECORDS", "NEWSCLEAN_MAX_SITEMAPS", "NEWSCLEAN_MAX_SITEMAP_DEPTH",
    "NEWSCLEAN_MAX_SECTION_PAGES", "NEWSCLEAN_CCNEWS_RETRIES", "NEWSCLEAN_CLEAN_WORKERS", "NEWSCLEAN_ROBOTSTXT_MAX_BYTES",
})


#: Settings whose numbers mean nothing at or below 0 (a part of 0 records, a timeout of 0 s) or
#: below 0 (a negative backoff or bound): the lowest each takes, and whether it may be that low.
#: Scrapy's too: 0 concurrent requests hung the crawl; a negative DOWNLOAD_MAXSIZE failed every
#: download with a traceback.
LOWEST: dict[str, tuple[float, bool]] = {
    **dict.fromkeys(("NEWSCLEAN_PART_MAX_RECORDS", "NEWSCLEAN_CLEAN_TIMEOUT", "NEWSCLEAN_RETRY_MAX_ATTEMPTS",
                     "NEWSCLEAN_CCNEWS_TIMEOUT", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
                     "CONCURRENT_ITEMS", "DOWNLOAD_TIMEOUT", "NEWSCLEAN_ROBOTSTXT_MAX_BYTES"), (0, False)),
    **dict.fromkeys(("NEWSCLEAN_RETRY_BACKOFF", "NEWSCLEAN_RETRY_AFTER_MAX", "NEWSCLEAN_MAX_SITEMAPS",
                     "NEWSCLEAN_MAX_SITEMAP_DEPTH", "NEWSCLEAN_MAX_SECTION_PAGES", "NEWSCLEAN_CCNEWS_RETRIES",
                     "NEWSCLEAN_CCNEWS_BACKOFF", "DOWNLOAD_DELAY", "DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE",
                     "RETRY_TIMES", "REDIRECT_MAX_TIMES", "DEPTH_LIMIT", "CLOSESPIDER_ITEMCOUNT",
                     "CLOSESPIDER_PAGECOUNT", "CLOSESPIDER_ERRORCOUNT", "CLOSESPIDER_TIMEOUT",
                     "NEWSCLEAN_CLEAN_WORKERS"), (0, True)),
}
#: Settings with a highest value too (a number, or a function that reads it when asked), and why:
#: a CC-NEWS backoff of 'inf' (or 1e12 s) was an OverflowError traceback at the first retry's
#: sleep; more than a day is no backoff. A crawl's retry backoff of 'inf' (or 1e12 s) was an
#: OverflowError at the first failed fetch (a date past year 9999), the page never scheduled again.
#: Cleaning workers: see ``most_workers``.
HIGHEST: dict[str, tuple[float | Callable[[], float], str]] = {
    "NEWSCLEAN_CCNEWS_BACKOFF": (24 * 3600, "a day"),
    "NEWSCLEAN_RETRY_BACKOFF": (LONGEST_RETRY_WAIT, "a year"),
    "NEWSCLEAN_CLEAN_WORKERS": (most_workers, f"{WORKERS_A_CPU} a core"),
    # 'inf' was a crawl that waited forever and that SIGTERM did not end (a site file's too: sites.LONGEST_DELAY)
    "DOWNLOAD_DELAY": (24 * 3600, "a day"),
}


def check_overrides(overrides: dict[str, Any]) -> None:
    """Every check of a crawl's ``-s`` settings (``newsclean`` commands and plain ``scrapy crawl``):
    a bad one is a UsageError, before anything starts, not a traceback from inside Scrapy."""
    from newsclean.crawler.commands.sitequeue import concurrent_sites
    from newsclean.crawler.workers.cleaning import language_filter
    from newsclean.crawler.components.dedup import dedup_options
    from newsclean.crawler.components.middlewares import user_agent
    from newsclean.crawler.components.pipelines import output_compression

    try:
        dedup_options(overrides)
        output_compression(overrides)
        language_filter(overrides)
        concurrent_sites(overrides)
        user_agent(_project_settings(overrides))   # NEWSCLEAN_CONTACT_URL (the environment's too)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    check_redis_url(overrides)
    check_settings(overrides)


#: What a crawl takes as options (-a under plain scrapy), not as settings.
_SPIDER_ARGUMENTS = frozenset({"since", "max_articles", "urls", "url"})
#: A run id given with -s: a file name of its own (no path, no hidden file), as new_run_id makes them.
_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def check_settings(overrides: dict[str, Any]) -> None:
    """Refuse, as one line, a ``NEWSCLEAN_*`` name that does not exist (naming the nearest one)
    and a value that does not parse as its setting's type (``DOWNLOAD_DELAY=abc``): Scrapy would
    fail on them mid-start with a traceback, or ignore the misspelt name without a word."""
    import difflib

    defaults = _project_settings({})
    known = [name for name in defaults if name.startswith("NEWSCLEAN_")]
    for name, value in overrides.items():
        if not name.startswith("NEWSCLEAN_") and name not in defaults:
            check_scrapy_name(name, defaults)
        if name.startswith("NEWSCLEAN_") and name not in known:
            option = name.removeprefix("NEWSCLEAN_").lower()
            # NEWSCLEAN_MAX_ARTICLE was "did you mean NEWSCLEAN_MAX_SITEMAPS?"
            option = (difflib.get_close_matches(option, _SPIDER_ARGUMENTS, n=1, cutoff=0.85) or [option])[0]
            if option in _SPIDER_ARGUMENTS:   # NEWSCLEAN_SINCE was "did you mean NEWSCLEAN_DUPLICATES?"
                raise UsageError(f"unknown setting {name}: --{option.replace('_', '-')} is an option of the "
                                 f"command (plain scrapy: -a {option}=...), not a setting")
            near = difflib.get_close_matches(name, known, n=1)
            raise UsageError(f"unknown setting {name}" + (f"; did you mean {near[0]}?" if near else "")
                             + " (see docs/settings.md)")
        default = defaults.get(name)
        # a count without a default (NEWSCLEAN_CLEAN_WORKERS: one per core) is checked once given
        if not isinstance(value, str) or (default is None and (name not in NEWSCLEAN_COUNTS or value == "")):
            continue
        # An int default is no promise of an int setting (DOWNLOAD_DELAY is 0 and takes 0.5), but
        # Scrapy's counts are read with getint: '2.5' or 'inf' would be a traceback inside Scrapy.
        parse = {bool: defaults.getbool, int: defaults.getfloat, float: defaults.getfloat}.get(type(default))
        counted = name in SCRAPY_COUNTS or name in NEWSCLEAN_COUNTS
        if counted:
            parse = defaults.getint
        if parse is None:
            continue
        try:
            defaults.set(name, value, priority="cmdline")
            if math.isnan(parse(name)):
                raise ValueError("nan")   # float("nan") parses, and no bound, delay or count is NaN
        except (TypeError, ValueError):
            kind = ("true or false" if isinstance(default, bool)
                    else "a number, a whole one," if counted else "a number")
            raise UsageError(f"bad -s {name}={value!r}: {kind} expected") from None
        if name in LOWEST:
            lowest, inclusive = LOWEST[name]
            if parse(name) < lowest or parse(name) == lowest and not inclusive:
                raise UsageError(f"bad -s {name}={value!r}: {'at least' if inclusive else 'more than'} {lowest} expected")
        if name in HIGHEST:
            highest, why = HIGHEST[name]
            highest = highest() if callable(highest) else highest
            if parse(name) > highest:
                raise UsageError(f"bad -s {name}={value!r}: at most {highest} ({why}) expected")
    log_file = overrides.get("LOG_FILE")
    if isinstance(log_file, str) and log_file:
        try:   # Scrapy opens it at its start: a traceback there
            with open(log_file, "a", encoding="utf-8"):
                pass
        except OSError as exc:
            raise UsageError(f"bad -s LOG_FILE={log_file!r}: cannot write there: {exc.strerror or exc}") from None
    run_id = overrides.get("NEWSCLEAN_RUN_ID")
    if isinstance(run_id, str) and not _RUN_ID.fullmatch(run_id):
        # it names the manifest: "a/b" or "../x" made directories under manifests/ or beyond OUT
        raise UsageError(f"bad -s NEWSCLEAN_RUN_ID={run_id!r}: letters, digits, '.', '_' and '-' expected"
                         " (it names the run's part files and manifest)")
    level = overrides.get("LOG_LEVEL")
    if isinstance(level, str) and not isinstance(logging.getLevelName(level), int):   # as Scrapy sets it
        raise UsageError(f"bad -s LOG_LEVEL={level!r}: one of {', '.join(LOG_LEVELS)} expected")


def check_scrapy_name(name: str, defaults: Any) -> None:
    """Refuse a setting that is not one but is a known one's spelling in other case or with a
    typo (``download_delay``, ``DOWNLOAD_DELAYY``, ``CONCURENT_REQUESTS``): Scrapy reads names as
    they are and ignored it without a word, the crawl running at the default. A name near none
    (an extension's own setting) passes as before."""
    import difflib

    if name.upper() in defaults:
        raise UsageError(f"unknown setting {name}; did you mean {name.upper()}? (setting names are upper case)")
    near = difflib.get_close_matches(name, [k for k in defaults if not k.startswith("NEWSCLEAN_")], n=1, cutoff=0.9)
    if near:
        raise UsageError(f"unknown setting {name}; did you mean {near[0]}?")


def _project_settings(overrides: dict[str, Any]) -> Any:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsclean.crawler.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(overrides, priority="cmdline")
    return settings


def path_arg(value: str) -> str:
    """A path option or argument: an empty one (``--out "$CORPUS"`` with the variable unset) is
    refused, not read as the current directory (a crawl wrote its articles/, manifests/ and state/
    there; ``stats ""`` read every JSONL under it). A leading ``~`` is the home directory: the
    shell leaves it as it is in ``--out=~/corpus`` (and in quotes), and a crawl made a directory
    named ``~`` in the current one."""
    if not value.strip():
        raise argparse.ArgumentTypeError("an empty path (an unset variable?)")
    return os.path.expanduser(value) if value.startswith("~") else value


def output_arg(value: str) -> str:
    """An output file's path (:func:`path_arg`); one naming standard output (``/dev/stdout``,
    ``/dev/fd/1``) is ``-``, so that what the command says goes to stderr as for ``-``: it went
    into the output (``export --parquet /dev/stdout > c.parquet``: a summary line after the
    Parquet footer, a file that did not read)."""
    value = path_arg(value)
    if not value.startswith(("/dev/", "/proc/")):
        return value
    try:
        return "-" if os.path.samestat(os.stat(value), os.fstat(sys.stdout.fileno())) else value
    except (OSError, ValueError):   # no such file, or standard output closed
        return value


def dangling(link: Path) -> str:
    """What a link to nowhere is, said: an output there was 'File exists'."""
    return f"{link} is a link to {os.readlink(link)}, which does not exist"


def output_file_dir(name: str, *, create: bool) -> None:
    """The directory an output file ``name`` goes into, checked before anything is read: there
    (made with its parents when ``create``), else one line naming the file in its way or the
    missing directory. ``clean -o`` and ``export --parquet`` each said it in words of their own."""
    parent = Path(name).parent
    if parent.is_dir():
        return
    for p in (parent, *parent.parents):
        if p.is_symlink() and not p.exists():   # was "cannot create its directory: File exists"
            raise UsageError(f"{name}: {dangling(p)}")
        if p.exists() and not p.is_dir():
            raise UsageError(f"{name}: {p} is a file, not a directory")
    if not create:
        raise UsageError(f"{name}: directory {parent} does not exist")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{name}: cannot create its directory: {exc.strerror or exc}") from None


def check_inputs_exist(names: Sequence[str]) -> None:
    """An input named on the command line that does not exist is a typo (exit 2, one line, before
    anything is read), not a skipped file: ``newsclean stats /nonexistent`` printed an empty table
    and exited 1 as for a damaged line. So is a part still being written (a temporary part named:
    read as a committed part, its last line torn)."""
    from newsclean.output.reader import is_temp_part

    for name in names:
        if name != "-" and not Path(name).exists():
            raise UsageError(f"{name}: no such file or directory")
        if name != "-" and is_temp_part(name):
            raise UsageError(f"{name}: {uncommitted_part(name)}")


def uncommitted_part(name: str) -> str:
    """What is said of a temporary part named as an input (``stats OUT/.../.part-X.jsonl.tmp``):
    its lines were read as a part's, the last one torn when a run was writing it."""
    from newsclean.crawler.state.lock import holder_pid
    from newsclean.output.reader import output_dir_around

    around = output_dir_around(name)
    pid = holder_pid(around[0]) if around is not None else None
    said = (f"a part a run (pid {pid}) is writing now, not yet committed" if pid
            else "a part a killed run left uncommitted (the next run removes it)")
    return (f"{said}: its last line may be torn; name "
            + (f"the output directory {around[0]}, whose committed parts are read" if around is not None
               else "committed parts (part-*.jsonl, without the leading dot and .tmp)"))


def check_not_output_folders(names: Sequence[str], read: Sequence[str]) -> None:
    """An input that is one of an output directory's folders other than ``read`` (those the command
    reads), or inside one (``stats OUT/manifests``, a manifest, the state's database): one line
    naming the output directory to give, exit 2. It was a folder of no JSONL, 104 lines of bad
    JSON, or 'no records read'."""
    from newsclean.output.reader import folder_of, output_dir_around

    for name in names:
        around = None if name == "-" else output_dir_around(name, [f for f in OUTPUT_DIRS if f not in read])
        if around is not None:
            held = "rejects, never exported" if around[1] == "rejects" else "no records"
            raise UsageError(f"{name}: {folder_of(*around, name)}, which holds {held}; name {around[0]}")


def written_now(name: str) -> str:
    """What is said of an input that gave no record when a run is writing it now (its first crawl
    has committed no part yet: it was 'not an output directory', or export's 'no records read'
    alone); '' else."""
    from newsclean.crawler.state.lock import holder_pid

    pid = None if name == "-" or not Path(name).is_dir() else holder_pid(name)
    return f"a run (pid {pid}) is writing it now and has committed no part yet" if pid else ""


def open_stdin(names: Sequence[str], what: str) -> None:
    """Before a command reads ``-`` among ``names``: standard input closed at the start (``<&-``)
    is one line (exit 2), not an AttributeError traceback; given twice, one line too (it is read
    once). A terminal is read as typed or pasted until Ctrl-D, as cat and jq read it, but first
    said on stderr: ``clean -`` or ``--urls -`` typed by hand waited without a word. Under cron
    (stdin /dev/null or a pipe) nothing is said."""
    if "-" not in names:
        return
    if list(names).count("-") > 1:
        raise UsageError("- (standard input) can be read once")
    stdin = sys.stdin
    if stdin is None or stdin.closed:
        raise UsageError("-: standard input is closed; give a file, or pipe the input in")
    try:
        terminal = stdin.isatty()
    except (OSError, ValueError):
        terminal = False
    if terminal:
        print(f"newsclean: reading {what} from standard input (a terminal): type or paste them, then Ctrl-D"
              " on a line of its own (Ctrl-C gives up)", file=sys.stderr, flush=True)


#: The directories a run writes under its output directory (output's part files and manifests,
#: crawler.state's store, crawler.components.warc's archive; output.reader.OUTPUT_FOLDERS are the
#: first three). A run refuses an output directory where one of them is a file, an --out inside one
#: of them, and stats and export an input there that holds no records.
OUTPUT_DIRS = ("articles", "rejects", "manifests", "state", "warc")


def check_line_model() -> None:
    """The cleaners' line scorer model (on by default), read in this process before anything starts:
    a missing, corrupt or other-version file is one line, exit 2, where every page cleaned in the
    workers (whose warm-up is silent) would else have been rejected as an error, one by one."""
    from newsclean.cleaners.learned.linescore import ModelError, shipped_model

    try:
        shipped_model()
    except ModelError as exc:
        raise UsageError(str(exc)) from None


#: Entries any folder may hold that say nothing of whose it is: a file system's lost+found (an
#: output directory that is a disk of its own), a placeholder of git, a file manager's notes.
_NEUTRAL_ENTRIES = frozenset({"lost+found", ".gitkeep", ".keep", ".DS_Store", "Thumbs.db", "desktop.ini"})


def foreign_entries(out: Path) -> list[str]:
    """The entries of ``out`` that show it is someone else's folder (a home, a project), hidden
    ones last: none when it does not exist, holds nothing but what newsclean writes there, or is
    an earlier run's output (the run lock every documented version leaves, or its manifests or
    part files: a user's own notes or exports beside them are theirs to keep there)."""
    from newsclean.crawler.state.lock import LOCK_NAME

    try:
        names = sorted((entry.name for entry in out.iterdir()), key=lambda name: (name.startswith("."), name))
    except OSError:   # none yet, a file, unreadable: lock_output says what is wrong
        return []
    others = [name for name in names if name not in OUTPUT_DIRS and name not in _NEUTRAL_ENTRIES]
    if not others or LOCK_NAME in names:
        return []
    runs = (any((out / "manifests").glob("*.json"))
            or any(any((out / kind).glob("site=*")) for kind in ("articles", "rejects")))
    return [] if runs else others


def _undecoded(name: str) -> bool:
    """Whether ``name`` holds bytes that were no UTF-8 (Python keeps them as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def lock_output(out: Path, named: str) -> Any:
    """The output directory made and its run lock taken (a RunLock; LockedError: another run holds
    it, exit 3). ``named``: how the user gave it, for the one line when it cannot be written.
    A folder that is neither empty nor newsclean's is refused before anything is written there:
    ``--out ~`` or a project folder filled with articles/, rejects/, manifests/, state/ and a lock
    beside the user's own files."""
    from newsclean.crawler.state.lock import RunLock
    from newsclean.output.reader import folder_of, output_dir_around

    if out.is_symlink() and not out.exists():   # was "cannot write there: File exists"
        raise UsageError(f"{named} {dangling(out)}")
    if _undecoded(str(out.absolute())):
        # bytes that are no UTF-8 in its name (a folder copied from an old Latin-1 disk): the crawl ran,
        # then its manifest, which names OUT's files in JSON, was a traceback, and none was written
        shown = os.fsencode(out if _undecoded(str(out)) else out.absolute()).decode("utf-8", "backslashreplace")
        raise UsageError(f"{named} {shown}: a path whose name is not UTF-8 text, which the run's manifest (JSON) "
                         "cannot name; rename it, or name another folder")
    around = output_dir_around(out, OUTPUT_DIRS)
    if around is not None:   # a corpus inside a corpus: its parts read twice under articles/, or refused as foreign
        raise UsageError(f"{named} {out}: {folder_of(*around, out)}; --out {around[0]} goes on with that corpus")
    foreign = foreign_entries(out) if out.is_dir() else []
    if foreign:
        shown = ", ".join(foreign[:4]) + (f" and {len(foreign) - 4} more" if len(foreign) > 4 else "")
        raise UsageError(f"{named} {out}: not empty and not a newsclean output directory (it holds {shown}); "
                         "name a new or empty directory, or an earlier run's")
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = RunLock(out).acquire()
    except OSError as exc:   # a file, a read-only place, no permission: before anything starts
        problem = "a file, not a directory" if out.is_file() else f"cannot write there: {exc.strerror or exc}"
        raise UsageError(f"{named} {out}: {problem}") from None
    taken = [sub for sub in OUTPUT_DIRS if (out / sub).exists() and not (out / sub).is_dir()]
    if taken:   # a manifest's room was a traceback there, a part file 'output failed' mid-run
        lock.release()
        raise UsageError(f"{named} {out}: {taken[0]} is a file, not a directory (not an output directory?)")
    # an earlier run's folder this run cannot write in (mounted read-only, another user's after a run
    # as root): manifests/ was a traceback at the start, articles/ 'output failed' once every page
    # was fetched; the state's is said by check_state
    shut = [sub for sub in OUTPUT_DIRS if sub != "state" and (out / sub).is_dir() and not os.access(out / sub, os.W_OK)]
    if shut:
        lock.release()
        why = "read-only file system" if os.statvfs(out / shut[0]).f_flag & os.ST_RDONLY else "permission denied"
        raise UsageError(f"{named} {out / shut[0]}: cannot write there: {why}")
    return lock


def check_run_id_unused(overrides: dict[str, Any], out: Path, state: Path | None = None) -> None:
    """A run id given with ``-s`` that an earlier run of ``out`` had (a fixed one in a cron line,
    ``NEWSCLEAN_RUN_ID=$(date +%F)`` hourly) is refused: the second run's manifest replaced the
    first's, and a killed run's staged parts under that id were taken for the new run's own.
    ``state``: the run's local state directory, whose article store knows the ids of the runs that
    scheduled articles, killed ones too (before their first part: rerun under the same id, they fetched
    none of the articles it had scheduled). Read by name and by the store's index, never by listing
    the parts."""
    run_id = overrides.get("NEWSCLEAN_RUN_ID")
    if not isinstance(run_id, str) or not run_id:
        return
    # Its manifest, its articles in the store (by an index), what a killed run left of its own (its
    # reserve, which the next run marks .killed): read by name. Every part of OUT was walked for the
    # id's name on each run given an id, which each newsclean.crawl() call is.
    manifest = out / "manifests" / f"{run_id}.json"
    if manifest.exists():
        raise UsageError(f"-s NEWSCLEAN_RUN_ID={run_id}: an earlier run of {out} had this id ({manifest}); "
                         "a run id names one run: give a new one, or leave it out")
    scheduled = ""
    if state is not None:
        from newsclean.crawler.state.store import scheduled_under
        from newsclean.output.stats import counted

        store = state / "articles.sqlite3"
        if n := scheduled_under(store, run_id):
            scheduled = f"{store} holds {counted(n, 'article')} it scheduled"
    killed = next((mark for end in KILLED_RUN_MARKS if (mark := out / "manifests" / f".{run_id}{end}").exists()), None)
    if killed is None and _killed_run(out / "manifests") == run_id:   # not yet marked by a run after it
        killed = out / "manifests" / RESERVE
    if killed is not None:   # its room for a manifest left: it never came to write one
        raise UsageError(f"-s NEWSCLEAN_RUN_ID={run_id}: an earlier run of {out} had this id and was stopped "
                         f"before its end ({killed}{'; ' + scheduled if scheduled else ''}); a run id names one run: "
                         "give a new one, or leave it out, and that run fetches what it left")
    if scheduled:   # finished or not: a manifest removed by hand, or kept on another disk, is no sign of either
        raise UsageError(f"-s NEWSCLEAN_RUN_ID={run_id}: an earlier run of {out} had this id ({scheduled}; "
                         f"no manifest of it in {out / 'manifests'}); a run id names one run: give a new one, "
                         "or leave it out")


def lock_state(settings: Any, out: Path | None) -> Any:
    """The run lock of ``NEWSCLEAN_STATE_DIR`` when it is not the output directory's own state
    (held by the output's lock): None else. Two runs into two outputs over one state directory at
    once both fetched and wrote every article (neither store knew of the other's yet) and the last
    to save a site's templates dropped what the other had learned. LockedError: exit 3."""
    from newsclean.crawler.state import state_dir
    from newsclean.crawler.state.lock import RunLock

    state = state_dir(settings)
    if state is None or out is not None and state.resolve() == (out / "state").resolve():
        return None
    try:
        return RunLock(state).acquire()
    except OSError as exc:
        problem = "a file, not a directory" if state.is_file() else f"cannot write there: {exc.strerror or exc}"
        raise UsageError(f"NEWSCLEAN_STATE_DIR {state}: {problem}") from None


def check_output_setting(overrides: dict[str, Any], out: Path) -> None:
    """``-s NEWSCLEAN_OUTPUT_DIR`` (plain scrapy's way) to a newsclean command: refused, where
    --out (its default too) won without a word."""
    if "NEWSCLEAN_OUTPUT_DIR" in overrides:
        raise UsageError(f"-s NEWSCLEAN_OUTPUT_DIR={overrides['NEWSCLEAN_OUTPUT_DIR']}: give the output "
                         f"directory with --out (this run would have written to {out})")


@dataclass(frozen=True)
class Checked:
    """What :func:`crawl_checked` found: the sites, and whether the run starts a new corpus
    (:mod:`.new_corpus`; asked of the store once a run, here, and counted in the manifest)."""

    registry: dict[str, Any]
    new_corpus: bool
    #: The line a new corpus is said by at the start ('' when the log level keeps it for the summary).
    new_corpus_said: str = ""


@contextlib.contextmanager
def crawl_checked(out: Path, overrides: dict[str, Any],
                  registry: dict[str, Any] | None = None, *, say_new: bool = True) -> Iterator[Checked]:
    """What a crawl into ``out`` needs, checked before anything starts (a demo server, a crawl):
    the site files, the ``-s`` settings, the output directory (its lock held until the end) and its state.
    Yields the registry (``registry``, else loaded here) and whether the run starts a new corpus.
    ``say_new``: a crawl starting a new corpus says so first (:mod:`.new_corpus`); else the caller
    says :attr:`Checked.new_corpus_said` when its crawl starts."""
    from newsclean.crawler.sites import load_registry

    if registry is None:
        registry = load_registry()  # a bad site file fails here, as one line, not inside Scrapy
    check_output_setting(overrides, out)
    check_overrides(overrides)   # refused here as one line, not as a traceback from inside Scrapy
    check_line_model()
    lock = lock_output(out, "--out")
    state_lock = None
    try:
        from newsclean.crawler.state import check_state, state_dir
        from newsclean.crawler.state.redis_state import redis_url

        settings = _project_settings({**overrides, "NEWSCLEAN_OUTPUT_DIR": str(out)})
        check_run_id_unused(overrides, out, None if redis_url(settings) else state_dir(settings))
        state_lock = lock_state(settings, out)
        # StateError: one line, exit 2 (a demo server had started and said so before it)
        check_state(settings)
        from newsclean.crawler.commands.new_corpus import DEFAULT_OUT, new_corpus_line, said_at_start, starts_new_corpus

        new_corpus = starts_new_corpus(settings)   # the store asked once a run: _run_locked counts it from here
        said = new_corpus_line(settings, out, DEFAULT_OUT) if new_corpus and said_at_start(settings) else ""
        if say_new and said:
            print(said, file=sys.stderr, flush=True)
        yield Checked(registry, new_corpus, said)
    finally:
        if state_lock is not None:
            state_lock.release()
        lock.release()


def run_crawl(jobs: list[tuple[Any, dict[str, Any]]], out: Path, overrides: dict[str, Any],
              *, quiet: bool = False, registry: dict[str, Any] | None = None, checked: Checked | None = None,
              proxies: dict[str, str] | None = None) -> tuple[int, Any]:
    """Crawl ``jobs`` (spider name or class, spider kwargs) into ``out``; write one manifest.

    ``registry``: the sites the command loaded (else loaded here), handed on to the crawl.
    ``checked``: what :func:`crawl_checked` for ``out``, which the caller holds, found.
    ``proxies``: a proxy URL by host (the demo server's, see :func:`serving_demo`).
    Returns the exit code and the manifest.
    """
    if checked is not None:
        return _run_locked(jobs, out, overrides, quiet=quiet, checked=checked, proxies=proxies)
    with crawl_checked(out, overrides, registry) as found:
        return _run_locked(jobs, out, overrides, quiet=quiet, checked=found, proxies=proxies)


def _run_locked(jobs: list[tuple[Any, dict[str, Any]]], out: Path, overrides: dict[str, Any],
                *, quiet: bool, checked: Checked, proxies: dict[str, str] | None = None) -> tuple[int, Any]:
    from scrapy.crawler import CrawlerProcess

    from newsclean.crawler.components.extensions import build_manifest, stop_for_disk_full
    from newsclean.crawler.components.health import disk_full_error
    from newsclean.crawler.workers.pool import pools_kept_open
    from newsclean.crawler.commands.sitequeue import SiteRunner, concurrent_sites
    from newsclean.crawler.commands.new_corpus import NEW_CORPUS_KEY
    from newsclean.output import OutputError, cleanup_orphans, new_run_id
    from newsclean.output.sqlite import is_disk_full
    from newsclean.crawler.sites import hand_on

    run_id = overrides.get("NEWSCLEAN_RUN_ID") or new_run_id()
    registry = checked.registry
    from newsclean.crawler.components.middlewares import HOST_PROXIES_KEY

    settings = _project_settings({**overrides, "NEWSCLEAN_OUTPUT_DIR": str(out), "NEWSCLEAN_RUN_ID": run_id,
                                  "NEWSCLEAN_WRITE_MANIFEST": False, **hand_on(registry),
                                  HOST_PROXIES_KEY: dict(proxies or {})})
    if quiet and "LOG_LEVEL" not in overrides:
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    removed = cleanup_orphans(out)
    reserve = _reserve_manifest_space(out, run_id)
    started = datetime.now(timezone.utc)
    process = CrawlerProcess(settings)
    full: list[str] = []   # a crawl that could not even start for a full disk (store, dedup index)

    def no_space(failure: Any, crawler: Any) -> Any:
        if not stop_for_disk_full(crawler, failure.value):
            return failure
        full.append(str(crawler.stats.get_value("newsclean/output/error")))
        return None

    sites = SiteRunner(process, jobs, concurrent_sites(settings), no_space)
    with pools_kept_open():   # the cleaning workers stay warm from one site to the next
        sites.start()
        process.start()
    per_site = sites.per_site()
    if removed:   # once for the run, not once per site (the manifest adds the sites' counts up)
        next(iter(per_site.values()), {})["newsclean/output/orphans_removed"] = removed
    if checked.new_corpus:   # said at the start too (crawl_checked): a moved or mistyped --out fetches everything again
        next(iter(per_site.values()), {})[NEW_CORPUS_KEY] = 1
    manifest = build_manifest(run_id, started, per_site, settings.copy_to_dict())
    # Workers of one --redis crawl share its id (their stores say it); a run alone is its own crawl.
    manifest.crawl_id = next((cid for cid in sites.crawl_ids if isinstance(cid, str) and cid), run_id)
    if reserve is not None:
        reserve.unlink(missing_ok=True)   # a full disk still has room for the manifest
    try:
        manifest.write(out)
    except OutputError as exc:
        if not is_disk_full(exc):
            raise
        # Said, not a traceback: the run's line names the full disk and that no manifest is left.
        manifest.reason = f"{manifest.reason}; no manifest written (no space left)"
        if manifest.status != "failed":
            manifest.status, manifest.exit_code = "failed", EXIT_DEGRADED
            manifest.reason = f"{disk_full_error(out)}; no manifest written"
    return manifest.exit_code, manifest


#: Bytes held at the start of a run for its manifest, given back just before it is written.
MANIFEST_RESERVE = 256 * 1024
#: What a run killed before its manifest leaves in ``manifests/``: its reserve (:data:`RESERVE`,
#: naming it), which the next run empties and renames ``.RUN.killed``: its id stays taken
#: (check_run_id_unused), as a manifest keeps a finished run's. One empty file a killed run, for the
#: output's life, as the manifests are one a run: an id names one run. (A reserve of a version before
#: 2026-12-07 is ``.RUN.reserve``, read by name as a mark, and marked ``.RUN.killed`` once, see
#: :func:`_give_back_old_reserves`.)
KILLED_RUN_MARKS = (".reserve", ".killed")
#: The running run's reserve, one name for every run (one at a time holds the output's lock): found by
#: its name, where every run's start listed ``manifests/`` for ``.*.reserve`` (40 ms at 20,000 manifests).
RESERVE = ".reserve"
#: In ``manifests/`` once the reserves of versions before 2026-12-07 were looked for there and given
#: back (:func:`_give_back_old_reserves`): looked for once an output, not at every run's start.
OLD_RESERVES_LISTED = ".reserves-listed"


def _give_back_old_reserves(manifests: Path) -> None:
    """The reserves that runs of a version before 2026-12-07 left when killed (``.RUN.reserve``, 256 KiB
    each, naming their run) emptied and renamed ``.RUN.killed``, as a later run of those versions did:
    no run of this version gave them back, and a corpus an older version wrote kept them for ever.
    Called with the output's lock held, which every version takes: no run they name is live. Looked
    for once an output (:data:`OLD_RESERVES_LISTED`): a run of this version upgrades the output's state,
    which an older version then refuses, so none is written after it."""
    if not manifests.is_dir() or (manifests / OLD_RESERVES_LISTED).exists():
        return   # no manifests/ yet: none to give back (a run's reserve makes the folder)
    for old in manifests.glob(f".*{KILLED_RUN_MARKS[0]}"):   # not RESERVE itself, the running one's name
        with contextlib.suppress(OSError):   # left as it was: read as a mark all the same
            os.truncate(old, 0)
            old.rename(old.with_suffix(KILLED_RUN_MARKS[1]))
    with contextlib.suppress(OSError):   # looked for again next time
        (manifests / OLD_RESERVES_LISTED).touch()


def _killed_run(manifests: Path) -> str | None:
    """The id of the run whose reserve is in ``manifests`` (its first line): a killed run's while
    the lock is held; None when there is none (or it names no run id)."""
    try:
        with open(manifests / RESERVE, "rb") as fh:
            first = fh.read(256).partition(b"\n")[0].decode("ascii", "replace")
    except OSError:
        return None
    return first if _RUN_ID.fullmatch(first) else None


def _reserve_manifest_space(out: Path, run_id: str) -> Path | None:
    """A placeholder file taking the manifest's room, so that a run that fills the disk can
    still say what it did; None when even that does not fit (the run's last line says so)."""
    path = out / "manifests" / RESERVE
    _give_back_old_reserves(path.parent)
    killed = _killed_run(path.parent)
    if path.exists():   # a killed run's (the lock is held): its room given back, its id kept taken
        try:
            os.truncate(path, 0)
            if killed is not None:
                path.rename(path.parent / f".{killed}{KILLED_RUN_MARKS[1]}")
        except OSError:
            pass
        path.unlink(missing_ok=True)   # one naming no run, or not renamed
    whole = path.with_name(f"{RESERVE}.tmp")   # in place with its run's id only: a kill meets no nameless reserve
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(whole, "wb") as fh:
            named = f"{run_id}\n".encode()
            fh.write(named + b"\0" * (MANIFEST_RESERVE - len(named)))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(whole, path)
    except OSError:
        whole.unlink(missing_ok=True)
        return None
    return path


def _summary(manifest: Any, out: Path, seconds: float, overrides: dict[str, Any] | None = None) -> str:
    """The run's summary; ``overrides``: a crawl's -s and log settings, a new corpus said here when
    the log level (-q) kept crawl_checked's line at the start from being said (a demo passes none)."""
    from newsclean.crawler.commands.new_corpus import NEW_CORPUS_KEY, said_at_start
    from newsclean.crawler.components.health import TOO_OLD_STAT, robots_said

    c = manifest.counts
    # too_old rejects are no failure of a site (the manifest's dropped leaves them out), but they are
    # in rejects/: '0 written, 0 rejected' after fetching 17 pages older than --since said nothing of them
    dropped = {**manifest.dropped, **({"too_old": c[TOO_OLD_STAT]} if c.get(TOO_OLD_STAT) else {})}
    lines = [
        f"run {manifest.run_id}: {manifest.status} - {manifest.reason}",
        f"  articles written: {c.get('newsclean/output/records_written', c.get('newsclean/clean/articles', 0))}",
        f"  pages rejected:   {sum(dropped.values())}"
        + (" (" + ", ".join(f"{k}: {v}" for k, v in sorted(dropped.items())) + ")" if dropped else ""),
        f"  fetch failures:   {sum(v for k, v in c.items() if k.startswith('newsclean/fetch/failed/'))}",
        f"  output:           {_written_to(c, out)}{out}/manifests/{manifest.run_id}.json",
        f"  time:             {seconds:.1f}s",
    ]
    if robots := robots_said(c):   # hosts disallowed, cut or opened to all this run
        lines.insert(4, f"  robots.txt:       {robots} this run")
    if overrides is not None and c.get(NEW_CORPUS_KEY) and not said_at_start(_project_settings(overrides)):
        lines.insert(-2, "  new corpus:       its state knew no article at the start: everything found was fetched")
    return "\n".join(lines)


def _written_to(counts: dict[str, int], out: Path) -> str:
    """The part folders a run wrote in, as the summary names them: ``OUT/rejects/`` was named
    after a run that rejected nothing (the demo's), a folder not there to look in."""
    wrote = {"articles/ (records)": counts.get("newsclean/output/records_written", 0),
             "rejects/": counts.get("newsclean/output/rejects_written", 0)}
    return "".join(f"{out}/{folder}, " for folder, n in wrote.items() if n)


# -- commands --------------------------------------------------------------------------------

@contextlib.contextmanager
def serving_demo(port: int = 0) -> Iterator[tuple[str, dict[str, str]]]:
    """The bundled demo site served on 127.0.0.1 (``port``; 0: a free one) for the time of a
    crawl, by its fixed origin ``DEMO_ORIGIN`` through the server as a proxy for that host alone.
    Yields the server's address and the crawl's proxies. The records' URLs and ids, and so the
    article store's keys, do not depend on the port: a second demo crawl into the same output
    finds its articles already written (``crawl demo`` wrote the 27 again under new ids)."""
    from newsclean.crawler.commands.demo import DemoServer

    try:
        demo = DemoServer(port=port, public_url=DEMO_ORIGIN)
    except OSError as exc:   # the port is taken, or not ours to bind
        raise UsageError(f"--port {port}: cannot serve the demo there: {exc.strerror or exc}") from None
    with demo as server:
        yield server.address, {str(urlsplit(DEMO_ORIGIN).hostname): server.address}


def cmd_demo(args: argparse.Namespace) -> int:
    out = Path(args.out)
    t0 = time.monotonic()
    # A local server needs no throttling: the demo runs at full speed unless told otherwise.
    overrides = {"AUTOTHROTTLE_ENABLED": False, **_log_settings(args), **settings_overrides(args.set)}
    # --out and -s refused before the server starts (it said it was serving, then refused --out)
    with contextlib.ExitStack() as stack:
        checked = stack.enter_context(crawl_checked(out, overrides, say_new=False))   # a tour: a new one each time
        address, proxies = stack.enter_context(serving_demo(args.port))
        if not args.quiet:
            print(f"serving the demo site {DEMO_ORIGIN}/ at {address} and crawling it ...", flush=True)
        code, manifest = run_crawl([("demo", {"base_url": DEMO_ORIGIN + "/"})], out, overrides,
                                   checked=checked, proxies=proxies)
    print(_summary(manifest, out, time.monotonic() - t0))
    if code:   # as crawl says it (the README's exit codes: one line on stderr says why)
        print(f"newsclean: {manifest.status}: {manifest.reason}", file=sys.stderr)
    return code


def _unknown_site(name: str, registry: dict[str, Any]) -> str:
    from newsclean.crawler.sites import unknown_name

    return unknown_name(name, registry)


def _filters(args: argparse.Namespace) -> str:
    return "".join(f" --{k} {getattr(args, k)}" for k in ("country", "language") if getattr(args, k))


def no_site_matches(args: argparse.Namespace, registry: dict[str, Any]) -> UsageError:
    """The one line for --country/--language that choose no catalog site, naming the codes the
    catalog has (those left by the other filter, when it leaves any): `sites --country xx` listed
    nothing and exited 0 where `crawl --country xx` exited 2, and neither said which codes exist."""
    catalog = [site for site in registry.values() if site.catalog]
    known = []
    if args.country:
        codes = {s.country for s in catalog if s.country and s.matches(None, args.language)}
        known.append(f"countries publishing in {args.language}: {', '.join(sorted(codes))}" if codes and args.language else
                     f"countries: {', '.join(sorted({s.country for s in catalog if s.country}))}")
    if args.language:
        codes = {code for s in catalog if s.matches(args.country, None) for code in s.languages}
        known.append(f"languages of {args.country}: {', '.join(sorted(codes))}" if codes and args.country else
                     f"languages: {', '.join(sorted({c for s in catalog for c in s.languages}))}")
    return UsageError(f"no catalog site matches{_filters(args)} (the catalog's {'; '.join(known)})")


def chosen_sites(args: argparse.Namespace, registry: dict[str, Any]) -> list[str]:
    """Site names a crawl runs: those named, or the catalog's chosen by --all/--country/--language."""
    from newsclean.crawler.sites import select_sites

    names = list(dict.fromkeys(args.sites))   # a site named twice is crawled once
    if args.all or args.country or args.language:
        if names:
            raise UsageError("name sites, or choose them with --all/--country/--language, not both")
        names = [s.name for s in select_sites(registry, args.country, args.language)]
        if not names:
            raise no_site_matches(args, registry)
    return names


def read_url_list(path: str) -> list[str]:
    """The article URLs of ``--urls FILE`` (``-``: stdin): one a line, blank lines and
    ``#`` comments skipped, each once. A line that is not an http(s) URL, or has a space
    inside: UsageError."""
    from newsclean.crawler.sites import check_url, is_http_url, port_hint, sent_without_credentials
    from newsclean.output.redact import cut_userinfo

    try:
        # utf-8-sig: a list saved by a Windows editor starts with a byte order mark, and its first
        # URL was refused as "not an http(s) URL: '\ufeffhttps://...'"
        if path == "-":
            open_stdin([path], "article URLs, one a line,")
        text = (sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")).removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror.lower() if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"--urls {path}: {why}") from None   # not "[Errno 2] No such file ...: 'x'"
    urls = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        ok = is_http_url(line)
        if cut_userinfo(line) or (ok and sent_without_credentials(line)):
            check_url(line, f"--urls {path}:{lineno}")   # its password hidden in the one line
        if not ok:
            raise UsageError(f"--urls {path}:{lineno}: not an http(s) URL: {line[:200]!r}{port_hint(line)}")
        if any(c.isspace() for c in line):
            # fetched as one URL with a %20: a pasted line of two URLs, or a URL and a note
            raise UsageError(f"--urls {path}:{lineno}: a space inside the URL: {line[:200]!r}; "
                             "one URL a line (a note on a line of its own after '#'; a space in a URL is %20)")
        urls.append(line)
    if not urls:
        raise UsageError(f"--urls {path}: no URL in it")
    return list(dict.fromkeys(urls))


def _urls_by_site(urls: list[str], registry: dict[str, Any]) -> dict[str | None, list[str]]:
    """``--urls`` grouped by the registered site that claims each one (None: no site does)."""
    from newsclean.crawler.sites import site_for_url

    groups: dict[str | None, list[str]] = {}
    for url in urls:
        owner = site_for_url(url, registry)
        groups.setdefault(owner.name if owner else None, []).append(url)
    return groups


def cmd_crawl(args: argparse.Namespace) -> int:
    from newsclean.crawler.sites import adhoc_site, load_registry
    from newsclean.crawler.spiders.news import NewsSpider, parse_since

    registry = load_registry()
    if args.since:
        try:
            parse_since(args.since)
        except ValueError as exc:
            raise UsageError(f"--since: {exc}") from None
    names = chosen_sites(args, registry)
    if not names and not args.url and not args.urls:
        raise UsageError("name a site, --all, --country/--language, --url URL or --urls FILE (see `newsclean sites`)")
    article_urls = read_url_list(args.urls) if args.urls else []
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise UsageError(_unknown_site(unknown[0], registry))
    idle = [registry[n] for n in names if not any(registry[n].start_urls().values())]
    if idle:   # it crawled nothing and said 'ok' (its articles can still be fetched with --urls)
        raise UsageError(f"site {idle[0].name} ({idle[0].source}) has nothing to start a crawl from: its [discovery] "
                         "reads no robots.txt (robots = false) and lists no sitemaps, news_sitemaps, feeds or "
                         "sections (docs/sites.md); --urls FILE fetches its articles by URL")
    if args.redis:
        from newsclean.crawler.state.redis_state import URL_ENV, connect

        os.environ[URL_ENV] = _redis_url(args.redis)   # not a setting: Scrapy would log it
        connect(args.redis)                # RedisUnavailable -> one line, exit 1
    kwargs = {"since": args.since, "max_articles": args.max_articles}
    jobs: list[tuple[Any, dict[str, Any]]] = [(n, dict(kwargs)) for n in names]
    if args.url:
        jobs.append((NewsSpider, {**kwargs, "site": adhoc_site(args.url)}))
    for owner, listed in _urls_by_site(article_urls, registry).items():
        # its own spider name: the manifest keeps one entry per spider; a registered site's URLs
        # are cleaned with its rules and filed under its name, like its crawled articles
        site = {"site": registry[owner]} if owner else {}
        jobs.append((NewsSpider, {**kwargs, **site, "article_urls": listed,
                                  "name": f"{owner}-urls" if owner else "urls"}))
    out = Path(args.out)
    t0 = time.monotonic()
    overrides = {**_log_settings(args), **settings_overrides(args.set)}
    if args.warc:
        overrides["NEWSCLEAN_WARC_ENABLED"] = True
    if "demo" in names and len(jobs) == 1:   # a local server needs no throttling; real sites in the same run do
        overrides = {"AUTOTHROTTLE_ENABLED": False, **overrides}
    proxies: dict[str, str] = {}
    with contextlib.ExitStack() as serving:
        checked = serving.enter_context(crawl_checked(out, overrides, registry))   # before a demo server starts
        if "demo" in names:   # the bundled sample site: served here, as `newsclean demo` does
            _, proxies = serving.enter_context(serving_demo())
            jobs[names.index("demo")][1]["base_url"] = DEMO_ORIGIN + "/"
        code, manifest = run_crawl(jobs, out, overrides, checked=checked, proxies=proxies)
    print(_summary(manifest, out, time.monotonic() - t0, overrides))
    if code:
        print(f"newsclean: {manifest.status}: {manifest.reason}", file=sys.stderr)
    return code


def _ccnews_domains(args: argparse.Namespace, registry: dict[str, Any]) -> list[str]:
    """--domain, plus the domains of the --site sites and of the catalog's sites chosen by
    --country/--language; [] (none of them given) = every domain."""
    from newsclean.crawler.sites import select_sites

    domains = [d.strip().lower().strip(".") for d in args.domain if d.strip()]
    for name in args.site:
        if name not in registry:
            raise UsageError(_unknown_site(name, registry))
        domains += registry[name].domains
    if args.country or args.language:
        sites = select_sites(registry, args.country, args.language)
        if not sites:
            raise no_site_matches(args, registry)
        domains += [d for s in sites for d in s.domains]
    return sorted(set(domains))


def cmd_ccnews(args: argparse.Namespace) -> int:
    from newsclean.crawler import settings as project
    from newsclean.crawler.commands.ccnews import CCNewsSpider, SourceError, base_url, fetcher_from, list_files, parse_day
    from newsclean.crawler.sites import load_registry
    from newsclean.output.stats import counted

    try:
        first, last = parse_day(args.date_from), parse_day(args.date_to or args.date_from)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    registry = load_registry()
    domains = _ccnews_domains(args, registry)
    overrides: dict[str, Any] = settings_overrides(args.set)
    check_output_setting(overrides, Path(args.out))
    if args.redis:   # said as --redis, and in the environment's place before that is checked
        from newsclean.crawler.state.redis_state import URL_ENV

        os.environ[URL_ENV] = _redis_url(args.redis)   # not a setting: Scrapy would log it
    check_overrides(overrides)   # before the listing, which reads with them (run_crawl checks again)
    if args.redis:
        from newsclean.crawler.state.redis_state import connect

        connect(args.redis)                # RedisUnavailable -> one line, exit 1
        # Its own key space: a crawl's workers would take a CC-NEWS page left in flight for a
        # request of theirs and fetch it from the web.
        overrides.setdefault("NEWSCLEAN_REDIS_NAMESPACE", "newsclean-ccnews")
    # Nothing is fetched through Scrapy: no shared request queue, no request coordinator
    # (files are shared by the ledger of crawler/commands/ccnews.py).
    overrides.update({"SCHEDULER": "scrapy.core.scheduler.Scheduler",
                      "DUPEFILTER_CLASS": "scrapy.dupefilters.RFPDupeFilter",
                      "EXTENSIONS": {**project.EXTENSIONS, "newsclean.crawler.state.redis_state.Coordinator": None}})
    settings = _project_settings(overrides)
    fetcher = fetcher_from(settings, on_retry=lambda msg: print(f"newsclean: {msg}", file=sys.stderr))
    try:
        base = base_url(settings)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    out = Path(args.out)
    t0 = time.monotonic()
    # --out checked and locked before the listing: another run holding it (exit 3), a folder of someone
    # else's, was said only after the listing's fetches and their retries, minutes later
    with crawl_checked(out, overrides, registry, say_new=False) as checked:
        try:
            files = list_files(base, first, last, fetcher)
        except SourceError as exc:
            print(f"newsclean: failed: {exc}", file=sys.stderr)
            return EXIT_DEGRADED
        if checked.new_corpus_said:   # once there is a crawl to start (a listing that failed is one line)
            print(checked.new_corpus_said, file=sys.stderr, flush=True)
        print(f"CC-NEWS {first} .. {last}: {counted(len(files), 'WARC file')} at {base}"
              + (f"; keeping {counted(len(domains), 'domain')}" if domains else "; keeping every domain"), flush=True)
        code, manifest = run_crawl([(CCNewsSpider, {"files": files, "domains": domains, "allow_skips": args.allow_skips})],
                                   out, overrides, checked=checked)
    c = manifest.counts
    print(_summary(manifest, out, time.monotonic() - t0, overrides))
    print(f"  CC-NEWS files:    {c.get('newsclean/ccnews/files_read', 0)} read this run,"
          f" {c.get('newsclean/ccnews/files_done_before', 0)} done before, {len(files)} listed;"
          f" records read {c.get('newsclean/ccnews/records_read', 0)}, kept {c.get('newsclean/ccnews/records_kept', 0)}"
          f", {counted(sum(v for k, v in c.items() if k.startswith('newsclean/ccnews/problems/')), 'problem')}")
    if code:
        print(f"newsclean: {manifest.status}: {manifest.reason}", file=sys.stderr)
    return code


def cmd_sites(args: argparse.Namespace) -> int:
    from newsclean.crawler.sites import load_registry, select_sites
    from newsclean.output.stats import counted

    registry = load_registry()
    unknown = [n for n in args.sites if n not in registry]
    if unknown:
        raise UsageError(_unknown_site(unknown[0], registry))
    if args.sites and (args.country or args.language):   # the filter was ignored, and said on the count's line
        raise UsageError(f"name sites, or choose them with --country/--language, not both ({args.sites[0]}{_filters(args)})")
    if args.sites:
        sites = [registry[n] for n in dict.fromkeys(args.sites)]   # a site named twice was listed and counted twice
    elif args.country or args.language or args.check:   # the catalog's (the demo has nothing to probe)
        sites = select_sites(registry, args.country, args.language)
        if not sites and (args.country or args.language):   # as crawl says it, exit 2
            raise no_site_matches(args, registry)
    else:   # everything registered, the demo included (marked: it is not in the catalog)
        sites = [registry[n] for n in sorted(registry)]
    if args.check:
        from newsclean.crawler.components.middlewares import user_agent
        from newsclean.crawler.commands.sites_check import check_command

        with contextlib.ExitStack() as serving:
            if any(s.name == "demo" for s in sites):   # the bundled site: served here, as a crawl of it is
                from newsclean.crawler.commands.demo import DemoServer

                base = serving.enter_context(DemoServer()).base_url + "/"   # (its file's port 8000 served nothing)
                sites = [s.rebased(base) if s.name == "demo" else s for s in sites]
            try:
                agent = user_agent(_project_settings({}))
            except ValueError as exc:   # NEWSCLEAN_CONTACT_URL from the environment
                raise UsageError(str(exc)) from None
            return check_command(sites, user_agent=agent, workers=args.workers,
                                 timeout=args.timeout, stale_days=args.stale_days)
    print(f"{'SITE':24} {'CC':3} {'LANG':8} {'DOMAIN':28} DESCRIPTION")
    for site in sites:
        desc = site.description + ("" if site.catalog else " (not in the catalog)")
        print(f"{site.name:24} {site.country or '-':3} {','.join(site.languages) or '-':8} "
              f"{site.domains[0]:28} {desc}")
    catalog = [s for s in sites if s.catalog]
    countries = len({s.country for s in catalog if s.country})   # a site of no country was counted as one
    print(f"{counted(len(catalog), 'catalog site')} from {counted(countries, 'country', 'countries')}{_filters(args)}")
    return EXIT_OK


def cmd_clean(args: argparse.Namespace) -> int:
    check_line_model()   # before anything is read (the cleaners read it at their first page)
    from newsclean.crawler.commands.clean import clean_command

    return clean_command(args)


def cmd_stats(args: argparse.Namespace) -> int:
    from newsclean.crawler.commands.stats import stats_command

    return stats_command(args)


def cmd_export(args: argparse.Namespace) -> int:
    from newsclean.crawler.commands.export import export_command

    return export_command(args)


def _read_manifest(name: str) -> dict[str, Any]:
    import orjson

    from newsclean.output.reader import run_manifests

    folder = Path(name)
    if folder.is_dir():   # `merge-manifests OUT/manifests` was 'cannot read: Is a directory'
        # not taken whole: a folder holds one worker's runs, of as many crawls; its newest is shown
        runs = sorted(p for p in folder.glob("*.json") if not p.name.startswith(".")) or run_manifests(folder)
        example = f" (such as {runs[-1]})" if runs else ""
        raise UsageError(f"{name}: a directory; name the manifest of each worker of one crawl, a file in "
                         f"each worker's manifests/ folder{example}")
    try:
        manifest = orjson.loads(Path(name).read_bytes())
    except OSError as exc:
        raise UsageError(f"{name}: cannot read: {exc.strerror or exc}") from None
    except orjson.JSONDecodeError as exc:
        raise UsageError(f"{name}: not a manifest: bad JSON ({exc})") from None
    if not isinstance(manifest, dict) or any(k not in manifest for k in _MANIFEST_FIELDS):
        raise UsageError(f"{name}: not a newsclean run manifest")
    for key, (fits, wanted) in _MANIFEST_FIELDS.items():
        if not fits(manifest[key]):   # a hand-edited file, or a run's cut short: a traceback in the merge
            shown = orjson.dumps(manifest[key]).decode()
            raise UsageError(f"{name}: not a newsclean run manifest: '{key}' is {shown[:60]}, not {wanted}")
    if not isinstance(manifest.get("crawl_id"), str | None):
        raise UsageError(f"{name}: not a newsclean run manifest: 'crawl_id' is not a crawl id")
    return manifest


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


#: A run manifest's fields that merge-manifests reads: a test of each value, and what it must be.
_MANIFEST_FIELDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "run_id": (lambda v: isinstance(v, str) and bool(v), "a run id"),
    "status": (lambda v: v in ("ok", "degraded", "interrupted", "failed"), "ok, degraded, interrupted or failed"),
    "exit_code": (_whole, "a whole number"),
    "reason": (lambda v: isinstance(v, str), "text"),
    "started_at": (lambda v: isinstance(v, str), "a time"),
    "finished_at": (lambda v: isinstance(v, str), "a time"),
    "sites": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "a list of site names"),
    "counts": (lambda v: isinstance(v, dict) and all(_whole(x) for x in v.values()), "a table of counts"),
    "dropped": (lambda v: isinstance(v, dict) and all(_whole(x) for x in v.values()), "a table of counts"),
    "files": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "a list of files"),
    "checks": (lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v), "a list of checks"),
}


def cmd_merge_manifests(args: argparse.Namespace) -> int:
    """One manifest for a crawl that several workers ran, from their own manifests."""
    from newsclean.output import write_json_atomic
    from newsclean.output.reader import is_one_of
    from newsclean.output.stats import counted

    to_stdout = args.output == "-"
    if not to_stdout:   # a directory or a file in the way was 'failed: cannot write', exit 1
        if Path(args.output).is_dir():
            raise UsageError(f"{args.output} is a directory: name the merged manifest's file")
        output_file_dir(args.output, create=True)
    manifests = [_read_manifest(f) for f in args.manifests]
    if not to_stdout and any(is_one_of(args.output, [f]) for f in args.manifests):
        raise UsageError(f"{args.output} is also an input: write the merged manifest to another file")
    runs = [m["run_id"] for m in manifests]
    if len(set(runs)) < len(runs):
        raise UsageError(f"run {next(r for r in runs if runs.count(r) > 1)} is given twice")
    crawls = {m.get("crawl_id") or "" for m in manifests}
    if len(crawls) > 1 or "" in crawls:
        named = ", ".join(f"{f}: {m.get('crawl_id') or 'none'}" for f, m in zip(args.manifests, manifests))
        raise UsageError(f"not the workers of one crawl (crawl ids {named}); merge the manifests of one --redis crawl")
    order = ["ok", "degraded", "interrupted", "failed"]
    worst = max(manifests, key=lambda m: order.index(m["status"]))
    counts: dict[str, int] = {}
    dropped: dict[str, int] = {}
    for m in manifests:
        for k, v in m["counts"].items():
            counts[k] = counts.get(k, 0) + v
        for k, v in m["dropped"].items():
            dropped[k] = dropped.get(k, 0) + v
    merged = {
        "run_id": "+".join(m["run_id"] for m in manifests), "crawl_id": manifests[0]["crawl_id"],
        "workers": [m["run_id"] for m in manifests],
        "started_at": min(m["started_at"] for m in manifests), "finished_at": max(m["finished_at"] for m in manifests),
        "status": worst["status"], "exit_code": worst["exit_code"], "reason": worst["reason"],
        "sites": sorted({s for m in manifests for s in m["sites"]}), "counts": counts, "dropped": dropped,
        "files": sorted(f for m in manifests for f in m["files"]),
        "checks": [dict(c, worker=m["run_id"]) for m in manifests for c in m["checks"]],
    }
    said = f"{counted(len(manifests), 'manifest')} merged -> {args.output}: {merged['status']}"
    if to_stdout:   # as every other command's '-' (it wrote a file named '-')
        import orjson

        sys.stdout.write(orjson.dumps(merged, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n")
        print(said, file=sys.stderr)
        return EXIT_OK
    write_json_atomic(args.output, merged)
    print(said)
    return EXIT_OK


def _whole_number(lowest: int, highest: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from ``lowest`` (to ``highest``), else argparse's one line."""
    def parse(text: str) -> int:
        n = int(text)   # ValueError: argparse says "invalid ... value"
        if n < lowest or highest is not None and n > highest:
            raise argparse.ArgumentTypeError(
                f"{text} is out of range: {lowest} or more" + (f", {highest} at most" if highest is not None else ""))
        return n
    parse.__name__ = "whole number"
    return parse


def _seconds(highest: float) -> Callable[[str], float]:
    """An argparse type: seconds, more than 0 and at most ``highest`` (else argparse's one line).
    `sites --check --timeout inf` (or 1e300) was an OverflowError traceback from the socket, and
    0, a negative or nan failed every source probed ('failed', exit 1), as if the sites were down."""
    def parse(text: str) -> float:
        n = float(text)   # ValueError: argparse says "invalid ... value"
        if not 0 < n <= highest:
            raise argparse.ArgumentTypeError(f"{text} is out of range: more than 0 seconds, {highest:g} at most")
        return n
    parse.__name__ = "seconds"
    return parse


def _redis_url(url: str) -> str:
    """--redis URL: one that redis-py reads (else a usage error, not 'cannot use Redis')."""
    _parsed_redis_url(url, f"--redis {url}")
    return url


def check_redis_url(overrides: dict[str, Any]) -> None:
    """``NEWSCLEAN_REDIS_URL`` given with ``-s`` or in the environment is checked as ``--redis``
    is: one redis-py cannot read is a usage error (exit 2), where it was 'failed: cannot use
    Redis' (exit 1, the answer for a Redis that is down). ``--redis`` itself is checked first."""
    from newsclean.crawler.state.redis_state import URL_ENV

    given = overrides.get(URL_ENV)
    url = given or os.environ.get(URL_ENV)
    if isinstance(url, str) and url:
        _parsed_redis_url(url, f"-s {URL_ENV}={url!r}" if given else f"the environment's {URL_ENV}={url!r}")


def _parsed_redis_url(url: str, named: str) -> None:
    if url.partition("://")[0].lower() not in ("redis", "rediss", "unix"):
        raise UsageError(f"{named}: not a Redis URL (redis://, rediss:// or unix://)")
    from newsclean.output.redact import cut_userinfo

    if cut_userinfo(url):
        userinfo = url.partition("://")[2].rpartition("@")[0]
        # 'redis://:pa#ss@host' ended the host at '#': redis-py's error quoted the password as a port
        # ("could not be cast to integer value as 'pa'"), or connected to a host named by its rest; the
        # whole user and password are hidden: the masking of URLs in messages stops at the '/' too
        raise UsageError(f"{named.replace(userinfo + '@', '***@')}: not a Redis URL: a '#', '?' or '/' in its user "
                         "or password ends the host there; write them percent-encoded (%23, %3F, %2F)")
    from redis.connection import parse_url

    try:
        parse_url(url)
    except ValueError as exc:   # a port out of range, a bad query option
        raise UsageError(f"{named}: not a Redis URL: {exc}") from None
    path = urlsplit(url).path
    if url.lower().startswith(("redis:", "rediss:")) and not unquote(path).replace("/", "").isdigit() \
            and path.strip("/"):   # redis-py passes over a database that is no number: '/O', '/db1' were db 0
        raise UsageError(f"{named}: not a Redis URL: the database after the host is a number (/0, /1 ...), "
                         f"got {path!r}")


class _Once(argparse._StoreAction):
    """An option of one value given twice with two values is refused: argparse kept the last
    without a word, so ``--out /srv/a ... --out /srv/b`` (a cron line edited by appending) crawled
    into b and ``clean -o a.jsonl ... -o b.jsonl`` wrote b alone. The same value twice passes."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        if option_string is None or self.nargs is not None:   # a positional, or a list: stored as is
            setattr(namespace, self.dest, values)
            return
        given = namespace.__dict__.setdefault("_given", {})
        if self.dest in given and given[self.dest] != values:
            parser.error(f"{option_string} given twice ({given[self.dest]} and {values}): give it once")
        given[self.dest] = values
        setattr(namespace, self.dest, values)


class _Parser(argparse.ArgumentParser):
    """argparse quotes bad arguments back ("unrecognized arguments: redis://:secret@..."):
    masked like every other message (subcommand parsers are of this class too). Its options of
    one value are :class:`_Once`: registered as the "store" action, which the argument groups
    share with their parser (a mutually exclusive group's add_argument is argparse's own, so
    ``-L INFO -L DEBUG`` ran at DEBUG without a word when only add_argument here chose it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("action", None, _Once)
        self.register("action", "store", _Once)

    def error(self, message: str) -> NoReturn:
        from newsclean.output.redact import mask_credentials

        super().error(mask_credentials(message))


def _code(text: str) -> str:
    """A --country/--language code with the spaces around it dropped, as a site file's are."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty code")
    return text.strip()


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="newsclean", description="Crawl news sites into clean JSONL corpora.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_filters(sp: argparse.ArgumentParser, what: str) -> None:
        sp.add_argument("--country", metavar="CC", type=_code, help=f"{what} of this country (ISO 3166-1 alpha-2, e.g. de, gb)")
        sp.add_argument("--language", metavar="LL", type=_code, help=f"{what} publishing in this language (ISO 639-1, e.g. en)")

    p.add_argument("--version", action="version", version=f"newsclean {_version()}")

    def add_logging(sp: argparse.ArgumentParser, default: str, verbose: str) -> None:
        g = sp.add_mutually_exclusive_group()
        g.add_argument("-L", "--loglevel", type=str.upper, choices=LOG_LEVELS, metavar="LEVEL",
                       help=f"log level, as in Scrapy: {', '.join(LOG_LEVELS)} (default: {default})")
        g.add_argument("-q", "--quiet", action="store_true", help="print only the summary (no log, no progress)")
        g.add_argument("-v", "--verbose", action="store_true", help=f"the whole log (-L {verbose})")
        sp.set_defaults(log_default=default, log_verbose=verbose)

    def add_settings(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy/newsclean setting (repeatable)")

    d = sub.add_parser("demo", help="serve the bundled demo site on 127.0.0.1 and crawl it")
    d.add_argument("--out", type=path_arg, default="demo-out", help="output directory (default: %(default)s)")
    d.add_argument("--port", type=_whole_number(0, 65535), default=0,
                   help="serve on this port (default: a free one; the records' URLs and ids do not depend on it)")
    add_logging(d, default="WARNING", verbose="INFO")
    add_settings(d)
    d.set_defaults(func=cmd_demo)

    c = sub.add_parser("crawl", help="crawl registered sites (or --url ad-hoc sites)")
    c.add_argument("sites", nargs="*", metavar="SITE")
    c.add_argument("--all", action="store_true", help="every site of the catalog (not the demo)")
    add_filters(c, "crawl the catalog's sites")
    c.add_argument("--url", action="append", default=[], metavar="URL",
                   help="an ad-hoc site: a root, sitemap, feed or section URL (repeatable)")
    c.add_argument("--urls", type=path_arg, metavar="FILE",
                   help="fetch and clean exactly the article URLs in FILE (one a line; - reads stdin), once each")
    c.add_argument("--out", type=path_arg, default="newsclean-out", help="output directory (default: %(default)s)")
    c.add_argument("--since", help="only articles dated within this window, e.g. 2d, 12h")
    c.add_argument("--max-articles", type=_whole_number(0), metavar="N",
                   help="stop scheduling articles after N per site (0: no bound, also over the site's own; default: the site's own)")
    c.add_argument("--warc", action="store_true",
                   help="archive every fetched response and its request in OUT/warc/ (NEWSCLEAN_WARC_ENABLED)")
    c.add_argument("--redis", metavar="URL",
                   help="share the queue, dupefilter and article store with other workers on Redis "
                        "(redis://[:password@]host:port/db, rediss:// for TLS); also NEWSCLEAN_REDIS_URL")
    add_logging(c, default="INFO", verbose="DEBUG")
    add_settings(c)
    c.set_defaults(func=cmd_crawl)

    cc = sub.add_parser("ccnews", help="read Common Crawl's CC-NEWS WARC files of some days into the corpus")
    cc.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD", help="first capture day")
    cc.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last capture day (default: --from)")
    cc.add_argument("--domain", action="append", default=[], metavar="DOMAIN",
                    help="keep pages of this domain and its subdomains (repeatable)")
    cc.add_argument("--site", action="append", default=[], metavar="SITE",
                    help="keep pages of this registered site's domains (repeatable)")
    add_filters(cc, "keep the pages of the catalog's sites")
    cc.add_argument("--out", type=path_arg, default="newsclean-out", help="output directory (default: %(default)s)")
    cc.add_argument("--redis", metavar="URL",
                    help="share the WARC files, article store and dedup index with other workers on Redis")
    cc.add_argument("--allow-skips", action="store_true",
                    help="exit 0 even when damaged records or unreadable files were skipped")
    add_settings(cc)
    cc.set_defaults(func=cmd_ccnews)

    s = sub.add_parser("sites", help="list the registered sites (or --check their discovery sources)")
    s.add_argument("sites", nargs="*", metavar="SITE", help="only these sites")
    add_filters(s, "list the catalog's sites")
    s.add_argument("--check", action="store_true",
                   help="probe each site's robots.txt, sitemaps and feeds over the network: status, entries, "
                        "newest date (exit 1 when a source fails or is stale)")
    # bounded: 1e11 days was an OverflowError traceback, a negative number made every source stale
    s.add_argument("--stale-days", type=_whole_number(1, 36500), default=30, metavar="N",
                   help="--check: a source whose newest entry is older than N days is stale (default: %(default)s)")
    s.add_argument("--workers", type=_whole_number(1), default=8, metavar="N",
                   help="--check: sources probed at once (default: %(default)s)")
    s.add_argument("--timeout", type=_seconds(3600), default=20.0, metavar="S",
                   help="--check: seconds per request (default: %(default)s)")
    s.set_defaults(func=cmd_sites)

    cl = sub.add_parser("clean", help="re-clean WARC archives, HTML files or JSONL (or extracted text, --text) into records")
    cl.add_argument("input", type=path_arg, nargs="+",
                    help="WARC files (.warc, .warc.gz), HTML files or directories, or JSONL with an html "
                         "(or, with --text, text) field; - reads JSONL from standard input")
    cl.add_argument("-o", "--output", type=output_arg, required=True,
                    help="output JSONL file (written whole, then renamed into place; left as it was when no "
                         "record is written); - for standard output")
    cl.add_argument("--rejects", type=output_arg, metavar="FILE", help="also write rejected pages and their reasons to this JSONL file")
    cl.add_argument("--workers", type=int, metavar="N",
                    help="cleaning processes (default: one per core; 1 = clean in this process)")
    cl.add_argument("--timeout", type=float, default=10.0, help="seconds of CPU time of cleaning per page (default: %(default)s)")
    cl.add_argument("--allow-skips", action="store_true",
                    help="exit 0 even when unreadable or damaged input was skipped")
    cl.add_argument("--duplicates", choices=("keep", "drop", "off"), default="keep",
                    help="copies among the input: keep them with duplicate_of set (default), drop them "
                         "to the rejects, or do not look")
    cl.add_argument("--dedup-threshold", type=float, metavar="J",
                    help="MinHash Jaccard similarity from which a text is a near copy (default: the crawl's, 0.5)")
    cl.add_argument("--languages", metavar="CODES", default="",
                    help="keep only articles in these ISO 639-1 languages, e.g. en,ur (others: rejects, "
                         "reason language), as NEWSCLEAN_LANGUAGES does in a crawl")
    cl.add_argument("--text", action="store_true", help="input JSONL holds extracted text: strip its boilerplate")
    cl.add_argument("--site", help="registered site whose rules apply (default: by the URL's domain)")
    cl.set_defaults(func=cmd_clean)

    mm = sub.add_parser("merge-manifests", help="merge the manifests of several workers of one crawl")
    mm.add_argument("manifests", type=path_arg, nargs="+")
    mm.add_argument("-o", "--output", type=output_arg, required=True,
                    help="the merged manifest's file (written whole, then renamed into place); - for standard output")
    mm.set_defaults(func=cmd_merge_manifests)

    st = sub.add_parser("stats", help="counts by site, language and month, lengths, duplicates, rejects, field coverage")
    st.add_argument("files", type=path_arg, nargs="+", metavar="FILE",
                    help="JSONL record/reject files (.jsonl, .gz, .zst) or directories (an output directory: its "
                         "parts); - for standard input")
    st.add_argument("--json", action="store_true", help="machine-readable output")
    st.add_argument("--allow-skips", action="store_true", help="exit 0 even when bad lines or files were skipped")
    st.set_defaults(func=cmd_stats)

    ex = sub.add_parser("export", help="export JSONL records to Parquet")
    ex.add_argument("input", type=path_arg, nargs="+", metavar="INPUT",
                    help="JSONL record files or directories (an output directory: its articles); - for standard input")
    ex.add_argument("--parquet", type=output_arg, required=True, metavar="OUT",
                    help="Parquet file to write (written whole, then renamed into place; left as it was when no "
                         "record is read); - for standard output")
    ex.add_argument("--allow-skips", action="store_true", help="exit 0 even when bad lines or files were skipped")
    ex.set_defaults(func=cmd_export)
    return p


class _GuardedStdout:
    """``sys.stdout`` while :func:`main` runs: its write errors raised as StdoutError (as
    AtomicFile raises its own to ``-``), not as OSErrors that an output file's could be."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        #: Standard output was closed when the process started (``>&-``): Python's sys.stdout is
        #: None, where print drops every line unsaid and ``-`` outputs were an AttributeError.
        self.closed_at_start = stream is None

    def _open(self) -> Any:
        if self._stream is None:
            raise StdoutError(OSError(errno.EBADF, os.strerror(errno.EBADF)))
        return self._stream

    def write(self, text: str) -> int:
        try:
            return self._open().write(text)
        except OSError as exc:
            raise StdoutError(exc) from exc

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self.closed_at_start:
            return   # nothing was written: a command that writes nothing there runs as before
        try:
            self._stream.flush()
        except OSError as exc:
            raise StdoutError(exc) from exc

    def __getattr__(self, name: str) -> Any:   # fileno, isatty, buffer, encoding...
        if self._stream is None and name != "buffer":
            raise AttributeError(name)   # as None has none (libraries read sys.stdout.encoding at import)
        return getattr(self._open(), name)


def main(argv: Sequence[str] | None = None) -> int:
    stdout = sys.stdout
    sys.stdout = _GuardedStdout(stdout)   # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        if isinstance(sys.stdout, _GuardedStdout):
            sys.stdout = stdout


def command_options(parser: argparse.ArgumentParser) -> dict[str, dict[str, bool]]:
    """Each command of ``parser`` and its option strings, each with whether it takes a value
    (``crawl``: ``{"--out": True, "-v": False, ...}``). argparse has no public way to list a
    parser's actions: this reads ``_actions`` here alone (the actions' ``choices``, ``option_strings``
    and ``nargs`` are public). Should argparse drop it, the answer is empty (argparse's own message
    then, no hint) and ``test_command_options_reads_argparse`` fails."""
    actions = getattr(parser, "_actions", None) or []
    subparsers = [a.choices for a in actions if isinstance(getattr(a, "choices", None), dict)
                  and all(isinstance(sub, argparse.ArgumentParser) for sub in a.choices.values())]
    return {name: {option: action.nargs != 0 for action in getattr(sub, "_actions", None) or []
                   for option in action.option_strings}
            for choices in subparsers for name, sub in choices.items()}


def _options_before_the_command(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """``newsclean -v crawl demo`` or ``newsclean --out OUT crawl demo``: the command's options
    given before its name, which argparse says as "unrecognized arguments: -v" or "invalid choice:
    'OUT'". Said as what it is, with the command line in its order."""
    commands = command_options(parser)

    def is_command(i: int) -> bool:   # not an option's value (`--out demo crawl demo`)
        if argv[i] not in commands or not i or "=" in argv[i - 1]:
            return argv[i] in commands
        return not commands[argv[i]].get(argv[i - 1], False)

    at = next((i for i in range(len(argv)) if is_command(i)), None)
    if not at or any(word in ("-h", "--") or len(word) > 2 and ("--help".startswith(word) or
                                                              "--version".startswith(word))
                     for word in argv[:at]):
        return   # no command, it comes first, or the top-level options argparse answers itself
    if not argv[0].startswith("-"):
        return   # a misspelt command before a real one's name: argparse says it
    import shlex

    fixed = shlex.join(["newsclean", argv[at], *argv[:at], *argv[at + 1:]])
    raise UsageError(f"{argv[0]} goes after the command's name: {fixed}")


def _main(argv: Sequence[str] | None) -> int:
    from newsclean.crawler.state import StateError
    from newsclean.crawler.state.lock import LockedError
    from newsclean.crawler.state.redis_state import RedisUnavailable
    from newsclean.crawler.sites import SiteConfigError, UnknownSiteError
    from newsclean.output import OutputError
    from newsclean.output.redact import mask_credentials

    parser = build_parser()
    try:
        _options_before_the_command(parser, sys.argv[1:] if argv is None else list(argv))
        args = parser.parse_args(argv)   # --help and --version write to standard output too
        code = int(args.func(args) or 0)
        sys.stdout.flush()   # what is still buffered fails here, said, not at the interpreter's exit
        return code
    except (UsageError, SiteConfigError, UnknownSiteError, StateError) as exc:
        print(mask_credentials(f"newsclean: error: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except RedisUnavailable as exc:
        print(mask_credentials(f"newsclean: failed: {exc}"), file=sys.stderr)
        return EXIT_DEGRADED
    except LockedError as exc:
        print(mask_credentials(f"newsclean: {exc}"), file=sys.stderr)
        return EXIT_LOCKED
    except OutputError as exc:   # cannot write an output (disk full, permission...): one line
        print(mask_credentials(f"newsclean: failed: {exc.strerror or exc}"), file=sys.stderr)
        return EXIT_DEGRADED
    except StdoutError as exc:
        # standard output is a full or failing device (said in one line, not a traceback) or a pipe
        # its reader closed (`| head`: it has what it wanted, nothing said); nothing more is written
        # to it (the interpreter's last flush would fail again)
        if not getattr(sys.stdout, "closed_at_start", False):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if exc.errno != errno.EPIPE:
            print(f"newsclean: failed: cannot write standard output: {exc.strerror}", file=sys.stderr)
        return EXIT_DEGRADED
    except OSError as exc:
        if exc.errno not in _DEVICE_ERRNOS:
            raise
        # a full or failing disk that its writer did not name (each output's own errors name it):
        # said as it is, not taken for standard output's
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"newsclean: failed: {exc.strerror}{where}", file=sys.stderr)
        return EXIT_DEGRADED
    except KeyboardInterrupt:
        print("newsclean: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


#: Errors of a full or failing device: one line wherever they come from, never a traceback.
_DEVICE_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EDQUOT})


def _terminate_as_ctrl_c() -> None:
    """SIGTERM ends the program as Ctrl-C does (``newsclean: interrupted``, exit 130) until a
    crawl puts Scrapy's handler in (in-flight items finished, the manifest says interrupted):
    a SIGTERM while a crawl started (reading its --urls, opening the state) killed it silently,
    exit 143. Left alone when the parent has the signal ignored.

    SIGTERM is handled in two other places, each for what this cannot do: ``clean._StopSignals``
    (the clean command also notes the signal, as a KeyboardInterrupt raised inside a ``__del__``
    or a weakref callback is printed and dropped, and asks again before each page and the
    commit: it is installed by the command, so ``cli.main`` called without :func:`run` has it too)
    and ``workers.pool._worker_main`` (worker processes ignore SIGTERM and SIGINT: the parent
    stops them after Scrapy's graceful shutdown, and a Ctrl-C reaches the whole process group)."""
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, signal.default_int_handler)


def run() -> NoReturn:
    """The ``newsclean`` program: :func:`main`, then the process exits with its code.

    What a crawl leaves in memory (Scrapy, Twisted, the sites, their components) is frozen out
    of the garbage collector first: the interpreter's shutdown collected it to no purpose, 0.18-0.2 s
    of the main process's CPU in a bench crawl (0.3 ms a page of a 600-URL crawl)."""
    _terminate_as_ctrl_c()
    from newsclean import interrupted_while_loading

    if signal.getsignal(signal.SIGINT) is interrupted_while_loading:   # loaded: Ctrl-C is main's to handle
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        code = main()
    except KeyboardInterrupt:   # in the imports before main's own except is in place
        print("newsclean: interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    # Run the imported module's run: the commands raise newsclean.crawler.commands.cli.UsageError, which
    # this __main__ copy's own classes would not catch.
    from newsclean.crawler.commands.cli import run as _run

    _run()
