"""The words bylines print before a writer's name, by language: "By", "Von", "Par", "Written
by", "Autor:", and the labels that are no part of a name; the time ago they print after it ("5
hours ago", "för 5 timmar sedan"); one table each, every byline pattern built from them."""

from __future__ import annotations

import re


#: The word for "by" before a writer's name, by language: the one table every byline pattern
#: below is built from ("By", "Von", "Par", "Por", "Door", the Italian "Di", the Swedish and
#: Norwegian "Av", the Danish "Af", the Indonesian and Malay "Oleh", the Arabic "بقلم" ("by the pen
#: of"), the Hebrew "מאת"). A language's word is added
#: to its row. Only the languages whose bylines print one: Polish, Czech, Finnish, Hungarian,
#: Turkish, Russian, Japanese or Korean bylines print a label ("Autor:", "Írta:") or a job title
#: after the name ("기자") instead; the translations of "Written by" (``_WRITTEN_BY``) give the word
#: in every language, not whether bylines print it alone.
_BY_WORDS = {"en": "by", "de": "von", "fr": "par", "es": "por", "pt": "por", "it": "di", "nl": "door",
             "sv": "av", "no": "av", "da": "af", "id": "oleh", "ar": "بقلم", "he": "מאת"}
#: Those that open a name too ("Di Maio", "af Klint", the Ukrainian given name "Oleh"): a byline's
#: lead before a name, never a label's word inside one ("Luigi Di Maio" is no "Articles by" link).
_BY_PARTICLES = frozenset({"di", "af", "oleh"})
_BY = rf"(?:{'|'.join(sorted(set(_BY_WORDS.values())))})"
#: What may come before the English "by" ("Written by"; "Submitted by": Drupal's node template in
#: core, Classy, Stable and Bartik prints "Submitted by NAME on DATE", the name a bare span for a
#: visitor who may not see users' profiles).
_BY_LEAD = r"(?:written|text|article|story|words|authored|reviewed|posted|edited|recipe|submitted)"
#: "Written by" in the other languages: "Geschrieben von", "Écrit par", "Escrito por", "Scritto da",
#: "Geschreven door", "Skriven av". Read before a name as plain text and in byline markup.
#: ("Published by" is no byline in plain text: "Publié par <the publisher>" ends many footers.)
#: The rows from da on are the Translation Project's and GNOME's translations of "Written by"
#: (coreutils' "Written by %s.", GTK's about dialog; Debian's /usr/share/locale, 2026-12-07),
#: a verb where the language has one ("Napsal", "Írta": "wrote"; "Yazan": "the writer").
_WRITTEN_BY = {
    "de": r"(?:geschrieben|verfasst)\s+von",
    "fr": r"(?:écrit|rédigé)e?\s+par",
    "es": r"(?:escrito|redactado)\s+por",
    "pt": r"escrito\s+por",
    "it": r"scritto\s+da",
    "nl": r"geschreven\s+door",
    "sv": r"(?:skriven|skrivet)\s+av",
    "da": r"skrevet\s+af", "no": r"skrevet\s+av", "fi": r"kirjoittaneet|kirjoittanut", "et": r"kirjutanud",
    "pl": r"napisany\s+przez", "cs": r"napsali|napsal", "sk": r"napísal", "hr": r"napisali|napisao",
    "sl": r"napisali", "lt": r"parašė", "ro": r"scris\s+de", "hu": r"írta",
    "tr": r"yazan(?=\s*:)",   # before its colon only: "Yazan" is a given name too
    "el": r"(?:γράφτηκε|γραμμένο)\s+από", "ca": r"escrit\s+per", "id": r"ditulis\s+oleh", "vi": r"viết\s+bởi",
}
_WRITTEN = rf"(?:{'|'.join(_WRITTEN_BY.values())})"
#: A label that names who wrote what follows, by language: "Authors:", "Author(s)", "Contributors:",
#: "Autor:", "Auteur :", "Autore:", "Autora:", "Författare:", "Forfatter:", "लेखक:", "Tác giả:". The rows from cs on, and
#: the plurals "autorzy", "forfattere", are docutils' "Author" and "Authors" field labels
#: (``docutils.languages.*.labels``: cs, sk, pt_br, ca, gl, lt, lv, fi, ru, ar, fa); Ukrainian writes
#: "Автор" as Russian does (GTK's uk "Written by").
_AUTHOR_LABELS = {
    "en": r"authors?|author\(s\)|contributors?", "de": r"autor(?:in|en)?", "es": r"autor(?:a|es)?",
    "fr": r"auteure?s?", "it": r"autore|autrice|autori", "nl": r"auteurs?", "pl": r"autor(?:ka|zy)?",
    "sv": r"författare", "da": r"forfattere?",
    "cs": r"autoři|autor", "sk": r"autori?", "pt": r"autor(?:es)?", "ca": r"autors?", "gl": r"autor(?:es)?",
    "lt": r"autorius|autoriai", "lv": r"autors|autori", "fi": r"tekijät|tekijä", "ru": r"авторы|автор",
    "ar": r"المؤلفون|المؤلف", "fa": r"نویسندگان|نویسنده", "hi": r"लेखक", "vi": r"tác\s+giả",
}
_AUTHOR_LABEL = rf"(?:{'|'.join(_AUTHOR_LABELS.values())})"
#: A byline's lead word before a name of two or more words: "By Jane Doe", "Von Jane Doe", "Autor: Jane
#: Doe"; in lower case before any name ("von Ulrike", "by BeauHD"). Not "von" before a particle
#: (der, den, dem, des, zu): that is the first word of a family name ("von der Leyen", "von dem
#: Bussche"), not the German "by".
_BYLINE_PREFIX = re.compile(rf"^(?!von\s+(?:der|den|dem|des|zu)\s)"
                            rf"(?:(?:{_BY}|autor|autorin|author|text|texto)\b:?\s+(?=\S+\s+\S)|(?-i:{_BY})\s+(?=\S))", re.I)


#: Labels printed before a byline's names and no part of them, besides "written by"
#: (``_WRITTEN_BY``) and the author labels (``_AUTHOR_LABELS``): "Written by:", "Veröffentlicht
#: von", "Publié par", "Artikel von:", "Interview:", and an author box's link to the writer's
#: other posts ("View all posts by"). A label is added here, to its language's row.
_LEAD_LABELS = {
    "en": (rf"(?:{_BY_LEAD}|read more about)\s+by\b", r"read more about\b", rf"{_AUTHOR_LABEL}\s*:", r"interview\s*:",
           r"(?:(?:view|see|show|read)\s+)?all\s+(?:posts|articles|stories)\s+by"),
    "de": (r"(?:veröffentlicht|erstellt|eingestellt|gepostet)\s+von(?:\s+de[rm]\b)?",
           r"(?:artikel|beitrag|text)\s+von\s*:", r"(?:zeige\s+)?alle\s+beiträge\s+von"),
    "fr": (r"publiée?\s+par",), "es": (r"publicado\s+por",), "it": (r"pubblicato\s+da",),
}
_LEAD_LABEL = re.compile(rf"^(?:{_WRITTEN}|{'|'.join(p for row in _LEAD_LABELS.values() for p in row)})\s*:?\s*", re.I)
#: A part that is only a byline's label, no name.
_LABEL_ONLY = re.compile(rf"(?i){_BY_LEAD}?\s*by\s*:?|{_AUTHOR_LABEL}\s*:?|")
#: The words a label of the writer field prints around its author word (``_AUTHOR_LABELS``), by
#: language: "Authors of this article", "The Author", "About the author", "No author", "Über den
#: Autor", "À propos de l'auteur". They name the field, no one. A collective is a writer the truths
#: keep ("The Investopedia Team", "Our Editors", "BR24 Redaktion"): team, staff, editors, desk are none of them.
_FIELD_WORDS = {
    "en": "the this these its of a an no about our article articles post story page written by unknown",
    "de": "der die das den dem des dieses diesen über zum zur kein keine artikel beitrag beitrags von",
    "fr": "le la les l de du des cet cette à propos sur aucun article",
    "es": "el la los las del de este esta sobre sin artículo",
    "it": "il lo la i gli le l dell della di questo questa sull nessun articolo",
    "nl": "de het dit deze van over geen artikel",
}
_FIELD_WORD = frozenset(w for row in _FIELD_WORDS.values() for w in row.split())
_AUTHOR_WORD = re.compile(rf"(?i){_AUTHOR_LABEL}")


#: The field words that also open a family name ("Autore Di Maio", "Auteur De Gaulle", "Autora De
#: la Fuente", "Author L'Heureux"): after the author word and before a name they are the name's.
_NAME_OPENERS = frozenset("de la le di da del della dell van von der den des du l".split())


#: A "by" word in a text that should be a name alone (a link to a writer's page, an author box's
#: element): it is a label ("Articles by Jane", "Geschrieben von"), not a name; "Di", "af" in one
#: are a family name's.
_BY_WORD = re.compile(rf"(?i)\b(?:{'|'.join(sorted(set(_BY_WORDS.values()) - _BY_PARTICLES))})\b")


#: A time ago printed with a writer's name ("5 hours ago", "vor 5 Stunden", "för 5 timmar sedan",
#: "5 godzin temu", "před 5 hodinami"), by language: the words before the number and after its unit
#: (one word, Romanian's "de" before it: "acum 5 de ore"), from the Unicode CLDR's relative times
#: (``date_fields``' past patterns as the babel package carries them, long and short;
#: test_byline_languages checks every one is read). Not Hungarian's "{0} napja" (a unit and its
#: ending in one word), nor Arabic's two and one without a number ("قبل ساعتين").
_TIME_AGO_WORDS = {
    "en": ("", "ago"), "de": ("vor", ""), "fr": (r"il\s+y\s+a", ""), "es": ("hace", ""), "pt": ("há", ""),
    "it": ("", "fa"), "nl": ("", "geleden"), "sv": ("för", "sedan|sen"), "da": ("for", "siden"), "no": ("for", "siden"),
    "fi": ("", "sitten"), "pl": ("", "temu"), "cs": ("před", ""), "sk": ("pred", ""), "ro": ("acum", ""),
    "hu": ("", "ezelőtt"), "tr": ("", "önce"), "el": (r"πριν\s+από", ""), "ru": ("", "назад"), "uk": ("", "тому"),
    "ar": ("قبل", ""), "id": ("", r"(?:yang\s+)?lalu"),
}
#: The unit between a time ago's number and its words: one word, an abbreviation's stop with it.
_TIME_UNIT = r"(?:de\s+)?[^\W\d_][^\s\d]*"
_BEFORE_NUMBER = "|".join(sorted({b for b, _ in _TIME_AGO_WORDS.values() if b}))
_AFTER_UNIT = "|".join(sorted({a for _, a in _TIME_AGO_WORDS.values() if a}))
#: The words before the number of the languages that print none after the unit: "for 5 years"
#: alone is no Danish time ago.
_BEFORE_NUMBER_ALONE = "|".join(sorted({b for b, a in _TIME_AGO_WORDS.values() if b and not a}))
#: Chinese, Japanese and Korean write the unit (two letters at most) onto the number and "ago"
#: (前, 전) onto the unit ("5小时前", "5 時間前", "5시간 전"), and onto a name before ("记者5小时前"):
#: the number is read from its first digit (tried from each digit of a run, a run was quadratic).
_CJK_TIME_AGO = r"(?<!\d)\d+\s*[^\W\d_]{1,2}\s*(?:前|전)"
#: A time ago in any of these languages: "for 5 timer siden" with the words on both sides (Danish
#: also writes "5 timer siden").
_TIME_AGO = (rf"(?<!\w)(?:(?:{_BEFORE_NUMBER})\s+)?\d+\s*{_TIME_UNIT}\s+(?:{_AFTER_UNIT})(?!\w)"
             rf"|(?<!\w)(?:{_BEFORE_NUMBER_ALONE})\s+\d+\s*{_TIME_UNIT}|{_CJK_TIME_AGO}")
