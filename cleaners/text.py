"""``clean_text``: strip boilerplate from text another tool already extracted, with the same
line rules and trailing trim as ``clean_html`` (:mod:`cleaners.body_lines.lines`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsclean.cleaners.body_lines import lines as line_rules
from newsclean.cleaners.body_lines.lines import normalize_lines
from newsclean.cleaners.types import SiteRules

if TYPE_CHECKING:
    from newsclean.cleaners.learned.templates import SiteTemplates


def clean_text(text: str, site: str | None = None, *, rules: SiteRules | None = None,
               templates: SiteTemplates | None = None) -> str:
    """Return ``text`` without promotion lines and trailing boilerplate regions, one paragraph a line.

    ``site`` names the site (for the caller's bookkeeping; rules and templates carry the knowledge),
    ``rules`` adds the site's line patterns, ``templates`` drops the site's learned lines.
    """
    body = normalize_lines(text or "")
    body, _ = line_rules.apply_line_rules(body, rules.drop_line_patterns if rules else ())
    body, _ = line_rules.trim_trailing(body)
    if templates is not None:
        body, _ = templates.filter_lines(body)
    return "\n".join(body)
