"""Line rules and trailing trim over extracted text, shared by ``clean_html`` and ``clean_text``.

Two steps, each returns the kept lines and the characters it removed:

- :func:`apply_line_rules` drops whole lines that are inline promotions ("Also read: ...",
  "Advertisement", "Sign up for ...", "Follow us on ...", "The post ... appeared first on ...")
  or that fully match one of the site's ``drop_line_patterns``.
- :func:`trim_trailing` cuts from a boilerplate heading ("Must Read", "Related", "More stories")
  to the end, when what follows looks like teasers rather than article paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Lines that are never article text when they stand alone (a whole line matches).
PROMO_LINE = re.compile(
    r"""^\W*(?:
        (?:also\s+read|read\s+also|read\s+more|see\s+also|related|recommended|must\s+read|more\s+from|
           don'?t\s+miss|watch|listen|trending|also\s+see|newsletter|more|more\s+on\s+this(?:\s+story)?)(?:\s*[:|»>]|\s+[-–—])\s*.{0,200}
      | advertisement|advertisements|advertising|anzeige|publicidad|publicité|sponsored(?:\s+content)?
      | (?:sign\s+up|subscribe)\b.{0,160}
      | (?:follow|like|join)\s+(?:us|[\w.-]+)\s+on\s+(?:twitter|x|facebook|instagram|linkedin|tiktok|youtube|telegram|whatsapp|threads|google|social)\b.{0,200}
      | (?:photo|foto|bild|image|picture)s?\s*(?:credit)?\s*:\s*.{0,60}
      | click\s+here\b.{0,160}
      | share\s+(?:this|on)\b.{0,120}
      | (?:copyright\s*(?:©|\(c\)|\d{4}|by\b|:)|©|\(c\)\s*\d{4}).{0,200}
      | .{0,200}\ball\s+rights\s+reserved\.?
      | the\s+post\s+.{1,300}\s+appeared\s+first\s+on\s+.{1,120}
      | e-?paper(?:[_\s-]\S.{0,200}|s?)
      | download\s+(?:our|the)\s+app\b.{0,160}
      | get\s+the\s+app\b.{0,120}
    )\W*$""",
    re.I | re.X,
)

#: Headings after which the rest of the text is boilerplate (teasers, related lists).
TRAILING_HEADING = re.compile(
    r"""^\W*(?:must\s+read|related(?:\s+(?:articles?|posts?|stories|news|content|coverage|topics))?|
        more\s+(?:stories|news|articles|from\s+.{1,60}|on\s+this\s+topic|in\s+.{1,40})|
        recommended(?:\s+(?:for\s+you|stories|articles|reading))?|you\s+may\s+also\s+like|
        you\s+might\s+also\s+like|trending(?:\s+now)?|most\s+(?:read|popular|viewed|shared)|
        latest\s+(?:news|stories|posts)|popular\s+(?:posts|stories|now)|read\s+next|what\s+to\s+read\s+next|
        also\s+read|read\s+more|top\s+stories|editor'?s\s+picks?|related\s+reading|
        leave\s+a\s+(?:reply|comment)|comments?|share\s+this(?:\s+article)?)\W*$""",
    re.I | re.X,
)

#: A line that reads like an article paragraph (long, ends like a sentence).
_SENTENCE_END = re.compile(r"[.!?\"'”’)]\s*$")


def is_promo_line(line: str) -> bool:
    """Whether a whole line is an inline promotion or a boilerplate label."""
    return bool(PROMO_LINE.match(line.strip()))


def is_boilerplate_heading(line: str) -> bool:
    """Whether a line is a heading that opens a trailing boilerplate region."""
    s = line.strip()
    return len(s) <= 80 and bool(TRAILING_HEADING.match(s))


def apply_line_rules(lines: Iterable[str], patterns: Iterable[str] = ()) -> tuple[list[str], int]:
    """Drop promotion lines and lines fully matching a site pattern; return kept lines, chars removed."""
    site = [re.compile(p) for p in patterns]
    kept: list[str] = []
    removed = 0
    for line in lines:
        s = line.strip()
        if s and (is_promo_line(s) or any(p.fullmatch(s) for p in site)):
            removed += len(s)
            continue
        kept.append(line)
    return kept, removed


def _looks_like_teasers(tail: list[str]) -> bool:
    """Teaser regions: short headlines, excerpts ending in an ellipsis, e-paper links, labels.

    A tail holding several long sentence-ending paragraphs is the article continuing after an
    in-text "Related" box, so it is kept.
    """
    body_like = sum(1 for s in tail if len(s) >= 150 and _SENTENCE_END.search(s) and not s.endswith(("...", "…")))
    return body_like <= max(0, len(tail) // 4) and body_like < 2


def trim_trailing(lines: list[str], *, min_keep: int = 1) -> tuple[list[str], int]:
    """Cut from the first boilerplate heading (after ``min_keep`` lines) to the end, if the rest
    looks like teasers; a heading followed by prose goes alone. Return kept lines, chars removed."""
    kept: list[str] = []
    removed = 0
    for i, line in enumerate(lines):
        if i >= min_keep and is_boilerplate_heading(line):
            tail = [s.strip() for s in lines[i + 1:] if s.strip()]
            if _looks_like_teasers(tail):
                return kept, removed + sum(len(s.strip()) for s in lines[i:])
            removed += len(line.strip())
            continue
        kept.append(line)
    return kept, removed
