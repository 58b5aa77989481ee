"""newsclean.crawl(): crawling from Python, more than once per process, from a `python -` script."""

from __future__ import annotations

import subprocess
import sys
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
