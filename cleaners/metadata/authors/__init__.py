"""An article's writers: :func:`~.page_authors.page_authors` takes the declared writers (JSON-LD,
meta tags) and the byline the page prints (``bylines``) together; a byline's string as names
(``names``), from the byline words of each language (``byline_words``); trafilatura's byline
markup as Python tests (``byline_markup``); links to writers' pages (``writers``). The site's own
names, no writer and no part of a headline, are ``metadata/house`` (``titles`` reads them too)."""
