"""The address guard against a hostile site: redirects to loopback, private and metadata
addresses in every spelling, and host names that resolve to them, are refused before any
connection (crawls here only ever reach 127.0.0.1; other addresses are proven by unit tests)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from newsclean.crawler.components.warc import WarcResponse, iter_warc

from ...conftest import read_parts, run_newsclean
from ...e2e.test_e2e_bad_input import ARTICLE

RESOLVER = ["-s", "TWISTED_DNS_RESOLVER=newsclean.crawler.hostile.names.LoopbackNames"]

#: Redirect targets: 127.0.0.1 spelled in every way a URL can, and names the test resolver
#: maps to 127.0.0.1 that the site did not name. None may reach the server. (``0``, i.e.
#: 0.0.0.0, is refused too, but a crawl here only ever points at 127.0.0.0/8: see the unit
#: tests in test_middlewares.py.)
HOSTILE = {
    "decimal": "2130706433", "hex": "0x7f000001", "short": "127.1", "octal": "0177.0.0.1",
    "dotted-hex": "0x7f.0.0.1", "mapped-v6": "[::ffff:127.0.0.1]",
    "in-domain": "intranet.news.test", "stranger": "evil.example.test",
}


def manifest_of(out: Path) -> dict:
    (path,) = (out / "manifests").glob("*.json")
    return orjson.loads(path.read_bytes())


@pytest.fixture
def hostile_site(site_server):
    server, root = site_server
    port = server.base_url.rsplit(":", 1)[1]
    base = f"http://news.test:{port}"

    def page(path: str, content: str) -> None:
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)

    page("/2026/01/01/harbour-berth-delayed/index.html", ARTICLE.format(title="Harbour berth delayed"))
    locs = [f"{base}/2026/01/01/harbour-berth-delayed/"]
    for i, (name, host) in enumerate(HOSTILE.items(), start=2):
        path = f"/2026/01/{i:02d}/moved-{name}/"
        server.redirect(path, f"http://{host}:{port}/secret/{name}")
        locs.append(base + path)
    # robots.txt itself redirects away: the robots request is guarded too
    server.redirect("/robots.txt", f"http://127.1:{port}/secret/robots")
    page("/sitemap.xml", '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         + "".join(f"<url><loc>{u}</loc></url>" for u in locs) + "</urlset>")
    return server, base


def test_redirects_to_loopback_spellings_and_names_never_reach_the_server(hostile_site, tmp_path: Path) -> None:
    server, base = hostile_site
    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", base + "/sitemap.xml", "--out", str(out), "--warc", *RESOLVER,
                         "-s", "RETRY_TIMES=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0")
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    secret = [h.path for h in server.hits if h.path.startswith("/secret/")]
    assert secret == [], f"reached the server: {secret}"
    assert any(h.path.startswith("/2026/01/01/") for h in server.hits)
    counts = manifest_of(out)["counts"]
    assert counts.get("newsclean/guard/refused_private") == len(HOSTILE) + 1   # + robots.txt
    assert [r["url"] for r in read_parts(out)] == [f"{base}/2026/01/01/harbour-berth-delayed/"]
    rejects = read_parts(out, "rejects")   # each refused article says so, without the refused URL
    assert sorted(r["reason"] for r in rejects) == ["refused"] * len(HOSTILE)
    assert not any("secret" in orjson.dumps(r).decode() or "127.0.0.1" in r["detail"] for r in rejects), rejects
    assert {r["detail"] for r in rejects} == {"address guard: loopback address (after a redirect)"}
    (warc,) = (out / "warc").glob("*.warc.gz")
    archived = [r.url for r in iter_warc(warc) if isinstance(r, WarcResponse)]
    assert archived and not any("/secret/" in u for u in archived)
    # one counted line per refusal, nothing more; robots.txt's is the robots.txt middleware's (the
    # guard's own was a second WARNING for it until session 43)
    for name in [*HOSTILE, "robots"]:
        lines = [ln for ln in proc.stderr.splitlines() if f"/secret/{name}" in ln]
        said = "WARNING: robots.txt of" if name == "robots" else "WARNING: refused"
        assert len(lines) == 1 and said in lines[0], lines


def test_article_redirected_off_the_site_is_refused(site_server, tmp_path: Path) -> None:
    """Article requests skip Scrapy's offsite filter (dont_filter, for the store), and so did
    their redirects: with private addresses allowed, one to another host reached it."""
    server, root = site_server
    port = server.base_url.rsplit(":", 1)[1]
    base = f"http://news.test:{port}"
    target = root / "2026/01/01/harbour-berth-delayed/index.html"
    target.parent.mkdir(parents=True)
    target.write_text(ARTICLE.format(title="Harbour berth delayed"))
    server.redirect("/2026/01/02/moved-away/", f"http://elsewhere.test:{port}/secret/offsite")
    server.redirect("/2026/01/03/moved-within/", f"http://www.news.test:{port}/2026/01/01/harbour-berth-delayed/")
    (root / "sitemap.xml").write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + "".join(
        f"<url><loc>{base}{p}</loc></url>" for p in ("/2026/01/01/harbour-berth-delayed/", "/2026/01/02/moved-away/",
                                                     "/2026/01/03/moved-within/")) + "</urlset>")
    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", base + "/sitemap.xml", "--out", str(out), *RESOLVER,
                         "-s", "NEWSCLEAN_ALLOW_PRIVATE_ADDRESSES=True", "-s", "AUTOTHROTTLE_ENABLED=False")
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert not [h.path for h in server.hits if h.path.startswith("/secret/")]
    assert manifest_of(out)["counts"].get("newsclean/guard/refused_offsite") == 1
    hosts = [h.headers.get("Host", "") for h in server.hits]
    assert any(h.startswith("www.news.test") for h in hosts)     # a redirect within the site's domain is followed
