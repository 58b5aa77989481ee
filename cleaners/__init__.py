"""newsclean cleaners: article extraction and boilerplate removal over HTML and text.

Plain Python (never imports Scrapy, ``crawler`` or ``output``)::

    from newsclean.cleaners import clean_html
    result = clean_html(html, url)
    if isinstance(result, Article):
        print(result.text)
"""

from typing import TYPE_CHECKING

from newsclean.cleaners.types import REJECT_REASONS, Article, CleanResult, Rejected, SiteRules
from newsclean.cleaners.version import CLEANER_VERSION
from newsclean.cleaners.learned.templates import SiteTemplates, clean_many

if TYPE_CHECKING:
    from newsclean.cleaners.core import clean_html
    from newsclean.cleaners.text import clean_text


def __getattr__(name: str) -> object:
    # The extractors (trafilatura, jusText, the language model's code: ~12 MB) load with the
    # first use of clean_html (clean_text needs none of them): a crawl's main process only names
    # the types.
    if name == "clean_html":
        from newsclean.cleaners.core import clean_html as found
    elif name == "clean_text":
        from newsclean.cleaners.text import clean_text as found
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = found
    return found


__all__ = [
    "CLEANER_VERSION",
    "REJECT_REASONS",
    "Article",
    "CleanResult",
    "Rejected",
    "SiteRules",
    "SiteTemplates",
    "clean_html",
    "clean_many",
    "clean_text",
]
