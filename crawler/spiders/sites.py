"""One spider class per registered site, so ``scrapy list`` / ``scrapy crawl <site>`` work.

Scrapy's spider loader is :class:`SiteSpiderLoader` (``SPIDER_LOADER_CLASS``): to the spiders of
``SPIDER_MODULES`` it adds a :class:`NewsSpider` subclass per site, made from the registry a
``newsclean`` command loaded and handed on in the settings (under plain ``scrapy``, loaded here:
a malformed site file fails with a message that names the file and the field).
"""

from __future__ import annotations

import sys

from scrapy import Request, Spider
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
    """Scrapy's loader, plus a spider per registered site.

    Only the loader's public interface (``load``, ``list``, ``find_by_request``; Scrapy's
    ``SPIDER_LOADER_CLASS`` protocol) is extended: the site spiders are kept here, not written
    into the private dict where Scrapy's loader keeps the spiders of ``SPIDER_MODULES``. A site
    spider wins over a module's spider of the same name.
    """

    def __init__(self, settings: object) -> None:
        super().__init__(settings)  # type: ignore[arg-type]
        try:
            registry = registry_from(settings)
        except SiteConfigError as exc:
            # Under plain `scrapy list` / `scrapy crawl` this loader is where the registry is read,
            # outside Scrapy's own error handling: one line and exit 2, as newsclean's commands do.
            print(f"newsclean: error: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
        self.site_spiders: dict[str, type[NewsSpider]] = {
            name: site_spider(site) for name, site in registry.items()}

    def load(self, spider_name: str) -> type[Spider]:
        spidercls = self.site_spiders.get(spider_name)
        return spidercls if spidercls is not None else super().load(spider_name)

    def list(self) -> list[str]:
        return list(dict.fromkeys([*super().list(), *self.site_spiders]))

    def find_by_request(self, request: Request) -> list[str]:
        found = [name for name in super().find_by_request(request) if name not in self.site_spiders]
        return found + [name for name, cls in self.site_spiders.items() if cls.handles_request(request)]
