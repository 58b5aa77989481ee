"""newsclean: crawl news websites with Scrapy and turn them into clean, deduplicated JSONL corpora.

The repository's folders are installed under this package, so no file in the working
directory can shadow them: ``newsclean.cleaners`` (extraction and boilerplate removal, plain
Python), ``newsclean.output`` (record schema, writers, manifests) and ``newsclean.crawler``
(the Scrapy project and the ``newsclean`` command).
"""

from __future__ import annotations

import os
import signal as _signal
import sys as _sys


def interrupted_while_loading(signum: int, frame: object) -> None:
    """Ctrl-C while the ``newsclean`` program loads, before its ``run`` catches it: said as run says
    it. The console script imports its modules (1-2 s on a busy machine) before any code of the
    command can catch KeyboardInterrupt: a Ctrl-C then was a traceback through importlib."""
    os.write(2, b"newsclean: interrupted\n")
    os._exit(130)


if os.path.basename(_sys.argv[0] if _sys.argv else "") == "newsclean" \
        and _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:   # not when the parent ignores it
    try:
        _signal.signal(_signal.SIGINT, interrupted_while_loading)   # undone by cli.run
    except ValueError:   # imported by a thread of a program of its own
        pass

from collections.abc import Iterable  # noqa: E402
from importlib.metadata import PackageNotFoundError, version as _version  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

try:
    __version__ = _version("newsclean")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__", "crawl"]

if TYPE_CHECKING:
    from newsclean.crawler.api import Crawl


def crawl(sites: Iterable[str] = (), *, max_articles: int | None = None, out: str | os.PathLike[str] | None = None,
          since: str | None = None, urls: Iterable[str] = (), url: Iterable[str] = (),
          settings: dict[str, Any] | None = None) -> Crawl:
    """Crawl registered ``sites`` (``"demo"``: the bundled sample site, served on 127.0.0.1),
    exactly the article ``urls`` and/or the ad-hoc sites ``url`` into ``out`` (default: a
    temporary directory, removed afterwards); iterate the result for the records (dicts of the
    schema's fields) as they are written::

        for record in newsclean.crawl(["demo"], max_articles=10, out="corpus"):
            print(record["title"])

    Each call runs one ``newsclean crawl`` in a child process (callable again and again, from
    a notebook or a ``python -`` script). After the loop, the result's ``manifest`` and
    ``exit_code`` say how the run went; a crawl that cannot start raises ``CrawlError``."""
    from newsclean.crawler.api import Crawl   # lazy: `import newsclean` stays light

    return Crawl(sites, urls=urls, url=url, out=out, max_articles=max_articles, since=since, settings=settings)
