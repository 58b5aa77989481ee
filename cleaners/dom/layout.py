"""The tree's shape mended before the pruning: markup libxml2 put beside the root moved into the
body (``adopt_stray_roots``), tables used as the page's grid made plain containers
(``unwrap_layout_tables``)."""

from __future__ import annotations

import lxml.etree as etree
import lxml.html


def adopt_stray_roots(root: etree._Element) -> int:
    """Move what libxml2 put beside the document root into its ``<body>``; return the elements
    moved. Markup after a stray ``</html>`` (a second page glued on by an include or an archive's
    toolbar) becomes further root-level ``<html>`` elements that a walk from the root never
    sees: the article could sit there. Their ``<head>`` holds no page text and is left out.
    A frameset page's ``<noframes>`` markup is read into the body too (:func:`_open_noframes`)."""
    sib = root.getnext()
    if sib is None:
        return _open_noframes(root)
    body = root.find("body")
    if body is None:
        body = etree.SubElement(root, "body")
    moved = 0
    while sib is not None:
        nxt = sib.getnext()
        if isinstance(sib.tag, str):
            for head in sib.findall("head"):
                sib.remove(head)
            for inner in sib.iter("html", "body"):
                inner.tag = "div"   # no second html or body inside the body
            body.append(sib)
            moved += 1
        sib = nxt
    return moved + _open_noframes(root)


def _open_noframes(root: etree._Element) -> int:
    """Read a frameset page's ``<noframes>`` as markup, into a ``<body>``; return the elements
    read. The pages of 1996-2003 that framed a menu beside the story wrote the story (or a text
    version of the site) there for browsers without frames and for search engines; libxml2
    reads it as raw text, as a browser that shows frames does, and the page had no text at all
    (Rejected extract_failed). Only where the page has a ``<frameset>`` and no body text."""
    if root.find(".//frameset") is None:
        return 0
    body = root.find("body")
    if body is not None and (len(body) or (body.text or "").strip()):
        return 0
    read = 0
    for noframes in list(root.iter("noframes")):
        markup = noframes.text or ""
        if "<" not in markup:
            continue
        try:
            page = lxml.html.document_fromstring(markup)
        except (etree.ParserError, ValueError):
            continue
        if body is None:
            body = etree.SubElement(root, "body")
        inner = page.find("body")
        for el in list(inner if inner is not None else page):
            if isinstance(el.tag, str) and el.tag != "head":
                body.append(el)
                read += 1
        noframes.getparent().remove(noframes)
    return read


#: Cells of a page's grid: a cell holding another table, or paragraphs (two blocks or line
#: breaks) of 200 characters or more; data-table cells rarely do. One XPath call, run in C.
_LAYOUT_CELLS = etree.XPath(
    "//td[.//table or count(.//p | .//div | .//br | .//ul | .//ol | .//blockquote | .//h2 | .//h3) >= 2"
    " and string-length(normalize-space(.)) >= 200]")


def unwrap_layout_tables(tree: etree._Element) -> int:
    """Turn tables used as the page's grid (a cell holds another table, or paragraphs of text)
    into plain containers; return the tables unwrapped. Extractors render a table as rows of
    cells: the article, its sidebar and the teaser list under it came out glued into one line,
    where no line rule or learned template could take them apart. Data tables stay tables."""
    layout: dict[etree._Element, None] = {}
    for cell in _LAYOUT_CELLS(tree):
        table = next(cell.iterancestors("table"), None)
        if table is not None:
            layout[table] = None
    for table in layout:
        parts = [table, *(p for p in table if p.tag in ("thead", "tbody", "tfoot"))]
        rows = [r for p in parts for r in p if r.tag == "tr"]
        cells = [c for r in rows for c in r if c.tag in ("td", "th")]
        for el in [*parts, *rows, *cells, *(c for c in table if c.tag == "caption")]:
            el.tag = "div"
        for cell in cells:
            _wrap_loose_text(cell)
    return len(layout)


#: Children that are blocks of their own: loose text beside them is a paragraph of its own.
_BLOCK_CHILDREN = frozenset({"p", "div", "table", "ul", "ol", "dl", "blockquote", "pre", "form", "center",
                             "hr", "section", "article", "aside", "header", "footer", "nav", "figure",
                             "h1", "h2", "h3", "h4", "h5", "h6"})


def _wrap_loose_text(el: etree._Element) -> None:
    """Wrap runs of text and inline elements that sit beside block children into paragraphs (a
    browser's anonymous blocks). A table cell's renderer took that text; a container's does not:
    a standfirst in a bare <b> above the cell's first <p> was lost."""
    children = list(el)
    if not any(c.tag in _BLOCK_CHILDREN for c in children):
        return
    run: etree._Element | None = None
    if el.text and el.text.strip():
        run = el.makeelement("p")
        run.text, el.text = el.text, None
        el.insert(0, run)
    for child in children:
        if child.tag in _BLOCK_CHILDREN:
            run = None
            if child.tail and child.tail.strip():
                run = el.makeelement("p")
                run.text, child.tail = child.tail, None
                child.addnext(run)
            continue
        if run is None:
            if not (isinstance(child.tag, str) and "".join(child.itertext()).strip()):
                continue
            run = el.makeelement("p")
            child.addprevious(run)
        run.append(child)   # its tail goes with it
