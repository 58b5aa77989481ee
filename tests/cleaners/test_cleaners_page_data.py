"""newsclean.cleaners.page_data: the page's embedded data (Next.js ``__NEXT_DATA__``, JSON-LD, state
blobs) as evidence of where its article ends (a page written for this test)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import lxml.html

from newsclean.cleaners import Article, clean_html
from newsclean.cleaners.core import CleanOptions
from newsclean.cleaners.page_data import MAX_DATA_CHARS, data_text, drop_tail_not_in_data, held

FIXTURE = Path(__file__).parent.parent / "fixtures" / "cleaners" / "next_data_teasers.html"
URL = "https://quay.example.org/news/customs-house-reading-room"
PAGE = FIXTURE.read_text(encoding="utf-8")
_DATA = re.compile(r'(<script id="__NEXT_DATA__" type="application/json">)(.*?)(</script>)', re.S)
TEASERS = ("Ferry operator confirms", "A new bakery opens", "Lifeboat crew rescue")


def _article_lines() -> list[str]:
    return [p for p in re.findall(r"<p>(.*?)</p>", _DATA.sub("", PAGE))
            if "Gazette" not in p and not p.startswith(TEASERS)]


def _with_data(blob: str) -> str:
    return _DATA.sub(lambda m: m.group(1) + blob + m.group(3), PAGE)


def _text(html: str, **options: bool) -> str:
    result = clean_html(html, URL, options=CleanOptions(**options))
    assert isinstance(result, Article), result
    return result.text


def _clean_paragraphs() -> list[str]:
    return [re.sub(r"<[^>]+>", "", p) for p in _article_lines()]


def test_teasers_the_data_lacks_are_cut_after_the_article_it_holds() -> None:
    text = _text(PAGE)
    assert not any(t in text for t in TEASERS)
    assert text.splitlines() == _clean_paragraphs()
    # the same page with the step off keeps them: it is this step that cuts
    assert all(t in _text(PAGE, data_tail=False) for t in TEASERS)


def test_the_article_stays_whole_when_the_data_holds_only_a_summary() -> None:
    summary = json.dumps({"props": {"pageProps": {"post": {
        "title": "Customs house reopens as a reading room",
        "excerpt": "The quay's old customs house reopened on Saturday as a public reading room."}}}})
    assert _text(_with_data(summary)) == _text(_with_data(summary), data_tail=False)
    assert all(p in _text(_with_data(summary)) for p in _clean_paragraphs())


def test_an_excerpt_ending_inside_a_paragraph_cuts_nothing() -> None:
    # the article's first 1,000-odd characters in a description field, cut inside a paragraph
    paras = _clean_paragraphs()
    excerpt = " ".join(paras[:4]) + " " + " ".join(paras[4].split()[:8]) + "..."
    text = _text(_with_data(json.dumps({"description": excerpt})))
    assert all(p in text for p in paras)


def test_broken_json_and_escapes_never_raise() -> None:
    broken = _DATA.search(PAGE).group(2)[: len(PAGE) // 3]   # a page cut off inside its data
    assert all(p in _text(_with_data(broken)) for p in _clean_paragraphs())
    odd = '{"a": "\\ud83d\\ude00 \\udc00 lone", "b": "\\u00e9t\\u00e9 \\u003cp\\u003e", "c": "\\uZZZZ \\\\"}'
    assert all(p in _text(_with_data(odd)) for p in _clean_paragraphs())


def test_escaped_html_and_letters_inside_json_are_read_as_words() -> None:
    tree = lxml.html.fromstring(
        '<html><body><script type="application/ld+json">'
        '{"articleBody": "\\u003cp\\u003eLe caf\\u00e9 du port ouvre \\u00e0 sept heures\\u003c/p\\u003e"}'
        "</script><script>var x = 'Le café du port ouvre à sept heures';</script></body></html>")
    data = data_text(tree)
    assert held("Le café du port ouvre à sept heures.", data, whole=True)
    assert data.count("sept heures") == 1   # code is not data


def test_a_five_megabyte_blob_is_bounded_and_quick() -> None:
    words = " ".join(f"word{i}" for i in range(480_000))   # ~5.2 MB, no line of the body in it
    page = _with_data(json.dumps({"blob": words}))
    assert len(page) > 5_000_000
    start = time.process_time()
    text = _text(page)
    assert time.process_time() - start < 10
    assert all(p in text for p in _clean_paragraphs())
    assert len(data_text(lxml.html.fromstring(page))) <= MAX_DATA_CHARS + 1
    # the step's own searches, at its bound: a body of 400 lines none of which the data holds
    body = [f"line {i} of a long body that goes on and on" for i in range(400)]
    start = time.process_time()
    assert drop_tail_not_in_data(body, words[:MAX_DATA_CHARS]) == (body, 0)
    assert time.process_time() - start < 2


def test_never_over_half_the_body_nor_its_head() -> None:
    data = json.dumps({"body": "\n".join(["An article line the data holds, long enough to count here."] * 30)})
    held_line = "An article line the data holds, long enough to count here."
    # a head line the data lacks stays; a tail run over half the body stays
    body = ["A standfirst the data lacks, from a block."] + [held_line] * 20 + ["Teaser"]
    assert drop_tail_not_in_data(body, data) == (body[:-1], len("Teaser"))
    long_tail = [held_line] * 20 + ["A long run of lines the data lacks, one of many here."] * 30
    assert drop_tail_not_in_data(long_tail, data) == (long_tail, 0)


def test_json_ld_without_an_article_body_is_not_read() -> None:
    # a recipe's JSON-LD holds its steps as fields but not its nutrition box: no evidence of an end
    recipe = ('{"@type": "Recipe", "name": "Plum cake", "recipeInstructions": [{"@type": "HowToStep", '
              '"text": "Stone the plums and lay them on the batter in rows."}]}')
    article = '{"@type": "NewsArticle", "articleBody": "The ferry returned to service on Monday."}'
    page = ('<html><body><script type="application/ld+json">{}</script>'
            '<script type="application/ld+json">{}</script></body></html>')
    assert data_text(lxml.html.fromstring(page.format(recipe, "{}"))) == ""
    assert "returned to service" in data_text(lxml.html.fromstring(page.format(recipe, article)))
