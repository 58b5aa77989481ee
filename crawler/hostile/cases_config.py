"""Hostile cases of a site's configuration: a site file whose pattern backtracks without end on
a URL that almost matches (session 43; session 44: the regex module, a CPU bound on each match)."""

from __future__ import annotations

from newsclean.crawler.hostile import XML, Ctx, HostileServer, Outcome, Run, article_html, case, crawl_args, urlset


def _crawl_with_patterns(ctx: Ctx, name: str, articles: str, near: list[str]) -> tuple[HostileServer, Run, list[str]]:
    """A server of one story (/a/storm-hits-the-coast/) whose sitemap lists ``near`` too, crawled
    as site ``name`` of a site file whose [articles] table is ``articles``: the server, the run,
    and the stderr lines naming the file."""
    s = ctx.serve()
    s.route(r"/a/.*", lambda m, h: article_html(1))
    s.page("/robots.txt", f"User-agent: *\nSitemap: {s.url('/sitemap.xml')}\n", "text/plain")
    s.page("/sitemap.xml", urlset([s.url("/a/storm-hits-the-coast/"), *(s.url(u) for u in near)]), XML)
    sites = ctx.tmp / "sites"
    sites.mkdir()
    (sites / f"{name}.toml").write_text(f'name = "{name}"\nbase_url = "{s.url("/")}"\n[articles]\n{articles}')
    out = ctx.tmp / "out"
    run = ctx.newsclean(*crawl_args([], out, args=[name]), out=out, env={"NEWSCLEAN_SITES_DIR": str(sites)})
    return s, run, [line for line in run.stderr.splitlines() if f"{name}.toml" in line]


@case("catastrophic-site-pattern", bound=60)
def catastrophic_site_pattern(ctx: Ctx) -> Outcome:
    """A site file whose article pattern backtracks on every split of a near-miss
    (``^/a/(a|aa)+/$``), its sitemap listing a 40-character near-miss: refused at load, one line
    naming the file, the field and the near-miss it was tried on, nothing fetched. Before: loaded,
    and the spider's match of the near-miss held the reactor for hours: the run killed at the
    bound, nothing said (session 43: ``^/a/([a-z0-9]+-?)+/$``, which the regex module now reads in
    polynomial time: :func:`site_pattern_past_its_bound`)."""
    s, run, said = _crawl_with_patterns(ctx, "trappy", "allow = ['^/a/(a|aa)+/$']\n", ["/a/" + "a" * 40 + "_/"])
    said = [line for line in said if "articles.allow[0]" in line]
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
    _, run, said = _crawl_with_patterns(ctx, "slow", "allow = ['^/a/([a-z0-9]+-?)+/$']\ndeny = ['^/a/[^/]*/(a|aa)+$']\n",
                                        ["/a/" + "a" * 40 + "_/", "/a/x/" + "a" * 40 + "!", "/a/x/" + "a" * 41 + "!"])
    said = [line for line in said if "articles.deny[0]" in line]
    urls = [r.get("url", "") for r in run.records()]
    timed_out = run.count("newsclean/sites/pattern_timeout")
    held = (not run.timed_out and run.code == 0 and run.tracebacks == 0 and len(said) == 1 and timed_out == 2
            and len(urls) == 1 and urls[0].endswith("/a/storm-hits-the-coast/"))
    return Outcome(held, f"said {said[:1]}, {timed_out} timed out, wrote {urls}, {run}")


@case("site-pattern-spent", bound=90)
def site_pattern_spent(ctx: Ctx) -> Outcome:
    """A deny pattern the load's tries let through (``^/a/[^/]*/(a|aa)+$``) and a sitemap listing
    the story, then 300 URLs near-missing it: each match past the bound holds the reactor 0.1 s.
    After ``PATTERN_TIMEOUTS_A_RUN`` (20) the question is asked no more: the other 280 skipped
    unasked (``newsclean/sites/pattern_spent``), said once; the story (listed first) written.
    Before: all 300 were matched, 30 s of the reactor (50,000 such URLs: 83 minutes)."""
    from newsclean.crawler.spiders.news import PATTERN_TIMEOUTS_A_RUN

    near = [f"/a/x{k}/" + "a" * 40 + "!" for k in range(300)]
    _, run, said = _crawl_with_patterns(ctx, "spent", "deny = ['^/a/[^/]*/(a|aa)+$']\n", near)
    timed_out, spent = run.count("newsclean/sites/pattern_timeout"), run.count("newsclean/sites/pattern_spent")
    urls = [r.get("url", "") for r in run.records()]
    held = (not run.timed_out and run.code == 0 and run.tracebacks == 0 and timed_out == PATTERN_TIMEOUTS_A_RUN
            and spent == len(near) - PATTERN_TIMEOUTS_A_RUN and len(said) == 2 and "asked no more" in said[1]
            and len(urls) == 1 and urls[0].endswith("/a/storm-hits-the-coast/"))
    return Outcome(held, f"{timed_out} timed out, {spent} skipped unasked, said {len(said)}, wrote {urls}, {run}")
