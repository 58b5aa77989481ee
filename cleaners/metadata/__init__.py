"""Article metadata from one parsed tree: schema.org JSON-LD first, then meta tags, then htmldate,
then the URL, then the page's printed days. Each date records where it came from (``date_sources``).

The modules import one way only, each from those above it (the days' three in ``dates/``, the
writers' six in ``authors/``):

- ``common``: the :class:`Metadata` record, cleaned text, JSON-LD nodes, meta tags, the declared language
- ``house``: the site's own names (og:site_name, the publisher), no writer and no part of a
  headline: read by ``titles`` and the writers' ``authors/page_authors`` alike
- ``dates/month_names``: CLDR's month and weekday names, data ``calendar_words`` and ``days`` read
- ``dates/calendar_words``, ``authors/byline_words``: the months, weekdays and byline words of each language, as patterns
- ``authors/names``: a byline's string as its writers' names
- ``dates/days``: declared, printed and URL days, and :func:`fill_dates`; ``titles``: the title
- ``authors/byline_markup``: trafilatura's byline XPaths as Python tests; ``authors/writers``: links to writers' pages
- ``authors/bylines``: the byline a page prints; ``authors/page_authors``: declared and printed writers together
- ``extract``: :func:`extract_metadata`, every field of a page
- ``language``: the article's language, from its text and the page's declaration (read after the
  body is cleaned; imports nothing of the others); ``table_cache``: its model's tables kept on disk
  ready to use (imports nothing of the others)

A name with a leading underscore that one of these modules imports from another (``common._clean``,
``names._names``, ``calendar_words._MONTH``, ...) is package-internal: nothing outside
``cleaners/metadata/`` uses it.
"""

from newsclean.cleaners.metadata.authors.writers import PageWriters
from newsclean.cleaners.metadata.common import ARTICLE_TYPES, Metadata, html_lang
from newsclean.cleaners.metadata.dates.days import date_from_url, fill_dates, first_printed_day, shown_day_near_headline
from newsclean.cleaners.metadata.extract import extract_metadata
from newsclean.cleaners.metadata.titles import title_source

__all__ = [
    "ARTICLE_TYPES",
    "Metadata",
    "PageWriters",
    "date_from_url",
    "extract_metadata",
    "fill_dates",
    "first_printed_day",
    "html_lang",
    "shown_day_near_headline",
    "title_source",
]
