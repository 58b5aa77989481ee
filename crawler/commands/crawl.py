"""Plain ``scrapy crawl`` in the newsclean project (``COMMANDS_MODULE``; ``newsclean crawl`` is
``cli.cmd_crawl``): Scrapy's own command, which first checks the spider's name and arguments.

Scrapy raises an unknown spider name as a KeyError traceback, and a bad ``-a`` (an unknown
``site=``, ``urls=`` that are no URLs, ``since=2 days``) or ``-s`` (``CONCURRENT_REQUESTS=2.5``,
``LOG_LEVEL=LOUD``, ``NEWSCLEAN_OUTPUT_COMPRESSION=bz2``) fails inside the crawl, a traceback of
its start, as does state it cannot open (an output directory that is a file, a state file that is
not SQLite, Redis not answering); here each is one line and exit 2 (Redis: 1), as newsclean's own
commands say them. And it takes the output directory's run lock, as newsclean crawl does (exit 3),
and ends with newsclean crawl's exit code: Scrapy's is 0 whatever the health checks found (1 for a
degraded or failed run, 130 for an interrupted one, its last line saying why).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import Any, NoReturn

from scrapy import signals
from scrapy.commands import crawl
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from newsclean.crawler.components import health
from newsclean.crawler.sites import UnknownSiteError, load_registry, unknown_name
from newsclean.crawler.state import StateError, check_state
from newsclean.crawler.state.lock import LockedError
from newsclean.crawler.state.redis_state import RedisUnavailable
from newsclean.output import OutputError
from newsclean.output.redact import mask_credentials
from newsclean.crawler.spiders.news import NewsSpider


def _refuse(message: str) -> NoReturn:
    print(f"newsclean: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def check_spider(spider_loader: Any, name: str, arguments: dict[str, Any]) -> None:
    """Refuse, as one line and exit 2, a spider name the project does not have and arguments its
    spider cannot start with (checked as its ``__init__`` reads them: NewsSpider.read_arguments)."""
    try:
        spidercls = spider_loader.load(name)
    except KeyError:
        _refuse(unknown_name(name, spider_loader.list(), kind="spider", listed_by="`scrapy list`"))
    if not issubclass(spidercls, NewsSpider):
        return
    known = NewsSpider.argument_names()
    for arg in arguments:   # Scrapy makes any other -a an attribute: a misspelt one did nothing
        near = difflib.get_close_matches(arg, known, n=1) if arg not in known else []
        if near:
            _refuse(f"scrapy crawl {name}: unknown argument -a {arg}; did you mean -a {near[0]}?")
    try:
        spidercls.read_arguments(**arguments)
    except UnknownSiteError as exc:
        _refuse(f"scrapy crawl {name}: -a site: {unknown_name(exc.name, load_registry())}")
    except ValueError as exc:   # a SiteConfigError among them: it names the field
        _refuse(f"scrapy crawl {name}: {exc}")


def _refuse_twice(spargs: list[str]) -> None:
    """A spider argument given twice with two values (``-a since=2d -a since=3d``, a cron line edited
    by appending) is refused, as newsclean's ``-s`` is: Scrapy kept the last without a word."""
    given: dict[str, str] = {}
    for arg in spargs:
        name, sep, value = arg.partition("=")
        if not sep:
            continue   # Scrapy's own 'Invalid -a value' says it
        if name in given and given[name] != value:
            _refuse(f"-a {name} given twice ({given[name]} and {value}): give it once")
        given[name] = value


class Command(crawl.Command):
    crawler: Crawler | None = None
    #: Why the crawl's spider closed (None: it never opened).
    finish_reason: str | None = None

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)
        self.crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)
        return self.crawler

    def _spider_closed(self, reason: str) -> None:
        self.finish_reason = reason

    def _health_exit(self) -> None:
        """newsclean crawl's exit code and last line, from the health of the crawl's final stats
        (read once the crawl is over: the checks write theirs when the spider closes)."""
        if self.exitcode or self.crawler is None or self.crawler.stats is None or self.finish_reason is None:
            return   # Scrapy's own failure to start: its 1
        stats = {**self.crawler.stats.get_stats(), "finish_reason": self.finish_reason}
        status, reason, _ = health.assess(stats)
        self.exitcode = health.EXIT_CODES[status]
        if self.exitcode:
            print(mask_credentials(f"newsclean: {status}: {reason}"), file=sys.stderr)

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        from newsclean.crawler.commands.cli import UsageError, check_overrides, settings_overrides

        _refuse_twice(opts.spargs)   # a list still: Scrapy makes it a dict in process_options
        super().process_options(args, opts)
        try:   # the checks of newsclean crawl's -s; before Scrapy's start reads them (LOG_LEVEL)
            check_overrides(settings_overrides(opts.set))
        except UsageError as exc:
            _refuse(str(exc))

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from newsclean.crawler.commands.cli import (EXIT_LOCKED, UsageError, check_line_model, check_run_id_unused,
                                                     lock_output, lock_state)

        if len(args) == 1 and self.crawler_process is not None:
            check_spider(self.crawler_process.spider_loader, args[0], opts.spargs)
        try:
            check_line_model()
        except UsageError as exc:
            _refuse(str(exc))
        out = self.settings.get("NEWSCLEAN_OUTPUT_DIR")
        lock = state_lock = None
        try:   # one run at a time on an output directory, as newsclean crawl: its state is the run's
            lock = lock_output(Path(out), "NEWSCLEAN_OUTPUT_DIR") if out else None
            if out:
                from newsclean.crawler.state import state_dir
                from newsclean.crawler.state.redis_state import redis_url

                check_run_id_unused({"NEWSCLEAN_RUN_ID": self.settings.get("NEWSCLEAN_RUN_ID")}, Path(out),
                                    None if redis_url(self.settings) else state_dir(self.settings))
            state_lock = lock_state(self.settings, Path(out) if out else None)
        except (UsageError, LockedError) as exc:
            if lock is not None:
                lock.release()
            if isinstance(exc, UsageError):
                _refuse(str(exc))
            print(mask_credentials(f"newsclean: {exc}"), file=sys.stderr)
            raise SystemExit(EXIT_LOCKED) from None
        try:
            check_state(self.settings)
            super().run(args, opts)
            self._health_exit()
        except StateError as exc:
            _refuse(str(exc))
        except LockedError as exc:   # a state file another program holds locked
            print(mask_credentials(f"newsclean: {exc}"), file=sys.stderr)
            raise SystemExit(EXIT_LOCKED) from None
        except OutputError as exc:   # a disk too full to open the state: as newsclean crawl says it
            print(mask_credentials(f"newsclean: failed: {exc.strerror or exc}"), file=sys.stderr)
            raise SystemExit(1) from None
        except RedisUnavailable as exc:
            print(mask_credentials(f"newsclean: failed: {exc}"), file=sys.stderr)
            raise SystemExit(1) from None
        finally:
            for held in (state_lock, lock):
                if held is not None:
                    held.release()
