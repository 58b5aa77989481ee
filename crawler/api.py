"""Crawling from Python: ``newsclean.crawl(...)`` yields records as the crawl writes them.

Scrapy's Twisted reactor runs once per process, and the cleaning workers need a process they
can re-import (a notebook or a ``python -`` script has no ``__main__`` file). So the crawl runs
as the ``newsclean crawl`` command in a child process, and the generator reads the part files it
commits (renamed into view only when complete: a record is yielded once it is durable). Every
call is a fresh process: call it as often as you like in one interpreter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

from newsclean.output.reader import open_jsonl, run_parts

#: Records per part file in a crawl from Python (the command's default is 500): parts are
#: committed, and so yielded, in smaller steps. ``settings`` may override it.
STREAM_PART_RECORDS = 20
POLL_SECONDS = 0.2


def _days_since(started: datetime) -> list[str]:
    """The UTC days from ``started`` to now (and a minute on): those a crawl's parts are under
    (:func:`~newsclean.output.reader.run_parts`)."""
    last = (datetime.now(timezone.utc) + timedelta(minutes=1)).date()
    return [str(started.date() + timedelta(days=n)) for n in range((last - started.date()).days + 1)]


class CrawlError(RuntimeError):
    """The crawl could not run (bad site name or option, the output directory locked...)."""


class Crawl:
    """An iterable over the records of one crawl; after the iteration, :attr:`manifest` and
    :attr:`exit_code` say how the run went (``manifest["status"]``: ok, degraded...)."""

    def __init__(self, sites: Iterable[str] = (), *, urls: Iterable[str] = (), url: Iterable[str] = (),
                 out: str | os.PathLike[str] | None = None, max_articles: int | None = None,
                 since: str | None = None, settings: dict[str, Any] | None = None) -> None:
        # one name or URL given as a string is one, not its characters ("not an http(s) URL: 'h'")
        sites, urls, url = ([x] if isinstance(x, str) else x for x in (sites, urls, url))
        self.sites, self.urls, self.url = list(sites), list(urls), list(url)
        self.out = Path(out) if out is not None else None
        self.max_articles, self.since = max_articles, since
        self.settings = {"NEWSCLEAN_PART_MAX_RECORDS": STREAM_PART_RECORDS, **(settings or {})}
        self.manifest: dict[str, Any] | None = None
        self.exit_code: int | None = None

    def _argv(self, out: Path, run_id: str) -> list[str]:
        argv = [sys.executable, "-m", "newsclean.crawler.commands.cli", "crawl", *self.sites, "--out", str(out)]
        for u in self.url:
            argv += ["--url", u]
        if self.urls:
            argv += ["--urls", "-"]
        if self.max_articles is not None:
            argv += ["--max-articles", str(int(self.max_articles))]
        if self.since is not None:   # since=0 ran with no window at all; "0d" is refused
            argv += [f"--since={self.since}"]
        for name, value in {**self.settings, "NEWSCLEAN_RUN_ID": run_id}.items():
            argv += ["-s", f"{name}={value}"]
        return argv

    def __iter__(self) -> Iterator[dict[str, Any]]:
        from newsclean.output import new_run_id

        with tempfile.TemporaryDirectory(prefix="newsclean-") as scratch:
            out = self.out if self.out is not None else Path(scratch) / "out"
            # settings={"NEWSCLEAN_RUN_ID": ...} names the run, as -s does (the call's own id replaced it without a word)
            run_id = str(self.settings.get("NEWSCLEAN_RUN_ID") or new_run_id())
            yield from self._run(out, run_id, Path(scratch) / "crawl.log")

    def _run(self, out: Path, run_id: str, log_path: Path) -> Iterator[dict[str, Any]]:
        started = datetime.now(timezone.utc) - timedelta(minutes=1)   # the child's first fetch is later
        # an earlier run's parts and manifest under a run id given again are not this run's (it is refused)
        seen: set[Path] = set(run_parts(out, run_id, _days_since(started)))
        manifest = out / "manifests" / f"{run_id}.json"
        earlier = manifest.is_file()
        with log_path.open("w+b") as log:
            proc = subprocess.Popen(self._argv(out, run_id), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                    stderr=log, cwd=os.getcwd())
            try:
                assert proc.stdin is not None
                proc.stdin.write("".join(u + "\n" for u in self.urls).encode())
                proc.stdin.close()
                while True:
                    done = proc.poll() is not None   # looked at first: parts found after it are all
                    yield from self._new_records(out, run_id, seen, started)
                    if done:
                        break
                    time.sleep(POLL_SECONDS)
            finally:   # also when the caller stops early: the crawl commits what it has and stops
                if proc.poll() is None:
                    proc.terminate()
                    proc.wait()
                self.exit_code = proc.returncode
                self.manifest = orjson.loads(manifest.read_bytes()) if manifest.is_file() and not earlier else None
            if self.manifest is None:
                log.seek(0)
                lines = log.read().decode("utf-8", "replace").strip().splitlines()
                raise CrawlError(lines[-1] if lines else f"newsclean crawl exited with code {self.exit_code}")

    @staticmethod
    def _new_records(out: Path, run_id: str, seen: set[Path], started: datetime) -> Iterator[dict[str, Any]]:
        for part in run_parts(out, run_id, _days_since(started)):
            if part in seen:
                continue
            seen.add(part)
            with open_jsonl(part) as fh:
                for line in fh:
                    if line.strip():
                        yield orjson.loads(line)

