"""The site's own rules: what its CSS selectors and XPaths name is removed first."""

from __future__ import annotations

import lxml.etree as etree
from lxml.cssselect import CSSSelector

from newsclean.cleaners.dom.elements import _drop_counted


def drop_site_rules(tree: etree._Element, selectors: tuple[str, ...], xpaths: tuple[str, ...]) -> int:
    """Remove what the site's rules name (CSS selectors and XPaths)."""
    removed = 0
    for sel in selectors:
        try:
            found = CSSSelector(sel)(tree)
        except Exception:  # noqa: BLE001 — a bad selector in a site file must not fail the page
            continue
        for el in found:
            if el.tag not in ("html", "body"):
                removed += _drop_counted(el)
    for xp in xpaths:
        try:
            found = tree.xpath(xp)
        except etree.XPathError:
            continue
        for el in found:
            if isinstance(el, etree._Element) and el.tag not in ("html", "body"):
                removed += _drop_counted(el)
    return removed
