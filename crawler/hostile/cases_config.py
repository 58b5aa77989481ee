"""Hostile cases of a site's configuration: a site file whose pattern backtracks without end on
a URL that almost matches (session 43; session 44: the regex module, a CPU bound on each match)."""

from __future__ import annotations

from newsclean.crawler.hostile import XML, Ctx, Outcome, article_html, case, crawl_args, urlset


@case("catastrophic-site-pattern", bound=60)
def catastrophic_site_pattern(ctx: Ctx) -> Outcome:
    """A site file whose article pattern backtracks on every split of a near-miss
    (``^/a/(a|aa)+/$``), its sitemap listing a 40-character near-miss: refused at load, one line
    naming the file, the field and the near-miss it was tried on, nothing fetched. Before: loaded,
    and the spider's match of the near-miss held the reactor for hours: the run killed at the
    bound, nothing said (session 43: ``^/a/([a-z0-9]+-?)+/$``, which the regex module now reads in
    polynomial time: :func:`site_pattern_past_its_bound`)."""
    s = ctx.serve()
    s.route(r"/a/.*", lambda m, h: article_html(1))
    s.page("/robots.txt", f"User-agent: *\nSitemap: {s.url('/sitemap.xml')}\n", "text/plain")
    s.page("/sitemap.xml", urlset([s.url("/a/storm-hits-the-coast/"), s.url("/a/" + "a" * 40 + "_/")]), XML)
    sites = ctx.tmp / "sites"
    sites.mkdir()
    (sites / "trappy.toml").write_text(f'name = "trappy"\nbase_url = "{s.url("/")}"\n[articles]\n'
                                       "allow = ['^/a/(a|aa)+/$']\n")
    out = ctx.tmp / "out"
    run = ctx.newsclean(*crawl_args([], out, args=["trappy"]), out=out, env={"NEWSCLEAN_SITES_DIR": str(sites)})
    said = [line for line in run.stderr.splitlines() if "trappy.toml" in line and "articles.allow[0]" in line]
    held = (not run.timed_out and run.code not in (0, None) and run.tracebacks == 0 and len(said) == 1
            and "backtracks on '/a/aaaa" in said[0] and s.count() == 0)
    return Outcome(held, f"said {said[:1]}, {s.count()} requests, {run}")


@case("site-pattern-past-its-bound", bound=90)
def site_pattern_past_its_bound(ctx: Ctx) -> Outcome:
    """Site patterns that pass the load's tries: session 43's ``^/a/([a-z0-9]+-?)+/$`` (the
    regex module reads it in polynomial time) and a deny pattern whose near-miss those tries do not
    build (``^/a/[^/]*/(a|aa)+$``: a segment, then the repeat), the sitemap listing a near-miss of
    each. The first answers; the second passes its CPU bound on its URL: skipped, counted in
    ``newsclean/sites/pattern_timeout``, the file and field said once; the story is written.
    Before: the spider's match of either held the reactor for hours."""
    s = ctx.serve()
    s.route(r"/a/.*", lambda m, h: article_html(1))
    s.page("/robots.txt", f"User-agent: *\nSitemap: {s.url('/sitemap.xml')}\n", "text/plain")
    near = ["/a/" + "a" * 40 + "_/", "/a/x/" + "a" * 40 + "!", "/a/x/" + "a" * 41 + "!"]
    s.page("/sitemap.xml", urlset([s.url("/a/storm-hits-the-coast/"), *(s.url(u) for u in near)]), XML)
    sites = ctx.tmp / "sites"
    sites.mkdir()
    (sites / "slow.toml").write_text(f'name = "slow"\nbase_url = "{s.url("/")}"\n[articles]\n'
                                     "allow = ['^/a/([a-z0-9]+-?)+/$']\ndeny = ['^/a/[^/]*/(a|aa)+$']\n")
    out = ctx.tmp / "out"
    run = ctx.newsclean(*crawl_args([], out, args=["slow"]), out=out, env={"NEWSCLEAN_SITES_DIR": str(sites)})
    said = [line for line in run.stderr.splitlines() if "slow.toml" in line and "articles.deny[0]" in line]
    urls = [r.get("url", "") for r in run.records()]
    held = (not run.timed_out and run.code == 0 and run.tracebacks == 0 and len(said) == 1
            and run.count("newsclean/sites/pattern_timeout") == 2 and len(urls) == 1 and urls[0].endswith("/a/storm-hits-the-coast/"))
    return Outcome(held, f"said {said[:1]}, {run.count('newsclean/sites/pattern_timeout')} timed out, wrote {urls}, {run}")
