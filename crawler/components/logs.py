"""One line per problem in the operator's log.

Network failures that newsclean already counts and reports (connection refused, DNS,
timeouts) are logged by Scrapy's components with full tracebacks, and spidermon prints each
failed check as a unittest traceback. Under cron that buries the one line that matters;
this filter folds such records into their last line. Real bugs keep their tracebacks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from newsclean.output.sqlite import is_disk_full

#: Exception class names whose tracebacks say nothing the message does not.
EXPECTED = {"ConnectionRefusedError", "ConnectError", "DNSLookupError", "TimeoutError", "TCPTimedOutError",
            "ResponseNeverReceived", "ConnectionLost", "ConnectionDone", "IgnoreRequest", "HttpError",
            "ResponseFailed", "DownloadTimeoutError", "DownloadConnectionRefusedError", "CannotResolveHostError",
            "DownloadFailedError", "RedisUnavailable", "ConnectionError", "BusyLoadingError",
            # Redis refusing writes mid-crawl (full under maxmemory, a replica after a failover): the
            # worker stops saying so; each page's write was a traceback of its own
            "OutOfMemoryError", "ReadOnlyError"}


def causes(exc: BaseException | None, limit: int = 10) -> Iterator[BaseException]:
    """``exc`` and what it was raised from (``__cause__``, else ``__context__``), ``limit`` at most:
    Scrapy raises its download errors from Twisted's."""
    for _ in range(limit):
        if exc is None:
            return
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_expected(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what it was raised from) is a failure a crawl expects (:data:`EXPECTED`):
    its message says it all, its traceback nothing more."""
    return any(type(e).__name__ in EXPECTED for e in causes(exc))


#: The longest status or header line Twisted's HTTP client reads (LineReceiver.MAX_LENGTH): a
#: longer one closes the connection, said as a connection closed early.
MAX_HEADER_LINE = 16384


def broken_answer_said(exc: BaseException) -> str | None:
    """What a download that got no whole HTTP answer ran into, said in words; None for another
    failure. Twisted's ResponseFailed (Scrapy's DownloadFailedError is raised from it) reads as
    a list of Failure reprs ('[<twisted.python.failure.Failure twisted.internet.error.ConnectionDone:
    Connection was closed cleanly.>]'), and a header line over Twisted's 16 KB is that too."""
    failed = next((e for e in causes(exc, 6) if hasattr(e, "reasons")), None)
    reasons = [getattr(r, "value", r) for r in getattr(failed, "reasons", None) or ()]
    if not reasons:
        return None
    names = {type(r).__name__ for r in reasons}
    if names <= {"ConnectionDone", "ConnectionLost", "_DataLoss"} and "_DataLoss" in names:
        what = "the body ended before the length its headers announced"
    elif names <= {"ConnectionDone", "ConnectionLost"}:
        what = (f"the connection closed before the answer was whole (a header line over {MAX_HEADER_LINE // 1024} KB "
                "closes it so too)")
    else:   # what the answer broke, without the connection's closing that followed it
        what = "; ".join(f"{type(r).__name__.lstrip('_')}: {' '.join(str(r).split())[:200]}" for r in reasons
                         if type(r).__name__ not in ("ConnectionDone", "ConnectionLost", "_DataLoss"))
    return f"no whole HTTP answer: {what}"


class OneLineErrors(logging.Filter):
    #: A full disk fails every later write: its first error is one line, the others are dropped
    #: (the run fails with "disk full (<path>)", see newsclean.crawler.components.extensions.stop_for_disk_full).
    disk_full_said = False

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and is_disk_full(exc):
            if OneLineErrors.disk_full_said:
                return False
            OneLineErrors.disk_full_said = True
            record.msg, record.args = f"{record.getMessage()}: {type(exc).__name__}: {exc}", ()
            record.exc_info = None
            record.exc_text = None
        elif exc is not None and is_expected(exc):
            record.exc_info = None
            record.exc_text = None
        elif record.name.startswith("spidermon") or "[Spidermon]" in str(record.msg):
            msg = record.getMessage()
            if "Traceback (most recent call last)" in msg:
                lines = [ln for ln in msg.strip().splitlines() if ln.strip()]
                header = next((ln for ln in lines if ln.startswith(("FAIL:", "ERROR:"))), "")
                record.msg = f"[Spidermon] {header} {lines[-1].strip()}".strip()
                record.args = ()
        return True


#: Scrapy's WARNINGs of a body refused for its size, by its logger: one announced or received
#: past DOWNLOAD_MAXSIZE (the handlers), one inflating past it (HttpCompressionMiddleware). The
#: request fails with the same words, and the spider's on_error (for robots.txt, the robots.txt
#: middleware) says them in a WARNING naming the URL: Scrapy's was a second line a document.
SAID_AGAIN = {"scrapy.core.downloader.handlers.http11": "larger than download max size",
              "scrapy.core.downloader.handlers._base_streaming": "larger than download max size",
              "scrapy.downloadermiddlewares.httpcompression": "exceeded DOWNLOAD_MAXSIZE"}


class SaidAgainAtDebug(logging.Filter):
    """A logger's WARNING holding ``words`` (see :data:`SAID_AGAIN`) passed on at DEBUG: still
    there under ``LOG_LEVEL=DEBUG``, out of an operator's log."""

    def __init__(self, words: str) -> None:
        super().__init__()
        self.words = words

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and self.words in record.getMessage():
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


def install() -> None:
    """Add the filters to every handler of the root logger (after Scrapy configured logging),
    and to the loggers of :data:`SAID_AGAIN`, and build no record that every handler would drop
    (:func:`skip_dropped_records`)."""
    from newsclean.crawler.state.redis_state import RedactSecrets

    for handler in logging.root.handlers:
        for cls in (RedactSecrets, OneLineErrors):
            if not any(isinstance(f, cls) for f in handler.filters):
                handler.addFilter(cls())
    for name, words in SAID_AGAIN.items():
        named = logging.getLogger(name)
        if not any(isinstance(f, SaidAgainAtDebug) for f in named.filters):
            named.addFilter(SaidAgainAtDebug(words))
    skip_dropped_records()


def skip_dropped_records() -> None:
    """Raise the root logger's level to its handlers' lowest. Scrapy leaves the root logger at
    ``NOTSET`` and gives its handler ``LOG_LEVEL``: every record below it (a page's "Crawled
    (200)" and "Scraped from" at DEBUG) was built, its caller looked up on the stack, and then
    dropped by the handler, ~2% of a crawl's main-process CPU. A logger with a level of its own
    keeps it; ``LOG_LEVEL=DEBUG`` changes nothing."""
    levels = [handler.level for handler in logging.root.handlers]
    if levels and min(levels) > logging.root.level:
        logging.root.setLevel(min(levels))


class OneLineLogs:
    """Extension: install :class:`OneLineErrors` once Scrapy has set up its log handler
    (it replaces the root handler when a crawl starts)."""

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        from scrapy import signals

        o = cls()
        crawler.signals.connect(o.engine_started, signal=signals.engine_started)
        return o

    def engine_started(self) -> None:
        install()
