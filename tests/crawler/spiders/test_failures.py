"""How the spider says a fetch that got no whole HTTP answer (the hostile case
broken-http-answers crawls each shape for real)."""

from __future__ import annotations

from scrapy.exceptions import DownloadFailedError
from twisted.internet.error import ConnectionDone
from twisted.python.failure import Failure
from twisted.web._newclient import ParseError, ResponseFailed, ResponseNeverReceived

from newsclean.crawler.components.logs import broken_answer_said


def raised_by_scrapy(twisted: ResponseFailed) -> DownloadFailedError:
    """What Scrapy's download handler raises from Twisted's failure (wrap_twisted_exceptions)."""
    try:
        try:
            raise twisted
        except ResponseFailed as exc:
            raise DownloadFailedError(str(exc)) from exc
    except DownloadFailedError as exc:
        return exc


def test_no_whole_answer_is_said_in_words_not_as_failure_reprs() -> None:
    # str() of the error was '[<twisted.python.failure.Failure twisted.internet.error.ConnectionDone:
    # Connection was closed cleanly.>]', the line the operator read
    closed = raised_by_scrapy(ResponseNeverReceived([Failure(ConnectionDone())]))
    assert str(closed).startswith("[<twisted.python.failure.Failure")
    assert broken_answer_said(closed) == ("no whole HTTP answer: the connection closed before the answer was whole "
                                          "(a header line over 16 KB closes it so too)")
    junk = raised_by_scrapy(ResponseFailed([Failure(ParseError("wrong number of parts", b"SSH-2.0")), Failure(ConnectionDone())]))
    assert broken_answer_said(junk) == "no whole HTTP answer: ParseError: ('wrong number of parts', b'SSH-2.0')"
    assert broken_answer_said(ValueError("Port out of range 0-65535")) is None


def test_the_header_line_bound_said_is_twisteds() -> None:
    from twisted.web._newclient import HTTPParser

    from newsclean.crawler.components.logs import MAX_HEADER_LINE

    assert MAX_HEADER_LINE == HTTPParser.MAX_LENGTH
