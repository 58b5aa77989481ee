"""Per-site template learning (stub; being written)."""

from __future__ import annotations


class SiteTemplates:
    def __init__(self, site: str = "generic", **kwargs) -> None:
        self.site = site

    def prune_tree(self, tree) -> int:
        return 0

    def filter_lines(self, lines: list[str]) -> tuple[list[str], int]:
        return lines, 0


def clean_many(pages, **kwargs):
    from cleaners.core import clean_html

    return [clean_html(html, url) for html, url in pages]
