"""newsclean.crawler.commands.sitequeue: which crawl's end stops the run's further sites."""

from __future__ import annotations

import types
from typing import Any

import pytest
from twisted.internet.defer import Deferred

from newsclean.crawler.commands.sitequeue import STAT_NOT_STARTED, SiteRunner


class _Process:
    """A CrawlerProcess's create_crawler and crawl: each crawl ends when the test says."""

    def __init__(self) -> None:
        self.crawls: dict[str, tuple[Any, Deferred]] = {}

    def create_crawler(self, spider: str) -> Any:
        stats: dict[str, Any] = {}
        return types.SimpleNamespace(name=spider, spider=None, stats=types.SimpleNamespace(get_stats=lambda: stats),
                                     final=stats)

    def crawl(self, crawler: Any, **_: Any) -> Deferred:
        d: Deferred = Deferred()
        self.crawls[crawler.name] = (crawler, d)
        return d

    def end(self, name: str, **stats: Any) -> None:
        crawler, d = self.crawls[name]
        crawler.final.update(stats)
        d.callback(None)


@pytest.mark.parametrize(("error", "stops"), [
    ("disk full (/out/state/articles.sqlite3)", True),
    # before: the next site started and met the same lock at its first write (after its 5 s busy timeout)
    ("another program holds /out/state/articles.sqlite3 locked (an sqlite3 shell or a database browser in a "
     "transaction?): end its transaction, then run again", True),
    ("output failed: something else", False),
])
def test_a_crawl_stopped_on_the_shared_state_starts_no_further_site(error: str, stops: bool) -> None:
    process = _Process()
    runner = SiteRunner(process, [("a", {}), ("b", {}), ("c", {})], limit=2)
    runner.start()
    assert list(process.crawls) == ["a", "b"]
    process.end("a", finish_reason="output_error", **{"newsclean/output/error": error})
    assert list(process.crawls) == (["a", "b"] if stops else ["a", "b", "c"])
    process.end("b", finish_reason="output_error", **{"newsclean/output/error": error})
    if stops:
        assert runner.per_site()["c"] == {"finish_reason": "output_error", STAT_NOT_STARTED: 1}
