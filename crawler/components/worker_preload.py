"""What the cleaning workers' forkserver loads before it forks any worker (see :mod:`newsclean.crawler.components.pool`).

Every worker is a fork of that server, so what is loaded here is loaded once per crawl and its
memory pages are shared by all workers (copy-on-write, only ever read): the cleaners and, by
identifying the language of one sentence, py3langid's model (~95 MB, ~1.7 s of CPU to load). A
worker that loaded the model itself paid both on its first article, and again after every
restart (a timeout kills the worker). The same holds for trafilatura's jusText fallback: on its
first use it builds one stoplist of every language's stopwords (a tuple and the lower-cased
frozenset jusText caches for it: 154,000 strings, 27 MB), which each worker built privately
within its first ten pages. What is loaded is then moved out of the garbage
collector's reach (``gc.freeze``): a collection in a worker would otherwise write to the pages
of every object it scans, turning the shared pages into private copies. The malloc thresholds
of :mod:`newsclean.crawler.components.heap` are set here too, so every worker forked from this server has them,
and the heap's free pages left by loading are given back before any worker is forked.
"""

import gc

from justext.core import define_stoplist
from trafilatura.external import jt_stoplist_init

from newsclean.cleaners.core import identify_language
from newsclean.crawler.components import pool  # noqa: F401 - the workers' entry point, with the cleaners
from newsclean.crawler.components.heap import return_freed_memory, trim

identify_language("The council met on Tuesday to discuss the harbour budget for the coming year.")
define_stoplist(jt_stoplist_init())   # the cache jusText looks the stoplist up in, keyed by it
return_freed_memory()
gc.collect()
gc.freeze()
trim()
