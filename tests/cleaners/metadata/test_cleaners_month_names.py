"""The CLDR month names of ``cleaners.metadata.dates.month_names`` and the printed days they let the day reader read."""

from __future__ import annotations

import re

import lxml.html
import pytest

from newsclean.cleaners.core import clean_html
from newsclean.cleaners.metadata import extract_metadata, shown_day_near_headline
from newsclean.cleaners.metadata.dates.calendar_words import _MONTHS
from newsclean.cleaners.metadata.dates.month_names import AMBIGUOUS_MONTHS, CLDR_MONTHS, CLDR_MONTHS_YEAR_FIRST, CLDR_WEEKDAYS
from newsclean.cleaners.types import Article


def _shown(printed: str, lang: str = "") -> str | None:
    body = f'<h1>Harbour bridge vote</h1><div class="meta"><span>Rosa Delacroix</span><span>{printed}</span></div>'
    return shown_day_near_headline(lxml.html.document_fromstring(f'<html lang="{lang}"><body>{body}</body></html>'))


def test_day_printed_by_the_headline_with_a_month_named_in_a_cldr_language() -> None:
    # Cyrillic (ru, uk, bg, sr), Greek, Turkish, Arabic (Arabic-Indic digits too), Polish, Czech,
    # Croatian, Nordic months: only seven languages' were known, so these pages got no day
    for printed, day in (("5 марта 2024 г.", "2024-03-05"), ("20 листопада 2023", "2023-11-20"),
                         ("3 февруари 2022", "2022-02-03"), ("14 децембар 2021", "2021-12-14"),
                         ("5 Μαρτίου 2024", "2024-03-05"), ("5 ΜΑΡΤΊΟΥ 2024", "2024-03-05"),
                         ("12 Şubat 2023", "2023-02-12"), ("5 MAYIS 2024", "2024-05-05"),
                         ("5 مارس 2024", "2024-03-05"), ("٥ مارس ٢٠٢٤", "2024-03-05"),
                         ("3 stycznia 2024", "2024-01-03"), ("17. listopadu 2023", "2023-11-17"),
                         ("9. svibnja 2022", "2022-05-09"), ("4. desember 2022", "2022-12-04"),
                         ("7 kesäkuuta 2021", "2021-06-07"), ("2 septembrie 2020", "2020-09-02")):
        assert _shown(printed) == day, printed
    # a word that is one month in one language and another in another is the month of the page's
    # declared language ("listopada": October in Croatian, November in Polish), else no month
    assert _shown("12 listopada 2024") is None
    assert _shown("12 listopada 2024", lang="pl-PL") == "2024-11-12"
    assert _shown("12 listopada 2024", lang="hr") == "2024-10-12"
    assert _shown("12 listopada 2024", lang="en") is None
    # they print the day before the month: a name before a day is still no month ("augusta" is
    # Slovak's August, "Augusta 3, 2024" no date)
    assert _shown("3. augusta 2024") == "2024-08-03"
    assert _shown("Augusta 3, 2024") is None


def _cldr_spellings(locale: str) -> tuple[list[str], ...]:
    from babel import Locale
    loc = Locale.parse(locale)
    out: tuple[list[str], ...] = tuple([] for _ in range(12))
    for number in range(1, 13):
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                word = re.sub(r"^de\s+|^d[’']", "", loc.months[context][width][number].lower().rstrip("."))
                if re.fullmatch(r"[^\W\d_]{3,}", word) and word not in out[number - 1]:
                    out[number - 1].append(word)
    return out


def test_month_table_is_the_cldrs() -> None:
    # the table is CLDR's names as babel carries them, less the words that name two months
    pytest.importorskip("babel")
    tables = {**CLDR_MONTHS, **CLDR_MONTHS_YEAR_FIRST}
    cldr = {locale: _cldr_spellings(locale) for locale in tables}
    months_of: dict[str, set[int]] = {}
    for rows in (*cldr.values(), *([s.split() for s in m] for m in _MONTHS.values())):
        for number, words in enumerate(rows, 1):
            for word in words:
                months_of.setdefault(word, set()).add(number)
    for locale, rows in tables.items():
        want = tuple(" ".join(w for w in words if len(months_of[w]) == 1) for words in cldr[locale])
        assert rows == want, locale
    # and the words left out are each language's month in AMBIGUOUS_MONTHS
    ambiguous = {w: {loc.split("_")[0]: n for loc, rows in cldr.items()
                     for n, words in enumerate(rows, 1) if w in words}
                 for w, months in months_of.items() if len(months) > 1}
    assert AMBIGUOUS_MONTHS == ambiguous


def test_day_printed_by_the_headline_with_the_cjk_units_of_year_month_and_day() -> None:
    # Chinese, Japanese and Korean pages print the day in digits with the units' characters
    # ("2024年3月5日", "2024년 3월 5일"): only "2024.03.05", "2024/03/05" and "2024-03-05" were read
    for printed, day in (("2024年3月5日", "2024-03-05"), ("2024年03月05日 10:30", "2024-03-05"),
                         ("2024 年 3 月 5 日", "2024-03-05"), ("2024년 3월 5일", "2024-03-05"),
                         ("発行：2023年12月1日（金）", "2023-12-01")):
        assert _shown(printed) == day, printed
    # no day of the month: no day
    assert _shown("2024年3月") is None


def test_day_printed_by_the_headline_year_first_or_with_a_prefix_on_its_month() -> None:
    # Hungarian and Lithuanian print the year, then the month's name and the day; Hebrew puts
    # "ב" ("in") before the month's name: these pages got no day
    for printed, day in (("2024. március 5.", "2024-03-05"), ("2024. márc. 5.", "2024-03-05"),
                         ("2024 m. kovo 5 d.", "2024-03-05"), ("2023 m. gruodžio 17 d. 10:30", "2023-12-17"),
                         ("5 במרץ 2024", "2024-03-05"), ("5 מרץ 2024", "2024-03-05")):
        assert _shown(printed) == day, printed
    # the year first is read in those languages only, with the year's dot or "m." their dates
    # print: "2024 May 5" and "2024 dec 5" (an English table's line, "dec" is Hungarian too) are none
    for printed in ("2024 May 5", "2024 dec 5"):
        assert _shown(printed) is None, printed


def test_day_printed_by_the_headline_in_latvian() -> None:
    # Latvian prints the year, "gada" ("of the year"), the day and the month (CLDR's long date):
    # its months were left out of the table, its dates not read
    for printed, day in (("2024. gada 5. marts", "2024-03-05"), ("otrdiena, 2024. gada 5. marts", "2024-03-05"),
                         ("2023. gada 17. decembris 10:30", "2023-12-17"), ("12. decembris, 2023", "2023-12-12"),
                         ("5. jūn. 2024", "2024-06-05")):
        assert _shown(printed, lang="lv") == day, printed
    # a day and a year without the month's name are no day
    assert _shown("2024. gada 5. nedēļa", lang="lv") is None


def _weekdays(locale: str) -> tuple[str, ...]:
    from babel import Locale
    loc = Locale.parse(locale)
    out: list[str] = []
    for context in ("format", "stand-alone"):
        for number in range(7):
            word = loc.days[context]["wide"][number].lower()
            if re.fullmatch(r"[^\W\d_]+(?:[ -][^\W\d_]+)*", word) and len(word) >= 3 and word not in out:
                out.append(word)
    return tuple(out)


def test_weekday_table_is_the_cldrs() -> None:
    # the weekdays a byline prints before its date are CLDR's, for every language of the month tables
    pytest.importorskip("babel")
    assert set(CLDR_WEEKDAYS) == {*CLDR_MONTHS, *CLDR_MONTHS_YEAR_FIRST}
    for locale, days in CLDR_WEEKDAYS.items():
        assert days == _weekdays(locale), locale


def _byline_authors(byline: str, lang: str) -> list[str]:
    html = (f'<html lang="{lang}"><body><h1>Harbour bridge vote</h1><div class="author">{byline}</div>'
            "<p>Text of the article.</p></body></html>")
    return extract_metadata(lxml.html.document_fromstring(html), "https://news.example.org/a").authors


def test_a_bylines_weekday_in_a_cldr_language_is_no_name() -> None:
    # the weekday before a byline's date was read as a second writer or a part of the name in the
    # languages beyond the seven of the hand-written table ("Jan Novák, pátek")
    for byline, lang, names in (("Jan Novák, pátek 5. března 2024", "cs", ["Jan Novák"]),
                                ("Jan Novák pátek 5. března 2024", "cs", ["Jan Novák"]),
                                ("Иван Петров, понедельник, 5 марта 2024", "ru", ["Иван Петров"]),
                                ("Ahmet Yılmaz, Cuma, 5 Mart 2024", "tr", ["Ahmet Yılmaz"]),
                                ("Jānis Bērziņš, otrdiena, 2024. gada 5. marts", "lv", ["Jānis Bērziņš"])):
        assert _byline_authors(byline, lang) == names, byline
    # a weekday that is a family name after a given name stays (Turkish "Pazar", Sunday)
    assert _byline_authors("Mehmet Pazar, 5 Mart 2024", "tr") == ["Mehmet Pazar"]
    # and after two given names: the CLDR's weekdays are family names more often than the seven
    # hand-written languages' ("Khamis", Thursday in Malay, lost from "Mohamed Ali Khamis"); one
    # after a separator is still the date's
    for byline, lang, names in (("Mohamed Ali Khamis, 5 March 2024", "en", ["Mohamed Ali Khamis"]),
                                ("Ayşe Nur Pazar 5 Mart 2024", "tr", ["Ayşe Nur Pazar"]),
                                ("Budi Santoso, Senin 5 Maret 2024", "id", ["Budi Santoso"]),
                                ("Ayşe Nur Kaya | Pazar, 5 Mart 2024", "tr", ["Ayşe Nur Kaya"])):
        assert _byline_authors(byline, lang) == names, byline


def test_the_day_reader_reads_the_language_an_xhtml_page_declares_in_xml_lang() -> None:
    # the day reader read <html lang> itself, not the page's one declared language: an XHTML page
    # declaring xml:lang="pl" got no day for "12 listopada 2024" (October or November)
    para = "<p>Rada miasta głosowała nad planem mostu w porcie późnym wieczorem po długiej debacie radnych.</p>"
    body = f'<h1>Głosowanie nad mostem</h1><div class="meta"><span>12 listopada 2024</span></div>{para * 8}'
    for root in ('<html xml:lang="pl">', '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="pl">'):
        art = clean_html(f"{root}<body>{body}</body></html>", "https://news.example.org/glosowanie")
        assert isinstance(art, Article) and art.published == "2024-11-12", root
        assert _shown_in(f"{root}<body>{body}</body></html>") == "2024-11-12", root


def _shown_in(html: str) -> str | None:
    return shown_day_near_headline(lxml.html.document_fromstring(html))
