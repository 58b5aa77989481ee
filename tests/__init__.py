"""The test suite, one folder per area of the package (a test file keeps its old name, so the
docs' ``test_cleaners_body.py::...`` still finds it):

- ``cleaners/``: ``clean_html``, metadata, templates, the line scorer, language, the cleaners'
  bench; no Scrapy. Their pages, written for the tests, in ``fixtures/cleaners/`` and ``fixtures/templates/``.
- ``crawler/``: one part of the crawler each (``test_pool``, ``test_politeness``, ``test_store``,
  ``test_redis``, the site registry, the hostile-server suite, ...), many on real local crawls.
- ``output/``: records, part files, SQLite, the duplicate index (``fixtures/dedup/``, ``dedup_fixtures``).
- ``commands/``: the command line's conventions, one-line errors and outputs; ``ccnews``, the
  benches, ``sites --check``, the installed package.
- ``e2e/``: whole runs (``newsclean demo``/``crawl``/``clean``) and what they write: the demo
  crawl, bad input, incremental and ``--since`` runs, many sites, duplicates across runs, WARC.
- ``docs/``: README's and docs' commands run as written (``doccheck``), the crontab example.

``conftest.py`` (here, for every folder) serves pages on 127.0.0.1 and runs the real ``newsclean``
command; ``doccheck.py`` and ``dedup_fixtures.py`` stay here for ``python -m tests.doccheck`` and
``python -m tests.dedup_fixtures``. A new test goes into the folder of the area it tests.
"""
