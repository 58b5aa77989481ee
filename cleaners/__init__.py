"""newsclean cleaners: article extraction and boilerplate removal over HTML and text.

Plain Python (never imports Scrapy, ``crawler`` or ``output``)::

    from newsclean.cleaners import clean_html
    result = clean_html(html, url)
    if isinstance(result, Article):
        print(result.text)
"""

from newsclean.cleaners.types import REJECT_REASONS, Article, CleanResult, Rejected, SiteRules
from newsclean.cleaners.version import CLEANER_VERSION
from newsclean.cleaners.core import clean_html
from newsclean.cleaners.text import clean_text
from newsclean.cleaners.templates import SiteTemplates, clean_many

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
