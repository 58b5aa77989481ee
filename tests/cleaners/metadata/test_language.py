"""Language of records: py3langid on the text, cross-checked with the page's <html lang>."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from newsclean.cleaners import Article, clean_html
from newsclean.cleaners.metadata.language import LANG_OVERRULE_CHARS, article_language, declared_language, identify_language

# Written for these tests: the same small news story in five languages, two paragraphs each.
TEXTS = {
    "en": ("The city council voted on Monday evening to keep the old library open for another year, after "
           "residents filled the hall and asked for more reading rooms for students.\n"
           "The mayor said the building would need a new roof before winter, and that the money would come "
           "from the budget for roads, which several members of the council opposed."),
    "de": ("Der Stadtrat hat am Montagabend beschlossen, die alte Bibliothek ein weiteres Jahr offen zu halten, "
           "nachdem Anwohner den Saal gefüllt und mehr Leseräume für Schüler gefordert hatten.\n"
           "Der Bürgermeister sagte, das Gebäude brauche vor dem Winter ein neues Dach, und das Geld komme aus "
           "dem Haushalt für Straßen, wogegen mehrere Mitglieder des Rates stimmten."),
    "fr": ("Le conseil municipal a voté lundi soir pour garder l'ancienne bibliothèque ouverte une année de "
           "plus, après que les habitants ont rempli la salle et demandé davantage de salles de lecture.\n"
           "Le maire a déclaré que le bâtiment aurait besoin d'un nouveau toit avant l'hiver, et que l'argent "
           "viendrait du budget des routes, ce que plusieurs conseillers ont contesté."),
    "es": ("El ayuntamiento votó el lunes por la noche mantener abierta la antigua biblioteca un año más, "
           "después de que los vecinos llenaran la sala y pidieran más salas de lectura para los estudiantes.\n"
           "El alcalde dijo que el edificio necesitaría un techo nuevo antes del invierno y que el dinero "
           "saldría del presupuesto de carreteras, algo a lo que se opusieron varios concejales."),
    "ur": ("شہر کی کونسل نے پیر کی شام پرانی لائبریری کو ایک سال مزید کھلا رکھنے کے حق میں ووٹ دیا، جب "
           "رہائشیوں نے ہال بھر دیا اور طلبہ کے لیے مزید مطالعہ گاہوں کا مطالبہ کیا۔\n"
           "میئر نے کہا کہ سردیوں سے پہلے عمارت کو نئی چھت کی ضرورت ہوگی اور یہ رقم سڑکوں کے بجٹ سے آئے گی، "
           "جس کی کونسل کے کئی ارکان نے مخالفت کی۔"),
}


def page(text: str, lang: str | None) -> str:
    attr = f' lang="{lang}"' if lang else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in text.splitlines())
    return (f"<!doctype html><html{attr}><head><meta charset=\"utf-8\"><title>Library stays open</title></head>"
            f"<body><nav><a href=\"/\">Home</a></nav><article><h1>Library stays open</h1>{paragraphs}"
            f"</article></body></html>")


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_identifies_each_language_without_a_declaration(code: str) -> None:
    assert len(TEXTS[code]) >= LANG_OVERRULE_CHARS
    assert article_language(TEXTS[code], None) == code


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_records_get_a_language_from_pages_that_declare_none(code: str) -> None:
    result = clean_html(page(TEXTS[code], None), f"https://news.example/{code}/library-stays-open")
    assert isinstance(result, Article), result
    assert result.language == code


@pytest.mark.parametrize("code", ["de", "fr", "ur"])
def test_long_text_overrules_a_template_declaration(code: str) -> None:
    # A site template that says lang="en" on every page, whatever the article's language.
    result = clean_html(page(TEXTS[code], "en"), f"https://news.example/{code}/library")
    assert isinstance(result, Article), result
    assert result.language == code


def test_declaration_stands_on_agreement_and_on_short_text() -> None:
    assert article_language(TEXTS["de"], "de-AT") == "de"
    short = TEXTS["de"].split(",")[0]            # a few words: too thin to overrule anything
    assert len(short) < LANG_OVERRULE_CHARS
    assert article_language(short, "en") == "en"
    assert article_language("", "fr") == "fr"
    assert article_language("", None) is None


def test_close_languages_keep_the_declaration() -> None:
    # Danish text: the identifier says "da"; a page declaring Bokmål ("nb") keeps it (the two are
    # easily confused), a page declaring German does not.
    danish = ("Byrådet stemte mandag aften for at holde det gamle bibliotek åbent et år mere, efter at beboerne "
              "havde fyldt salen og bedt om flere læsesale til de studerende. Borgmesteren sagde, at bygningen "
              "skulle have et nyt tag før vinteren.")
    found = identify_language(danish)
    assert found is not None and found[0] == "da"
    assert article_language(danish, "nb") == "nb"
    assert article_language(danish, "de") == "da"


def test_declared_codes_are_normalized_to_iso_639_1() -> None:
    assert declared_language("en-US") == "en"
    assert declared_language("pt_BR") == "pt"
    assert declared_language(" UR ") == "ur"
    assert declared_language("iw") == "he"        # deprecated code for Hebrew
    assert declared_language("x-default") is None
    assert declared_language("eng") is None       # not ISO 639-1: the text decides
    assert declared_language(None) is None


def test_identifier_only_answers_two_letter_codes() -> None:
    # py3langid's model also has three-letter labels (arz, yue, zxx...): the schema allows ISO 639-1.
    for text in [*TEXTS.values(), "1234 5678 ---- ++++ 99 00 11 22 33 44", "ok ok ok ok ok ok ok ok"]:
        found = identify_language(text)
        assert found is None or len(found[0]) == 2, (text, found)


def test_clean_command_applies_the_language_filter_like_the_crawl(tmp_path: Path) -> None:
    """`newsclean clean --languages` goes through the crawl's own gate (newsclean.crawler.workers.cleaning.language_gate)."""
    from ...conftest import run_newsclean

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "en.html").write_text(page(TEXTS["en"], "en"), encoding="utf-8")
    (pages / "de.html").write_text(page(TEXTS["de"], "de"), encoding="utf-8")
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    proc = run_newsclean("clean", str(pages), "-o", str(out), "--rejects", str(rejects), "--languages", "de")
    assert proc.returncode == 0, proc.stderr[-2000:]
    kept = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    dropped = [orjson.loads(line) for line in rejects.read_bytes().splitlines()]
    assert [r["language"] for r in kept] == ["de"]
    assert [(r["reason"], r["detail"].split()[0]) for r in dropped] == [("language", "en")]


def test_identifier_holds_only_the_two_letter_table() -> None:
    # The model arrives with a table for every label (28 MB); only the two-letter one is read,
    # and a copy of each is shared by every cleaning worker through the forkserver.
    import numpy as np

    from newsclean.cleaners.metadata.language import _identifier

    ident = _identifier()
    held = {id(a): a for a in (ident.nb_ptc, ident.nb_pc, *ident._full_model) if isinstance(a, np.ndarray)}
    assert sum(a.nbytes for a in held.values()) == ident.nb_ptc.nbytes + ident.nb_pc.nbytes
    assert identify_language(TEXTS["de"])[0] == "de"
