"""newsclean.crawler.commands.sitequeue: which crawl's end stops the run's further sites."""

from __future__ import annotations

import errno
import sqlite3
import types
from pathlib import Path
from typing import Any

import pytest
from twisted.internet.defer import Deferred

from newsclean.crawler.commands.sitequeue import STAT_NOT_STARTED, SiteRunner
from newsclean.output import OutputError


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


def _output_error(tmp_path: Path, exc: BaseException) -> str:
    """The ``newsclean/output/error`` a crawl's output ends with after ``exc``: what
    ``stop_for_disk_full`` builds for it, else what the output pipeline sets (``str(exc)``), not
    a copy of either's wording (a reworded message then still says whether the run stops)."""
    from scrapy.utils.test import get_crawler

    from newsclean.crawler.components.extensions import OUTPUT_ERROR, stop_for_disk_full

    crawler = get_crawler(settings_dict={"NEWSCLEAN_OUTPUT_DIR": str(tmp_path)})
    crawler.stats.open_spider()
    crawler.spider = types.SimpleNamespace()                    # no article store
    crawler.engine = types.SimpleNamespace(running=False)       # the crawl's engine, not to be stopped here
    if not stop_for_disk_full(crawler, exc):
        crawler.stats.set_value(OUTPUT_ERROR, str(exc))
    return str(crawler.stats.get_value(OUTPUT_ERROR))


def _locked(tmp_path: Path) -> sqlite3.OperationalError:
    """The error of a write to a state file whose lock another connection holds."""
    path = tmp_path / "state" / "articles.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError) as info:
            sqlite3.connect(path, timeout=0, isolation_level=None).execute("BEGIN IMMEDIATE")
    finally:
        other.close()
    return info.value


@pytest.mark.parametrize(("cause", "stops"), [
    ("full", True),
    # before: the next site started and met the same lock at its first write (after its 5 s busy timeout)
    ("locked", True),
    # before: a mount gone read-only: the next site started and failed at its first write alike
    ("read-only", True),
    ("other", False),
])
def test_a_crawl_stopped_on_the_shared_state_starts_no_further_site(tmp_path: Path, cause: str, stops: bool) -> None:
    exc = {"full": lambda: OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "articles" / "p.tmp")),
           "locked": lambda: _locked(tmp_path),
           "read-only": lambda: OutputError(errno.EROFS, f"cannot write {tmp_path / 'articles' / '.part-x.tmp'}: "
                                                          "read-only file system"),
           "other": lambda: OutputError(errno.EACCES, "cannot write the manifest: permission denied")}[cause]()
    error = _output_error(tmp_path, exc)
    process = _Process()
    runner = SiteRunner(process, [("a", {}), ("b", {}), ("c", {})], limit=2)
    runner.start()
    assert list(process.crawls) == ["a", "b"]
    process.end("a", finish_reason="output_error", **{"newsclean/output/error": error})
    assert list(process.crawls) == (["a", "b"] if stops else ["a", "b", "c"])
    process.end("b", finish_reason="output_error", **{"newsclean/output/error": error})
    if stops:
        assert runner.per_site()["c"] == {"finish_reason": "output_error", STAT_NOT_STARTED: 1}
