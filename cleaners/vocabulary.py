"""Word patterns that more than one cleaning step reads, and the case folding they are looked
for in: kept here, below the steps, so that no step imports another for its words (the line rules
once imported the metadata module for the job words of a byline, the DOM rules the line rules for
the headings of a trailing region and for ``fold_case``)."""

from __future__ import annotations

import re

#: The job words of a byline, by language: a job title printed after the name ("Jane Doe Former
#: McKinsey Consultant", "Jane Doe Founder at Acme", "Katrin Vogelsang, Redakteurin für Wirtschaft")
#: is up to three words before one, or one and up to three words after it (``metadata``). The line
#: rules read them too: a staff card's job title ending the body, a byline's at the body's top.
#: Each row's forms are written whole (English adds a plural "s" to any of its words).
ROLE_WORDS = {
    "en": ("co-?founder", "founder", "reporter", "editor", "writer", "consultant", "coordinator", "manager",
           "director", "ceo", "cto", "president", "contributor", "correspondent", "analyst", "specialist", "officer",
           "journalist", "columnist", "producer", "strategist", "marketer", "engineer", "designer", "researcher",
           "reviewer"),
    "de": ("(?:chef)?redakteur(?:in)?", "korrespondent(?:in)?", "reporterin", "journalistin", "volontär(?:in)?",
           "kolumnist(?:in)?", "ressortleiter(?:in)?"),
    "fr": ("journaliste", "rédact(?:eur|rice)", "correspondant(?:e)?", "chroniqueu(?:r|se)", "envoyée?\\s+spéciale?"),
    "es": ("redactor(?:a)?", "periodista", "corresponsal", "enviad[oa]\\s+especial", "cronista"),
    "it": ("giornalista", "redat(?:tore|trice)", "caporedat(?:tore|trice)", "corrispondente", "inviat[oa]",
           "editorialista"),
    "pt": ("jornalista", "repórter", "redator(?:a)?", "correspondente", "colunista"),
    "pl": ("dziennikar(?:z|ka)", "redaktor(?:ka)?", "reporterka", "korespondent(?:ka)?", "publicyst(?:a|ka)"),
    "ru": ("корреспондент", "журналист(?:ка)?", "редактор", "обозреватель", "репортёр"),
    "tr": ("muhabir(?:i)?", "editör(?:ü)?", "köşe\\s+yazarı"),
}
ROLE_WORD = "(?:" + "|".join([rf"(?:{'|'.join(ROLE_WORDS['en'])})s?",
                              *(w for lang, row in ROLE_WORDS.items() if lang != "en" for w in row)]) + ")"

#: Letters that match an ASCII letter under re.I but that ``str.lower`` does not turn into it
#: (dotted and dotless I, long s; the Kelvin sign it does turn into "k").
_CASE_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold_case(s: str) -> str:
    """``s`` lowercased so that a word of ASCII letters that an re.I pattern finds in ``s`` is
    found in it by ``in``: the cheap test before such a pattern."""
    if s.isascii() or not ("\u0130" in s or "\u0131" in s or "\u017f" in s):
        return s.lower()   # three searches in C; translate looks each character up in a dict
    return s.translate(_CASE_FOLD).lower()


#: Headings after which the rest of the text is boilerplate (teasers, related lists).
TRAILING_HEADING = re.compile(
    r"""^\W*(?:must\s+read|related(?:\s+(?:articles?|posts?|stories|news|content|coverage|topics))?|
        more\s+(?:stories|news|articles|from\s+.{1,60}|on\s+this\s+topic|in\s+.{1,40})|
        recommended(?:\s+(?:for\s+you|stories|articles|reading|videos))?|you\s+may\s+also\s+like|
        you\s+might\s+also\s+like|trending(?:\s+now)?|most\s+(?:read|popular|viewed|shared)|
        latest\s+(?:news|stories|posts)|popular\s+(?:posts|stories|now)|read\s+next|what\s+to\s+read\s+next|
        also\s+read|read\s+more(?:\s+from\s+.{1,60})?|(?:today[’']?s\s+|other\s+(?:.{1,40}\s+)?)?top\s+stories|editor'?s\s+picks?|related\s+reading|
        leave\s+a\s+(?:reply|comment)|comments?|share\s+this(?:\s+article)?|
        ähnliche(?:\s+artikel)?|meistgelesen|das\s+könnte\s+sie\s+(?:auch\s+)?interessieren|
        sur\s+le\s+même\s+sujet|(?:noticias|notas)\s+relacionadas|contenido\s+relacionado|(?:te|le)\s+puede\s+interesar|
        articoli\s+correlati|schon\s+gelesen|lust\s+auf\s+mehr|weitere\s+artikel(?:\s+zum\s+thema)?|kommentierte\s+artikel|
        meist[-\s]?(?:diskutiert|kommentiert)|keine\s+kommentare|view\s+comments|
        関連(?:記事|キーワード|ニュース)|おすすめ(?:情報|記事)?|相关(?:新闻|阅读)|관련\s*기사)\W*$""",
    re.I | re.X,
)


def is_boilerplate_heading(line: str) -> bool:
    """Whether a line is a heading that opens a trailing boilerplate region."""
    s = line.strip()
    return len(s) <= 80 and bool(TRAILING_HEADING.match(s))
