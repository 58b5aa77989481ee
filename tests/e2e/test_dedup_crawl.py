"""Duplicates across runs, end to end: real ``newsclean crawl`` processes over a local site
whose second run publishes a syndicated copy and an exact repost of a first-run article."""

from __future__ import annotations

import html
import subprocess
from pathlib import Path

import orjson
import pytest

from newsclean.crawler.commands.demo import DemoServer
from newsclean.output import PartWriter, content_hash
from newsclean.output.dedup import DedupIndex, signature

from ..conftest import read_parts, run_newsclean
from ..dedup_fixtures import Text, distinct, syndicated

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0"]


class StorySite:
    """A news site in a directory: one page per text, a sitemap, robots.txt."""

    def __init__(self, root: Path, server: DemoServer) -> None:
        self.root, self.server = root, server
        self.pages: dict[str, Text] = {}
        self.lastmod: dict[str, str] = {}
        (root / "robots.txt").write_text(f"User-agent: *\nSitemap: {server.base_url}/sitemap.xml\n")

    def url(self, path: str) -> str:
        return self.server.base_url + path

    def publish(self, path: str, text: Text, lastmod: str = "2026-02-01T08:00:00+00:00") -> None:
        self.pages[path] = text
        self.lastmod[path] = lastmod
        body = "".join(f"<p>{html.escape(p)}</p>" for p in text.paragraphs)
        page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(text.title)}</title>"
                f"<meta property='article:published_time' content='2026-02-01T08:00:00+00:00'></head><body>"
                f"<article><h1>{html.escape(text.title)}</h1>{body}</article></body></html>")
        target = self.root / path.lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        urls = "".join(f"<url><loc>{self.url(p)}</loc><lastmod>{self.lastmod[p]}</lastmod></url>"
                       for p in self.pages)
        (self.root / "sitemap.xml").write_text(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')


@pytest.fixture
def site(site_server: tuple[DemoServer, Path]) -> StorySite:
    server, root = site_server
    s = StorySite(root, server)
    wire, _ = syndicated()[0]
    s.publish("/2026/02/01/dock-strike-ends/", wire)
    s.publish("/2026/02/01/inside-the-strike-vote/", distinct()[0])   # same event, own text
    return s


def crawl(site: StorySite, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_newsclean("crawl", "--url", site.server.base_url + "/", "--out", str(out), *FAST, *extra)


def last_counts(out: Path) -> dict:
    latest = sorted((orjson.loads(p.read_bytes()) for p in (out / "manifests").glob("*.json")),
                    key=lambda m: m["started_at"])[-1]
    return latest["counts"]


def publish_copies(site: StorySite) -> None:
    wire, copies = syndicated()[0]
    site.publish("/2026/02/02/shoppers-can-relax/", copies[2])       # a syndicated copy
    site.publish("/2026/02/02/wire/dock-strike-ends/", wire)          # the same text, another URL


def test_second_run_marks_copies_of_a_first_run_article(site: StorySite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = crawl(site, out)
    assert first.returncode == 0, first.stderr[-2000:]
    run1 = {r["url"]: r for r in read_parts(out)}
    assert len(run1) == 2 and all(r["duplicate_of"] is None for r in run1.values())
    original = run1[site.url("/2026/02/01/dock-strike-ends/")]

    publish_copies(site)
    second = crawl(site, out)
    assert second.returncode == 0, second.stderr[-2000:]
    records = {r["url"]: r for r in read_parts(out)}
    assert len(records) == 4                                            # run 1's two are not rewritten
    copy = records[site.url("/2026/02/02/shoppers-can-relax/")]
    repost = records[site.url("/2026/02/02/wire/dock-strike-ends/")]
    assert copy["duplicate_of"] == repost["duplicate_of"] == original["id"]
    assert copy["id"] != original["id"] and copy["run_id"] != original["run_id"]
    assert records[site.url("/2026/02/01/inside-the-strike-vote/")]["duplicate_of"] is None
    counts = last_counts(out)
    assert counts["newsclean/dedup/near"] == 1 and counts["newsclean/dedup/exact"] == 1
    assert "newsclean/dedup/dropped" not in counts
    assert (out / "state" / "dedup.sqlite3").is_file()

    # The original changes and is refetched: same id, its own record, nobody's copy.
    wire, _ = syndicated()[0]
    changed = Text(wire.key, "changed", wire.title, (*wire.paragraphs, "Update: ships began unloading on Friday."))
    site.publish("/2026/02/01/dock-strike-ends/", changed, lastmod="2026-02-05T08:00:00+00:00")
    third = crawl(site, out)
    assert third.returncode == 0, third.stderr[-2000:]
    versions = [r for r in read_parts(out) if r["url"] == original["url"]]
    assert len(versions) == 2 and versions[1]["id"] == original["id"]
    assert versions[1]["duplicate_of"] is None and versions[1]["content_hash"] != original["content_hash"]


def test_drop_setting_writes_duplicate_rejects(site: StorySite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert crawl(site, out, "-s", "NEWSCLEAN_DUPLICATES=drop").returncode == 0
    publish_copies(site)
    second = crawl(site, out, "-s", "NEWSCLEAN_DUPLICATES=drop")
    assert second.returncode == 0, second.stderr[-2000:]
    assert {r["url"] for r in read_parts(out)} == {site.url("/2026/02/01/dock-strike-ends/"),
                                                   site.url("/2026/02/01/inside-the-strike-vote/")}
    rejects = {r["url"]: r for r in read_parts(out, "rejects")}
    assert set(rejects) == {site.url("/2026/02/02/shoppers-can-relax/"), site.url("/2026/02/02/wire/dock-strike-ends/")}
    assert {r["reason"] for r in rejects.values()} == {"duplicate"}
    original = next(r for r in read_parts(out) if r["url"] == site.url("/2026/02/01/dock-strike-ends/"))
    assert all(original["id"] in r["detail"] for r in rejects.values())
    counts = last_counts(out)
    assert counts["newsclean/dedup/dropped"] == 2


def test_a_killed_runs_unwritten_entries_are_never_pointed_at(site: StorySite, tmp_path: Path) -> None:
    # What a kill -9 leaves: two entries indexed as pending, only one in a committed part.
    out = tmp_path / "out"
    (bridge, bridge_copies), (library, library_copies) = syndicated()[1], syndicated()[2]
    ghost, kept = "a" * 32, "b" * 32
    index = DedupIndex(out / "state" / "dedup.sqlite3")
    for rid, text in ((ghost, bridge.text), (kept, library.text)):
        index.add(rid, content_hash(text), signature(text), root=None, run_id="20260201T000000Z-killed")
    index.close()
    with PartWriter(out, "20260201T000000Z-killed", kind="articles") as writer:
        writer.write({"id": kept, "content_hash": content_hash(library.text)}, {"site": "x", "date": "2026-02-01"})

    site.publish("/2026/02/03/bridge-copy/", bridge_copies[0])
    site.publish("/2026/02/03/library-copy/", library_copies[0])
    proc = crawl(site, out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    records = {r["url"]: r for r in read_parts(out) if "url" in r}
    assert records[site.url("/2026/02/03/library-copy/")]["duplicate_of"] == kept
    assert records[site.url("/2026/02/03/bridge-copy/")]["duplicate_of"] is None
    counts = last_counts(out)
    assert counts["newsclean/dedup/recovered"] == 1 and counts["newsclean/dedup/forgotten_uncommitted"] == 1


@pytest.mark.parametrize("setting, message", [
    ("NEWSCLEAN_DUPLICATES=merge", "NEWSCLEAN_DUPLICATES must be one of keep, drop, got 'merge'"),
    ("NEWSCLEAN_DEDUP_THRESHOLD=1.5", "NEWSCLEAN_DEDUP_THRESHOLD must be a number between 0 and 1, got '1.5'"),
])
def test_a_bad_dedup_setting_is_refused_in_one_line(site: StorySite, tmp_path: Path, setting: str, message: str) -> None:
    proc = crawl(site, tmp_path / "out", "-s", setting)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"newsclean: error: {message}"
    assert site.server.hits == []
