"""Line rules and trailing trim over extracted text, shared by ``clean_html`` and ``clean_text``.

Its steps each return the kept lines and the characters they removed:

- :func:`apply_line_rules` drops whole lines that are inline promotions ("Also read: ...",
  "Advertisement", "Sign up for ...", "Follow us on ...", "The post ... appeared first on ...")
  or that fully match one of the site's ``drop_line_patterns``.
- :func:`trim_trailing` cuts from a boilerplate heading ("Must Read", "Related", "More stories")
  to the end, when what follows looks like teasers rather than article paragraphs.
- :func:`drop_leading_heads` and :func:`drop_trailing_author_box` drop the headline, bylines and
  an author box (a byline, then the writer's bio) that the extractor left at the body's ends.
- :func:`drop_repeated_runs` drops the second copy of a block the page shows twice (a tab's panel
  and its copy for phones).
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from itertools import groupby

import regex

from newsclean.cleaners.site_patterns import PatternTimeout, compile_pattern, fully_matches
from newsclean.cleaners.vocabulary import ROLE_WORD, ROLE_WORD_AFTER_NAME, fold_case, is_boilerplate_heading

logger = logging.getLogger(__name__)

#: Spaces other than the plain one (tab, no-break, typographic, ideographic).
_ODD_SPACE = r"\t\u00a0\u2000-\u200b\u202f\u205f\u3000"
#: Runs of spaces to collapse: two or more, or one that is not a plain space (a plain space alone
#: is left as it is: most matches were one, replaced by itself). Written to open with a space
#: (one character class, then the run or the odd space just read) so that the regex engine skips
#: to the next space in C; as ``[ odd]{2,}|[odd]``, each character of the text was tried against
#: both alternatives (0.42 -> 0.22 ms a page on wcxb-dev, the same substitutions).
_WS = re.compile(rf"[ {_ODD_SPACE}](?:[ {_ODD_SPACE}]+|(?<=[{_ODD_SPACE}]))")


def normalize_lines(text: str) -> list[str]:
    """NFC, collapsed spaces, one paragraph a line, no empty lines."""
    # one substitution over the whole text: _WS holds no line break, so no run spans two lines
    text = _WS.sub(" ", unicodedata.normalize("NFC", text))
    return [line for line in map(str.strip, text.splitlines()) if line]


#: "Read more" / "Read also" labels in the languages of the news the crawler meets.
READ_MORE = (r"czytaj\s+(?:więcej|też|także|również)|lesen\s+sie\s+(?:auch|mehr)|mehr\s+zum\s+thema|"
             r"auch\s+interessant|weiterlesen|(?:à\s+)?lire\s+(?:aussi|plus|également)|leer\s+más|"
             r"lea\s+también|leia\s+(?:mais|também)|leggi\s+anche|lees\s+ook|läs\s+(?:också|mer)|"
             r"les\s+også|læs\s+(?:også|mere)|čtěte\s+(?:také|více)|olvassa\s+el|devamını\s+oku|"
             r"ayrıca\s+okuyun|baca\s+juga|funda\s+olunye\s+udaba(?:\s+lapha)?|zum\s+artikel")
#: Labels that open a link to another article only when a colon follows ("Lea más: ...", "Mire: ...",
#: "Auch lesen: ..."): without one, some are ordinary words. (Names that are also labels, Lea,
#: Mira, Lee, are left out: "Name: ..." is how interviews are written.)
READ_MORE_COLON = (r"lea\s+más|mire|vea(?:\s+también)?|(?:le|te)\s+puede\s+interesar|puedes\s+ver|"
                   r"auch\s+lesen|zum\s+weiterlesen|lesen\s+sie\s+auch\s+(?:die|den|das)\s+\w+(?:\s+\w+)?|"
                   r"das\s+(?:thema\s+)?könnte\s+(?:dich|sie)\s+(?:auch\s+)?interessieren|mehr\s+themen|"
                   r"weitere\s+(?:artikel|beiträge|themen)(?:\s+\w+){0,3}")

#: What a whole line that is never article text when it stands alone matches: the alternatives
#: of :func:`promo_line` in order (verbose regex syntax), each with the words one of which any match of
#: it holds (lowercased; None: it opens at the line's first word and fails fast). An alternative
#: that looks for a word anywhere in the line (``.{0,160}...``) is tried only on the lines that
#: hold one of its words: run on every line, these were most of the line rules' CPU.
PROMO_ALTERNATIVES: tuple[tuple[tuple[str, ...] | None, str], ...] = (
    (None, r"""(?:also\s+read|read\s+also|read\s+more|see\s+also|related|recommended|must\s+read|more\s+from|
           don'?t\s+miss|watch|listen|trending|also\s+see|newsletter|more|more\s+on\s+this(?:\s+story)?|
           {READ_MORE})(?:\s*[:|»>]|\s+[-–—])\s*.{0,200}"""),
    (None, r"(?:{READ_MORE_COLON})\s*:\s*.{0,200}"),
    (None, r"(?:{READ_MORE})"),
    (('newsletter',), r".{0,160}\b(?:sign(?:ing)?\s+up|subscribe|abonn\w+|anmelden|registr\w+|inscr\w+|suscr\w+|melde[nt]?\s+(?:dich|euch|sie\s+sich))\b.{0,80}\bnewsletters?\b.{0,100}"),
    (('newsletter',), r".{0,160}\bnewsletters?\b.{0,80}\b(?:sign(?:ing)?\s+up|subscribe|abonn\w+|anmelden|inscr\w+|suscr\w+|here|hier)\b.{0,100}"),
    (('commission',), r".{0,200}\b(?:may|might|could)\s+earn\s+(?:us\s+)?(?:a\s+|an\s+)?(?:small\s+)?(?:affiliate\s+)?commission\b.{0,200}"),
    (('compensation',), r".{0,200}\bwe\s+(?:may|might|could)\s+(?:receive|earn)\s+(?:a\s+)?(?:small\s+)?compensation\b.{0,200}"),
    (('abonn', 'subscribers', 'exclusiv', '会員限定'), r""".{0,80}(?:réservée?s?\s+aux\s+abonnés|(?:is|are)\s+reserved\s+for\s+subscribers|
           nur\s+für\s+abonnenten|exclusiv[oa]\s+para\s+(?:suscriptores|assinantes)|会員限定).{0,40}"""),
    (None, r"advertisement|advertisements|advertising|anzeige|publicidad|publicité|sponsored(?:\s+content)?"),
    (None, r"""(?:lesedauer|lesezeit|reading\s+time|temps\s+de\s+lecture|tiempo\s+de\s+lectura|leestijd|czas\s+czytania)
           \s*:?\s*(?:ca\.?\s*)?\d{1,3}\s*(?:min\w*|minut\w*)?\.?"""),
    (None, r"\d{1,3}\s*(?:min|mins|minutes?|minuten)\.?\s+(?:read|lesezeit|lesen|de\s+lecture|de\s+lectura)"),
    (None, r"empfohlener\s+redaktioneller\s+inhalt|ein\s+klick\s+für\s+den\s+datenschutz|embed|link\s+zum\s+[\w-]+[-\s]inhalt"),
    (None, r"an\s+dieser\s+stelle\s+(?:finden|ist|befindet)\b.{0,160}\bexterne[nr]?\s+inhalt.{0,300}"),
    (None, r"(?:wie\s+)?hat\s+ihnen\s+(?:dieser|der)\s+(?:artikel|beitrag|text)\s+gefallen\?.{0,300}"),
    (None, r"durchschnittliche\s+bewertung\s*:?.{0,20}"),
    (None, r"(?:unabhängiger\s+)?journalismus\s+braucht\s+(?:deine|ihre|eure)\s+unterstützung.{0,160}"),
    (None, r"(?:einen\s+)?fehler\s+(?:gefunden|entdeckt)\s*\?.{0,80}"),
    (None, r"""(?:folgst\s+du|folge\s+uns|folgt\s+uns|folgen\s+sie\s+uns)\b.{0,60}\bauf\s+
           (?:twitter|x|facebook|instagram|whatsapp|telegram|tiktok|youtube|linkedin|threads|bluesky|mastodon)\b.{0,100}"""),
    (None, r"s[ií]guenos\s+en\b.{0,160}"),
    (('canal',), r".{0,120}\b(?:tenemos|nuestro|únete\s+a(?:l|\s+nuestro)?)\s+canal\s+de\s+(?:whatsapp|telegram)\b.{0,160}"),
    (('download',), r".{0,120}\bdownload\s+(?:our|the)\s+.{0,40}\bapps?\s+(?:for|on)\s+(?:ios|android|iphone)\b.{0,80}"),
    (None, r"(?:sign\s+up|subscribe)\b.{0,160}"),
    (None, r"(?:follow|like|join)\s+(?:us|[\w.-]+)\s+on\s+(?:twitter|x|facebook|instagram|linkedin|tiktok|youtube|telegram|whatsapp|threads|google|social)\b.{0,200}"),
    (None, r"(?:photo|foto|bild|image|picture|beitragsbild|titelbild|titelfoto|vorschaubild)s?\s*(?:credit)?\s*:\s*.{0,60}"),
    (None, r"click\s+here\b.{0,160}"),
    # a story's tools as older pages printed them, alone or in a row: "Print this story | Email this
    # story | Write a letter to the editor", "E-mail this story to a friend", "Printer-friendly version"
    (None, r"""(?:(?:print|e-?mail|send|save)\s+this\s+(?:story|article|page|post)(?:\s+to\s+a\s+friend)?
           |printer[-\s]?friendly\s+(?:version|format|page))(?:\s*[|•]\s*.{0,160})?"""),
    (None, r"(?:copyright\s*(?:[©ⓒ]|\(c\)|\d{4}|by\b|:)|[©ⓒ]|\(c\)\s*\d{4}).{0,200}"),
    # a footer's row of links ending in the copyright: "Back to News | Home | © 2001 The Harbor Light".
    # No \s* after each "|": the next label takes the spaces too, and the two split them in every way
    # (each row, its product: 9 s on a line of eight labels after ten spaces each)
    (None, r"(?:[^|\n]{1,40}\|){1,8}\s*(?:copyright\s*|[©ⓒ]\s*|\(c\)\s*)\d{4}.{0,80}"),
    # The founding example's sidebar ("Epaper_24-12-15 LHR | Epaper_24-12-15 KHI"): no bench page
    # holds one, so an audit by the bench sets alone took it out (1c3b6e3); the demo crawl's test
    # and test_the_founding_examples_epaper_line_is_a_promo_line need it.
    (None, r"e-?paper(?:[_\s-]\S.{0,200}|s?)"),
)


def _promo_regex(alternatives: Iterable[str]) -> re.Pattern[str]:
    source = "|".join(f"(?:{a}\n)" for a in alternatives)   # a newline ends a verbose comment, if any
    source = source.replace("{READ_MORE_COLON}", READ_MORE_COLON).replace("{READ_MORE}", READ_MORE)
    return re.compile(rf"^\W*(?:{source})\W*$", re.I | re.X)


# The promotion regexes are compiled on first use, not at import: the crawl's main process
# imports this module (with the cleaners) and never cleans a page.

@functools.cache
def promo_line() -> re.Pattern[str]:
    """Lines that are never article text when they stand alone (a whole line matches): all of
    ``PROMO_ALTERNATIVES`` in one regex, which :func:`is_promo_line` answers as."""
    return _promo_regex(a for _, a in PROMO_ALTERNATIVES)


@functools.cache
def _promo_split() -> tuple[re.Pattern[str], tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]]:
    """:func:`promo_line` split: the alternatives without words in one regex, and each with words
    on its own (tried only on a text holding one of its words: :func:`_promo_lines`)."""
    opening = _promo_regex(a for words, a in PROMO_ALTERNATIVES if words is None)
    scanning = tuple((words, _promo_regex([a])) for words, a in PROMO_ALTERNATIVES if words is not None)
    return opening, scanning


#: A line that reads like an article paragraph (long, ends like a sentence). Not dom.SENTENCE_END,
#: which reads whole paragraphs and counts a closing French quote: here a short line ending in
#: "»" is a link's label or a breadcrumb ("Mehr »", "Home » Politik"), popped as a kicker.
_SENTENCE_END = re.compile(r"[.!?\"'”’)]\s*$")


def is_promo_line(line: str) -> bool:
    """Whether a whole line is an inline promotion or a boilerplate label (:func:`promo_line`):
    :func:`_promo_lines` asked of one line (a text's lines are asked together)."""
    s = line.strip()
    return _promo_lines([s])(s)


def _promo_lines(lines: list[str]) -> Callable[[str], bool]:
    """:func:`is_promo_line` for the stripped ``lines`` of one text: the scanning alternatives
    whose words the whole text (folded once) lacks are left out, so that most lines, on most
    pages all of them, are neither folded nor searched for the words one by one (a line's folded
    words are in the text's: ``fold_case`` folds character by character; 0.27 of the step's 0.47
    ms a page on wcxb-dev's smaller half went to those two)."""
    opening, scanning = _promo_split()
    text = fold_case("\n".join(lines))
    here = tuple((words, regex) for words, regex in scanning if any(w in text for w in words))

    def promo(s: str) -> bool:
        if opening.match(s):
            return True
        if not here:
            return False
        low = fold_case(s)
        return any(any(w in low for w in words) and regex.match(s) for words, regex in here)
    return promo


#: News agencies, by the names their credit lines use (data: one entry per agency; all-caps
#: short names are matched as written, longer names in any case). An agency's copyright line in
#: an article ("(c) AFP 2025", "Copyright 2025 The Associated Press. All rights reserved.") is
#: the article's credit, not the site's footer; on the agency's own site it is the footer.
AGENCIES: tuple[tuple[str, ...], ...] = (
    ("AP", "Associated Press", "apnews"), ("AFP", "Agence France-Presse", "Agence France Presse"),
    ("Reuters", "Thomson Reuters"), ("dpa", "Deutsche Presse-Agentur"), ("EFE", "Agencia EFE"),
    ("ANSA",), ("Kyodo", "Kyodo News"), ("Xinhua",), ("PA Media", "Press Association"), ("ANP",),
    ("APA",), ("Belga",), ("Keystone-SDA", "SDA"), ("TASS",), ("Yonhap",), ("Europa Press",), ("Lusa",),
    ("KNA",), ("epd",), ("AAP", "Australian Associated Press"), ("The Canadian Press",),
    ("PTI", "Press Trust of India"), ("IANS",), ("Bernama",), ("Antara",), ("UPI", "United Press International"),
    ("NTB",), ("ČTK", "CTK"), ("PAP",), ("MTI",), ("Agência Brasil",), ("Télam", "Telam"), ("Adnkronos",),
)
_COPYRIGHT = re.compile(r"copyright|[©ⓒ]|\(c\)|all\s+rights\s+reserved", re.I)


def _agency_pattern(names: Iterable[str]) -> re.Pattern[str]:
    parts = [re.escape(n) if n.isupper() or n.islower() and len(n) <= 4 else "(?i:" + re.escape(n) + ")"
             for n in names]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


_AGENCY_NAMES = tuple(_agency_pattern(names) for names in AGENCIES)


def _key(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


#: A picture's credit: the agency, then a bar or slash and the photographer or another agency
#: ("(c) dpa | Jane Doe", "(c) AFP/Getty Images").
_PHOTO_CREDIT = re.compile(r"^\W*\w+\W+\s*[|/]\s*\w|[|/]\s*[A-Z][\w-]+\s+[A-Z][\w-]+\W*$")


def is_agency_credit(line: str, site: str | None = None) -> bool:
    """A news agency's copyright credit for the article: a copyright line naming an agency, not
    naming the site (its host's labels: "cnn" of cnn.com, "apnews" of apnews.com; a site's own
    line may say that an agency contributed), and not a picture's credit."""
    if not _COPYRIGHT.search(line):
        return False
    labels = {_key(label) for label in (site or "").lower().split(".") if len(label) >= 3} - {"www", "com", "org", "net"}
    words = {_key(w) for w in re.findall(r"\w+", line)}
    if labels & words:
        return False
    for names, pattern in zip(AGENCIES, _AGENCY_NAMES):
        m = pattern.search(line)
        if m:
            return not labels & {_key(n) for n in names} and not _PHOTO_CREDIT.search(line[m.start():])
    return False


def apply_line_rules(lines: Iterable[str], patterns: Iterable[str] = (), *,
                     site: str | None = None) -> tuple[list[str], int]:
    """Drop promotion lines and lines fully matching a site pattern (matched under a CPU bound,
    :func:`_site_rule_drops`); return kept lines, chars removed. A news agency's copyright credit stays (unless ``site``, the page's host, is the
    agency's own)."""
    compiled = [compile_pattern(p) for p in patterns]
    lines = list(lines)
    stripped = [line.strip() for line in lines]
    promo = _promo_lines(stripped)
    kept: list[str] = []
    removed = 0
    for line, s in zip(lines, stripped):
        if s and (promo(s) and not is_agency_credit(s, site) or _site_rule_drops(compiled, s, site)):
            removed += len(s)
            continue
        kept.append(line)
    return kept, removed


def _site_rule_drops(compiled: list[regex.Pattern[str]], line: str, site: str | None) -> bool:
    """Whether a site's line pattern matches all of ``line``. One that passes its bound
    (site_patterns.PATTERN_TIMEOUT) keeps the line and is left out for the rest of the page: a
    page costs at most the bound a pattern (before, a backtracking rule held the page to the
    cleaner's own time bound, 10 s, and rejected it)."""
    for p in list(compiled):
        try:
            if fully_matches(p, line):
                return True
        except PatternTimeout:
            compiled.remove(p)
            logger.warning("newsclean: warning: %s", PatternTimeout(p.pattern, f"{site or 'a site'}: cleaning.drop_line_patterns"))
    return False


def _spaced(line: str) -> str:
    """``" ".join(line.split())``, without splitting a line that it leaves as it is: no space at
    its ends nor two together, and no other whitespace (every whitespace character but the plain
    space is unprintable). The body's lines are nearly all such (normalize_lines): split and
    joined, they were most of :func:`drop_repeated_runs`' CPU (0.23 of 0.26 ms a page)."""
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line
    return " ".join(line.split())


#: Consecutive lines that each repeat an earlier line of the text, this many different ones at
#: least: a block the page shows twice (a tab's panel and its mobile copy, an accordion over the
#: same text). Fewer are a pull quote or a repeated label, which the truth keeps (three:
#: multipage-dev -.002); one line said again and again is no copy of a block.
REPEATED_RUN_MIN_LINES = 4


def drop_repeated_runs(lines: list[str], *,
                       in_one_block: Callable[[list[str]], bool] | None = None) -> tuple[list[str], int]:
    """Drop every run of consecutive lines that each repeat an earlier line (whitespace-normalised)
    and hold ``REPEATED_RUN_MIN_LINES`` different lines or more; the first copy stays. A run that
    ``in_one_block`` says the page repeats inside one block of its body (a song's chorus, a
    program's lines quoted again, a plan's steps of every day in one list: the markup tells,
    blocks.repeated_in_one_block) stays. Return kept lines, chars removed."""
    first: dict[str, int] = {}
    keys = [_spaced(line) for line in lines]
    repeated = [bool(k) and first.setdefault(k, i) < i for i, k in enumerate(keys)]
    kept: list[str] = []
    removed = 0
    for is_repeat, run in groupby(range(len(lines)), key=repeated.__getitem__):
        run = list(run)
        if is_repeat and len({keys[i] for i in run}) >= REPEATED_RUN_MIN_LINES \
                and not (in_one_block is not None and in_one_block([lines[i] for i in run])):
            removed += sum(len(keys[i]) for i in run)
        else:
            kept.extend(lines[i] for i in run)
    return kept, removed


def _looks_like_teasers(tail: list[str]) -> bool:
    """Teaser regions: short headlines, excerpts ending in an ellipsis, e-paper links, labels.

    A tail holding several long sentence-ending paragraphs is the article continuing after an
    in-text "Related" box, so it is kept.
    """
    # A line of a thousand characters is no teaser, however it ends (table layouts glue a whole
    # article into one line that ends in a cell's label).
    body_like = sum(1 for s in tail if len(s) >= 1000 or len(s) >= 150 and _SENTENCE_END.search(s)
                    and not s.endswith(("...", "…")))
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


_WORD = re.compile(r"\w+")
#: A line that is only a date / time stamp ("18.05.2026", "10.11.2025 17:59", "17:41 JST, Oct 13, 2024").
_DIGITS = re.compile(r"\d")


def _words(s: str) -> list[str]:
    return _WORD.findall(s.lower())


def _is_headline(words: list[str], heads: list[list[str]]) -> bool:
    """The line is a headline: equal to one, or one with a short kicker / label glued in front
    (``Premier League Rückschlag im Titelkampf``), or nearly all its words are one's words."""
    for h in heads:
        if not h:
            continue
        if words == h:
            return True
        n = len(h)
        if len(words) > n and len(words) <= n + 8 and (words[-n:] == h or words[:n] == h):
            return True
        if len(words) >= 4 and len(words) <= 40:
            hs = set(h)
            if sum(1 for w in words if w in hs) >= 0.8 * len(words) and len(set(words) & hs) >= 0.6 * len(hs):
                return True
    return False


def _is_byline(line: str, words: list[str], authors: list[list[str]]) -> bool:
    if len(line) > 60 or line.endswith("."):   # a sentence, not a byline
        return False
    role = _byline_role().search(line)
    if role:   # the writer's job title is no more words of the byline's lead or date
        words = _words(line[:role.start()])
    lettered = sum(not w.isdigit() for w in words)   # a byline's date: "by: Jane Doe, Dec 17, 2025"
    for a in authors:
        if a and len(a) <= lettered <= len(a) + 3 and all(w in words for w in a):
            return True
    return False


#: The label a printed date stamp opens with ("Posted 6/14/05", "Updated: 09/09/2010 06:15"): how
#: older pages printed the date, as text under the byline.
_STAMP_LABEL = re.compile(r"(?:posted|published|updated|last\s+updated)(?:\s+on)?\s*:?\s*", re.I)


def _is_stamp(line: str) -> bool:
    label = _STAMP_LABEL.match(line)
    if label is not None and label.end() < len(line):
        line = line[label.end():]
    compact = line.replace(" ", "")
    return 0 < len(line) <= 60 and len(_DIGITS.findall(compact)) >= 0.4 * len(compact)


def _author_names(authors: Iterable[str]) -> list[list[str]]:
    """The authors' names as word lists, of one to five words (longer is no person's name)."""
    names = [_words(a) for a in authors if a and a.strip()]
    return [n for n in names if 1 <= len(n) <= 5]


def _names_author(words: list[str], names: list[list[str]]) -> bool:
    return any(all(w in words for w in name) for name in names)


@functools.cache
def _byline_role() -> re.Pattern[str]:
    """A job title after a byline's name, to the line's end, in the order of its language (``ROLE_WORD``):
    "..., Senior Council Reporter", "..., Redakteurin für Wirtschaft", "... - Muhabir ·". The spaces
    before the separator are taken from their first only (a look-behind): searched from each of them,
    a run of spaces was read again from every one (the regex audit: 5.5 ms at 1,000, 0.54 s at 10,000).
    A hyphenated run still is, from each hyphen: asked of lines of 60 characters at most (``_is_byline``)."""
    return re.compile(rf"(?<!\s)\s*[,–—-]\s*(?:(?:[^\W\d_][\w&.'-]*\s+){{0,3}}{ROLE_WORD}|{ROLE_WORD}(?:\s+\S+){{0,3}}?)\W*$",
                      re.I)


@functools.cache
def _staff_title() -> re.Pattern[str]:
    """A staff card's job title alone on the line under the writer's name ("Senior Council
    Reporter"): up to three words and a job word, the one the byline rules know."""
    return re.compile(rf"(?:[^\W\d_][\w&.'-]*\s+){{0,3}}{ROLE_WORD}", re.I)


def _is_staff_title(line: str) -> bool:
    """Whether ``line`` is a job title alone, written as one (each word capitalised)."""
    return all(w[:1].isupper() for w in line.split()) and _staff_title().fullmatch(line) is not None


#: A Chinese, Japanese or Korean byline: a name and the job title printed after it, with or without
#: a space, and a separator or bracket at most ("李明 记者", "山田花子記者 ·", "（신현주 기자）").
_CJK_BYLINE = re.compile(rf"\W*(?P<name>\w.{{0,40}}?)\s*{ROLE_WORD_AFTER_NAME}\W*")


def _is_cjk_byline(line: str, names: list[list[str]]) -> bool:
    """Whether ``line`` is one of the writers' names and the job title CJK bylines print after it."""
    m = _CJK_BYLINE.fullmatch(line)
    return m is not None and _words(m["name"]) in names


def drop_trailing_author_box(lines: list[str], authors: Iterable[str], *, window: int = 3) -> tuple[list[str], int]:
    """Drop an author box that ends the body: a byline naming the article's author among the last
    ``window`` lines ("Written by Jane Doe") with a line naming that author after it (the bio,
    "Jane Doe is a reporter who ..."), or with the writer's job title alone as the last line (a
    staff card: "Jane Doe", "Senior Council Reporter"); from the byline to the end. The writer is
    metadata, not the article's text. A byline alone stays (a sign-off: "Jane Doe", "We thank Jane
    Doe"), and so does a closing sentence naming the writer (it ends with a period: no byline);
    not the writer's name with the job title CJK bylines print after it ("李明 记者", ``_is_cjk_byline``),
    a byline however short. Return kept lines, chars removed."""
    names = _author_names(authors)
    if names and len(lines) > 1 and _is_cjk_byline(lines[-1].strip(), names):
        return lines[:-1], len(lines[-1].strip())   # "李明 记者" under the article: no word for "by"
    if not names or len(lines) <= window:
        return lines, 0
    for i in range(len(lines) - window, len(lines) - 1):
        if _is_byline(lines[i].strip(), _words(lines[i]), names) and (
                any(_names_author(_words(s), names) for s in lines[i + 1:])
                or (i == len(lines) - 2 and _is_staff_title(lines[-1].strip()))):
            return lines[:i], sum(len(s.strip()) for s in lines[i:])
    return lines, 0


def drop_leading_heads(lines: list[str], headlines: Iterable[str], authors: Iterable[str], *,
                       window: int = 3) -> tuple[list[str], int]:
    """Drop the headline (title, the page's h1, with or without a kicker), bylines naming the
    article's authors and bare date stamps above the ``window``-th line kept, and a job title on
    the line after a byline dropped: metadata the extractor left at the top of the body. Return
    kept lines, chars removed."""
    heads = [_words(h) for h in headlines if h and h.strip()]
    names = _author_names(authors)
    kept: list[str] = []
    removed = 0
    prose_seen = False  # below the first paragraph a heading is the article's own
    byline = False   # the line before was a byline dropped
    for line in lines:
        s = line.strip()
        if byline and _staff_title().fullmatch(s):
            # the writer's job title on the byline's second line ("By Alan Mercer<br>Transport
            # correspondent", "Associated Press Writer"): how bylines were printed before the
            # byline had markup of its own
            removed += len(s)
            byline = False
            continue
        byline = False
        # the window is of lines kept: a kicker and the headline dropped above a standfirst fill
        # none of it (the 2005 CMS page's head: a byline and a date under those three lines)
        if len(kept) < window and not prose_seen and len(lines) > window and len(s) < 250:
            words = _words(s)
            headline = _is_headline(words, heads)
            byline = not headline and (_is_byline(s, words, names) or _is_cjk_byline(s, names))
            if headline or byline or _is_stamp(s):
                removed += len(s)
                if headline:
                    # short labels above the headline are its kicker / section name
                    while kept and len(kept[-1].strip()) <= 40 and not _SENTENCE_END.search(kept[-1].strip()):
                        removed += len(kept.pop().strip())
                continue
        prose_seen = prose_seen or len(s) >= 100
        kept.append(line)
    return kept, removed
