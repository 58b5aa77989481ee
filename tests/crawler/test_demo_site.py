"""The bundled demo site is self-consistent: every link resolves, every discovery document
parses, and its ground truth (``expected.json``) matches the pages it describes.

These are static checks over the files (no server, no crawl); ``test_e2e_demo.py`` crawls it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import orjson
import pytest

from newsclean.crawler.commands.demo import DEMO_SITE
from newsclean.crawler.sites import get_site

BASE = "http://127.0.0.1:8000"
EXPECTED = orjson.loads((DEMO_SITE / "expected.json").read_bytes())
ARTICLE_PATHS = [a["path"] for a in EXPECTED["articles"]]
HTML_FILES = sorted(DEMO_SITE.rglob("*.html"))
XML_FILES = sorted(DEMO_SITE.rglob("*.xml"))


def resolve(path: str) -> Path | None:
    """The file the demo server answers ``path`` with (same rule as newsclean.crawler.commands.demo)."""
    target = DEMO_SITE / urlsplit(path).path.lstrip("/")
    if target.is_dir():
        return next((target / i for i in ("index.html", "index.xml") if (target / i).is_file()), None)
    return target if target.is_file() else None


def served_text(file: Path) -> str:
    return file.read_text(encoding="utf-8").replace("__BASE__", BASE)


def html_links(file: Path) -> list[str]:
    doc = lxml.html.fromstring(served_text(file))
    return doc.xpath("//a/@href | //img/@src | //link/@href | //script/@src | //form/@action")


def xml_links(file: Path) -> list[str]:
    root = lxml.etree.fromstring(served_text(file).encode())
    locs = [e.text for e in root.iter("{*}loc", "link", "guid") if e.text]
    return locs + root.xpath("//*[local-name()='link']/@href")


def paths_in(path: str) -> set[str]:
    file = resolve(path)
    assert file is not None, path
    links = xml_links(file) if file.suffix == ".xml" else html_links(file)
    return {urlsplit(link).path for link in links}


def check_internal(link: str, where: Path) -> None:
    if link.startswith("#"):
        return
    parts = urlsplit(link)
    assert parts.netloc in ("", urlsplit(BASE).netloc), f"{where}: external link {link}"
    assert resolve(parts.path) is not None, f"{where}: broken link {link}"


@pytest.mark.parametrize("file", XML_FILES, ids=lambda p: str(p.relative_to(DEMO_SITE)))
def test_xml_parses_and_every_entry_resolves(file: Path) -> None:
    for link in xml_links(file):
        check_internal(link, file)


def test_every_html_link_resolves() -> None:
    assert len(HTML_FILES) > 40
    for file in HTML_FILES:
        for link in html_links(file):
            check_internal(link, file)


def test_robots_disallows_search_and_names_the_sitemap_index() -> None:
    robots = served_text(DEMO_SITE / "robots.txt")
    assert "Disallow: /search/" in robots.splitlines()
    assert f"Sitemap: {BASE}/sitemap_index.xml" in robots.splitlines()


def test_expected_paths_exist_and_are_canonical() -> None:
    assert len(ARTICLE_PATHS) >= 24 and len(set(ARTICLE_PATHS)) == len(ARTICLE_PATHS)
    for path in ARTICLE_PATHS:
        file = resolve(path)
        assert file is not None, path
        canonical = lxml.html.fromstring(served_text(file)).xpath("//link[@rel='canonical']/@href")
        assert canonical == [BASE + path], path
    for path in EXPECTED["non_articles"]:
        assert resolve(path) is not None, path
    assert not set(ARTICLE_PATHS) & set(EXPECTED["non_articles"])


def test_three_themes_with_enough_articles_each() -> None:
    themes = [a["theme"] for a in EXPECTED["articles"]]
    assert {t: themes.count(t) for t in set(themes)} == {"tagdiv": 9, "jsonld": 9, "blog": 9}


def test_expected_snippets_are_on_their_pages() -> None:
    """must_contain is in the page; title and authors are what the page says."""
    for art in EXPECTED["articles"]:
        page = lxml.html.fromstring(served_text(resolve(art["path"])))
        text = " ".join(page.text_content().split())
        assert art["title"] in text, art["path"]
        assert art["published"] in served_text(resolve(art["path"])), art["path"]
        for author in art["authors"]:
            assert author in text, (art["path"], author)
        for snippet in art["must_contain"]:
            assert snippet in text, (art["path"], snippet)


def test_boilerplate_is_on_the_pages_but_not_in_the_article_prose() -> None:
    """Each page carries its boilerplate (else the test proves nothing), and no snippet that
    must stay out of a record is part of the article's own must_contain sentences."""
    for art in EXPECTED["articles"]:
        text = " ".join(lxml.html.fromstring(served_text(resolve(art["path"]))).text_content().split())
        present = [s for s in art["must_not_contain"] if s in text]
        assert len(present) >= 3, (art["path"], present)
        for bad in EXPECTED["boilerplate_lines"] + art["must_not_contain"]:
            assert not any(bad in good for good in art["must_contain"]), (art["path"], bad)


def test_every_article_is_discoverable_and_each_channel_matters() -> None:
    """Sitemaps, feeds and paginated sections together reach every article; some articles are
    reachable only through section page 2, and one only through a feed."""
    site = get_site("demo").rebased(BASE + "/")
    sitemaps = set().union(*(paths_in(s) for s in paths_in("/sitemap_index.xml")))
    feeds = set().union(*(paths_in(f) for f in site.discovery.feeds))
    sections = set().union(*(paths_in(s) for s in site.discovery.sections))
    page2 = paths_in("/category/business/page/2/") | paths_in("/stories/page/2/")
    articles = set(ARTICLE_PATHS)
    reached = {p for p in sitemaps | feeds | sections | page2 if site.is_article_url(BASE + p, listed=True)}
    assert reached == articles
    only_page2 = articles & page2 - sitemaps - feeds - sections
    only_feed = articles & feeds - sitemaps - sections - page2
    assert len(only_page2) >= 2 and len(only_feed) >= 1


def test_non_articles_fail_the_demo_article_filter() -> None:
    site = get_site("demo").rebased(BASE + "/")
    for path in EXPECTED["non_articles"]:
        assert not site.is_article_url(BASE + path, listed=True), path
    for path in ARTICLE_PATHS:
        assert site.is_article_url(BASE + path), path


def test_no_absolute_url_hard_codes_an_origin() -> None:
    """Every absolute URL goes through __BASE__, so the site works on any port."""
    for file in HTML_FILES + XML_FILES + [DEMO_SITE / "robots.txt"]:
        raw = file.read_text(encoding="utf-8")
        for url in re.findall(r"https?://[^\s\"'<>]+", raw):
            assert url.startswith(("http://www.sitemaps.org", "http://www.google.com/schemas", "https://schema.org",
                                   "http://purl.org", "http://www.w3.org")), (file, url)
