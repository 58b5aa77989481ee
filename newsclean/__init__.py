"""newsclean: crawl news websites with Scrapy and turn them into clean, deduplicated JSONL corpora.

The repository's folders are installed under this package, so no file in the working
directory can shadow them: ``newsclean.cleaners`` (extraction and boilerplate removal, plain
Python), ``newsclean.output`` (record schema, writers, manifests) and ``newsclean.crawler``
(the Scrapy project and the ``newsclean`` command).
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("newsclean")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
