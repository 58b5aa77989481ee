"""One spider class per registered site, so ``scrapy list`` / ``scrapy crawl <site>`` work.

Scrapy's spider loader is :class:`SiteSpiderLoader` (``SPIDER_LOADER_CLASS``): to the spiders of
``SPIDER_MODULES`` it adds a :class:`NewsSpider` subclass per site, made from the registry a
``newsclean`` command loaded and handed on in the settings (under plain ``scrapy``, loaded here:
a malformed site file fails with a message that names the file and the field).
"""

from __future__ import annotations

import sys

from scrapy.spiderloader import SpiderLoader

from newsclean.crawler.sites import Site, SiteConfigError, registry_from
from newsclean.crawler.spiders.news import NewsSpider


def site_spider(site: Site) -> type[NewsSpider]:
    """The spider class of one registered site: it carries its site (no lookup when it starts)."""
    return type(
        f"{site.name.title().replace('_', '')}Spider",
        (NewsSpider,),
        {"name": site.name, "registered_site": site, "__module__": __name__,
         "__doc__": f"Crawl the {site.name!r} site of the registry."},
    )


class SiteSpiderLoader(SpiderLoader):
    """Scrapy's loader, plus a spider per registered site."""

    def __init__(self, settings: object) -> None:
        super().__init__(settings)  # type: ignore[arg-type]
        try:
            registry = registry_from(settings)
        except SiteConfigError as exc:
            # Under plain `scrapy list` / `scrapy crawl` this loader is where the registry is read,
            # outside Scrapy's own error handling: one line and exit 2, as newsclean's commands do.
            print(f"newsclean: error: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
        # Scrapy's loader keeps its spiders by name in _spiders (stable through Scrapy 2.x).
        self._spiders.update((name, site_spider(site)) for name, site in registry.items())
