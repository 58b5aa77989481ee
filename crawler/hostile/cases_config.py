"""Hostile cases of a site's configuration: a site file whose pattern backtracks without end on
a URL that almost matches (session 43)."""

from __future__ import annotations

from newsclean.crawler.hostile import XML, Ctx, Outcome, article_html, case, crawl_args, urlset


@case("catastrophic-site-pattern", bound=60)
def catastrophic_site_pattern(ctx: Ctx) -> Outcome:
    """A site file whose article pattern repeats a repeat (``^/a/([a-z0-9]+-?)+/$``), its
    sitemap listing a 40-character near-miss: refused at load, one line naming the file and the
    field, nothing fetched. Before: loaded, and the spider's match of the near-miss held the
    reactor for hours (2^40 ways to split it): the run killed at the bound, nothing said."""
    s = ctx.serve()
    s.route(r"/a/.*", lambda m, h: article_html(1))
    s.page("/robots.txt", f"User-agent: *\nSitemap: {s.url('/sitemap.xml')}\n", "text/plain")
    s.page("/sitemap.xml", urlset([s.url("/a/storm-hits-the-coast/"), s.url("/a/" + "a" * 40 + "_/")]), XML)
    sites = ctx.tmp / "sites"
    sites.mkdir()
    (sites / "trappy.toml").write_text(f'name = "trappy"\nbase_url = "{s.url("/")}"\n[articles]\n'
                                       "allow = ['^/a/([a-z0-9]+-?)+/$']\n")
    out = ctx.tmp / "out"
    run = ctx.newsclean(*crawl_args([], out, args=["trappy"]), out=out, env={"NEWSCLEAN_SITES_DIR": str(sites)})
    said = [line for line in run.stderr.splitlines() if "trappy.toml" in line and "articles.allow[0]" in line]
    held = (not run.timed_out and run.code not in (0, None) and run.tracebacks == 0 and len(said) == 1
            and "repeats a group" in said[0] and s.count() == 0)
    return Outcome(held, f"said {said[:1]}, {s.count()} requests, {run}")
