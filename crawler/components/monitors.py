"""Health checks of a finished crawl, run by spidermon when the spider closes.

Each check reads the run's stats and the site's ``[health]`` thresholds. The
:class:`RecordChecks` action writes every result to the stats
(``newsclean/health/<check>`` = ``"OK"`` or ``"FAIL: why"``), from where they reach the run
manifest and decide the exit code (:mod:`newsclean.crawler.components.health`).
"""

from __future__ import annotations

from typing import Any

from spidermon import MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor
from spidermon.core.actions import Action

from newsclean.crawler.components.health import (HEALTH_STATS, ITEMS_FAILED, TOO_OLD_STAT, UNCLEANED_STAT,
                                                 robots_unreachable_said)
from newsclean.crawler.workers.cleaning import STAT_SAVE_ERROR, STAT_SAVE_FAILED
from newsclean.crawler.sites import Health


def _sum(stats: dict[str, Any], prefix: str) -> int:
    return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, (int, float)))


def discovery_found(stats: dict[str, Any]) -> int:
    """Article URLs this worker found: scheduled or known already, listings unchanged since the
    last run, or (scale-out) articles it cleaned that another worker's discovery had queued —
    a worker that joins a Redis crawl may list nothing itself."""
    return (_sum(stats, "newsclean/discovery/articles_from/") + _sum(stats, "newsclean/store/skipped_")
            + _sum(stats, "newsclean/discovery/not_modified/") + _sum(stats, "newsclean/clean/articles"))


class _SiteMonitor(BaseScrapyMonitor):
    @property
    def health(self) -> Health:
        site = getattr(self.data.spider, "site", None)
        return site.health if site is not None else Health()

    @property
    def run_stats(self) -> dict[str, Any]:
        return self.data.stats


@monitors.name("crawl")
class CrawlMonitor(_SiteMonitor):
    """Did the crawl finish, find articles and write them?"""

    @monitors.name("finish_reason")
    def test_finish_reason(self) -> None:
        reason = self.run_stats.get("finish_reason")
        self.assertEqual(reason, "finished", msg=f"the crawl ended with {reason!r}")

    @monitors.name("discovery")
    def test_discovery(self) -> None:
        s = self.run_stats
        failed = _sum(s, "newsclean/fetch/failed/")
        invalid = _sum(s, "newsclean/discovery/invalid/")   # a bomb or junk sitemap/feed is no empty listing
        # a host whose robots.txt could not be had is disallowed: its listings were not even asked for
        robots = robots_unreachable_said(s)
        why = [f"{failed} discovery fetches failed"] if failed or not robots else []
        why += [f"{invalid} sitemaps/feeds invalid"] if invalid else []
        why += [robots] if robots else []
        self.assertTrue(discovery_found(s) > 0 or (failed + invalid == 0 and not robots),
                        msg="discovery failed: no article URL found, " + ", ".join(why))

    @monitors.name("articles_written")
    def test_articles_written(self) -> None:
        s = self.run_stats
        fetched = _sum(s, "newsclean/discovery/articles_from/")
        # Pages dropped uncleaned by the run's own setting (NEWSCLEAN_CLEAN_ENABLED=False, the
        # benchmark's fetch-only crawl) were meant to write nothing: settled, not lost; so were
        # articles older than --since (a first run '--since 2d' of a site listing no dates was
        # 'degraded', exit 1: a crontab's 'crawl ... && export ...' stopped there)
        settled = (s.get("newsclean/clean/articles", 0) + s.get("newsclean/store/not_modified", 0)
                   + s.get(UNCLEANED_STAT, 0) + s.get(TOO_OLD_STAT, 0))
        robots = robots_unreachable_said(s)   # (--urls: the articles of a host disallowed so)
        self.assertTrue(fetched == 0 or settled > 0,
                        msg=f"no article written although {fetched} article pages were scheduled"
                            + (f"; {robots}" if robots else ""))

    @monitors.name("items_failed")
    def test_items_failed(self) -> None:
        failed = self.run_stats.get(ITEMS_FAILED, 0)
        self.assertEqual(failed, 0, msg=f"{failed} page{'s' if failed != 1 else ''} failed in an item pipeline with an "
                                        "unexpected error, not written (the ERROR lines above say which)")

    @monitors.name("templates_saved")
    def test_templates_saved(self) -> None:
        s = self.run_stats
        failed = s.get(STAT_SAVE_FAILED, 0)
        # no article is lost, but every later run would learn the sites again, its boilerplate left
        # in until then, and say nothing of it under cron but a warning in the log
        self.assertEqual(failed, 0, msg=f"learned templates of {failed} site{'s' if failed != 1 else ''} not saved"
                                        f" ({s.get(STAT_SAVE_ERROR)})")


@monitors.name("rates")
class RateMonitor(_SiteMonitor):
    """Are failures and rejections within the site's thresholds?"""

    @monitors.name("error_rate")
    def test_error_rate(self) -> None:
        s = self.run_stats
        failed = _sum(s, "newsclean/fetch/failed/")
        total = failed + s.get("downloader/response_status_count/200", 0) + s.get(
            "downloader/response_status_count/304", 0)
        self._assert_rate(failed, total, self.health.max_error_rate, "fetches failed")

    @monitors.name("reject_rate")
    def test_reject_rate(self) -> None:
        s = self.run_stats
        rejected = _sum(s, "newsclean/clean/dropped/")
        total = rejected + s.get("newsclean/clean/articles", 0)
        self._assert_rate(rejected, total, self.health.max_reject_rate, "pages rejected")

    def _assert_rate(self, bad: int, total: int, limit: float, what: str) -> None:
        """``bad`` of ``total`` at most ``limit``, judged over at least ``min_pages_for_rates``."""
        if total < self.health.min_pages_for_rates:
            return
        rate = bad / total
        self.assertLessEqual(rate, limit, msg=f"{bad} of {total} {what} ({rate:.0%} > {limit:.0%})")

    @monitors.name("field_coverage")
    def test_field_coverage(self) -> None:
        s = self.run_stats
        articles = s.get("newsclean/clean/articles", 0)
        if articles < self.health.min_pages_for_rates:
            return
        short = []
        for name, minimum in self.health.coverage:
            share = s.get(f"newsclean/clean/field/{name}", 0) / articles
            if share < minimum:
                short.append(f"{name} {share:.0%} < {minimum:.0%}")
        self.assertFalse(short, msg="field coverage too low: " + ", ".join(short))


class RecordChecks(Action):
    """Write each check's outcome to the stats, for the manifest and the exit code."""

    def run_action(self) -> None:
        stats = self.data.crawler.stats
        for result in self.result.monitor_results:
            name = result.monitor.method_name.removeprefix("test_")
            status = result.status
            if status == "OK":
                stats.set_value(f"{HEALTH_STATS}/{name}", "OK")
            elif status in ("FAIL", "ERROR"):
                reason = str(result.reason or "").strip().splitlines()
                msg = reason[-1] if reason else status
                msg = msg.removeprefix("AssertionError: ").split(" : ", 1)[-1]
                stats.set_value(f"{HEALTH_STATS}/{name}", f"FAIL: {msg}")


class HealthSuite(MonitorSuite):
    monitors = [CrawlMonitor, RateMonitor]
    monitors_finished_actions = [RecordChecks]
