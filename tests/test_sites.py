"""The site registry: every shipped site loads; bad files fail naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsclean.crawler.sites import (
    SiteConfigError,
    UnknownSiteError,
    adhoc_site,
    get_site,
    load_registry,
    load_site_file,
)

GOOD = """
name = "example"
base_url = "https://www.example.com/"
[discovery]
feeds = ["/feed/"]
[articles]
allow = ['^/\\d{4}/\\d{2}/\\d{2}/[^/]+/$']
deny = ['epaper']
"""


def write(tmp_path: Path, text: str, name: str = "example") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_registry_loads_with_pakistantoday_and_demo() -> None:
    sites = load_registry()
    assert {"pakistantoday", "demo"} <= set(sites)
    pt = sites["pakistantoday"]
    assert pt.is_article_url("https://www.pakistantoday.com.pk/2024/12/15/budget-deficit-narrows/")
    assert not pt.is_article_url("https://www.pakistantoday.com.pk/2024/12/15/epaper_24-12-15-lhr/")
    assert not pt.is_article_url("https://www.pakistantoday.com.pk/tag/economy/")
    assert not pt.is_article_url("https://www.pakistantoday.com.pk/category/national/page/2/")
    assert not pt.is_article_url("https://evil.example.com/2024/12/15/budget-deficit-narrows/")
    assert "https://www.pakistantoday.com.pk/feed/" in pt.start_urls()["feed"]


def test_good_file_loads(tmp_path: Path) -> None:
    site = load_site_file(write(tmp_path, GOOD))
    assert site.domains == ("example.com",)  # www. dropped: subdomains are covered
    assert site.is_article_url("https://example.com/2026/01/02/a-story/")
    assert site.is_article_url("https://news.example.com/2026/01/02/a-story/")
    assert not site.is_article_url("https://example.com/2026/01/02/epaper-lhr/")
    assert not site.is_article_url("ftp://example.com/2026/01/02/a-story/")


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        (GOOD.replace('name = "example"', 'name = 3'), "name", "must be a string"),
        (GOOD.replace('base_url = "https://www.example.com/"', 'base_url = "example.com"'), "base_url",
         "not an absolute http(s) URL"),
        (GOOD.replace("deny = ['epaper']", "deny = ['(unclosed']"), "articles.deny[0]", "bad regular expression"),
        (GOOD.replace('feeds = ["/feed/"]', 'feedz = ["/feed/"]'), "discovery.feedz", "unknown field"),
        (GOOD + "\n[limits]\nconcurrency = 0\n", "limits.concurrency", "integer >= 1"),
        (GOOD + "\n[cleaning]\ndrop_selectors = ['div[[']\n", "cleaning.drop_selectors[0]", "bad CSS selector"),
        (GOOD + "\n[cleaning]\ndrop_xpaths = ['//div[']\n", "cleaning.drop_xpaths[0]", "bad XPath"),
        (GOOD.replace('base_url = "https://www.example.com/"', ""), "base_url", "is required"),
        ("name = [unclosed", "(file)", "not valid TOML"),
    ],
)
def test_bad_file_names_file_and_field(tmp_path: Path, text: str, field: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SiteConfigError) as info:
        load_site_file(path)
    message = str(info.value)
    assert str(path) in message
    assert f"field '{field}'" in message
    assert problem in message


def test_name_must_match_file(tmp_path: Path) -> None:
    with pytest.raises(SiteConfigError, match="must match the file name"):
        load_site_file(write(tmp_path, GOOD, name="other"))


def test_duplicate_site_names_across_directories(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    write(a, GOOD)
    write(b, GOOD)
    with pytest.raises(SiteConfigError, match="already defined in"):
        load_registry([a, b])


def test_unknown_site_lists_known_ones() -> None:
    with pytest.raises(UnknownSiteError, match="known sites: .*pakistantoday"):
        get_site("nosuchsite")


def test_adhoc_site_is_bounded_by_the_urls_hosts() -> None:
    site = adhoc_site(["https://www.example.org/", "https://feeds.example.net/rss.xml"])
    assert set(site.domains) == {"example.org", "feeds.example.net"}
    assert site.discovery.robots
    assert site.is_article_url("https://example.org/2026/02/03/story/")
    assert site.is_article_url("https://example.org/world/long-slug-with-many-words-here")
    assert not site.is_article_url("https://example.org/tag/world/")
    assert not site.is_article_url("https://other.example.com/2026/02/03/story/")
    with pytest.raises(SiteConfigError, match="not an absolute http"):
        adhoc_site(["javascript:alert(1)"])


def test_rebased_site_only_reaches_the_new_origin() -> None:
    demo = get_site("demo").rebased("http://127.0.0.1:5555/")
    assert demo.domains == ("127.0.0.1",)
    assert demo.start_urls()["robots"] == ["http://127.0.0.1:5555/robots.txt"]
