"""newsclean.cleaners.body_lines.page_data: the page's embedded data (Next.js ``__NEXT_DATA__``, JSON-LD, state
blobs) as evidence of where its article ends (a page written for this test)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from newsclean.cleaners import Article, clean_html
from newsclean.cleaners.core import CleanOptions
from newsclean.cleaners.body_lines.page_data import (MAX_DATA_CHARS, data_text, drop_tail_not_in_data, held,
                                                     held_in_pieces)

FIXTURE = Path(__file__).parent.parent.parent / "fixtures" / "cleaners" / "next_data_teasers.html"
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


def test_a_five_megabyte_blob_is_read_to_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    # the work is bounded by counts, not seconds: each line is looked for in at most
    # MAX_DATA_CHARS of the data, and at most MAX_LINES lines of a tail, however long the body
    from newsclean.cleaners.body_lines import page_data

    searched: list[int] = []   # the data's length, for each line looked for in it
    real = page_data.held

    def counted(line: str, data: str, **whole: bool) -> bool:
        searched.append(len(data))
        return real(line, data, **whole)

    monkeypatch.setattr(page_data, "held", counted)
    words = " ".join(f"word{i}" for i in range(480_000))   # ~5.2 MB, no line of the body in it
    page = _with_data(json.dumps({"blob": words}))
    assert len(page) > 5_000_000
    text = _text(page)
    assert all(p in text for p in _clean_paragraphs())
    assert searched and max(searched) <= MAX_DATA_CHARS + 1
    assert len(data_text(lxml.html.fromstring(page))) <= MAX_DATA_CHARS + 1   # the data read, cut at its bound
    # the step's own searches, at its bound: a body none of whose lines the data holds, ten times
    # as long, is asked as many times
    asked = []
    for n in (400, 4000):
        body = [f"line {i} of a long body that goes on and on" for i in range(n)]
        searched.clear()
        assert drop_tail_not_in_data(body, words[:MAX_DATA_CHARS]) == (body, 0)
        asked.append(len(searched))
    assert asked[0] == asked[1] <= page_data.MAX_LINES + 2, asked


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


_PARAGRAPHS = [
    "The harbour board voted on Tuesday to close the old swing bridge to cars from the first of March, "
    "ending a crossing that has carried traffic over the inner basin since 1887.",
    "Engineers who surveyed the bridge last autumn found that two of the four cast iron girders under the "
    "roadway had cracked, and that the turning gear had worn past the point where it could be mended.",
    "A temporary footbridge will be built beside it within six weeks, the board said, and buses will be sent "
    "round by the ring road until a new crossing is ready, which may take three years.",
    "Shopkeepers on Quay Street said they feared losing passing trade, and the chamber of commerce asked the "
    "board to publish the survey in full so that owners could judge the risk for themselves.",
    "The board's chair, Ellen Marsh, said the survey would be published next week and that the decision had "
    "not been taken lightly, since the bridge is listed and much loved in the town.",
    "Cyclists will be allowed to wheel their bikes across the footbridge, but not to ride, and the ferry "
    "across the basin will run every twenty minutes instead of every hour while the works go on.",
]


def test_a_table_ending_the_article_stays_where_the_data_holds_its_cells() -> None:
    # A results table closing the article, its cells strings of their own in the page's data: a
    # run of four words of a row crosses cells, so the rows read as lacked and were cut (review15)
    rows = [["Crossing", "Cars a day"], ["Swing bridge", "4,100"], ["Ring road", "9,800"], ["Ferry", "310"]]
    data = json.dumps({"props": {"pageProps": {"article": {"paragraphs": _PARAGRAPHS, "table": rows}}}})
    table = ["| Crossing | Cars a day |", "|---|---|", "| Swing bridge | 4,100 |", "| Ring road | 9,800 |",
             "| Ferry | 310 |"]
    assert drop_tail_not_in_data(_PARAGRAPHS + table, data) == (_PARAGRAPHS + table, 0)
    # teasers after it still go; a table the data lacks goes as a run like any other
    teasers = ["Ferry timetable changes for the spring season", "Lifeboat crew called out twice in one night"]
    assert drop_tail_not_in_data(_PARAGRAPHS + table + teasers, data)[0] == _PARAGRAPHS + table
    other = ["| Fixture | Kick-off |", "|---|---|", "| Harbour Town v Rovers | 15:00 |"]
    assert drop_tail_not_in_data(_PARAGRAPHS + other, data)[0] == _PARAGRAPHS


def test_a_short_last_line_the_rich_text_data_splits_at_its_links_stays() -> None:
    # Headless CMSs' rich text (Contentful, Sanity) ends a string at each link or mark: a short
    # line whose every run of four words crosses a link is the data's strings one after another,
    # and stays; a line the data holds none of still goes. (review15 held such a line where half
    # its runs of three were in the data; out in qablate3, the bug came back: tidy23.)
    def paragraph(*parts: str) -> dict[str, object]:
        return {"nodeType": "paragraph", "content": [
            {"nodeType": "text", "value": part} if i % 2 == 0 else
            {"nodeType": "hyperlink", "content": [{"nodeType": "text", "value": part}]} for i, part in enumerate(parts)]}

    nodes = [paragraph(p) for p in _PARAGRAPHS] + [
        paragraph("The survey is ", "published in full", " on the ", "board's website", "."),
        paragraph("Additional reporting by ", "Jane Doe", " in ", "Carlisle", ".")]
    data = json.dumps({"props": {"pageProps": {"body": {"nodeType": "document", "content": nodes}}}})
    body = _PARAGRAPHS + ["The survey is published in full on the board's website.",
                          "Additional reporting by Jane Doe in Carlisle."]
    assert drop_tail_not_in_data(body, data) == (body, 0)
    teaser = ["the board said parking charges near the quay will rise"]
    assert drop_tail_not_in_data(_PARAGRAPHS + teaser, data)[0] == _PARAGRAPHS
    # the pieces in another order, a piece the data has no string of, a line cut inside a string,
    # or pieces far apart in the data are no hold
    line = "Additional reporting by Jane Doe in Carlisle."
    assert held_in_pieces(line, data)
    assert not held_in_pieces("Additional reporting by Carlisle in Jane Doe.", data)
    assert not held_in_pieces("Additional reporting by Jane Doe in Leeds.", data)
    assert not held_in_pieces("reporting by Jane Doe in Carlisle.", data)   # "reporting by " opens no string
    far = json.dumps({"menu": ["Additional reporting by ", "x" * 400, "Jane Doe", " in ", "Carlisle", "."]})
    near = json.dumps({"menu": ["Additional reporting by ", "x" * 40, "Jane Doe", " in ", "Carlisle", "."]})
    assert not held_in_pieces(line, far) and held_in_pieces(line, near)
    # the app router's flight rows: the same JSON inside a string, its quotes escaped
    flight = "self.__next_f.push([1," + json.dumps("5:" + data) + "])"
    assert '\\"Carlisle\\"' in flight and held_in_pieces(line, flight)
    assert not held_in_pieces("Additional reporting by Jane Doe in Leeds.", flight)


def test_a_next_js_pages_short_last_lines_split_at_links_stay_and_its_teasers_go() -> None:
    # a page of our own (fixtures/cleaners/next_rich_text_links.html): Sanity's blocks in
    # __NEXT_DATA__, the article's last two lines each crossing two links, teasers after them.
    # Before: both lines were cut with the teasers (data_tail 232 characters)
    page = (FIXTURE.parent / "next_rich_text_links.html").read_text(encoding="utf-8")
    result = clean_html(page, "https://wendlecourier.example/news/tidal-mill-turns-again")
    assert isinstance(result, Article), result
    lines = result.text.splitlines()
    assert lines[-2:] == ["The survey is published in full on the trust's website.",
                          "Additional reporting by Ines Varga in Wendlebury."]
    assert lines[0].startswith("The tidal mill on the Wendle estuary") and len(lines) == 8
    assert "Harbour wall" not in result.text and "Village hall" not in result.text
    assert result.removed.get("data_tail", 0) > 0   # the teasers: cut by this step


def test_the_pieces_read_are_bounded_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    # a hostile page: tail lines of one-letter words between commas (no run of four words: each is
    # asked in pieces) against data of 150,000 one-letter strings. Every line read a window after
    # each of 50 places: 18 million characters for 50 lines, 2.0-2.6 s a page (0.16 s before the pieces)
    from newsclean.cleaners.body_lines import page_data

    read: list[int] = []
    real = page_data.string_pieces

    def counted(window: str) -> dict[str, list[int]]:
        read.append(len(window))
        return real(window)

    monkeypatch.setattr(page_data, "string_pieces", counted)
    data = json.dumps({"props": {"pageProps": {"blocks": _PARAGRAPHS * 6, "junk": ["a"] * 150_000}}})
    tail = [", ".join(["a"] * 11) + f" {i}" for i in range(20)]
    assert drop_tail_not_in_data(_PARAGRAPHS * 6 + tail, data)[0] == _PARAGRAPHS * 6
    assert 0 < sum(read) <= page_data.MAX_PIECES_READ_CHARS


def test_a_long_last_line_is_not_read_in_pieces() -> None:
    # a last line of "a, a, a, ..." holds no run of four words and was asked in pieces, its cuts
    # tried from each of its word edges to each: 60,000 of them took 5.8 s (quadratic). Ten times
    # the line, about ten times the work (measured against each other in one process)
    from tests.growth import cpu_seconds, faster_than_linear

    data = json.dumps({"props": {"pageProps": {"blocks": _PARAGRAPHS, "tags": ["a", "b"]}}})

    def cost_at(n: int) -> float:
        body = _PARAGRAPHS + ["a, " * (n // 3)]
        return cpu_seconds(lambda: drop_tail_not_in_data(body, data), limit=5.0)
    assert faster_than_linear(cost_at, limit=5.0) is None


def test_the_paragraphs_after_an_article_body_declared_in_part_stay() -> None:
    # A JSON-LD articleBody that ends at a paragraph's end (a CMS's teaser up to its 'more' mark,
    # a paywall's free part), before lines of prose: a part declared, not the article whole
    more = ["Residents at a packed meeting in the Corn Exchange asked why the cracks had not been found sooner.",
            "The review will be led by a retired engineer from the county council, who will report by the summer."]
    data = json.dumps({"@type": "NewsArticle", "articleBody": "\n".join(_PARAGRAPHS)})
    assert drop_tail_not_in_data(_PARAGRAPHS + more, data) == (_PARAGRAPHS + more, 0)
    # inside a graph, after other fields, with escapes after its last paragraph: the same
    graph = json.dumps({"@graph": [{"@type": "Organization", "name": "Quay Gazette"}, {
        "@type": "NewsArticle", "headline": "Swing bridge to close", "articleBody": "\n".join(_PARAGRAPHS) + "\n\u00a0"}]})
    assert drop_tail_not_in_data(_PARAGRAPHS + more, graph) == (_PARAGRAPHS + more, 0)
    # with a subheading between the paragraphs after it: the same
    headed = more[:1] + ["What happens next"] + more[1:]
    assert drop_tail_not_in_data(_PARAGRAPHS + headed, data) == (_PARAGRAPHS + headed, 0)


def test_what_follows_a_whole_article_body_is_cut() -> None:
    # a declared body before teaser titles, a credit line, one disclaimer or a run mixing prose
    # with a button: cut (the dev pages' JSON-LD cuts are all of these kinds)
    data = json.dumps({"@type": "NewsArticle", "articleBody": "\n".join(_PARAGRAPHS)})
    titles = ["Ferry timetable changes for the spring season", "Lifeboat crew called out twice in one night"]
    credit = ["Reporting by Jane Doe, Tom Reed and Ann Lee"]
    disclaimer = ["We use affiliate links in articles to earn commissions if you make a purchase after clicking them."]
    pitch = ["Sign up to our morning briefing and get the harbour's news in your inbox before the first ferry.",
             "Sign up now"]
    cards = ["Ferry timetable changes for the spring season",
             "The operator adds an early boat on Saturdays and a late one on Fridays through the summer.",
             "Lifeboat crew called out twice in one night",
             "Two kayakers were caught by the tide off the northern breakwater on Sunday afternoon."]
    listed = ["- The harbour board meets again on the first Tuesday of next month at the town hall.",
              "- Readers can send their questions about the footbridge to the board's office by email."]
    for tail in (titles, credit, disclaimer, pitch, cards, listed):
        assert drop_tail_not_in_data(_PARAGRAPHS + tail, data)[0] == _PARAGRAPHS, tail
    # prose whose silence is not an articleBody's (a Next.js blob holds the page's text): cut
    more = ["Residents at a packed meeting in the Corn Exchange asked why the cracks had not been found sooner.",
            "The review will be led by a retired engineer from the county council, who will report by the summer."]
    blob = json.dumps({"props": {"pageProps": {"article": {"paragraphs": _PARAGRAPHS}}}})
    assert drop_tail_not_in_data(_PARAGRAPHS + more, blob)[0] == _PARAGRAPHS
    # nor where the declared body goes on past the kept lines' end (an excerpt of it is elsewhere)
    longer = json.dumps({"@type": "NewsArticle", "articleBody": "\n".join(
        _PARAGRAPHS + ["The council later said it regretted the delay in the works."])})
    assert drop_tail_not_in_data(_PARAGRAPHS + more, longer)[0] == _PARAGRAPHS


def test_a_body_whose_last_line_the_data_holds_is_searched_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing can be cut where the data holds the last line (most pages with data): that line is
    # asked first, and no other line is looked for.
    import newsclean.cleaners.body_lines.page_data as page_data

    body = ["A long opening paragraph of the article that the data holds as it is written here.",
            "The closing line of the article, held too."]
    data = " ".join(body) + " " + "filler words of the page's data " * 40
    asked: list[str] = []
    monkeypatch.setattr(page_data, "held", lambda line, data, whole=False: asked.append(line) or held(line, data, whole=whole))
    assert drop_tail_not_in_data(body, data) == (body, 0)
    assert asked == [body[-1]]


@pytest.mark.parametrize("name", ["next_data_teasers.html", "jsonld_alsoread.html"])
def test_the_scripts_found_once_read_as_each_step_found_them(name: str) -> None:
    # clean_html walks the tree to its scripts once for the metadata's JSON-LD and the page data
    # (each walked it: 0.055-0.084 ms a page, docs/performance.md): the same nodes, the same text
    from newsclean.cleaners.reading.parsing import parse
    from newsclean.cleaners.metadata.common import _ld_nodes

    tree = parse((FIXTURE.parent / name).read_text(encoding="utf-8"))
    scripts = list(tree.iter("script"))
    assert _ld_nodes(tree, scripts) == _ld_nodes(tree) and data_text(tree, scripts) == data_text(tree)
    assert scripts and (_ld_nodes(tree) or data_text(tree))   # the page has data to read
    # What is read is the scripts given, not the tree's found again (the equality above would
    # hold if the argument were ignored): none given, nothing read.
    assert _ld_nodes(tree, []) == [] and data_text(tree, []) == ""


def test_data_holding_only_the_opening_paragraph_cuts_nothing_after_it() -> None:
    # a page's data (a description, a teaser card's JSON) holding the article's first paragraph
    # whole and nothing after it: its silence on the lines after is no evidence they are not the
    # article's (a wcxb-dev page lost a third of its text when this guard was taken out, 4fefd86)
    opening = ("The harbour board voted on Tuesday to rebuild the north quay wall, which storms cracked "
               "twice last winter, after engineers warned that the stones behind it were moving. " * 3).strip()
    rest = ["The work starts in April and should take two summers, the board's chair said.",
            "Fishing boats will moor at the south quay while the wall is down.",
            "Residents asked for the old bollards to be kept; the board agreed to store them."]
    body = [opening, *rest]
    assert 2 * sum(len(line) for line in rest) < sum(len(line) for line in body)   # under half: cuttable
    data = json.dumps({"description": opening, "site": {"menu": ["News", "Sport", "Weather"] * 60}})
    assert len(data) >= 1000
    assert drop_tail_not_in_data(body, data) == (body, 0)
