"""One spider class per registered site, so ``scrapy list`` / ``scrapy crawl <site>`` work.

The classes are made from the registry at import time; each is a :class:`NewsSpider` whose
``site_name`` picks its site. A malformed site file fails here with a message that names
the file and the field.
"""

from __future__ import annotations

from newsclean.crawler.sites import load_registry
from newsclean.crawler.spiders.news import NewsSpider


def _spider_class(site_name: str) -> type[NewsSpider]:
    return type(
        f"{site_name.title().replace('_', '')}Spider",
        (NewsSpider,),
        {"name": site_name, "site_name": site_name, "__module__": __name__,
         "__doc__": f"Crawl the {site_name!r} site of the registry."},
    )


for _name in load_registry():
    _cls = _spider_class(_name)
    globals()[_cls.__name__] = _cls
del _name, _cls  # the loader lists every spider class in the module: no aliases
