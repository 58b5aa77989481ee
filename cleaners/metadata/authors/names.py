"""A byline's string as the names of its writers (:func:`_names`): the lead word, dates, reading
times, roles and job titles, a newsroom's code, a bio's sentence taken off; several writers
parted at their separators; and the tests of what is shaped as a person's name."""

from __future__ import annotations

from html import unescape
import re
from typing import TYPE_CHECKING, Any

from newsclean.cleaners.metadata.authors.byline_words import (
    _AUTHOR_LABEL, _AUTHOR_WORD, _BY, _BYLINE_PREFIX, _BY_PARTICLES, _FIELD_WORD, _LABEL_ONLY, _LEAD_LABEL,
    _NAME_OPENERS, _TIME_AGO,
)
from newsclean.cleaners.metadata.common import _clean, _flat
from newsclean.cleaners.metadata.dates.calendar_words import (
    _A_WEEKDAY, _CLDR_ONLY_WEEKDAYS, _DAY_ORDINAL, _MONTH, _MONTH_FIRST, _WEEKDAY,
)
from newsclean.cleaners.vocabulary import ROLE_WORD, ROLE_WORD_AFTER_NAME, ROLE_WORD_FIRST

if TYPE_CHECKING:
    from newsclean.cleaners.metadata.authors.writers import PageWriters


def _person_name(it: Any, by_id: dict[str, dict]) -> Any:
    if not isinstance(it, dict):
        return it
    if "name" not in it and isinstance(it.get("@id"), str) and it["@id"] in by_id:
        it = by_id[it["@id"]]  # a reference into the page's @graph
    name = it.get("name")
    if not name and (it.get("givenName") or it.get("familyName")):
        name = " ".join(x for x in (it.get("givenName"), it.get("familyName")) if isinstance(x, str))
    return name


def _names(value: Any, by_id: dict[str, dict] | None = None, *, declared: bool = False,
           writers: PageWriters | None = None) -> list[str]:
    """Person names from an author value (string, object, @id reference, or list of them);
    ``declared``: a value the page declares (JSON-LD, a meta tag), not one it prints; ``writers``:
    the names the page gives its writers elsewhere, which tell a second writer whose name ends in
    a job word ("Jane Writer") from a job title after a comma."""
    names: list[str] = []
    for it in _flat(value):
        name = _person_name(it, by_id or {})
        if isinstance(name, list):
            name = " ".join(x for x in name if isinstance(x, str))
        name = _clean(unescape(name) if isinstance(name, str) and "&" in name else name)  # "O&#039;Neil"
        if name and not name.lower().startswith(("http://", "https://")) and len(name) < 300:
            name = _without_byline_noise(name)
            named = False   # a name read from this value: a job title may follow it
            for sep, part in _name_parts(name) if _many_names(name) else [("", name)]:
                part = _KUERZEL.sub("", _without_by_word(_LEAD_LABEL.sub("", part.strip()), declared))
                part = _without_field_label(part)
                if (_LABEL_ONLY.fullmatch(part) or _ROLE_ONLY.fullmatch(part)
                        or named and not _CONJUNCTION.fullmatch(sep) and _ROLE_TITLE.fullmatch(part)
                        and not (writers is not None and part in writers)):
                    continue  # "Written By", "Lead Reviewer", "Opinion Columnist": a byline's label or a role, no name
                part = _without_role(part)
                # "Jane Doe, professor of ... at ..., site.com": a role, then nothing more
                too_long = len(part) >= 80 or len(part.split()) > 6
                part = part.strip(_NAME_EDGE_PUNCT)
                if not declared and part and (too_long or _no_writer(part)):
                    head = _sentence_head(part)
                    if (head and not _no_writer(head) and (names or _byline_name(head))
                            and head not in names):
                        names.append(head)   # "Rosa Delacroix. She covers the harbour, ...": the name, then a bio
                    if names or too_long:
                        break   # a bio's sentence, or a piece of it ("its ferries"): it ends the names
                elif too_long:
                    break
                    # a first part with no name before a sentence's end is kept: the readers after this
                    # cut it where the page prints the name apart ("Rosa Delacroix Harbour desk")
                if part and part not in names and _is_person_like(part):
                    names.append(part)
                    named = True
    return names


def _without_field_label(part: str) -> str:
    """``part`` without a label of the writer field that opens it (:func:`_field_label_end`):
    "Authors of this article" and "The Author" are no writer, "Author Escalon" is "Escalon",
    "Autor john" "john". Where more than a name's word follows, only a name-shaped rest:
    "Contributors to Wikimedia projects" stays."""
    rest = part[_field_label_end(part):]
    return rest if rest != part and (len(rest.split()) <= 1 or _name_shaped(rest)) else part


_WORD_AND_GAP = re.compile(r"([^\s'’:]+)[\s'’:]*")


def _field_label_end(part: str) -> int:
    """Where a label of the writer field that opens ``part`` ends: an author word
    (``_AUTHOR_LABELS``) and the words such a label prints around it (``_FIELD_WORDS``),
    "Authors of this article", "The Author", "No author"; "Author" of "Author Escalon" and of
    "Autore Di Maio" (``_NAME_OPENERS``). 0 where ``part`` opens with none."""
    end = 0
    authored = False
    name_start = None   # where a run of name openers after the author word starts
    for m in _WORD_AND_GAP.finditer(part.lstrip()):
        word = m.group(1).casefold()
        if _AUTHOR_WORD.fullmatch(word):
            authored = True
            name_start = None
        elif word not in _FIELD_WORD:
            if name_start is not None:
                end = name_start
            break
        elif authored and word in _NAME_OPENERS:
            name_start = end if name_start is None else name_start
        else:
            name_start = None
        end = m.end()
    return end + len(part) - len(part.lstrip()) if authored else 0


def _family_name_opening(word: str, rest: str) -> bool:
    """Whether the lead ``word`` before ``rest`` opens a family name rather than meaning "by": a
    surname particle (``_BY_PARTICLES``) before a single word ("Di Stefano", "af Klint")."""
    return word.lower() in _BY_PARTICLES and len(rest.split()) < 2


def _without_by_word(part: str, declared: bool) -> str:
    """``part`` without the byline's lead word (``_BYLINE_PREFIX``). The words that open family
    names too (``_BY_PARTICLES``: "Di Maio Luigi", "di Stefano", "af Klint") stay in a declared
    name, and in a printed one where a single word would be left: only a printed byline's lead
    before a name ("Di Marco Rossi") is the word for "by"."""
    m = _BYLINE_PREFIX.match(part)
    if m is None:
        return part
    word = m.group().split()[0].rstrip(":")
    if _family_name_opening(word, part[m.end():]) or declared and word.lower() in _BY_PARTICLES:
        return part
    return part[m.end():]


def _after_a_given_name(before: str, weekday: str = "") -> bool:
    """Whether a ``weekday`` after ``before`` (a byline's text up to it) follows a given name alone
    ("Ana" of "Ana Domingo, 3 de mayo", "By Anna" or "Autor: Anna" of "... Anna Freitag, 3. Mai"):
    it is her family name, not the date's weekday, which follows a whole name ("Rosa Delacroix
    Monday, May 2"), a separator or a date's word ("Jane Doe, Sunday,", "on Monday,", "Updated Monday,").
    A capitalised weekday of the CLDR's languages only right after a name's word, with no separator
    between, is the family name after any given names ("Mohamed Ali Khamis, 5 March 2024"; "Budi
    Santoso, Senin 5 Maret" is a weekday)."""
    words = re.sub(rf"(?i)^\s*(?:{_BY}|{_AUTHOR_LABEL})(?![^\W\d_]):?", "", before).split()
    if not words or not words[-1][:1].isupper() or not words[-1][-1:].isalpha():
        return False
    return len(words) == 1 or weekday[:1].isupper() and weekday.casefold() in _CLDR_ONLY_WEEKDAYS


#: A month's day or year is no number of a date or time in digits that follows the month's word:
#: in "Tom Juli 12.03.2024" and "Rosa May 12:30" the digits are the date, and the name keeps "Juli".
_NO_DIGIT_GROUP = r"(?!\w|[.:/-]\d)"
#: Nor is a number the day after a month's word where a month or a unit follows it: in "Lucia Abril
#: 5 hours ago", "Li Mei 7 min read" and "Marco Agosto 3 May 2024" the number is the time ago's,
#: the reading time's or the day's before its month, and the name keeps "Abril", "Mei", "Agosto".
_NO_COUNT = rf"(?!\s+(?:{_MONTH}|seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|comments?)(?![^\W\d_]))"
#: What bylines print around a name and is none of it: a date written with a month's name (only
#: beside a number: "Tom May" stays), in digits ("Jane Doe 05.01.2025, 15:23"), a weekday ("Montag, den"), a reading time ("7 min read"),
#: a photo credit ("(Image: Getty Images)"), a number after the name ("98 Buck Social" stays).
_BYLINE_NOISE = re.compile(
    r"\(\s*(?:images?|photos?|fotos?|bild(?:er)?|pictures?|credits?|pics?)\s*:[^)]*\)"
    # a time ago: "2 hours ago", "vor 5 Stunden", "il y a 3 heures", "5 godzin temu" (``_TIME_AGO``),
    # before a date and a reading time ("5 sett. fa", "5 min fa": Italian's five weeks, minutes ago)
    rf"|{_TIME_AGO}"
    rf"|\b\d{{1,2}}{_DAY_ORDINAL}?\.?(?:\s+de)?\s+{_MONTH}(?:(?:,|\s+de)?\s+\d{{4}})?(?!\w)"   # "3 de mayo de 2024"
    rf"|\b{_MONTH_FIRST}\s+\d{{1,2}}(?:st|nd|rd|th)?{_NO_COUNT}(?:,?\s+\d{{4}})?{_NO_DIGIT_GROUP}"
    rf"|\b{_MONTH}(?:\s+de)?\s+\d{{4}}{_NO_DIGIT_GROUP}"   # "mayo de 2024"
    rf"|(?P<weekday>\b{_WEEKDAY}\b)(?:,(?:\s+(?:den|der|le|el)\b)?|\s+(?:den|der|le|el)\b|(?=\s+\d))"  # "Dan Sunday" stays
    r"|\b\d+\s*min(?:ute)?s?\.?(?:\s+read)?\b|\bread(?:ing)? time\b:?"
    # an address written after the name: "Jane Doe - https://janedoe.example" (from a run of
    # spaces' start only, each read once: two runs of \s* after any space were cubic)
    r"|(?<!\s)\s*+(?:[-–|]\s*+)?\bhttps?://\S+"
    r"|(?<!\w)\d{1,4}(?:[.:/-]\d{1,4})+\.?(?!\w)|\s\d+$|[•·]", re.I)
#: Words a byline's date leaves behind once it is gone, at the name's start or end ("Updated",
#: "Published", "Jane Doe on", "am": German "on" and a time's "AM"); the prepositions before a
#: date or a time ("on", "den", "le", "el", "um", "at") at the end in lower case only, where a capital is a surname's
#: ("Thanh Le", "Hye-jin Um"), at the start capitalised only where no capitalised word follows ("Le
#: 3 mai par Jean" leaves "Le par Jean"; "Le Thanh Hai", "Den Haag" are names); only at the start
#: "Stand:", only at the end a time's "pm", "Uhr" and zone ("Last updated 3:15 PM CT", "am
#: 3.5.2024, 15:23 Uhr").
_DATE_LEFTOVERS = r"(?:last\s+)?updated|published|posted|am"
_DATE_PREPOSITIONS = r"on|den|le|el"
#: The prepositions before a time ("um 15:23", "at 10:00 AM"), left at the end in lower case only.
_TIME_PREPOSITIONS = r"um|at"
_DATE_LEFTOVERS_START = r"stand"
_DATE_LEFTOVERS_END = r"pm|uhr|[ecmp][sd]?t|gmt|utc|cet|cest|mes?z"   # ET, EST, CDT ..., MEZ, MESZ
_ENDING_LEFTOVER = rf"(?:{_DATE_LEFTOVERS}|(?-i:{_DATE_PREPOSITIONS}|{_TIME_PREPOSITIONS})|{_DATE_LEFTOVERS_END})"
_NOISE_ENDS = re.compile(rf"(?i)^(?:\s*(?:{_DATE_LEFTOVERS}|(?-i:{_DATE_PREPOSITIONS})|(?:{_DATE_PREPOSITIONS})(?!\s+(?-i:[A-ZÀ-Þ]))"
                         rf"|{_DATE_LEFTOVERS_START})\b[\s,:]*+)+"
                         rf"|(?:(?<![\s,:])[\s,:]*)?\b{_ENDING_LEFTOVER}(?:[\s,:]*\b{_ENDING_LEFTOVER})*[\s.]*$")
_QUOTED = re.compile(r'^["“”„\'‘’](.+)["“”\'‘’]$')


#: A name of two words or more, then up to three words of a job title and its job word ("Jane Doe
#: Former McKinsey Consultant"); the title's words hold no comma: after one the title begins ("Sanne
#: de Vries, verslaggever" was "Sanne de", "Vries," read as the title's).
_ROLE_AFTER = re.compile(rf"^(\S+(?:\s+\S+)+?)\s+(?:[^\s,]+\s+){{0,3}}?{ROLE_WORD}\b.*$", re.I)
#: The job title Korean, Japanese and Chinese bylines print after every name ("신현주 기자",
#: "山田太郎 記者", "李明 记者"; ``vocabulary.ROLE_WORDS_AFTER_NAME``).
_CJK_ROLE = ROLE_WORD_AFTER_NAME
#: The job title after a name; the title's own first part is no name ("선임기자" alone is a role).
_ROLE_SUFFIX = re.compile(rf"(?<=\S)\s*(?<!선임)(?<!수석){_CJK_ROLE}$")
_ROLE_ONLY = re.compile(rf"(?:(?:former|senior|junior|chief|lead|staff|executive|managing|contributing|deputy|"
                        rf"associate|assistant|head)\s+)*{ROLE_WORD}|{_CJK_ROLE}", re.I)
#: A job title printed as a part of its own after a writer's name ("Jane Doe, Opinion Columnist",
#: "Jane Doe, Chief Political Correspondent"): up to three words, then a job word; or a job word,
#: then up to three words, as the languages but English write one (``ROLE_WORD_FIRST``: "Katrin
#: Vogelsang, Redakteurin für Wirtschaft", "Camille Garnier, journaliste au service
#: Environnement"). Alone, such words may be a name ("Jane Writer") or a team's ("The Harbour
#: editors"), and so after a conjunction (``_CONJUNCTION``): "Rosa Delacroix and Jane Writer" are
#: two writers.
_ROLE_TITLE = re.compile(rf"(?!the\s)(?:\S+\s+){{0,3}}{ROLE_WORD}|{ROLE_WORD_FIRST}(?:\s+\S+){{1,3}}", re.I)


def _without_role(part: str) -> str:
    """``part`` without a job title after a name of two or more words ("AAA Travel Editor" stays),
    or after any name in the languages that print one with every byline."""
    part = _ROLE_SUFFIX.sub("", part)
    m = _ROLE_AFTER.match(part) if len(part.split()) >= 3 else None
    name = m.group(1) if m else ""
    if (name[:1].isupper() and _name_shaped(name) and not name.startswith("The ")   # "The Currency editors"
            and not any(ch.isdigit() for ch in name) and not any(re.fullmatch(ROLE_WORD, w, re.I) for w in name.split())):
        return name
    return part


def _noise_gap(m: re.Match[str]) -> str:
    """What a match of ``_BYLINE_NOISE`` leaves: a space, or itself where it is a weekday that is
    a family name (``_after_a_given_name``)."""
    return m.group(0) if m.group("weekday") and _after_a_given_name(m.string[:m.start()], m.group("weekday")) else " "


def _without_byline_noise(name: str) -> str:
    """A byline string without the dates, reading times, photo credits and quotes printed with
    the name ("16 December 2025 by Sam Roe" -> "by Sam Roe"); unchanged when it has none."""
    out = _BYLINE_NOISE.sub(_noise_gap, name) if any(ch.isdigit() for ch in name) or "(" in name or "•" in name \
        or "·" in name or "://" in name or _A_WEEKDAY.search(name) else name
    if out != name:   # what a removed date leaves behind; "Audiophile On" as written stays
        out = _NOISE_ENDS.sub("", " ".join(out.split()).strip(" ,;|–—-")).strip(" ,;|–—-")
    m = _QUOTED.match(out)
    return m.group(1).strip() if m else out


#: Punctuation a byline leaves at a name's ends: a label's colon ("Jane Doe:"), a separator
#: before a second name or a date ("Jane Doe /"), a form's required-field mark ("Name *").
_NAME_EDGE_PUNCT = " :/*|;,–—-"


#: A newsroom's short code after a name: "Jane Doe (jdo)", "Jane Doe (jd.)".
_KUERZEL = re.compile(r"(?<!\s)\s+\((?:[a-z]{2,5}\.?|[A-Z]{2,4})\)$")   # spaces from their run's start (below)


#: The word "and" between two writers' names, by language, in any letter case. The second row, in
#: lower case only (the words are names or English words capitalised: "I", "A", "Dan", "Ja"), is
#: the Translation Project's "%s and %s" of coreutils' "Written by %s and %s." (fi, et "ja"; cs,
#: sk "a"; pl, hr, ca "i"; ro "și"; el "και"; ru "и"; uk "та"; id "dan"; vi "và"). Left out:
#: Slovenian "in", English "in" ("Jane Doe in Kyiv"); Lithuanian "ir", which made a fundus-dev
#: check page's writers wrong (qmeta6).
_AND_WORDS = "and|und|og|och|et|y|e|en|ve|és"
_AND_WORDS_LOWER = "ja|a|i|și|και|и|та|dan|và"
_AND = rf"\s(?:(?i:{_AND_WORDS})|{_AND_WORDS_LOWER})\s"
#: Separators between several authors in one string (``_AND``, commas, "&", "、"), kept
#: by a split: which one parted two parts. Leading spaces are taken from the start of their run
#: only: tried again from each space of a run, a run of 10,000 took seconds, one of 100,000
#: minutes (a separator found from inside a run is found from its start; here, as in
#: ``_KUERZEL``, ``_NOISE_ENDS``, ``titles._TITLE_SEP`` and ``bylines._DATE_LEAD``).
_CONJ = re.compile(rf"((?:(?<!\s)\s*)?(?:,|、|&|\||;|{_AND})\s*)")
#: The separators of ``_CONJ`` that join two names, not a name and what is said of it (a comma).
_CONJUNCTION = re.compile(rf"\s*(?:&|{_AND})\s*")


#: One-word bylines after a writer's name and "y" that are a desk or the agencies, not a family
#: name ("Ana Ruiz y Redacción"); an agency's acronym ("EFE", "AFP") is told by its capitals, after
#: a name that is not in capitals itself ("JOSÉ ORTEGA Y GASSET" is one name).
_DESK_WORDS = frozenset({"redacción", "redaccion", "agencias", "agencia"})
#: The "and" that joins a double family name: Spanish "y", Catalan "i" ("Josep Puig i Cadafalch").
_DOUBLE_NAME_JOINS = frozenset({"y", "i"})
#: The "and" that is English's article too (Czech and Slovak "a"): it parts two names of two words
#: or more only ("Jan Novák a Petra Svobodová"), not "Jane Doe is a writer".
_ARTICLE_ANDS = frozenset({"a"})


def _name_parts(name: str) -> list[tuple[str, str]]:
    """``name`` split at its separators, each part with the separator before it ("" for the
    first), except a Spanish or Catalan double family name: a one-word part after "y" or "i" belongs
    to the name before it ("José Ortega y Gasset", "Josep Puig i Cadafalch"), where two writers are two names
    of two words or more ("Ana Ruiz y Juan Gil"), and an agency or a desk is no family name ("Juan
    Pérez y EFE", "y Redacción")."""
    pieces = _CONJ.split(name)
    parts = [("", pieces[0])]
    for sep, part in zip(pieces[1::2], pieces[2::2]):
        before_sep, before = parts[-1]
        agency = part.isupper() and not before.isupper() or part.casefold() in _DESK_WORDS
        if (sep.strip().casefold() in _DOUBLE_NAME_JOINS and len(part.split()) == 1 and part[:1].isupper() and not agency
                and len(before.split()) >= 2):
            parts[-1] = (before_sep, before + sep + part)
        elif sep.strip() in _ARTICLE_ANDS and not all(len(x.split()) >= 2 and _name_shaped(x) for x in (before, part)):
            parts[-1] = (before_sep, before + sep + part)   # "Jane Doe is a writer": the English article
        else:
            parts.append((sep, part))
    return parts


#: Most words of a writer's name printed in a byline; a longer part is a bio's sentence or a role.
BYLINE_NAME_MAX_WORDS = 5


def _sentence_head(part: str) -> str | None:
    """``part`` up to the end of its first sentence, without the stop, where one ends inside it or
    at its end: "!" or "?", without the word it ends (no name's word: "Jack Shepherd Hi! I'm Jack"
    is "Jack Shepherd", a greeting after the name), a stop after a word in lower case of four letters or more
    ("... harbour. She ...", "... paper."; "Dr. med." is a title), after a name's word past the
    first ("Rosa Delacroix. She ...") or standing alone ("Jane Doe, MD . Reviewed by"); not after
    an initial, a title or an abbreviation ("J. R. Smith", "Prof. Jane Doe", "Tom Roe Jr.").
    None where no sentence ends."""
    words = part.split()
    for i, w in enumerate(words):
        stop, bare = w[-1:], w[:-1]
        if stop in ("!", "?"):
            return " ".join(words[:i]).strip(_NAME_EDGE_PUNCT)
        if stop == "." and (not bare or bare.isalpha() and (
                len(bare) >= 4 and bare.islower() or i and len(bare) >= 3 and bare[0].isupper() and bare[1:].islower())):
            return " ".join([*words[:i], bare]).strip(_NAME_EDGE_PUNCT)
    return None


def _no_writer(part: str) -> bool:
    """Whether a part of a printed byline is none of its writers: more than
    ``BYLINE_NAME_MAX_WORDS`` words, a sentence's end in it (``_sentence_head``), or words not
    shaped as a name (``_name_shaped``: "its ferries", "in Politics"). One word stays: a
    newsroom's code or an agency in lower case ("dpa", "red")."""
    words = part.split()
    return (len(words) > BYLINE_NAME_MAX_WORDS or _sentence_head(part) is not None
            or len(words) >= 2 and not _name_shaped(part))


def _is_person_like(name: str) -> bool:
    # e-mail addresses and ids are not bylines.
    return "@" not in name and not name.replace(" ", "").isdigit()


def _many_names(name: str) -> bool:
    # "Jane Doe and John Roe" splits; "Doe, Jane" (one person) does not.
    # "、" lists names in Chinese and Japanese
    if re.search(rf"{_AND}|&|;|\||、", name) or name.count(",") >= 2:
        return True
    parts = [p.strip() for p in name.split(",")]
    return len(parts) == 2 and all(len(p.split()) >= 2 for p in parts)


#: A CMS account's handle in place of a name: one token with a dot, underscore or digit. (A
#: capital after lower-case letters at its end, "KatieS", was one too: wcxb-dev authors dev half
#: +1 page, check half 0: it did not carry over.)
_HANDLE = re.compile(r"\S*[._\d]\S*")


def _handle(name: str) -> bool:
    return " " not in name and bool(_HANDLE.fullmatch(name))


def _byline_name(name: str) -> bool:
    """A person's name from a printed byline: name-shaped, and two words or more in a cased script
    (a lone capitalised word is more often a label, "Folgen", than a name)."""
    cased = any(ch.isupper() or ch.islower() for ch in name)
    return _name_shaped(name) and (len(name.split()) >= 2 or not cased)


#: Lower-case words of a name longer than three letters: Italian particles ("della", "degli",
#: "dalla"), the Arabic and Malay "daughter of" and Malay "son of" ("Fatima bint Mubarak", "Siti
#: binti Ahmad", "Ali ibnu Hasan"; "bin" is short).
_LONG_PARTICLES = frozenset({"della", "delle", "dello", "degli", "dalla", "dalle", "dallo", "dagli", "bint", "binti", "ibnu"})
#: The article a family name opens with, written onto it: Arabic "al-", "el-", "ash-"; French and
#: Italian "d'", "l'" ("al-Bashir", "el-Sayed", "d'Alembert").
_NAME_ARTICLE = re.compile(r"(?:al|el|ad|an|ar|as|ash|at|az|ul|d|l)[-'’](?=[^\W\d_])")


def _particle(word: str) -> bool:
    """Whether a lower-case ``word`` may stand in a name: a short particle ("de", "van", "bin"), a
    long Italian one ("della"), or a family name with its article ("al-Bashir", "d'Alembert")."""
    if len(word) <= 3 or word in _LONG_PARTICLES:
        return True
    m = _NAME_ARTICLE.match(word)
    return m is not None and word[m.end()].isupper()


def _name_shaped(name: str) -> bool:
    # "Rosa de la Cruz", "Omar al-Bashir" yes, "the end of the year" no: a capital first,
    # lower-case words only as particles (scripts without case pass).
    words = name.split()
    return not words[0][0].islower() and all(_particle(w) for w in words if w[0].islower())
