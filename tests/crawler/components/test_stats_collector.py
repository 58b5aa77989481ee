"""The crawl's stats collector: Scrapy's in-memory one, read without Scrapy's per-read wrapper."""

from __future__ import annotations

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from newsclean.crawler import settings as project_settings
from newsclean.crawler.components.extensions import QuickStatsCollector


def test_the_crawl_collects_its_stats_without_scrapys_wrapper() -> None:
    stats_class = load_object(Settings(vars(project_settings)).get("STATS_CLASS"))
    assert issubclass(stats_class, MemoryStatsCollector)
    # Scrapy's own formats a name and raises an AttributeError on every read (5-6 µs a call)
    assert stats_class.__getattribute__ is object.__getattribute__


def test_the_quick_collector_keeps_the_same_stats() -> None:
    crawler = get_crawler()
    ours, scrapys = QuickStatsCollector(crawler), MemoryStatsCollector(crawler)
    for stats in (ours, scrapys):
        stats.inc_value("a")
        stats.inc_value("a", 4)
        stats.inc_value("b", 2, start=10)
        stats.set_value("c", [1, 2])
        stats.max_value("d", 3)
        stats.max_value("d", 1)
        stats.min_value("e", 3)
        stats.min_value("e", 1)
        stats.inc_value("f", spider=None)   # the old calling form still works
    assert ours.get_stats() == scrapys.get_stats() == {"a": 5, "b": 12, "c": [1, 2], "d": 3, "e": 1, "f": 1}
    assert ours.get_value("a") == 5 and ours.get_value("missing", 0) == 0
