"""Links to writers' pages ("/author/jane-doe"): the names a page gives its writers elsewhere
than in the byline being read (:class:`PageWriters`), and a writer's page link as the byline
of last resort (``_author_page_link``)."""

from __future__ import annotations

from itertools import islice
import re

import lxml.etree as etree

from newsclean.cleaners.metadata.authors.byline_words import _BY_WORD
from newsclean.cleaners.metadata.authors.names import _byline_name, _names
from newsclean.cleaners.metadata.common import _WORDS, _flat, _ld_nodes, _line_text, _types
from newsclean.cleaners.reading.trees import first_descendant


#: A link to a writer's page: ".../author/jane-doe", "/autor/...", "/writer/...".
_AUTHOR_HREF = re.compile(r"/(?:authors?|autor(?:en)?|auteurs?|writers?)/[^/?#]+")


def _author_page_link(tree: etree._Element) -> list[str]:
    """The name on the page's first link to a writer's page (outside navigation and footers),
    where no byline markup or text names anyone: a card that links the writer without a class
    or label saying so."""
    body = first_descendant(tree, "body")
    for a in body.iter("a") if body is not None else ():
        if _AUTHOR_HREF.search(a.get("href") or "") and not any(p.tag in ("nav", "footer") for p in a.iterancestors()):
            text = _author_link_name(a)
            if text:
                # co-writers linked in the same line ("<a>Jane Doe</a> and <a>Tom Roe</a>"), each
                # to a page of another writer: a second link to the same writer's page ("View
                # Profile", "RSS Feed", "Next Page" of /author/jane-doe/...) names no one else
                pages, names = {_writer_page(a)}, [text]
                for b in islice(a.itersiblings("a"), AUTHOR_LINKS - 1):
                    page = _writer_page(b)
                    if page is not None and page not in pages:
                        pages.add(page)
                        names.append(_author_link_name(b) or "")
                return list(dict.fromkeys(n for t in names if t for n in _names(t)))
    return []


def _writer_key(name: str) -> str:
    """A writer's name as ``PageWriters`` compares it: its words in lower case ("jane-writer" of an
    address is "Jane Writer")."""
    return " ".join(_WORDS.findall(name.casefold()))


#: Links read for the names of writers' pages.
WRITER_LINKS = 2000


class PageWriters:
    """The names a page gives its writers outside the byline being read, by markup that holds in
    any language: the texts of its links to writers' pages and the names those addresses spell
    ("/author/jane-writer/"), and its JSON-LD's Person nodes (a meta tag's author may be the
    site's name). What tells a writer whose name ends in a job word ("Rosa Delacroix, Jane
    Writer") from a job title after a comma ("Rosa Delacroix, Opinion Columnist"). Read once,
    when first asked: most bylines never ask."""

    def __init__(self, tree: etree._Element) -> None:
        self._tree = tree
        self._keys: set[str] | None = None

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if self._keys is None:
            self._keys = self._read()
        return _writer_key(name) in self._keys

    def _read(self) -> set[str]:
        names: list[str] = []
        for a in islice(self._tree.iter("a"), WRITER_LINKS):
            m = _AUTHOR_HREF.search(a.get("href") or "")
            if m is not None:
                names += [m.group(0).rsplit("/", 1)[-1], _line_text(a)]
        for node in _ld_nodes(self._tree):
            people = [node, *(a for a in _flat(node.get("author")) if isinstance(a, dict))]
            names += [n for p in people if "person" in _types(p) for n in _names(p, declared=True)]
        return {k for k in map(_writer_key, names) if k}


def _writer_page(a: etree._Element) -> str | None:
    """The writer's page a link goes to ("/author/jane-doe" of "/author/jane-doe/feed"), or None."""
    m = _AUTHOR_HREF.search(a.get("href") or "")
    return m.group(0).casefold() if m else None


#: Links to writers' pages read in one byline line.
AUTHOR_LINKS = 10


def _author_link_name(a: etree._Element) -> str | None:
    """The name a link to a writer's page prints: a name, no "Articles by" label."""
    text = _line_text(a)
    return text if text and len(text.split()) <= 4 and _byline_name(text) and not _BY_WORD.search(text) else None
