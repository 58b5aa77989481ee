"""What the cleaning workers' forkserver loads before it forks any worker (see :mod:`crawler.pool`).

Every worker is a fork of that server, so what is loaded here is loaded once per crawl and its
memory pages are shared by all workers (copy-on-write, only ever read): the cleaners and, by
identifying the language of one sentence, py3langid's model (~95 MB, ~1.7 s of CPU to load). A
worker that loaded the model itself paid both on its first article, and again after every
restart (a timeout kills the worker).
"""

from newsclean.cleaners.core import identify_language
from newsclean.crawler import pool  # noqa: F401 - the workers' entry point, with the cleaners

identify_language("The council met on Tuesday to discuss the harbour budget for the coming year.")
