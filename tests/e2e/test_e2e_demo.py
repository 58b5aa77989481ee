"""End to end: a real crawl of the bundled demo site over HTTP on 127.0.0.1.

``newsclean demo`` serves the site, crawls it with the full pipeline (robots.txt, sitemap
index, news sitemap, feeds, paginated sections, cleaners, atomic writer) and writes a manifest.
The checks compare the output with the demo site's own ground truth (``expected.json``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import orjson
import pytest

from newsclean.crawler.commands.demo import DEMO_SITE, DemoServer
from newsclean.output import validate_record

from ..conftest import REPO, read_parts, run_newsclean

EXPECTED = orjson.loads((DEMO_SITE / "expected.json").read_bytes())


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    # The README's first command as written (its default output directory, demo-out); doccheck
    # leaves that block to this fixture.
    cwd = tmp_path_factory.mktemp("demo")
    return run_newsclean("demo", cwd=cwd), cwd / "demo-out"


def by_path(records: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for rec in records:
        path = urlsplit(rec["canonical_url"]).path
        assert path not in out, f"two records for {path}"
        out[path] = rec
    return out


def test_demo_exits_ok_and_prints_a_summary(demo_run) -> None:
    proc, out = demo_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert re.search(r"articles written:\s+\d+", proc.stdout)
    assert f" {out.name}/articles/" in proc.stdout    # the output directory as given (the default here)


def test_one_valid_record_per_article_page(demo_run) -> None:
    _, out = demo_run
    records = by_path(read_parts(out))
    expected = {a["path"]: a for a in EXPECTED["articles"]}
    assert len(expected) >= 24
    assert sorted(records) == sorted(expected)
    for path, rec in records.items():
        validate_record(rec)
        want = expected[path]
        assert rec["title"] == want["title"], path
        assert (rec["published"] or "")[:10] == want["published"], path
        assert rec["authors"] == want["authors"], path
        assert rec["site"] == "demo"
        for snippet in want["must_contain"]:
            assert snippet in rec["text"], (path, snippet)


def test_no_record_for_non_article_pages(demo_run) -> None:
    _, out = demo_run
    paths = set(by_path(read_parts(out)))
    assert EXPECTED["non_articles"]
    assert not paths & set(EXPECTED["non_articles"])


def test_no_boilerplate_line_in_any_body(demo_run) -> None:
    _, out = demo_run
    expected = {a["path"]: a for a in EXPECTED["articles"]}
    for path, rec in by_path(read_parts(out)).items():
        for snippet in EXPECTED["boilerplate_lines"] + expected[path]["must_not_contain"]:
            assert snippet not in rec["text"], (path, snippet)


def test_manifest_counts_match_the_files(demo_run) -> None:
    _, out = demo_run
    manifests = list((out / "manifests").glob("*.json"))
    assert len(manifests) == 1
    manifest = orjson.loads(manifests[0].read_bytes())
    records = read_parts(out)
    rejects = read_parts(out, "rejects")
    assert manifest["status"] == "ok" and manifest["exit_code"] == 0
    assert manifest["counts"]["newsclean/output/records_written"] == len(records)
    assert sum(manifest["dropped"].values()) == len(rejects)
    assert {r["run_id"] for r in records} == {manifest["run_id"]}
    assert all(r["reason"] and r["url"] for r in rejects)
    for rel in manifest["files"]:
        assert (out / rel).is_file()
    assert not list(out.rglob(".*.tmp")), "a temporary part file was left behind"


def test_plain_scrapy_crawl_writes_the_same_articles(tmp_path: Path) -> None:
    """The developer's path: `scrapy crawl demo -O out.jsonl` against a served demo site."""
    feed = tmp_path / "out.jsonl"
    with DemoServer(DEMO_SITE) as server:
        proc = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "demo", "-a", f"base_url={server.base_url}/",
             "-O", str(feed), "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"],
            cwd=REPO, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    records = [orjson.loads(line) for line in feed.read_bytes().splitlines()]
    assert sorted(urlsplit(r["canonical_url"]).path for r in records) == sorted(a["path"] for a in EXPECTED["articles"])


def test_scrapy_list_has_one_spider_per_site() -> None:
    proc = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert {"demo", "pakistantoday"} <= set(proc.stdout.split())


def test_adhoc_crawl_of_the_demo_root_gives_the_same_clean_articles(demo_run, demo_server, tmp_path: Path) -> None:
    """`newsclean crawl --url ROOT` with generic rules only: the home page's feeds and sections are
    read as the site file lists them, and pages with no body of their own (e-paper pages) are not
    taken for articles with a sidebar's "Must Read" teasers as their text."""
    _, demo_out = demo_run
    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", demo_server.base_url + "/", "--out", str(out), "-s", "AUTOTHROTTLE_ENABLED=False")
    assert proc.returncode == 0, proc.stderr[-3000:]
    adhoc, demo = by_path(read_parts(out)), by_path(read_parts(demo_out))
    assert sorted(adhoc) == sorted(demo) == sorted(a["path"] for a in EXPECTED["articles"])
    for path, rec in adhoc.items():
        for field in ("title", "text", "authors", "published", "language"):
            assert rec[field] == demo[path][field], (path, field)
        assert "Must Read" not in rec["text"], path
