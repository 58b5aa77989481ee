"""Discovery is bounded per site and run (issue #14 point 2): sitemaps and feeds, the nesting
of sitemap indexes, and section pages. Real crawls against servers on 127.0.0.1 whose
sitemap indexes and pagination never end; before the bounds these crawls did not end."""

from __future__ import annotations

import re

from newsclean.crawler.hostile import XML, Ctx, Reply, article_html, sitemap_index, urlset


def test_endless_sitemaps_and_pagination_are_cut_and_counted() -> None:
    ctx = Ctx("bounds", 150)
    try:
        s = ctx.serve()
        # an index chain: each level lists the next and a leaf with one article
        s.route(r"/chain/(\d+)\.xml", lambda m, h: Reply(sitemap_index(
            [s.url(f"/chain/{int(m[1]) + 1}.xml"), s.url(f"/leaf/c{m[1]}.xml")]), ctype=XML))
        # a wide index: 30 leaves
        s.page("/wide.xml", sitemap_index(s.url(f"/leaf/w{i}.xml") for i in range(30)), XML)
        s.route(r"/leaf/(\w+)\.xml", lambda m, h: Reply(urlset([s.url(f"/a/story-{m[1]}-from-a-leaf/")]), ctype=XML))
        s.route(r"/a/story-(\w+)-from-a-leaf/", lambda m, h: article_html(sum(map(ord, m[1]))))
        s.page("/robots.txt", f"User-agent: *\nSitemap: {s.url('/chain/0.xml')}\n", "text/plain")
        s.page("/wide/robots.txt", f"User-agent: *\nSitemap: {s.url('/wide.xml')}\n", "text/plain")
        # pagination where every page links five new pages (and the ones before it)
        s.route(r"/news/(?:page/(\d+)/)?", lambda m, h: "<html><body>" + "".join(
            f'<a href="/news/page/{p}/">{p}</a>' for p in [*range(1, int(m[1] or 0)), *range(int(m[1] or 0) * 5 + 1,
                                                                                             int(m[1] or 0) * 5 + 6)])
            + "</body></html>")
        run = ctx.crawl(s.url("/"), s.url("/news/"), settings={
            "NEWSCLEAN_MAX_SITEMAP_DEPTH": 2, "NEWSCLEAN_MAX_SECTION_PAGES": 10})
        assert not run.timed_out and run.tracebacks == 0, run.stderr[-2000:]
        chain, sections = sorted(h.path for h in s.hits if h.path.startswith("/chain/")), s.count(r"^/news/")
        cut = {k.rsplit("/", 1)[1]: v for k, v in run.counts.items() if k.startswith("newsclean/discovery/cut/")}
        assert chain == ["/chain/0.xml", "/chain/1.xml", "/chain/2.xml"] and cut["sitemap_depth"] == 2, (chain, cut)
        assert sections == 1 + 10 and cut["section_pages"] > 0, (sections, cut)
        assert len(re.findall(r"discovery cut short", run.stderr)) == 2, run.stderr[-2000:]   # said once each
        assert len(run.records()) == 2, "the articles of the admitted sitemaps (c0, c1) are written"

        wide = ctx.crawl(s.url("/wide/robots.txt"), out=ctx.tmp / "wide", settings={"NEWSCLEAN_MAX_SITEMAPS": 12})
        assert not wide.timed_out and wide.tracebacks == 0, wide.stderr[-2000:]
        fetched = s.count(r"^/(wide\.xml|leaf/w)")
        assert fetched == 12 and wide.count("newsclean/discovery/cut/sitemaps") == 31 - 12, (fetched, wide.counts)
        assert len(wide.records()) == 11
    finally:
        ctx.close()


def test_a_sitemap_may_be_larger_than_an_article() -> None:
    """The sitemap protocol allows 50 MB: a sitemap over DOWNLOAD_MAXSIZE (an article page's
    bound) is still read, while an article over it is a too_large reject. Before, the sitemap
    was cancelled by the downloader and its articles never listed."""
    ctx = Ctx("big-sitemap", 120)
    try:
        s = ctx.serve()
        s.page("/a/small-story-of-the-day/", article_html(1))
        s.page("/a/huge-story-of-the-day/", article_html(2).replace(b"</article>", b"<p>" + b"word " * 300_000 + b"</p></article>"))
        padding = "".join(f"<url><loc>{s.url(f'/not-here/{i}-' + 'x' * 60 + '.pdf')}</loc></url>" for i in range(12_000))
        body = urlset([s.url("/a/small-story-of-the-day/"), s.url("/a/huge-story-of-the-day/")]).replace(
            b"</urlset>", padding.encode() + b"</urlset>")
        assert len(body) > 1_000_000
        s.page("/sitemap.xml", body, XML)
        run = ctx.crawl(s.url("/sitemap.xml"), settings={"DOWNLOAD_MAXSIZE": 1_000_000, "DOWNLOAD_WARNSIZE": 0})
        assert not run.timed_out and run.tracebacks == 0, run.stderr[-2000:]
        assert [r["url"] for r in run.records()] == [s.url("/a/small-story-of-the-day/")]
        assert [(r["url"], r["reason"]) for r in run.records("rejects")] == [(s.url("/a/huge-story-of-the-day/"), "too_large")]
        assert run.count("newsclean/discovery/invalid/") == 0
    finally:
        ctx.close()


def test_a_sitemap_too_large_is_said_in_one_line() -> None:
    """A sitemap announcing more than the documents' bound (60 MB), and one whose gzip encoding
    inflates past it: each skipped in one WARNING, the spider's, naming it. Before: Scrapy's own
    WARNING said each a second time ('Expected to receive 70000000 bytes which is larger than
    download max size', 'Ignored response ... exceeded DOWNLOAD_MAXSIZE during decompression'),
    the spider's line repeating its words; now it is at DEBUG."""
    from newsclean.crawler.hostile.cases_bounds import _oversize_documents

    ctx = Ctx("too-large-said-once", 120)
    try:
        s = ctx.serve()
        s.route(r"/a/story-(\d+)-of-the-day/", lambda m, h: article_html(int(m[1])))
        documents = {p: r for p, r in _oversize_documents(s, "sitemap").items() if not p.endswith(".gz")}
        for path, reply in documents.items():
            s.page(path, reply)
        s.page("/sitemap.xml", urlset(s.url(f"/a/story-{i}-of-the-day/") for i in range(2)), XML)
        s.page("/robots.txt", "User-agent: *\n" + "".join(f"Sitemap: {s.url(p)}\n" for p in ["/sitemap.xml", *documents]),
               "text/plain")
        run = ctx.crawl(s.url("/"))
        assert not run.timed_out and run.tracebacks == 0 and len(run.records()) == 2, run.stderr[-2000:]
        lines = [line for line in run.stderr.splitlines() if " WARNING: " in line or " ERROR: " in line]
        said = {p: [line.split("] ", 1)[0].rsplit("[", 1)[1] for line in lines if s.url(p) in line] for p in documents}
        assert said == {p: ["adhoc"] for p in documents}, lines
        assert run.count("newsclean/fetch/too_large") == 1 and run.count("newsclean/fetch/bomb") == 1
    finally:
        ctx.close()
