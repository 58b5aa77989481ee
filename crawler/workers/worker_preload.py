"""What the cleaning workers' forkserver loads before it forks any worker (see :mod:`newsclean.crawler.workers.pool`).

Every worker is a fork of that server, so what is loaded here is loaded once per crawl and its
memory pages are shared by all workers (copy-on-write, only ever read): the cleaners and, by
identifying the language of one sentence, py3langid's model (~50 MB; ~0.1 s of CPU to read from
its cache, :mod:`newsclean.cleaners.metadata.table_cache`; ~0.6 s to build it from the packaged model). A
worker that loaded the model itself paid both on its first article, and again after every
restart (a timeout kills the worker). The same holds for trafilatura's jusText fallback: on its
first use it builds one stoplist of every language's stopwords (a tuple and the lower-cased
frozenset jusText caches for it: 154,000 strings, 27 MB), which each worker built privately
within its first ten pages (one copy of its words, :func:`share_stoplist`; read from the same cache as the model). What is loaded is then moved out of the garbage
collector's reach (``gc.freeze``): a collection in a worker would otherwise write to the pages
of every object it scans, turning the shared pages into private copies. The malloc thresholds
of :mod:`newsclean.crawler.workers.heap` are set here too, so every worker forked from this server has them,
and the heap's free pages left by loading are given back before any worker is forked. Transparent
huge pages are off for the server and its workers (:func:`~newsclean.crawler.workers.heap.no_huge_pages`).
"""

from __future__ import annotations

import gc

from newsclean.crawler.workers.heap import no_huge_pages, return_freed_memory, trim

no_huge_pages()   # before anything is loaded: the workers inherit it

from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import justext  # noqa: E402
from trafilatura import external  # noqa: E402

from newsclean.cleaners.extraction import readability_gate  # noqa: E402
import newsclean.cleaners.core  # noqa: E402,F401 - the cleaners (trafilatura, jusText, lxml), loaded once
from newsclean.cleaners.metadata.language import identify_language  # noqa: E402
from newsclean.cleaners.learned.linescore import shipped_model  # noqa: E402
from newsclean.cleaners.body_lines.lines import is_promo_line  # noqa: E402
from newsclean.cleaners.metadata.table_cache import cached_tables, file_digest  # noqa: E402
from newsclean.crawler.workers import pool  # noqa: E402,F401 - the workers' entry point, with the cleaners
from newsclean.output.dedup import TextDigest  # noqa: E402

if TYPE_CHECKING:
    import numpy as np


#: Version of :func:`_stoplist_tables`' building (the cache key changes with it).
STOPLIST_VERSION = 1


def _stoplist_tables() -> dict[str, np.ndarray]:
    """jusText's all-language stoplist as trafilatura asks for it (every language's words) and
    jusText lower-cases it: one newline-joined UTF-8 text, for the cache."""
    import numpy as np

    words = frozenset(word.lower() for word in external.jt_stoplist_init())
    return {"words": np.frombuffer("\n".join(sorted(words)).encode("utf-8"), dtype=np.uint8)}


def _stoplist_key() -> str:
    """What the stoplist is built from: jusText's stoplist files (names, sizes, times) and trafilatura."""
    import trafilatura
    from justext.utils import get_stoplists

    folder = Path(justext.__file__).parent / "stoplists"
    files = sorted(f"{name}:{(folder / f'{name}.txt').stat().st_size}:{(folder / f'{name}.txt').stat().st_mtime_ns}"
                   for name in get_stoplists())
    return f"{STOPLIST_VERSION}:{trafilatura.__version__}:{file_digest(' '.join(files))}"


def stoplist_words() -> frozenset[str]:
    """The words of jusText's all-language stoplist, lower-cased (from the cache of
    :mod:`newsclean.cleaners.metadata.table_cache`: reading and lower-casing its 100 files took 0.1 s of CPU)."""
    text = cached_tables("justext-stoplist", _stoplist_key(), _stoplist_tables)["words"].tobytes().decode("utf-8")
    return frozenset(text.split("\n")) if text else frozenset()


def share_stoplist() -> frozenset[str]:
    """Build jusText's all-language stoplist once, as one set of strings.

    trafilatura keeps the words in a tuple and jusText caches a lower-cased frozenset of them,
    keyed by that tuple: two copies of 154,000 strings (the words are lower-case already).
    The tuple is made of the set's own strings, and the cleaners' stoplist lookup answers the
    set for it (:func:`newsclean.cleaners.extraction.readability_gate.share_stoplist`): the same words, 12 MB less."""
    words = stoplist_words()
    external.JT_STOPLIST = tuple(words)
    readability_gate.share_stoplist(external.JT_STOPLIST, words)
    return words


identify_language("The council met on Tuesday to discuss the harbour budget for the coming year.")
shipped_model()   # the line scorer's model (read at the first page else): once, shared by every worker
share_stoplist()
TextDigest.of("The council met on Tuesday.")   # the workers' first digest imported numpy.random, each
is_promo_line("Subscribe to our newsletter")   # its regexes compile on first use (dd2f7dc): once here, not in each worker
return_freed_memory()
gc.collect()
gc.freeze()
trim()
