"""newsclean.crawl(): crawling from Python, more than once per process, from a `python -` script."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from ..conftest import REPO, read_parts

SCRIPT = """
import json, sys
import newsclean

assert "scrapy" not in sys.modules          # import newsclean stays light
out = sys.argv[1]
runs = []
for n in (1, 2):                            # twice in one process (one reactor per process would fail)
    crawl = newsclean.crawl(["demo"], max_articles=10, out=f"{out}/run{n}")
    records = [r for r in crawl]
    runs.append({"records": records, "status": crawl.manifest["status"], "exit_code": crawl.exit_code})
print(json.dumps(runs))
"""


def test_crawl_from_a_stdin_script_twice_yields_the_written_records(tmp_path: Path) -> None:
    # `python -`: no __main__ file, which the cleaning workers of an in-process crawl needed
    proc = subprocess.run([sys.executable, "-", str(tmp_path)], input=SCRIPT, capture_output=True, text=True,
                          cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = orjson.loads(proc.stdout.strip().splitlines()[-1])
    schema = orjson.loads((REPO / "output" / "record.schema.json").read_bytes())
    for n, run in enumerate(runs, 1):
        assert run["status"] == "ok" and run["exit_code"] == 0
        records = run["records"]
        assert len(records) == 10
        assert sorted(records, key=lambda r: r["id"]) == sorted(read_parts(tmp_path / f"run{n}"), key=lambda r: r["id"])
        for record in records:
            assert set(record) == set(schema["properties"])
            assert record["site"] == "demo" and record["text"]


def test_crawl_that_cannot_start_raises_one_line(tmp_path: Path) -> None:
    import newsclean
    from newsclean.crawler.api import CrawlError

    with pytest.raises(CrawlError, match="unknown site 'no-such-site'"):
        list(newsclean.crawl(["no-such-site"], out=tmp_path / "out"))


def test_one_url_given_as_a_string_and_a_since_of_zero(tmp_path: Path) -> None:
    # before: urls="https://..." was read character by character ("not an http(s) URL: 'h'"), and
    # since=0 crawled with no window at all
    from newsclean.crawler.api import Crawl

    crawl = Crawl(urls="https://news.example/a", url="https://news.example/", since=0)
    assert (crawl.urls, crawl.url) == (["https://news.example/a"], ["https://news.example/"])
    argv = crawl._argv(tmp_path / "out", "r1")
    assert "--since=0" in argv and argv[argv.index("--url") + 1] == "https://news.example/"


def test_stopping_early_stops_the_crawl(tmp_path: Path) -> None:
    import newsclean

    crawl = newsclean.crawl(["demo"], out=tmp_path / "out", settings={"NEWSCLEAN_PART_MAX_RECORDS": 1})
    for record in crawl:
        assert record["site"] == "demo"
        break
    else:
        pytest.fail("no record")
    # the child was told to stop (or had already finished) and was waited for; its manifest is there
    assert crawl.exit_code in (0, 130)
    assert crawl.manifest is not None and crawl.manifest["status"] in ("ok", "interrupted")
    assert len(read_parts(tmp_path / "out")) >= 1


def test_a_run_id_given_in_the_settings_names_the_run(tmp_path: Path) -> None:
    # before: settings={"NEWSCLEAN_RUN_ID": ...} was replaced by the call's own id without a word:
    # the records and the manifest carried another, and a second call with it was not refused
    import newsclean
    from newsclean.crawler.api import CrawlError

    crawl = newsclean.crawl(["demo"], max_articles=2, out=tmp_path / "out", settings={"NEWSCLEAN_RUN_ID": "mine-1"})
    records = list(crawl)
    assert records and {r["run_id"] for r in records} == {"mine-1"} and crawl.manifest["run_id"] == "mine-1"
    again = []   # the id given again: refused, and the earlier run's records and manifest are not its own
    with pytest.raises(CrawlError, match="NEWSCLEAN_RUN_ID=mine-1: an earlier run of"):
        for record in newsclean.crawl(["demo"], max_articles=2, out=tmp_path / "out", settings={"NEWSCLEAN_RUN_ID": "mine-1"}):
            again.append(record)
    assert again == []


def _history(out: Path, days: int = 40, runs: int = 50) -> int:
    """``out``, a real crawl's output, given a history: its part moved to an earlier day, and linked
    as the part of ``runs`` earlier runs on each of ``days`` earlier days (as an hourly crawl's
    parts pile up). How many."""
    (crawled,) = (out / "articles").rglob("part-*.jsonl")
    part = crawled.parent.parent / "date=2024-12-31" / crawled.name
    part.parent.mkdir()
    crawled.rename(part)
    for day in range(days):
        folder = part.parent.parent / f"date=2025-01-{day % 28 + 1:02d}"
        folder = folder.with_name(folder.name + ("" if day < 28 else "-"))   # no day of the crawl's
        folder.mkdir(parents=True, exist_ok=True)
        for run in range(runs):
            os.link(part, folder / f"part-2025{day:04d}T{run:04d}Z-000000-00000.jsonl")
    return days * runs


class _Listed:
    """The part files of other runs that ``os.scandir`` lists while it is on (``only``: within calls
    of that function)."""

    def __init__(self, run_id: str = "") -> None:
        self.count, self.run_id, self._real = 0, run_id, os.scandir

    def scandir(self, path: object = ".") -> Iterator[os.DirEntry]:
        entries = list(self._real(path))   # type: ignore[arg-type]
        self.count += sum(e.name.startswith("part-") and not e.name.startswith(f"part-{self.run_id}-") for e in entries)
        return _Entries(entries)   # type: ignore[return-value]


class _Entries(list):
    """A listing already read, as ``os.scandir``'s iterator is used (``with``, ``next``)."""

    def __enter__(self) -> Iterator[os.DirEntry]:
        return iter(self)

    def __exit__(self, *exc: object) -> None:
        pass

    def close(self) -> None:
        pass


def test_a_crawl_from_python_lists_no_earlier_run_s_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before: each poll of newsclean.crawl() (five a second) found this run's parts among every part of
    # OUT (find_parts: listed and stat'ed, ~0.2 s of CPU a poll at 12,000 parts), and the crawl it
    # started walked them all again for its run id; they are under the days of the run
    import newsclean

    out = tmp_path / "out"
    first = list(newsclean.crawl(["demo"], max_articles=3, out=out))
    earlier = _history(out)
    listed = _Listed("mine-2")
    monkeypatch.setattr(os, "scandir", listed.scandir)
    records = list(newsclean.crawl(["demo"], max_articles=6, out=out, settings={"NEWSCLEAN_RUN_ID": "mine-2"}))
    monkeypatch.undo()
    assert len(first) == 3 and len(records) == 6 and {r["run_id"] for r in records} == {"mine-2"}
    assert listed.count == 0, (listed.count, earlier)   # main: every poll listed the 2,000 (and the first part)


CHECK_LISTING = """
import os, sys
from newsclean.crawler.commands import cli

listed, real_scandir, real_check = [0], os.scandir, cli.check_run_id_unused

class Entries(list):
    def __enter__(self):
        return iter(self)

    def __exit__(self, *exc):
        pass

def scandir(path="."):
    entries = Entries(real_scandir(path))
    listed[0] += sum(e.name.startswith("part-") for e in entries)
    return entries

def check(*args, **kwargs):
    os.scandir = scandir
    try:
        return real_check(*args, **kwargs)
    finally:
        os.scandir = real_scandir
        print(f"listed {listed[0]}", file=sys.stderr)

cli.check_run_id_unused = check
sys.argv[0] = "newsclean"
cli.run()
"""


def test_the_run_id_check_lists_no_part(tmp_path: Path) -> None:
    # before: `newsclean crawl -s NEWSCLEAN_RUN_ID=...` (each newsclean.crawl() call) walked every part
    # of OUT for one named by the id; its manifest, the store and a killed run's marks are read by name
    out = tmp_path / "out"
    first = subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.cli", "demo", "--out", str(out), "-q"],
                           capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    earlier = _history(out)
    proc = subprocess.run([sys.executable, "-c", CHECK_LISTING, "crawl", "demo", "--out", str(out), "-q",
                           "-s", "NEWSCLEAN_RUN_ID=fresh-1"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "listed 0\n" in proc.stderr, (proc.stderr[-2000:], earlier)   # main: listed 2,001
