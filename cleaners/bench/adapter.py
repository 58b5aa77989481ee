"""``score.py`` plug-in: newsclean's body text of a page. Runs name it by its old path,
``py:newsclean.cleaners.bench_adapter:extract``, which :mod:`newsclean.cleaners.bench_adapter` keeps."""

from __future__ import annotations

from newsclean.cleaners.core import clean_html
from newsclean.cleaners.types import Article


def extract(html: str, url: str | None = None) -> str:
    """The cleaned body of one page, or ``""`` when the page is rejected."""
    result = clean_html(html, url)
    return result.text if isinstance(result, Article) else ""
