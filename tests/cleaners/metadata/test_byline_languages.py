"""Bylines in the languages the dev sets hold few pages of (issue 13, qmeta6): the word tables of
``cleaners.metadata.authors.byline_words`` and ``names``, ``house``'s legal forms, each row read in a byline
written as a news site of that language prints it."""

from __future__ import annotations

import json

import lxml.html
import pytest

from newsclean.cleaners.metadata import extract_metadata
from newsclean.cleaners.metadata.authors.byline_words import _TIME_AGO_WORDS

URL = "https://news.example.org/2024/05/03/harbour-bridge-vote/"


def _authors(body: str = "", head: str = "", ld: object | None = None) -> list[str]:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld is not None else ""
    html = f"<html><head>{head}{script}</head><body><h1>Harbour bridge vote</h1>{body}<p>Text of the article.</p></body></html>"
    return extract_metadata(lxml.html.document_fromstring(html), URL).authors


@pytest.mark.parametrize("byline, names", [
    # an author label (docutils' "Author", "Authors" field labels), then the names
    ("Autoři: Jan Novák", ["Jan Novák"]),
    ("Autorzy: Jan Kowalski", ["Jan Kowalski"]),
    ("Forfattere: Lars Hansen", ["Lars Hansen"]),
    ("Autorius: Jonas Jonaitis", ["Jonas Jonaitis"]),
    ("Autors: Jānis Bērziņš", ["Jānis Bērziņš"]),
    ("Tekijä: Matti Virtanen", ["Matti Virtanen"]),
    ("Автор: Олена Шевченко", ["Олена Шевченко"]),
    ("Авторы: Иван Петров", ["Иван Петров"]),
    ("نویسنده: علی رضایی", ["علی رضایی"]),
    ("المؤلف: محمد علي", ["محمد علي"]),
    # "Written by" as the Translation Project and GNOME translate it
    ("Írta: Kovács János", ["Kovács János"]),
    ("Napsal Jan Novák", ["Jan Novák"]),
    ("Napísal Ján Kováč", ["Ján Kováč"]),
    ("Napisao Ivan Horvat", ["Ivan Horvat"]),
    ("Skrevet af Lars Hansen", ["Lars Hansen"]),
    ("Skrevet av Ola Nordmann", ["Ola Nordmann"]),
    ("Kirjoittanut Matti Virtanen", ["Matti Virtanen"]),
    ("Scris de Ion Popescu", ["Ion Popescu"]),
    ("Yazan: Ahmet Yılmaz", ["Ahmet Yılmaz"]),
    ("Γράφτηκε από Γιάννης Παπαδόπουλος", ["Γιάννης Παπαδόπουλος"]),
    ("Ditulis oleh Budi Santoso", ["Budi Santoso"]),
    ("Viết bởi Nguyễn Văn An", ["Nguyễn Văn An"]),
    # the Indonesian and Malay "by"
    ("Oleh Budi Santoso", ["Budi Santoso"]),
    ("Oleh: Budi Santoso", ["Budi Santoso"]),
])
def test_a_plain_text_byline_of_each_language_is_read(byline: str, names: list[str]) -> None:
    # each was no byline at all: the page got no writer
    assert _authors(f'<p class="meta">{byline}</p>') == names


@pytest.mark.parametrize("name", ["Oleh Sentsov", "Yazan Haddad"])
def test_a_given_name_that_is_a_languages_by_word_stays(name: str) -> None:
    # "Oleh" is the Ukrainian given name too, "Yazan" an Arabic one: before one word they are the name's
    assert _authors(f'<div class="author">{name}</div>') == [name]
    assert _authors(head=f'<meta name="author" content="{name}">') == [name]
    assert _authors(f"<p>{name}</p>") == []   # printed alone, no label: no byline, not "Sentsov"


@pytest.mark.parametrize("byline, names", [
    ("Jan Novák a Petra Svobodová", ["Jan Novák", "Petra Svobodová"]),
    ("Jan Kowalski i Anna Nowak", ["Jan Kowalski", "Anna Nowak"]),
    ("Matti Virtanen ja Liisa Korhonen", ["Matti Virtanen", "Liisa Korhonen"]),
    ("Ion Popescu și Maria Ionescu", ["Ion Popescu", "Maria Ionescu"]),
    ("Γιάννης Παπαδόπουλος και Μαρία Γεωργίου", ["Γιάννης Παπαδόπουλος", "Μαρία Γεωργίου"]),
    ("Иван Петров и Анна Смирнова", ["Иван Петров", "Анна Смирнова"]),
    ("Олена Шевченко та Андрій Коваленко", ["Олена Шевченко", "Андрій Коваленко"]),
    ("Budi Santoso dan Siti Rahma", ["Budi Santoso", "Siti Rahma"]),
    ("Nguyễn Văn An và Trần Thị Bình", ["Nguyễn Văn An", "Trần Thị Bình"]),
])
def test_two_writers_joined_by_the_languages_and_are_two(byline: str, names: list[str]) -> None:
    # they were one writer's name of five words, printed or declared
    assert _authors(f'<div class="author">{byline}</div>') == names
    assert _authors(head=f'<meta name="author" content="{byline}">') == names
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": byline}}
    assert _authors(ld=ld) == names


@pytest.mark.parametrize("name", ["Josep Puig i Cadafalch", "Ravi Dan Patel", "Lisa A Smith", "Louis I Kahn"])
def test_a_name_holding_an_and_word_stays_one(name: str) -> None:
    # a Catalan double family name after "i", as a Spanish one after "y"; the words capitalised
    # are a name's ("Dan") or an initial, no conjunction
    assert _authors(f'<div class="author">{name}</div>') == [name]


def test_the_english_article_is_no_czech_and() -> None:
    # Czech and Slovak "a" parts two names of two words each only: a bio's "is a writer" is none
    byline = "Jane Doe is a writer at Harbour Post"
    assert _authors(f'<div class="author">{byline}</div>') == ["Jane Doe"]
    assert _authors(head=f'<meta name="author" content="{byline}">') == ["Jane Doe"]


def _cldr_times_ago() -> list[str]:
    """Every long and short past relative time of the CLDR of ``_TIME_AGO_WORDS``' languages and
    Chinese, Japanese, Korean, for 5 units (babel's ``date_fields``), less those the table says it
    leaves: Hungarian's "napja", Arabic's "خلال" ("within")."""
    from babel import Locale
    out = []
    for lang in (*_TIME_AGO_WORDS, "ja", "zh", "ko"):
        fields = Locale.parse({"no": "nb"}.get(lang, lang))._data["date_fields"]
        for unit in ("second", "minute", "hour", "day", "week", "month", "year"):
            for width in ("", "-short"):
                past = fields.get(unit + width, {}).get("past", {})
                out += [p.replace("{0}", "5") for p in dict(past).values() if "{0}" in p]
    return sorted({t for t in out if "napja" not in t and "خلال" not in t})


def test_a_time_ago_of_every_cldr_language_is_no_part_of_the_name() -> None:
    times = _cldr_times_ago()
    assert len(times) > 300   # babel carries them: the table is checked, not skipped
    for ago in times:
        assert _authors(f'<div class="author">Rosa Delacroix {ago}</div>') == ["Rosa Delacroix"], ago
    # as bylines print them: "för 5 timmar sedan" was read as part of the name
    for byline, name in (("Anna Svensson · för 5 timmar sedan", "Anna Svensson"), ("Jan Kowalski 5 godzin temu", "Jan Kowalski"),
                         ("Jan Novák před 3 hodinami", "Jan Novák"), ("Ahmet Yılmaz 2 saat önce", "Ahmet Yılmaz"),
                         ("Иван Петров 5 часов назад", "Иван Петров"), ("Lars Hansen for 5 timer siden", "Lars Hansen"),
                         ("신현주 기자 3시간 전", "신현주")):
        assert _authors(f'<div class="author">{byline}</div>') == [name], byline


@pytest.mark.parametrize("byline, name", [
    ("Von Jane Doe vor 2 Stunden", "Jane Doe"), ("Av Anna Svensson för 5 timmar sedan", "Anna Svensson"),
    ("Af Lars Hansen for 5 timer siden", "Lars Hansen"), ("Autor: Jan Novák před 3 hodinami", "Jan Novák"),
    ("Por Ana Ruiz hace 2 horas", "Ana Ruiz"), ("Par Jean Dupont il y a 3 heures", "Jean Dupont"),
])
def test_a_plain_text_bylines_time_ago_goes_with_the_word_before_its_number(byline: str, name: str) -> None:
    # cut at the number, the word before it stayed the name's ("Jane Doe vor"), or made it no name
    assert _authors(f'<p class="meta">{byline}</p>') == [name]


def test_for_years_in_english_is_no_danish_time_ago() -> None:
    # Danish and Norwegian write "for 5 timer siden": "for" before a number alone is English
    assert _authors('<div class="author">Rosa Delacroix for 5 Weeks Press</div>') == ["Rosa Delacroix for 5 Weeks Press"]


@pytest.mark.parametrize("house, tag", [
    ("Harbour Post", "Harbour Post Oy, Helsinki, Suomi"),
    ("Harbour Post", "Harbour Post AB, Göteborg, Sverige"),
    ("Harbour Post", "Harbour Post A/S, Aarhus, Danmark"),
    ("Harbour Post", "Harbour Post Sp. z o.o., Kraków, Polska"),
    ("Harbour Post", "Harbour Post s.r.o., Brno, Česko"),
    ("Harbour Post", "Harbour Post Kft., Szeged, Magyarország"),
    ("Harbour Post", "Harbour Post Lda., Porto, Portugal"),
])
def test_the_houses_legal_form_of_each_country_before_its_address_is_no_writer(house: str, tag: str) -> None:
    # the house's name, its legal form and its address in the author tag: the form kept the name
    # from being the house's, and the places were read as two more writers
    head = f'<meta name="author" content="{tag}"><meta property="og:site_name" content="{house}">'
    assert _authors(head=head) == [house]
    assert _authors('<div class="author">Rosa Delacroix</div>', head=head) == ["Rosa Delacroix"]
