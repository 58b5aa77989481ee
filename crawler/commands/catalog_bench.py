"""Check the publisher catalog against the Fundus benchmark pages, offline.

    python -m newsclean.crawler.commands.catalog_bench ../shared/bench/fundus-dev [--verbose]

Layout: ``<cc>/meta.info`` (each page's URL) beside ``<cc>/<Publisher>_<date>.html.gz``. For
each page: which catalog site claims its URL, whether that site's URL rules take the URL as an
article (as a sitemap or feed would list it, and as a section page would link it), and whether
cleaning the page with the site's rules gives an article. One line per publisher, then totals.
Exit 1 when a page of a catalog site fails either check.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from newsclean.cleaners import Article, clean_html
from newsclean.crawler.sites import Site, load_registry, site_for_url


@dataclass
class Tally:
    """One benchmark publisher's pages and how the catalog did on them."""

    publisher: str                      # <cc>/<Publisher> of the benchmark
    site: str = ""                      # the catalog site claiming its URLs ("" = none)
    pages: int = 0
    listed_ok: int = 0                  # URL taken as an article when a sitemap or feed lists it
    linked_ok: int = 0                  # ... and when a section page links it
    articles: int = 0                   # cleaning gave an Article
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.site or (self.listed_ok == self.articles == self.pages)


def check_page(site: Site, url: str, html: str, tally: Tally) -> None:
    tally.pages += 1
    if site.is_article_url(url, listed=True):
        tally.listed_ok += 1
    else:
        tally.problems.append(f"URL rules refuse {url}")
    tally.linked_ok += site.is_article_url(url)
    result = clean_html(html, url, site.rules)
    if isinstance(result, Article):
        tally.articles += 1
    else:
        tally.problems.append(f"cleaning rejected {url}: {result.reason} {result.detail or ''}".rstrip())


def run(root: Path, registry: dict[str, Site]) -> list[Tally]:
    tallies: dict[str, Tally] = {}
    for meta_path in sorted(root.glob("*/meta.info")):
        meta = json.loads(meta_path.read_text("utf-8"))
        for page, info in sorted(meta.items()):
            path = meta_path.parent / page
            publisher = f"{meta_path.parent.name}/{page.split('_', 1)[0]}"
            tally = tallies.setdefault(publisher, Tally(publisher))
            site = site_for_url(info["url"], registry)
            if site is None:
                tally.pages += 1
                continue
            tally.site = site.name
            if not path.exists():
                tally.problems.append(f"missing page {path}")
                continue
            check_page(site, info["url"], gzip.decompress(path.read_bytes()).decode("utf-8", "replace"), tally)
    return list(tallies.values())


def report(tallies: list[Tally], verbose: bool = False) -> str:
    lines = [f"{'publisher':28} {'site':24} {'pages':>5} {'listed':>6} {'linked':>6} {'article':>7}"]
    for t in tallies:
        if not t.site:
            lines.append(f"{t.publisher:28} {'(not in the catalog)':24} {t.pages:5}")
            continue
        if verbose or not t.ok:
            lines.append(f"{t.publisher:28} {t.site:24} {t.pages:5} {t.listed_ok:6} {t.linked_ok:6} {t.articles:7}")
            lines += [f"    {p}" for p in t.problems]
    covered = [t for t in tallies if t.site]
    pages = sum(t.pages for t in covered)
    lines.append(
        f"catalog publishers: {len(covered)} of {len(tallies)} in the benchmark; their pages: {pages} "
        f"(URL taken as an article when listed: {sum(t.listed_ok for t in covered)}, when linked from a "
        f"section: {sum(t.linked_ok for t in covered)}; cleaned to an article: {sum(t.articles for t in covered)}); "
        f"pages of publishers not in the catalog: {sum(t.pages for t in tallies if not t.site)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m newsclean.crawler.commands.catalog_bench",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset", type=Path, help="a Fundus-layout benchmark folder (e.g. ../shared/bench/fundus-dev)")
    ap.add_argument("-v", "--verbose", action="store_true", help="a line for every publisher, not only failing ones")
    args = ap.parse_args(argv)
    if not any(args.dataset.glob("*/meta.info")):
        print(f"catalog_bench: error: {args.dataset}: no <cc>/meta.info files (not a Fundus-layout folder)",
              file=sys.stderr)
        return 2
    tallies = run(args.dataset, load_registry())
    print(report(tallies, args.verbose))
    return 0 if all(t.ok for t in tallies) else 1


if __name__ == "__main__":
    sys.exit(main())
