"""The crawl's log: records every handler would drop are not built."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from newsclean.crawler.components.logs import skip_dropped_records


@pytest.fixture
def root_handlers() -> Iterator[list[logging.Handler]]:
    """The root logger's handlers (emptied in the test: pytest adds its own for the test's
    call) and its level, put back afterwards."""
    root = logging.root
    saved, level = list(root.handlers), root.level
    try:
        yield root.handlers
    finally:
        root.handlers[:] = saved
        root.setLevel(level)


def _as_scrapy_leaves_it(*levels: int) -> None:
    """The root logger as Scrapy leaves it (NOTSET), with handlers of these levels only."""
    logging.root.handlers[:] = [_handler(level) for level in levels]
    logging.root.setLevel(logging.NOTSET)


def _handler(level: int) -> logging.Handler:
    handler = logging.NullHandler()
    handler.setLevel(level)
    return handler


def test_records_below_every_handler_are_not_built(root_handlers: list[logging.Handler]) -> None:
    _as_scrapy_leaves_it(logging.INFO, logging.WARNING)   # Scrapy's LOG_LEVEL and a second one
    scraper = logging.getLogger("scrapy.core.scraper")   # "Scraped from ..." at DEBUG, once a page
    skip_dropped_records()
    assert not scraper.isEnabledFor(logging.DEBUG)
    assert scraper.isEnabledFor(logging.INFO)


@pytest.mark.parametrize("levels", [[logging.DEBUG], [logging.INFO, logging.NOTSET], []])
def test_a_handler_that_takes_them_keeps_them(root_handlers: list[logging.Handler], levels: list[int]) -> None:
    _as_scrapy_leaves_it(*levels)
    skip_dropped_records()
    assert logging.getLogger("scrapy.core.engine").isEnabledFor(logging.DEBUG)


def test_a_logger_with_a_level_of_its_own_keeps_it(root_handlers: list[logging.Handler]) -> None:
    _as_scrapy_leaves_it(logging.WARNING)
    own = logging.getLogger("newsclean.test.own_level")
    own.setLevel(logging.DEBUG)
    try:
        skip_dropped_records()
        assert own.isEnabledFor(logging.DEBUG)
    finally:
        own.setLevel(logging.NOTSET)
