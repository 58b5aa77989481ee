"""Site files against a real HTTP server on 127.0.0.1: newsclean sites --check, and a crawl from a news sitemap."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsclean.crawler.commands.cli import main

NOW = datetime.now(timezone.utc)
FRESH = (NOW - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
OLD = "2019-05-01T10:00:00+00:00"


def urlset(*dates: str) -> str:
    urls = "".join(f"<url><loc>/news/story-{i}.html</loc><lastmod>{d}</lastmod></url>" for i, d in enumerate(dates))
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def test_check_probes_every_source_and_names_the_stale_ones(site_server, tmp_path: Path, monkeypatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    server, root = site_server
    base = server.base_url
    (root / "robots.txt").write_text(f"User-agent: *\nSitemap: {base}/news.xml\nSitemap: {base}/old.xml\n")
    (root / "news.xml").write_text(urlset(FRESH, OLD, FRESH))
    (root / "old.xml").write_text(urlset(OLD, OLD))
    (root / "empty.xml").write_text(urlset())
    (root / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f'<item><link>{base}/news/a.html</link><pubDate>{NOW.strftime("%a, %d %b %Y %H:%M:%S +0000")}</pubDate></item>'
        f'</channel></rss>')
    (root / "broken.xml").write_text("<html><body><p>We moved our feeds.</p></body></html>")
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "local.toml").write_text(f'''
name = "local"
base_url = "{base}/"
[discovery]
news_sitemaps = ["/news.xml"]
sitemaps = ["/old.xml", "/empty.xml"]
feeds = ["/feed.xml", "/gone.xml", "/broken.xml"]
''')
    monkeypatch.setenv("NEWSCLEAN_SITES_DIR", str(sites))
    assert main(["sites", "local", "--check", "--workers", "3", "--timeout", "10"]) == 1
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    by_url = {r[6] if len(r) > 6 else r[-1]: r for r in rows[1:-1]}
    assert by_url[f"{base}/robots.txt"][1:6] == ["robots", "200", "2", "-", "ok"]
    assert by_url[f"{base}/news.xml"][1:6] == ["news_sitemap", "200", "3", FRESH[:10], "ok"]
    assert by_url[f"{base}/old.xml"][1:6] == ["sitemap", "200", "2", "2019-05-01", "stale"]
    assert by_url[f"{base}/empty.xml"][1:6] == ["sitemap", "200", "0", "-", "empty"]
    assert by_url[f"{base}/feed.xml"][1:6] == ["feed", "200", "1", NOW.strftime("%Y-%m-%d"), "ok"]
    assert by_url[f"{base}/gone.xml"][1:6] == ["feed", "404", "0", "-", "failed"]
    assert by_url[f"{base}/broken.xml"][1:6] == ["feed", "200", "0", "-", "failed"]
    assert rows[-1] == "7 sources of 1 site: 3 ok, 1 stale, 1 empty, 2 failed".split()
    # every source was asked for once, with the crawler's User-Agent
    hits = [h for h in server.hits if h.path.endswith((".txt", ".xml"))]
    assert len(hits) == 7 and all("newsclean/" in h.headers.get("User-Agent", "") for h in hits)


def test_check_of_a_healthy_site_exits_0_and_an_unreachable_one_is_a_row(site_server, tmp_path: Path, monkeypatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    server, root = site_server
    (root / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "calm.toml").write_text(f'name = "calm"\nbase_url = "{server.base_url}/"\n')
    monkeypatch.setenv("NEWSCLEAN_SITES_DIR", str(sites))
    assert main(["sites", "calm", "--check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 source of 1 site: 1 ok, 0 stale, 0 empty, 0 failed"
    server.stop()
    assert main(["sites", "calm", "--check", "--timeout", "5"]) == 1
    row = capsys.readouterr().out.splitlines()[1].split()
    assert row[:6] == ["calm", "robots", "-", "0", "-", "failed"]


def test_check_says_per_site_the_listed_entries_that_are_no_url(site_server, tmp_path: Path, monkeypatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    # A robots.txt, a sitemap and a feed each listing an entry that is no URL (an unclosed IPv6
    # bracket, a port out of range): skipped as a crawl skips them, and said on the source's row and
    # once for the site by the kind a crawl counts them under (newsclean/discovery/bad_url/<kind>).
    # Before: skipped without a word, the row 'ok' with one entry fewer.
    server, root = site_server
    base = server.base_url
    (root / "robots.txt").write_text(f"User-agent: *\nSitemap: http://[bad/sitemap.xml\nSitemap: {base}/news.xml\n")
    (root / "news.xml").write_text(urlset(FRESH).replace("</urlset>", "<url><loc>http://[bad/x/</loc></url>"
                                                          "<url><loc>http://127.0.0.1:99999/y/</loc></url></urlset>"))
    (root / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f'<item><link>{base}/news/a.html</link></item><item><link>http://[bad/z/</link></item></channel></rss>')
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "listy.toml").write_text(f'name = "listy"\nbase_url = "{base}/"\n[discovery]\n'
                                      'news_sitemaps = ["/news.xml"]\nfeeds = ["/feed.xml"]\n')
    monkeypatch.setenv("NEWSCLEAN_SITES_DIR", str(sites))
    assert main(["sites", "listy", "--check", "--timeout", "10"]) == 0   # the rest read: every source ok
    lines = capsys.readouterr().out.splitlines()
    rows = {line.split()[1]: line for line in lines[1:4]}
    assert rows["robots"].split()[1:6] == ["robots", "200", "1", "-", "ok"]
    assert rows["robots"].endswith("(skipped 1 that is no URL: 'http://[bad/sitemap.xml')")
    assert rows["news_sitemap"].split()[1:6] == ["news_sitemap", "200", "1", FRESH[:10], "ok"]
    assert rows["news_sitemap"].endswith("(skipped 2 that are no URL: 'http://[bad/x/')")
    assert rows["feed"].endswith("(skipped 1 that is no URL: 'http://[bad/z/')")
    assert lines[4:] == ["listy: 4 listed entries that are no URL skipped (bad_url/feed: 1, bad_url/robots: 1, "
                         "bad_url/sitemap: 2), as a crawl skips and counts them",
                         "3 sources of 1 site: 3 ok, 0 stale, 0 empty, 0 failed"]


def test_the_bundled_demo_is_served_for_its_check(capsys: pytest.CaptureFixture[str]) -> None:
    # before: its file's http://127.0.0.1:8000/ was probed, where nothing serves it: every source
    # "failed (Connection refused)", where `newsclean crawl demo` serves the site itself
    main(["sites", "demo", "--check", "--timeout", "20"])
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[1:-1]]
    assert rows and all(r[0] == "demo" and r[2] == "200" and r[5] in ("ok", "stale") for r in rows), rows
    assert {r[1] for r in rows} >= {"robots", "feed"}


ARTICLE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav><a href="/">Start</a></nav><article><h1>{title}</h1>
<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss im kommenden Frühjahr
zu sanieren, zwei Monate später als geplant, weil Gutachter Schäden an den Pfeilern gefunden haben.</p>
<p>Die Busse fahren bis dahin eine Umleitung über die Nordbrücke, teilte die Stadt mit; Radfahrer
und Fußgänger dürfen die Brücke weiter nutzen, solange die Arbeiten nicht begonnen haben.</p>
<p>Anwohner begrüßten die Entscheidung, warnten aber vor längeren Staus in der Innenstadt während
der Bauzeit, die nach Angaben der Verwaltung etwa ein Jahr dauern soll.</p>
</article></body></html>"""


def test_a_catalog_site_is_crawled_from_its_news_sitemap(site_server, tmp_path: Path) -> None:
    from ..conftest import read_parts, run_newsclean

    server, root = site_server
    base = server.base_url
    for slug in ("bruecke-wird-saniert", "umleitung-fuer-busse"):
        page = root / "nachrichten" / f"{slug}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(ARTICLE.format(title=slug.replace("-", " ").title()), encoding="utf-8")
    (root / "news.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        + "".join(f"<url><loc>{base}/nachrichten/{s}.html</loc><news:news><news:publication_date>{FRESH}"
                  f"</news:publication_date></news:news></url>" for s in ("bruecke-wird-saniert", "umleitung-fuer-busse"))
        + "</urlset>", encoding="utf-8")
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "stadtblatt.toml").write_text(f'''
name = "stadtblatt"
base_url = "{base}/"
country = "de"
languages = ["de"]
description = "An invented town paper"
[discovery]
robots = false
news_sitemaps = ["/news.xml"]
[articles]
allow = ['^/nachrichten/[a-z-]+\\.html$']
''', encoding="utf-8")
    out = tmp_path / "out"
    proc = run_newsclean("crawl", "stadtblatt", "--out", str(out), "-s", "AUTOTHROTTLE_ENABLED=False",
                         env={"NEWSCLEAN_SITES_DIR": str(sites)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    records = read_parts(out)
    assert sorted(r["url"] for r in records) == [f"{base}/nachrichten/bruecke-wird-saniert.html",
                                                 f"{base}/nachrichten/umleitung-fuer-busse.html"]
    assert {r["language"] for r in records} == {"de"} and {r["site"] for r in records} == {"stadtblatt"}
