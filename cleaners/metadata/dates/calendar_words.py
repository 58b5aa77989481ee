"""The months and weekdays as pages print them, in every language the readers know: the
hand-written tables (``_MONTHS``, ``_WEEKDAYS``) and the CLDR's (``cleaners.metadata.dates.month_names``), as
regex patterns, for the byline readers (a date printed with a name) and the day readers."""

from __future__ import annotations

import re
from typing import Iterable

from newsclean.cleaners.metadata.dates.month_names import AMBIGUOUS_MONTHS, CLDR_MONTHS, CLDR_MONTHS_YEAR_FIRST, CLDR_WEEKDAYS


#: The months as pages print them, by language, one table for the byline and the day readers:
#: January to December, each its full name, then the abbreviations printed for it (with or
#: without a dot), spellings without an accent ("aout", "fevrier") and the Austrian "Jänner".
#: A month is one of these words whole ("Martin", "Junior", "Augusta", "Marco" are no months).
#: Abbreviations that are words of other languages ("set", "out", "ago", "mag", "may", "mar")
#: are months only in a date's shape, beside a day's number and a year.
_MONTHS = {
    "en": ("january jan", "february feb febr", "march mar", "april apr", "may", "june jun", "july jul",
           "august aug", "september sep sept", "october oct", "november nov", "december dec"),
    "de": ("januar jan jänner jän", "februar feb febr", "märz mrz maerz", "april apr", "mai", "juni jun",
           "juli jul", "august aug", "september sep sept", "oktober okt", "november nov", "dezember dez"),
    "fr": ("janvier janv", "février févr fév fevrier fevr", "mars", "avril avr", "mai", "juin", "juillet juil",
           "août aout", "septembre sept", "octobre oct", "novembre nov", "décembre déc decembre"),
    "es": ("enero ene", "febrero feb", "marzo mar", "abril abr", "mayo may", "junio jun", "julio jul", "agosto ago",
           "septiembre setiembre sep sept set", "octubre oct", "noviembre nov", "diciembre dic"),
    "it": ("gennaio gen genn", "febbraio feb febbr", "marzo mar", "aprile apr", "maggio mag", "giugno giu",
           "luglio lug", "agosto ago", "settembre set sett", "ottobre ott", "novembre nov", "dicembre dic"),
    "pt": ("janeiro jan", "fevereiro fev", "março mar", "abril abr", "maio mai", "junho jun", "julho jul",
           "agosto ago", "setembro set", "outubro out", "novembro nov", "dezembro dez"),
    "nl": ("januari jan", "februari feb", "maart mrt", "april apr", "mei", "juni jun", "juli jul", "augustus aug",
           "september sep sept", "oktober okt", "november nov", "december dec"),
}


def _words_pattern(words: Iterable[str]) -> str:
    """A regex for any of ``words``, branching a letter at a time ("ma(?:i|r(?:s|zo)?|y)"): a
    flat list of a hundred words is tried word by word at each word's start, four times slower."""
    heads: dict[str, list[str]] = {}
    for w in words:
        heads.setdefault(w[:1], []).append(w[1:])
    alts = [re.escape(ch) + _words_pattern(rests) for ch, rests in sorted(heads.items()) if ch]
    body = "|".join(alts)
    if "" in heads:   # a word ends here: what follows is optional
        return f"(?:{body})?" if body else ""
    return f"(?:{body})" if len(alts) > 1 else body


#: A month as pages print it, for the byline and the day readers: a word of ``_MONTHS`` whole,
#: in any of its languages ("Dec.", "Sept", "Mrz.", "mars", "ottobre", "12 juil. 2024", "3 mrt
#: 2025"; beside a day's number or a year only), then an optional dot, and its number; no name
#: that opens with one or is the start of one ("Martin", "Mayer", "Novak", "Marc", "Marco").
#: The other languages' months are the CLDR's (``cleaners.metadata.dates.month_names``: Slavic, Greek, Turkish,
#: Arabic, Nordic, Finnish, Romanian ...; "5 марта 2024", "5. března 2024", "5 Μαρτίου 2024").
_MONTH_WORDS = {word: number
                for months in (*_MONTHS.values(), *CLDR_MONTHS.values(), *CLDR_MONTHS_YEAR_FIRST.values())
                for number, spellings in enumerate(months, 1) for word in spellings.split()}


def _month_pattern(words: Iterable[str]) -> str:
    """A pattern of the month's ``words`` whole (none opening a longer word), then an optional dot."""
    return rf"{_words_pattern(set(words))}(?![^\W\d_])\.?"


def _spellings(*tables: dict[str, tuple[str, ...]]) -> set[str]:
    """Every spelling of every month in ``tables`` (``_MONTHS``' layout)."""
    return {w for table in tables for months in table.values() for row in months for w in row.split()}


_MONTH = _month_pattern({*_MONTH_WORDS, *AMBIGUOUS_MONTHS})
#: A month printed before its day ("May 3, 2024"): of ``_MONTHS`` only, as CLDR's languages print
#: the day first ("3. augusta 2024"); "Augusta 3, 2024" is no date.
_MONTH_FIRST = _month_pattern(_spellings(_MONTHS))
#: A month printed after its year, before its day ("2024. március 5.", "2024 m. kovo 5 d."): of
#: the languages that print the year first only.
_MONTH_AFTER_YEAR = _month_pattern(_spellings(CLDR_MONTHS_YEAR_FIRST))


def _month_key(word: str) -> str:
    """A month's word as ``_MONTH_NUMBER`` keys it: lower case, the Turkish dotted and dotless i
    as "i" ("MAYIS" is "mayıs"; ``str.lower`` gives "mayis")."""
    return word.replace("ı", "i").replace("İ", "i").lower()


_MONTH_NUMBER = {_month_key(word): number for word, number in _MONTH_WORDS.items()}
#: A day's ordinal ending before its month: "3rd May", the French "1er mai".
_DAY_ORDINAL = r"(?:st|nd|rd|th|er)"
#: The weekdays as bylines print them before a date, in each language of ``_MONTHS`` ("Montag,
#: den", "lundi", "lunedì", "segunda-feira", "maandag"), Italian also without its accent; the other
#: languages' are the CLDR's (``cleaners.metadata.dates.month_names.CLDR_WEEKDAYS``: "понедельник", "pátek", "cuma").
_WEEKDAYS = {
    "en": "monday tuesday wednesday thursday friday saturday sunday",
    "de": "montag dienstag mittwoch donnerstag freitag samstag sonntag",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "it": "lunedì martedì mercoledì giovedì venerdì lunedi martedi mercoledi giovedi venerdi sabato domenica",
    "pt": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
}
_WEEKDAY = _words_pattern({*(day for days in _WEEKDAYS.values() for day in days.split()),
                           *(day for days in CLDR_WEEKDAYS.values() for day in days)})
#: A weekday as a word of its own anywhere in a byline: one printed without a digit ("Juan Gil,
#: maandag," where the date is in a <time> of its own) is still the date's.
_A_WEEKDAY = re.compile(rf"\b{_WEEKDAY}\b", re.I)


#: The weekdays only the CLDR's table adds: many are family names too ("Khamis", Thursday in Malay;
#: "Kamis", "Pazar", "Ahad"), the hand-written languages' seldom are.
_CLDR_ONLY_WEEKDAYS = frozenset(day for days in CLDR_WEEKDAYS.values() for day in days) \
    - {day for days in _WEEKDAYS.values() for day in days.split()}
