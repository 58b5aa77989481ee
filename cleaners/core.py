"""clean_html (stub; being written)."""

from __future__ import annotations

import trafilatura

from cleaners.types import Article, Rejected, SiteRules


def clean_html(html, url=None, site_rules: SiteRules | None = None, *, templates=None, timeout: float = 10.0):
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None or not doc.text:
        return Rejected(url or "", "extract_failed")
    return Article(url=url or "", text=doc.text, title=doc.title, authors=[a.strip() for a in (doc.author or "").split(";") if a.strip()], published=doc.date)
