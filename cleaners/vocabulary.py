"""Word patterns that more than one cleaning step reads, and the case folding they are looked
for in: kept here, below the steps, so that no step imports another for its words (the line rules
once imported the metadata module for the job words of a byline, the DOM rules the line rules for
the headings of a trailing region and for ``fold_case``)."""

from __future__ import annotations

import re

#: The job words of a byline, by language: a job title printed after the name ("Jane Doe Former
#: McKinsey Consultant", "Jane Doe Founder at Acme", "Katrin Vogelsang, Redakteurin für Wirtschaft")
#: is up to three words before one, or one of the languages but English and up to three words
#: after it (``ROLE_WORD_FIRST``; ``metadata``). The line rules read them too: a staff card's job
#: title ending the body, a byline's at the body's top.
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
    "nl": ("verslaggever(?:ster)?", "redacteur"),
    "uk": ("кореспондент(?:ка)?", "журналіст(?:ка)?", "редакторка", "оглядач(?:ка)?"),
}
#: The job words of the languages that print the job word first, its field after it ("Redakteurin
#: für Wirtschaft", "journaliste au service Environnement"): all rows but English, whose titles end
#: in theirs ("Senior Political Reporter"; as a writer's part read job word first, one wcxb-dev
#: check page's writers lost a name).
ROLE_WORD_FIRST = "(?:" + "|".join(w for lang, row in ROLE_WORDS.items() if lang != "en" for w in row) + ")"
#: Every row's job words: English's with a plural "s", then the others' (``ROLE_WORD_FIRST``).
ROLE_WORD = rf"(?:(?:{'|'.join(ROLE_WORDS['en'])})s?|{ROLE_WORD_FIRST})"

#: The job words Chinese, Japanese and Korean bylines print right after the name, with or without
#: a space, and no word for "by" before it ("山田花子 記者", "李明 记者", "신현주 기자"): reporter,
#: correspondent, (senior, chief) reporter. A name's run and one of these, alone in an element, is
#: a byline (``metadata``); a title's first part before the job word is no name ("선임기자" alone).
ROLE_WORDS_AFTER_NAME = {
    "ja": ("記者", "特派員"),
    "zh": ("记者", "記者", "特派记者", "特派員"),
    "ko": ("(?:선임|수석)?기자", "특파원"),
}
#: Any of ``ROLE_WORDS_AFTER_NAME``.
ROLE_WORD_AFTER_NAME = "(?:" + "|".join(dict.fromkeys(w for row in ROLE_WORDS_AFTER_NAME.values() for w in row)) + ")"

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


#: The label of a donation appeal's button, by language (the whole label, up to a closing "!" or
#: arrow): "Donate now", "Jetzt unterstützen", "Faire un don", "Haz tu aportación", "Sostienici",
#: "Quero apoiar", "Wesprzyj nas", "Поддержать", "Destek ol", "寄付する". A small box around such a
#: button, with text besides it, is an appeal for money whatever its address ("/unterstuetzen",
#: "/soutenir", "/apoie": words that open article addresses too, as "spende" did) and its class
#: (``dom.calls_to_action``). Words that are also names or a sentence's start are left out
#: ("Dona", "Doe", "Colabora"); a language's label is added to its row. Each form opens with a
#: word written out, then a space, a hyphen or the label's end (``DONATION_LEADS``: the cheap test
#: before the regex, on every short link; test_cleaners_lang checks each form's opening).
DONATION_LABELS = {
    "en": (r"donate(?:\s+(?:now|today|here))?", r"make\s+a\s+donation", r"give\s+(?:now|today)"),
    "de": (r"jetzt\s+(?:spenden|unterstützen|unterstützer(?:in)?\s+werden)", r"spenden", r"unterstützen(?:\s+sie\s+uns)?",
           r"unterstützer\s+werden", r"unterstützerin\s+werden"),
    "fr": (r"faire\s+un\s+don", r"je\s+(?:fais\s+un\s+don|fais\s+un\s+geste|soutiens)", r"soutenez(?:-nous)?",
           r"nous\s+soutenir"),
    "es": (r"donar(?:\s+ahora)?", r"dona\s+ahora", r"haz\s+(?:tu|una)\s+(?:aportación|donación)", r"apóyanos"),
    "it": (r"sostienici", r"dona\s+(?:ora|adesso)", r"fai\s+una\s+donazione"),
    "pt": (r"doe\s+agora", r"apoie(?:\s+o\s+\w+|\s+agora)?", r"quero\s+apoiar", r"faça\s+uma\s+doação"),
    "pl": (r"wesprzyj(?:\s+nas)?", r"przekaż\s+darowiznę"),
    "ru": (r"поддержать(?:\s+нас)?", r"поддержите\s+нас", r"пожертвовать"),
    "tr": (r"destek\s+ol", r"bağış\s+yap"),
    "ja": (r"寄付する", r"寄付", r"支援する"),
    "zh": (r"支持我们", r"捐赠", r"捐款"),
    "ko": (r"후원하기",),
}
#: A whole label of ``DONATION_LABELS`` (a closing "!", "»", "›" or arrow allowed).
DONATION_LABEL = re.compile(r"(?:" + "|".join(f for row in DONATION_LABELS.values() for f in row) + r")\s*[!»›→>]?", re.I)
#: The word each form opens with, lower-cased: a label whose first word (``str.split``, lower-cased)
#: is none of these is none of the forms.
DONATION_LEADS = frozenset(re.match(r"[^\W\d_]+", f).group() for row in DONATION_LABELS.values() for f in row)


def is_donation_label(text: str) -> bool:
    """Whether ``text`` is the whole label of a donation appeal's button (``DONATION_LABELS``)."""
    words = text.split(None, 1)
    return (bool(words) and fold_case(words[0]).rstrip("!»›→>").partition("-")[0] in DONATION_LEADS
            and DONATION_LABEL.fullmatch(text.strip()) is not None)
