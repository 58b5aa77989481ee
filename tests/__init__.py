"""The test suite, one flat folder: a test is found by its file's name.

- ``test_cleaners_*``: the cleaners (``clean_html``, metadata, templates, the bench), no Scrapy;
  their pages, written for the tests, in ``fixtures/cleaners/`` and ``fixtures/templates/``.
- ``test_cli_*``: the command line's conventions, one-line errors and outputs; ``test_e2e_*``
  and ``test_corpus_*``: whole crawls of the demo site and what they write.
- ``test_output_*``, ``test_dedup*``: records, part files, the duplicate index (``fixtures/dedup/``).
- the others: the crawler, one part each, by its name (``test_pool``, ``test_frontier``,
  ``test_politeness``, ``test_warc``, ...); ``test_docs*``: README's and docs' commands (``doccheck``).

``conftest.py`` serves pages on 127.0.0.1 and runs the real ``newsclean`` command. Not split into
folders: the prefixes already group the files, and the docs name tests by their paths.
"""
