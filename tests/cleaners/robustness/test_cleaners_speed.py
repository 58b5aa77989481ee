"""Work clean_html does not do twice or in vain (issue #17 target 4), counted, never timed: the
machine is shared. Each test names the work it counts; the outputs stay what they were."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from copy import copy
from pathlib import Path

import pytest
import trafilatura
import trafilatura.core
import trafilatura.external
import trafilatura.xpaths
from lxml import etree
from lxml.etree import XPath
from trafilatura.utils import trim

from newsclean.cleaners import Article, Rejected, clean_html
from newsclean.cleaners.extraction import readability_gate, xpath_guard
from newsclean.cleaners.extraction.options import _EXTRACTOR
from newsclean.cleaners.reading.parsing import parse

from tests.cleaners.robustness.test_cleaners_hostile import counting

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "cleaners"
PARAGRAPH = ("The council met on Tuesday evening to settle the budget for the coming year, and the debate "
             "ran late into the night as members argued over the new bridge and the school roof. ")


def article_page(paragraphs: int, nav_links: int = 5, script: str = "") -> str:
    """A news page: navigation, an article of ``paragraphs`` paragraphs, a footer."""
    nav = "".join(f'<li><a href="/section/{i}">Section number {i} of the site</a></li>' for i in range(nav_links))
    body = "".join(f"<p>In the {i}th hour, {PARAGRAPH}And then: {PARAGRAPH}</p>" for i in range(paragraphs))
    return (f"<html><head><title>Budget settled</title><script>{script}</script><style>p {{ color: red }}</style>"
            f"</head><body><nav><ul>{nav}</ul></nav><article><h1>Budget settled</h1>{body}</article>"
            "<footer><p>Contact the newsroom</p></footer></body></html>")


def pages() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(FIXTURES.glob("*.html"))] + [
        article_page(6), article_page(1, nav_links=200), article_page(2, script="var x = 'a b c d';" * 500),
        article_page(0, nav_links=40)]


def test_readability_runs_only_where_it_could_win() -> None:
    def calls(html: str) -> int:
        # a page readability could find text in (the gate hands it an empty one instead)
        with counting(trafilatura.external, "try_readability",
                      lambda args, result: int(bool("".join(args[0].itertext()).strip()))) as n:
            result = clean_html(html, "http://127.0.0.1/budget")
        assert isinstance(result, Article)
        return n[0]

    # The article is most of the page's text: readability (a second extraction) cannot win, not run.
    assert calls(article_page(6)) == 0
    # A short article among much navigation text: readability could win, it is asked.
    assert calls(article_page(1, nav_links=200)) >= 1


def test_where_readability_cannot_win_neither_it_nor_its_copy_of_the_page_runs_nor_the_copy_for_justext(
        monkeypatch: pytest.MonkeyPatch) -> None:
    tree = parse(article_page(6))   # the article is most of the page's text
    assert tree is not None
    readability = trafilatura.external.ReadabilityDocument
    runs = [0]

    def counted(*args: object, **kwargs: object) -> object:
        runs[0] += 1
        return readability(*args, **kwargs)

    monkeypatch.setattr(trafilatura.external, "ReadabilityDocument", counted)

    def work(options: object) -> tuple[int, int]:
        runs[0] = 0
        with counting(trafilatura.core, "copy", lambda args, result: 1) as copies, \
                counting(readability_gate, "copy", lambda args, result: 1) as gate_copies:
            trafilatura.bare_extraction(tree, options=options)
        return copies[0] + gate_copies[0], runs[0]

    (gated_copies, gated_runs), (copies, runs) = work(_EXTRACTOR), work(copy(_EXTRACTOR))
    assert runs == 1 and gated_runs == 0   # not even on an empty page
    # the page's copy for readability is not made, nor the cleaned page's for jusText (the
    # article is long and clean: jusText is not asked)
    assert gated_copies == copies - 2


@pytest.mark.parametrize("html", pages())
def test_gated_comparison_gives_trafilaturas_answer(html: str) -> None:
    ungated = copy(_EXTRACTOR)   # another options object: trafilatura's own comparison, ungated
    tree = parse(html)
    assert tree is not None
    gated, plain = (trafilatura.bare_extraction(tree, options=o) for o in (_EXTRACTOR, ungated))
    assert (gated.text if gated else None) == (plain.text if plain else None)


def test_the_cleaned_page_for_justext_is_made_when_justext_runs_the_same_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    # a short article: trafilatura's comparison asks jusText, which gets the page cleaned as
    # _prepare_tree would have copied it
    import trafilatura.htmlprocessing
    page = "<html><body><article><h2>Budget</h2><p>{}</p><figure>x</figure></article><nav>a</nav></body></html>"
    tree = parse(page.format("Story: " + PARAGRAPH[:150]))
    assert tree is not None
    given: list[bytes] = []
    real = readability_gate._JUSTEXT

    def justext(cleaned: etree._Element, options: object) -> object:
        given.append(etree.tostring(cleaned))
        return real(cleaned, options)

    monkeypatch.setattr(readability_gate, "_JUSTEXT", justext)
    gated, plain = (trafilatura.bare_extraction(tree, options=o) for o in (_EXTRACTOR, copy(_EXTRACTOR)))
    assert gated is not None and plain is not None and gated.text == plain.text
    raw = copy(tree)
    trafilatura.htmlprocessing.prune_unwanted_nodes(raw, trafilatura.xpaths.RAW_TREE_PRUNE_XPATH)
    trafilatura.htmlprocessing.prune_unwanted_nodes(raw, trafilatura.xpaths.REMOVE_COMMENTS_AND_LISTS_XPATH)
    expected = etree.tostring(copy(trafilatura.htmlprocessing.tree_cleaning(copy(raw), _EXTRACTOR)))
    assert given == [expected, expected]   # gated (made when read) and ungated (copied ahead)


@pytest.mark.parametrize("html", pages())
def test_text_bound_holds_what_readability_extracts(html: str) -> None:
    tree = parse(html)
    assert tree is not None
    bound = readability_gate.text_bound(tree)
    found = trafilatura.external.try_readability(copy(tree))
    n = len(trim(etree.tostring(found, method="text", encoding="unicode")))
    assert bound is not None and n <= bound
    # and the bound is near the page's text outside script and style, not just any large number
    assert bound <= len(" ".join("".join(tree.itertext()).split()))


def test_scripts_are_not_copied_into_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    # trafilatura copies the tree it is given up to four times and drops scripts and styles in
    # every step; a page's inline scripts are often most of its characters.
    html = article_page(4, script="window.__DATA__ = {'items': ['a b c d e f']};" * 2000).replace(
        "</body>", '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Budget"}</script></body>')

    handed: list[int] = []
    real = trafilatura.bare_extraction

    def spy(tree: etree._Element, **kwargs: object) -> object:
        handed.append(sum(len(el.text or "") for el in tree.iter("script", "style")
                          if el.get("type") != "application/ld+json"))
        return real(tree, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    result = clean_html(html, "http://127.0.0.1/budget")
    assert isinstance(result, Article) and "In the 3th hour" in result.text
    assert handed == [0]
    # JSON-LD stays: trafilatura's baseline reads articleBody from it
    tree = parse(html)
    from newsclean.cleaners.extraction.extract import drop_scripts
    drop_scripts(tree)
    assert [el.get("type") for el in tree.iter("script", "style")] == ["application/ld+json"]


def test_a_page_without_an_article_container_is_extracted_again_only_for_its_list_items(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Where trafilatura finds no article container, a recall-focus extraction gives the list
    # items between the article's paragraphs; a page without list items has none to give.
    from tests.cleaners.test_cleaners_body import STEPS, _containerless_page

    real = trafilatura.bare_extraction
    calls = [0]

    def spy(tree: etree._Element, **kwargs: object) -> object:
        calls[0] += 1
        return real(tree, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)

    def extractions(html: str) -> tuple[int, str]:
        calls[0] = 0
        result = clean_html(html, "http://127.0.0.1/light")
        assert isinstance(result, Article)
        return calls[0], result.text

    with_list = _containerless_page()
    as_paragraphs = with_list.replace("<ul>", "<div>").replace("</ul>", "</div>").replace(
        "<li>", "<p>").replace("</li>", "</p>")
    (n_list, text_list), (n_paragraphs, text_paragraphs) = extractions(with_list), extractions(as_paragraphs)
    assert n_list == 2 and all(s in text_list for s in STEPS)
    assert n_paragraphs == 1 and all(s in text_paragraphs for s in STEPS)


#: Attributes the guard must read as trafilatura's paths do: present but empty, both in either
#: order (``re:test(@id|@class, ...)`` reads the first in the source), a match in the second only.
ATTRIBUTE_PAGE = ("<html><body><div id='main'><div class=''><p>Text of a paragraph.</p></div>"
                  "<div class='cookie-bar' id='x'>a</div><div id='x' class='cookie-bar'>b</div>"
                  "<div class='share-links'>c</div><div id='sidebar'><span class=''>d</span></div>"
                  "<section id='' class='comments'>e</section><div style='color: red' id='hidden-box'>f</div>"
                  "<article class='entry-content'><p>The article.</p></article></div></body></html>")


def _regex_tests_counted(path: str, tree: etree._Element) -> tuple[list[etree._Element], int]:
    """What ``path`` selects in ``tree``, and how many times it called ``re:test``."""
    import re

    calls = [0]

    def test(_context: object, value: object, pattern: str, flags: str = "") -> bool:
        calls[0] += 1
        text = value[0] if isinstance(value, list) and value else value if isinstance(value, str) else ""
        return re.search(pattern, str(text), re.I if "i" in flags else 0) is not None

    found = etree.XPath(path, namespaces={"re": xpath_guard.REGEXP_NS}, regexp=False,
                        extensions={(xpath_guard.REGEXP_NS, "test"): test})(tree)
    return found, calls[0]


def test_guarded_xpaths_select_what_trafilaturas_select_asking_fewer_regex_tests() -> None:
    trees = [t for t in (parse(html) for html in [*pages(), ATTRIBUTE_PAGE]) if t is not None]
    asked = guarded_asked = 0
    for name, paths in xpath_guard.GUARDED.items():
        for original, guarded in zip(getattr(trafilatura.xpaths, name), paths):
            for tree in trees:
                assert original(tree) == guarded(tree), (name, original.path)
                found, n = _regex_tests_counted(original.path, tree)
                found_guarded, n_guarded = _regex_tests_counted(guarded.path, tree)
                assert found == found_guarded == original(tree)
                asked, guarded_asked = asked + n, guarded_asked + n_guarded
    assert guarded_asked < asked / 2


def test_a_pattern_that_matches_an_empty_string_is_not_guarded() -> None:
    path = ".//*[re:test(@class, 'a|^') or re:test(@id, 'nav', 'i') or re:test(string(.), 'x')]"
    assert xpath_guard.guard(path) == ".//*[re:test(@class, 'a|^') or (@id and re:test(@id, 'nav', 'i'))" \
                                      " or re:test(string(.), 'x')]"


def test_the_words_of_a_call_inside_a_string_are_no_call() -> None:
    # A literal that reads like a call is left as it is (it was rewritten, or the whole path
    # was kept unguarded as unbalanced); the call after it is guarded.
    path = """.//a[@title='re:test(@id, "b")' or contains(@href, 're:test(') or re:test(@class, 'nav')]"""
    assert xpath_guard.guard(path) == path.replace("re:test(@class, 'nav')", "(@class and re:test(@class, 'nav'))")


def test_trafilatura_asks_regex_tests_only_of_elements_with_the_attribute_inside_clean_html(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Its XPaths called Python's re for every element they visited, also for the many without
    # the class or id they test; inside clean_html they are guarded, and only there.
    real = trafilatura.bare_extraction
    own = {name: list(getattr(trafilatura.xpaths, name)) for name in xpath_guard.GUARDED}
    seen: list[str] = []

    def spy(tree: etree._Element, **kwargs: object) -> object:
        seen.extend(x.path for x in trafilatura.xpaths.OVERALL_DISCARD_XPATH)
        return real(tree, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    assert isinstance(clean_html(article_page(4), "http://127.0.0.1/budget"), Article)
    assert seen and all(x.count("re:test(") == x.count(" and re:test(") for x in seen)
    for name, paths in own.items():
        assert all(a is b for a, b in zip(getattr(trafilatura.xpaths, name), paths))


#: Pages whose reading depends on the parser's input: a byte-order mark, a declared charset other
#: than UTF-8, an XML declaration (before or after a NUL), what lxml refuses (controls, a lone
#: surrogate, noncharacters), line and paragraph separators, nothing at all.
PARSE_EDGES = ["\ufeff<html><body><p>bom é</p></body></html>",
               '<html><head><meta charset="iso-8859-1"></head><body><p>café ’</p></body></html>',
               '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>'
               "<body><p>naïve “x”</p></body></html>",
               "<p>a\x00b\x0bc\x0cd\x1fe\ud800f\ufffeg\uffffh</p>", "<p>only \x07 a bell</p>",
               '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>x é</p></body></html>',
               '\x00<?xml version="1.0"?><p>y</p>', "", "   ", "<", "plain text", "\ufeff",
               "<p>\u2028 line \u2029 paragraph \x85 next line</p>", "<p>日本語のページ 🎉</p>"]


def test_the_page_parsed_from_utf8_bytes_is_the_tree_its_text_gave() -> None:
    # parse hands lxml the page in UTF-8 (read faster than a str, and checked for what lxml
    # refuses on the bytes): the tree must be the one the decoded text gave, whatever the page declares.
    import lxml.html

    from newsclean.cleaners.reading import parsing

    as_text = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True)

    def from_text(text: str) -> bytes | None:
        text = parsing._xml_compatible(text)
        if text.lstrip().startswith("<?xml"):
            text = text[text.index("?>") + 2:]
        try:
            return etree.tostring(lxml.html.document_fromstring(text, parser=as_text))
        except (etree.ParserError, ValueError):
            return None

    for html in [*pages(), *PARSE_EDGES]:
        tree = parse(html)
        assert (etree.tostring(tree) if tree is not None else None) == from_text(html), html[:60]
    assert "a" + "b\nc\nd e\ufffdf\ufffdg\ufffdh" == parse(PARSE_EDGES[3]).findtext(".//p")


def test_trafilaturas_own_lists_are_back_after_an_exception_in_the_guarded_block() -> None:
    # A page that raises inside bare_extraction (a timeout of clean_html's budget) must not
    # leave the rest of the process evaluating the guarded lists.
    own = {name: list(getattr(trafilatura.xpaths, name)) for name in xpath_guard.GUARDED}
    with pytest.raises(RuntimeError), xpath_guard.guarded():
        assert trafilatura.xpaths.BODY_XPATH[0] is xpath_guard.GUARDED["BODY_XPATH"][0]
        raise RuntimeError("inside the extraction")
    for name, paths in own.items():
        assert all(a is b for a, b in zip(getattr(trafilatura.xpaths, name), paths, strict=True))


def test_jusTexts_stoplist_is_looked_up_by_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    # jusText's own lookup hashes the 154,000-word tuple on every call: the cleaners' lookup, in
    # its place from import on, gives the answer for the same tuple again (the set jusText gave,
    # never a copy); a shared stoplist's words are given for its tuple whatever was asked between
    import justext.core
    asked: list[object] = []

    def lookup(stoplist: tuple[str, ...]) -> frozenset[str]:
        asked.append(stoplist)
        return frozenset(w.lower() for w in stoplist)

    lookup.cache_clear = lambda: None   # type: ignore[attr-defined]
    monkeypatch.setattr(readability_gate, "_JUSTEXT_DEFINE_STOPLIST", lookup)
    monkeypatch.setattr(readability_gate, "_SEEN", readability_gate._UNKNOWN)
    monkeypatch.setattr(readability_gate, "_SHARED", readability_gate._UNKNOWN)
    assert justext.core.define_stoplist is readability_gate._define_stoplist
    words = ("Und", "the")
    first = justext.core.define_stoplist(words)
    again = justext.core.define_stoplist(words)
    other = justext.core.define_stoplist(("Les",))
    assert first == {"und", "the"} and again is first and other == {"les"}
    assert asked == [words, ("Les",)]
    everything = frozenset({"und", "the", "les"})
    key = tuple(everything)
    readability_gate.share_stoplist(key, everything)
    assert justext.core.define_stoplist(key) is everything
    justext.core.define_stoplist(words)
    assert justext.core.define_stoplist(key) is everything and asked == [words, ("Les",), words]


def test_pages_that_fall_back_to_justext_look_its_stoplist_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # a short article: trafilatura's comparison asks jusText on each page; the stoplist (the same
    # tuple every time) is looked up once, not once a page
    asked: list[object] = []
    lookup = readability_gate._JUSTEXT_DEFINE_STOPLIST

    def counted(stoplist: tuple[str, ...]) -> frozenset[str]:
        asked.append(stoplist)
        return lookup(stoplist)

    monkeypatch.setattr(readability_gate, "_JUSTEXT_DEFINE_STOPLIST", counted)
    monkeypatch.setattr(readability_gate, "_SEEN", readability_gate._UNKNOWN)
    page = "<html><body><article><p>{}</p></article></body></html>"
    for n in range(3):
        clean_html(page.format(f"Story {n}: " + PARAGRAPH[:150]), f"https://example.org/{n}")
    assert len(asked) == 1


def _pass_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The link-density passes trafilatura runs from now on (their tag names), counted."""
    from newsclean.cleaners.extraction import repeat_passes
    runs: list[str] = []
    real = repeat_passes._ORIGINAL_PASS

    def counted(subtree: etree._Element, tagname: str, *args: object, **kwargs: object) -> etree._Element:
        runs.append(tagname)
        return real(subtree, tagname, *args, **kwargs)

    monkeypatch.setattr(repeat_passes, "_ORIGINAL_PASS", counted)
    return runs


def test_link_density_passes_are_not_run_again_on_a_tree_they_left_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    from contextlib import nullcontext

    from newsclean.cleaners.extraction import repeat_passes
    runs = _pass_runs(monkeypatch)
    url = "http://127.0.0.1/budget"
    # a plain article: the first round (div, list, p) deletes nothing; the second is not run
    clean_html(article_page(6), url)
    assert runs == ["div", "list", "p"]
    # a short block of a link and two more, which trafilatura's first div pass deletes: the div
    # pass runs again on the changed tree; list and p ran after that deletion, not again
    block = '<div><span><a href="/m">Minutes</a></span><span>Votes</span><span>Agenda</span></div>'
    runs.clear()
    clean_html(article_page(6).replace("<h1>Budget settled</h1>", f"<h1>Budget settled</h1>{block}"), url)
    assert runs == ["div", "list", "p", "div"]
    # the same output either way, on every page
    out = [clean_html(html, url) for html in pages()]
    monkeypatch.setattr(repeat_passes, "unrepeated", nullcontext)
    runs.clear()
    assert [clean_html(html, url) for html in pages()] == out
    assert len(runs) % 6 == 0   # without the block: every pass runs twice


def test_trafilatura_runs_its_link_density_passes_as_repeat_passes_reads_them() -> None:
    # repeat_passes leaves a pass out where it ran on the same tree with nothing deleted since; it
    # holds only while trafilatura's loop runs nothing else between them and a pass deletes by
    # delete_element alone. A trafilatura that changes either must fail here, not extract otherwise.
    import inspect

    import trafilatura.htmlprocessing
    from newsclean.cleaners.extraction import repeat_passes
    loop = inspect.getsource(repeat_passes._ORIGINAL_SECTIONS)
    body = loop.split("for _ in range(2):\n", 1)[1].split("\n    # tables", 1)[0]
    assert [line.strip() for line in body.splitlines()] == [
        'tree = delete_by_link_density(tree, "div", backtracking=True, favor_precision=favor_precision)',
        'tree = delete_by_link_density(tree, "list", backtracking=False, favor_precision=favor_precision)',
        'tree = delete_by_link_density(tree, "p", backtracking=False, favor_precision=favor_precision)']
    passes = inspect.getsource(repeat_passes._ORIGINAL_PASS)
    assert passes.count("delete_element(") == 1 and "delete_element(elem)" in passes
    assert not any(w in passes for w in (".remove(", "strip_", ".tag =", ".text =", ".tail =", "set("))
    assert trafilatura.htmlprocessing.delete_element is repeat_passes._delete_element


def test_trafilatura_outside_the_cleaner_runs_every_link_density_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _pass_runs(monkeypatch)
    trafilatura.extract(article_page(6))
    assert runs[:6] == ["div", "list", "p", "div", "list", "p"]


#: Pages whose text html2txt reads otherwise than the tree's string: words run together across
#: block boundaries, runs of no-break spaces, control characters, empty blocks, a cookie banner
#: and a footer it removes, no body.
PAGE_TEXT_EDGES = ["<html><body><div>a</div><div>b</div><p></p><br><br>c<ul><li>d</li><li>e</li></ul></body></html>",
                   "<html><body><p>x\u00a0\u00a0\u00a0y\u2003z</p><p>\x07bell\x0b</p><td>cell</td></body></html>",
                   '<html><body><div class="cookie-consent">We use cookies</div><footer>Contact</footer>'
                   "<script>var a = 1;</script><p>text</p></body></html>",
                   "<div><p>no body at all</p>tail</div>"]


@pytest.mark.parametrize("html", pages() + PAGE_TEXT_EDGES)
def test_page_text_bound_holds_what_html2txt_reads(html: str) -> None:
    from trafilatura.baseline import html2txt
    tree = parse(html)
    assert tree is not None
    bound = readability_gate.page_text_bound(tree)
    assert len(html2txt(tree)) <= bound
    # near the page's text, not just any large number: within two characters a block element
    body = tree.find(".//body")
    body = tree if body is None else body
    n = len(" ".join("".join(body.itertext()).split()))
    assert bound <= n + 2 * sum(1 for _ in body.iter(*readability_gate._BLOCK_TAGS)) + body.xpath("count(.//text())")


def test_the_page_is_measured_for_trafilaturas_escalation_only_where_its_text_could_be_under_a_fifth(
        monkeypatch: pytest.MonkeyPatch) -> None:
    measured: list[int] = []
    real = readability_gate._PAGE_TEXT

    def counted(tree: etree._Element, *args: object) -> str:
        measured.append(1)
        return real(tree, *args)

    monkeypatch.setattr(readability_gate, "_PAGE_TEXT", counted)
    url = "http://127.0.0.1/budget"
    # a short article (under 3,000 characters) on a page of little else: its text is surely over
    # a fifth of the page's, the page is not measured
    assert isinstance(clean_html(article_page(3, nav_links=3), url), Article)
    assert measured == []
    # a short article among much other text: the page is measured, as trafilatura measures it
    page = article_page(1, nav_links=3).replace("<footer>", "<aside>" + "<p>" + PARAGRAPH * 4 + "</p>" * 20
                                                 + "</aside><footer>")
    tree = parse(page)
    assert tree is not None
    gated, plain = (trafilatura.bare_extraction(copy(tree), options=o) for o in (_EXTRACTOR, copy(_EXTRACTOR)))
    assert measured and gated is not None and plain is not None and gated.text == plain.text


#: Elements each path of known words (xpath_guard.WORDS) selects, by one of its words each, and
#: near misses it must not select ('commentary', an upper-case 'COMMENTS', 'teasers' in a title).
WORDS_PAGE = ("<html><body><div id='main'><h1>Title</h1><p>Text of a paragraph of the article.</p>"
              "<div id='infinite-scroll'>a</div><section class='mvp-post-add-box'><h1>b</h1></section>"
              "<aside class='x elementor-share-buttons'>c</aside><div id='Comments'>d</div><ul id='comol'><li>e</li></ul>"
              "<div id='disqus_thread'>f</div><section class='post-comments'>g</section><div id='commentary'>h</div>"
              "<div id='COMMENTS'>i</div><h2 class='comments-title'>j</h2><div id='reply-1'>k</div>"
              "<div style='display:none'>l</div><span aria-hidden='true'>m</span><p class='x hidden'>n</p>"
              "<div class='message-box'>o</div><div class='Teaser-card'>p</div><span id='teaser'>q</span>"
              "<div title='teasers'>r</div><div class='wp-caption'>s</div></div></body></html>")


def _paths_where(keep: Callable[[XPath, object], bool]) -> list[tuple[XPath, object]]:
    """(trafilatura's path, the cleaner's) for each guarded path that ``keep`` keeps."""
    return [(original, ours) for name, paths in xpath_guard.GUARDED.items()
            for original, ours in zip(getattr(trafilatura.xpaths, name), paths) if keep(original, ours)]


def _worded_paths() -> list[tuple[XPath, object]]:
    """(trafilatura's path, the cleaner's) for each path of known words."""
    return _paths_where(lambda original, ours: " ".join(original.path.split()) in xpath_guard.WORDS)


def test_paths_of_known_words_select_what_trafilaturas_select() -> None:
    # A path evaluated only where the tree holds one of its words in an attribute value: on the
    # page of those words (each path selects there) and on pages without, the same elements.
    worded = _worded_paths()
    assert len(worded) == len(xpath_guard.WORDS) == 5
    words_tree = parse(WORDS_PAGE)
    for original, ours in worded:
        assert original(words_tree), original.path
    for tree in [words_tree, *(t for t in (parse(html) for html in [*pages(), ATTRIBUTE_PAGE]) if t is not None)]:
        for original, ours in worded:
            assert ours(tree) == original(tree), original.path
    # the words are looked for in the attributes the paths test: a link to the comments is none
    comments = next(ours for original, ours in _worded_paths() if "omment" in ours.words)
    assert comments(parse("<div><a href='#comments'>3</a><div class='Comment'>x</div></div>"))
    assert comments(parse("<div><a href='#comments'>3</a><div class='Kommentar'>x</div></div>")) == []


def test_the_words_are_written_for_trafilaturas_paths() -> None:
    # An upgrade of trafilatura that changes one of these paths must fail here: the path would
    # be evaluated everywhere again, silently slower.
    current = {" ".join(x.path.split()) for paths in xpath_guard._ORIGINAL.values() for x in paths}
    assert set(xpath_guard.WORDS) <= current


def test_paths_of_known_words_are_not_evaluated_on_a_page_without_them(monkeypatch: pytest.MonkeyPatch) -> None:
    # The comment-section, caption, teaser and hidden-block paths selected nothing on most pages,
    # each a walk of the tree; evaluated where a word of theirs is in the tree only.
    evaluated: list[str] = []
    for _, ours in _worded_paths():
        inner = ours.xpath
        monkeypatch.setattr(ours, "xpath", lambda tree, inner=inner: evaluated.append(inner.path) or inner(tree))
    assert isinstance(clean_html(article_page(6), "http://127.0.0.1/budget"), Article)
    # nor on one whose only word is in a link (the words are looked for in the attributes tested)
    linked = article_page(6).replace("<footer>", "<footer><a href='/budget#comments' title='hidden message'>Comments</a>")
    assert isinstance(clean_html(linked, "http://127.0.0.1/budget"), Article)
    assert evaluated == []
    with_caption = article_page(6).replace("<h1>", "<div class='caption'>A picture of the bridge</div><h1>")
    assert isinstance(clean_html(with_caption, "http://127.0.0.1/budget"), Article)
    assert [p for p in evaluated if "caption" in p]


#: Every test of the paths read in Python (``xpath_guard._BY_NAMES``) selecting, and near misses:
#: "cookie" in the id or the class written first (an element with both reads the first only), a
#: role "Navigation" (not "NAVigation": the path folds N alone), an empty
#: data-lp-replacement-content, trafilatura's own tags (item, list), a word in an attribute not
#: tested, on a tag not selected; containers: a parent's later container children (not selected:
#: ``[1]``) after its first, in nested parents.
BY_NAMES_PAGE = (
    "<html><body><div id='main'><h1>Title</h1><p>Text of a paragraph of the article.</p>"
    "<div class='cookiejar' id='x'>a</div><div id='x' class='cookiejar'>b</div><div id='cookies'>c</div>"
    "<span role='Navigation'>d</span><span role='NAVigation'>d2</span><p role='main'>e</p><section data-lp-replacement-content=''>f</section>"
    "<div data-component='MostPopularStories-list'>g</div><item class='Footer'>h</item><list id='share-1'>i</list>"
    "<div id='ad-slot'>j</div><div class='x ad-slot'>k</div><p id='x' class='ad-slot'>l</p><span title='menu'>m</span>"
    "<a class='menu'>n</a><div class='Post-body'>o</div>"
    "<div><section class='entry'>p</section><div class='post-body'>q</div><article id='articleContent'>r</article></div>"
    "<div><p>s</p><main itemprop='articleBody'><div id='article-body'>t</div><div class='article__container'>u</div></main></div>"
    "<article class='entry-content'><div class='ArticleContent'><p>The article.</p></div></article></div></body></html>")


def _in_python_paths() -> list[tuple[XPath, object]]:
    """(trafilatura's path, the cleaner's) for each path read in Python."""
    return _paths_where(lambda original, ours: isinstance(ours, xpath_guard._ByNames))


def test_the_discard_and_container_paths_are_read_in_python() -> None:
    # Each re:test of these paths went from libxml2 to Python's re and back, on nearly every
    # page; an upgrade of trafilatura that changes one of them must fail here (it would be
    # evaluated as an XPath again, silently slower).
    body, discard = trafilatura.xpaths.BODY_XPATH, trafilatura.xpaths.OVERALL_DISCARD_XPATH
    assert [original.path for original, _ in _in_python_paths()] == [
        body[0].path, body[2].path, body[3].path, discard[0].path]


#: Pages of one container each (or none: the last of each list) for the paths that select the
#: page's first container: each of their tests, and near misses.
STORY_PAGES = ["<div role='article'>a</div>", "<div id='story'>a</div>", "<main class='cell'>a</main>",
               "<div class='x FullText'>a</div>", "<div id='primary-col'>a</div>", "<div class='single-post'>a</div>",
               "<span class='story'>b</span><div class='story'>a</div>", "<div class='fulltex story-'>a</div>"]
CONTENT_PAGES = ["<div id='content'>a</div>", "<div class='content'>a</div>", "<div id='x-Main-Content'>a</div>",
                 "<div class='Page-Content'>a</div>", "<div class='content_main'>a</div>", "<div id='contentBody'>a</div>",
                 "<div class='MAIN-CONTENT Content'>a</div>"]


def test_paths_read_in_python_select_what_trafilaturas_select() -> None:
    paths = _in_python_paths()
    (body, _), (story, _), (content, _), (discard, _) = paths
    page = parse(BY_NAMES_PAGE)
    assert [el.text for el in discard(page)] == [*"acdfghijkl"]
    assert [el.get("class") or el.get("id") or el.tag for el in body(page)] == [
        "entry", "main", "article-body", "entry-content", "ArticleContent"]
    for pages_of, original in ((STORY_PAGES, story), (CONTENT_PAGES, content)):
        # a page's second container of the path's is not selected
        found = [original(parse(f"<html><body><p>x</p>{html}<div id='story'>c</div><div id='content'>c</div></body></html>"))
                 for html in pages_of]
        assert [[el.text for el in f] for f in found] == [["a"]] * (len(pages_of) - 1) + [["c"]]
    trees = [t for t in (parse(html) for html in [*pages(), ATTRIBUTE_PAGE, WORDS_PAGE, BY_NAMES_PAGE,
                                                  *STORY_PAGES, *CONTENT_PAGES]) if t is not None]
    trees += [parse(f"<html><body>{html}<div id='story'>c</div><div id='content'>c</div></body></html>")
              for html in [*STORY_PAGES, *CONTENT_PAGES]]
    for tree in trees:
        for original, ours in paths:
            assert ours(tree) == original(tree), original.path


def test_the_line_scorer_reads_back_the_lines_the_edge_step_placed_in_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    # clean_html hands the edge step's placed lines (blocks.Placed) on to the line scorer: over a
    # page's steps that share the tree's openings, no line is placed in the tree twice
    from newsclean.cleaners.body_lines import blocks

    real = blocks.placed_lines
    calls: list[tuple[set[str], set[str]]] = []   # per call: its lines, those it had to place

    def spy(tree: etree._Element, lines: list[str], opened: blocks.Openings | None = None,
            placed: blocks.Placed | None = None) -> tuple[list[etree._Element | None], list[int]]:
        if opened is not None:
            calls.append((set(lines), set(lines) - set(placed or {})))
        return real(tree, lines, opened, placed)

    monkeypatch.setattr(blocks, "placed_lines", spy)
    read_back = 0
    for html in pages():
        calls.clear()
        assert isinstance(clean_html(html, "http://127.0.0.1/budget"), (Article, Rejected))
        new = [line for _, placing in calls for line in placing]
        assert len(new) == len(set(new))
        read_back += sum(len(lines - placing) for lines, placing in calls[1:])
    assert read_back > 0   # the scorer was given lines the edge step had placed


#: Each test of the second discard path (``xpath_guard.TERMS``) selecting alone, and near misses:
#: "hidden" in a style read after an id (``@id|@style`` reads the one written first), a class
#: opening with "hidden-" (the pattern asks " hidden" or "hide-"), aria-hidden "false", a class
#: value on two lines (a line of it opens with "hide-", the value does not).
TERMED_PAGES = ["<h2 class='comments-title'>a</h2>", "<div class='reply-2'>a</div>", "<div style='overflow: hidden'>a</div>",
                "<div style='display:none'>a</div>", "<div style='display: none'>a</div>", "<div id='akismet-3'>a</div>",
                "<p class='x hidden'>a</p>", "<span aria-hidden='true'>a</span>",
                "<div id='x' style='overflow: hidden'>b</div><div class='hidden-xs'>b</div><i aria-hidden='false'>b</i>"
                "<div class='a\nhide-b'>b</div><div title='reply-4'>b</div>"]


def _second_discard_path() -> tuple[XPath, object]:
    return trafilatura.xpaths.OVERALL_DISCARD_XPATH[1], xpath_guard.GUARDED["OVERALL_DISCARD_XPATH"][1]


def test_the_second_discard_path_is_evaluated_by_its_tests() -> None:
    # An upgrade of trafilatura that changes the path must fail here (it would be evaluated whole
    # wherever one of its words is in the tree: on nearly every page, aria-hidden="true").
    original, ours = _second_discard_path()
    assert isinstance(ours, xpath_guard._Termed) and ours.path == xpath_guard.guard(original.path)


def test_the_second_discard_path_selects_what_trafilaturas_selects() -> None:
    original, ours = _second_discard_path()
    trees = [parse(f"<html><body><p>x</p>{html}</body></html>") for html in TERMED_PAGES]
    assert [[el.text for el in original(tree)] for tree in trees] == [["a"]] * (len(TERMED_PAGES) - 1) + [[]]
    trees += [t for t in (parse(html) for html in [*pages(), ATTRIBUTE_PAGE, WORDS_PAGE, BY_NAMES_PAGE]) if t is not None]
    for tree in trees:
        assert ours(tree) == original(tree)


def test_the_second_discard_path_is_evaluated_with_the_tests_that_can_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    # A page whose only hidden block is aria-hidden: the path of that test alone (7: the eighth);
    # a page holding none of the tests' words: no path evaluated.
    _, ours = _second_discard_path()
    monkeypatch.setattr(ours, "paths", {})
    assert [el.text for el in ours(parse("<html><body><p class='a'>x</p><span aria-hidden='true'>y</span></body></html>"))] == ["y"]
    assert ours(parse("<html><body><p class='a' id='b' style='color: red'>x</p></body></html>")) == []
    assert list(ours.paths) == [(7,)]


#: Addresses and labels of log-in and sign-up controls in the languages of ``dom.LOGIN_WORDS`` ...
#: (each kind's regexes find these) and of other controls (they find none of these).
ACCOUNT_TEXTS = ["/account/LOGIN?next=/x", "https://example.org/sign-in", "/konto/anmelden", "/fr/se-connecter", "Log In",
                 "SIGN IN", "Se  Connecter", "Connectez-vous", "Iniciar sesión", "INGRESÁ", "Ingresar", "Zaloguj się", "Войти",
                 "ログインする", "Register", "/abo/digital", "Sign up", "S'abonner", "/es/suscribete", "Créer un compte",
                 "Suscríbete", "Regístrate", "会員登録", "Зарегистрироваться", "/users/paywall"]
OTHER_TEXTS = ["Read more", "/news/2024/05/harbour-light", "Share on Facebook", "Next story", "/tag/economy", "Print"]


def test_account_regexes_are_asked_only_where_they_could_match(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each regex search tried every position of a control's address and label (~0.35 ms a page on
    # wcxb-dev); an ASCII text holding none of the words the regexes require is answered without.
    from newsclean.cleaners import dom

    for kind in (dom.LOGIN, dom.SIGNUP):
        for text in ACCOUNT_TEXTS + OTHER_TEXTS:
            if kind.address.search(text) or kind.label.search(text):
                assert dom.gates._may_match(text, kind), text
    assert all(dom.gates._may_match(text, dom.LOGIN) for text in ACCOUNT_TEXTS[:14])
    assert not any(dom.gates._may_match(text, kind) for text in OTHER_TEXTS for kind in (dom.LOGIN, dom.SIGNUP))
    asked: list[str] = []

    class Counting:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern = pattern

        def search(self, text: str) -> re.Match[str] | None:
            asked.append(text)
            return self.pattern.search(text)

    for name in ("LOGIN", "SIGNUP"):
        kind = getattr(dom, name)
        monkeypatch.setattr(dom.gates, name, kind._replace(address=Counting(kind.address), label=Counting(kind.label)))
    page = article_page(6).replace("<footer>", "<footer><a href='/tag/economy'>Print</a><a href='/account/login'>Log in</a>")
    assert isinstance(clean_html(page, "http://127.0.0.1/budget"), Article)
    assert asked == ["/account/login"]


def _requires(parsed: list, words: set[str]) -> bool:
    """Whether every match of ``parsed`` (a regex as ``re._parser`` reads it, matched with re.I on
    ASCII text) holds one of ``words`` once lower-cased, or no ASCII text matches it: a run of
    literals at its top level holds a word, a literal no ASCII character matches under re.I
    ("в", "ロ") is in it, or a group, a repeat at least once or every branch of it requires one."""
    from re import _constants as c

    run = ""
    for op, av in [*parsed, (None, None)]:
        if op is c.LITERAL and chr(av).isascii():
            run += chr(av).lower()
            continue
        if any(w in run for w in words):
            return True
        run = ""
        if op is c.LITERAL and not any(re.match(re.escape(chr(av)), chr(a), re.I) for a in range(128)):
            return True
        if op is c.SUBPATTERN and _requires(av[-1], words):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1 and _requires(av[2], words):
            return True
        if op is c.BRANCH and all(_requires(branch, words) for branch in av[1]):
            return True
    return False


def _branches(pattern: str) -> list:
    """``pattern``'s alternatives at its top level, as ``re._parser`` reads them."""
    from re import _constants as c, _parser

    parsed = _parser.parse(pattern, re.I)
    return list(parsed[0][1][1]) if len(parsed) == 1 and parsed[0][0] is c.BRANCH else [parsed]


def test_the_words_account_regexes_require_are_declared_for_each_pattern() -> None:
    # The cheap test before the log-in and sign-up regexes (dom.gates._may_match) trusts the words each
    # language's row declares: a pattern added or changed without its words would make it skip a
    # control the regex finds, a word no pattern requires would let texts through for nothing.
    from newsclean.cleaners import dom

    for words, labels, cjk, required in ((dom.LOGIN_WORDS, dom.LOGIN_LABELS, dom.LOGIN_CJK, dom.LOGIN_REQUIRED),
                                         (dom.SIGNUP_WORDS, dom.SIGNUP_LABELS, dom.SIGNUP_CJK, dom.SIGNUP_REQUIRED)):
        assert set(required) == {*words, *labels}
        for lang, row in required.items():
            branches = [b for p in (*words.get(lang, ()), labels.get(lang, "")) if p for b in _branches(p)]
            declared = set(row.split())
            assert all(_requires(b, declared) for b in branches), lang
            assert all(w.isascii() and w.isalpha() and w.islower() for w in declared), lang
            assert all(any(_requires(b, {w}) for b in branches) for w in declared), lang
        assert all(_requires(b, set()) for b in _branches(cjk))   # no ASCII text matches them
    # the check itself: a word a pattern makes optional, splits or spells otherwise is not required
    for pattern, word in ((r"log\s?in", "login"), ("regist(?:er|ration)?", "register"), ("ſign", "sign"),
                          ("(?:a|b)c", "ac"), ("[a-z]+", "a"), (r"zaloguj(?:\s+si[eę])?", "sie")):
        assert not any(_requires(b, {word}) for b in _branches(pattern)), pattern
    for pattern, word in ((r"log\s?in", "log"), ("(?:ab|xab)c", "ab"), ("(?:sign)+", "sign"), ("войти", "")):
        assert all(_requires(b, {word} - {""}) for b in _branches(pattern)), pattern


def _texts_by_walking_from_the_top(body: etree._Element, h1: etree._Element) -> tuple[list[str], list[str]]:
    """The texts of ``body`` before ``h1`` and from it on, as the day reader once read them: one
    walk from the top of the page (the reference the outward reads are held to)."""
    unread = ("script", "style", "noscript", "template", "head", "figure", "figcaption")
    before: list[str] = []
    after: list[str] = []
    out = before
    walker = etree.iterwalk(body, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        text = None
        if event in ("comment", "pi"):
            text = el.tail
        elif event == "start":
            if el is h1:
                out = after
            if not isinstance(el.tag, str) or el.tag in unread:
                walker.skip_subtree()
            else:
                text = el.text
        elif el is not body:
            text = el.tail
        if text:
            out.append(text)
    return before, after


HEADLINE_IN_MARKUP = (
    "<html><body>lead<header>Site <b>name</b> tail<!-- a comment -->after comment<script>var x;</script>after script"
    "<nav><ul><li>One</li><li>Two <i>deep <u>deeper</u></i> tail</li></ul></nav> nav tail</header>"
    "<main>main text<div><figure><img src=a.jpg><figcaption>Photo: 1 May 2024</figcaption></figure>fig tail"
    "<p>Posted <time>March 3, 2025</time></p><h1>The <em>headline</em> here</h1>h1 tail<p>By Jane Roe</p>"
    "<?pi data?>pi tail</div>div tail<p>Updated on 4 March 2025</p></main>main tail<footer>Footer</footer>"
    "</body></html>")


def test_the_day_reader_reads_outward_from_the_headline_the_texts_a_walk_from_the_top_reads() -> None:
    from newsclean.cleaners.metadata.dates import days

    tree = etree.fromstring(HEADLINE_IN_MARKUP, etree.HTMLParser())
    body = tree.find("body")
    h1 = body.find(".//h1")
    before, after = _texts_by_walking_from_the_top(body, h1)
    assert list(days._texts_before(h1, body)) == before[::-1]
    assert list(days._texts_after(h1, body)) == after
    assert "Photo: 1 May 2024" not in before and "var x;" not in before


def test_the_day_reader_stops_reading_over_the_headline_at_its_window(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsclean.cleaners.metadata.dates import days

    nav = "".join(f"<li><a href='/s/{i}'>Section {i}</a></li>" for i in range(3000))
    page = f"<html><body><nav><ul>{nav}</ul></nav><p>May 3, 2024</p><h1>Budget settled</h1><p>By Jane Roe</p></body></html>"
    read: list[str] = []
    reverse = days._inner_texts_reversed

    def counted(el: etree._Element):
        for text in reverse(el):
            read.append(text)
            yield text

    monkeypatch.setattr(days, "_inner_texts_reversed", counted)
    tree = etree.fromstring(page, etree.HTMLParser())
    assert days.shown_day_near_headline(tree) == "2024-05-03"
    assert len(read) < 50   # the window's 100 characters, not the 3,000 sections over it


def test_a_headline_inside_a_caption_leaves_the_day_reader_the_page_before_it() -> None:
    from newsclean.cleaners.metadata import shown_day_near_headline

    # a walk from the top never met the <h1> inside the figure: every text is "before" it, and
    # the window is the page's last texts
    page = (f"<html><body><p>May 3, 2024</p><p>{PARAGRAPH}</p><figure><h1>Caption headline</h1></figure>"
            "<p>June 4, 2024</p></body></html>")
    assert shown_day_near_headline(etree.fromstring(page, etree.HTMLParser())) == "2024-06-04"


def test_first_descendant_is_the_first_match_find_gives() -> None:
    from newsclean.cleaners.reading.trees import first_descendant

    tree = etree.fromstring(HEADLINE_IN_MARKUP, etree.HTMLParser())
    for tag in ("body", "h1", "p", "li", "u", "table"):
        assert first_descendant(tree, tag) is tree.find(f".//{tag}")
    li = tree.find(".//li")
    assert first_descendant(li, "li") is None   # under the element, not the element itself


def _byline_candidates_by_six_reads(tree: etree._Element) -> list[etree._Element]:
    # the walk as it was before it read the attribute names first: six values of every element
    from newsclean.cleaners.metadata.authors.byline_markup import _MAYBE_CLASS, _MAYBE_ID

    rel_parents = {r.getparent() for r in tree.iter("rel")}
    out = []
    for el in tree.iter():
        get = el.get
        cls, id_ = get("class"), get("id")
        if (cls is not None and _MAYBE_CLASS.search(cls) or id_ is not None and _MAYBE_ID.search(id_)
                or el.tag == "author" or el in rel_parents or "Byline" in (get("data-component") or "")
                or "uthor" in (get("itemprop") or "") or "uthor" in (get("rel") or "")
                or "uthor" in (get("data-testid") or "")):
            out.append(el)
    return out


def test_byline_candidates_read_by_attribute_names_are_the_six_reads_elements() -> None:
    from newsclean.cleaners.metadata.authors.byline_markup import _byline_candidates

    from tests.cleaners.metadata.test_cleaners_metadata import _byline_variants_page

    near = ('<html><body><!-- author --><?pi author?><div class="">x</div><p id="">x</p><span itemprop="">x</span>'
            '<a rel="">x</a><b data-testid="">x</b><i data-component="">x</i><em title="author">x</em>'
            '<span data-author="Rosa">x</span><div class="x" data-component="Byline">x</div>'
            '<div id="a" itemprop="author"><p rel="author" class="byline">x</p></div><author></author>'
            '<p><rel></rel></p><table><tr><td class="author">x</td></tr></table></body></html>')
    for page, candidates in ((_byline_variants_page(), 500), (near, 6), (HEADLINE_IN_MARKUP, 0)):
        tree = etree.fromstring(page, etree.HTMLParser())
        found = _byline_candidates(tree)
        assert found == _byline_candidates_by_six_reads(tree)
        assert len(found) >= candidates


def test_the_space_runs_collapsed_are_those_of_the_two_alternatives() -> None:
    # the space-run pattern, written to open with one character class, substitutes as the
    # alternatives it replaced ("two or more of the spaces, or one that is not a plain space")
    import itertools

    from newsclean.cleaners.body_lines import lines

    before = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")
    alphabet = "a \t\u00a0\u2005\u200c\u3000\n"
    for n in range(7):
        for chars in itertools.product(alphabet, repeat=n):
            text = "".join(chars)
            assert lines._WS.sub(" ", text) == before.sub(" ", text), repr(text)


def test_hover_answers_asked_only_of_names_holding_a_hover_end_are_the_regexes_answers() -> None:
    # _hover_class runs its two regexes only on a name whose fold_case holds one of _HOVER_ENDS:
    # on every name below (the words and substrings in each case, with separators, affixes and the
    # letters re.I folds, and their one-letter cuts) the answers are the regexes' own
    import itertools

    from newsclean.cleaners import dom
    from newsclean.cleaners.dom import class_names
    spellings = ({w.replace("-?", sep) for w in dom.HOVER_WORDS for sep in ("", "-")}
                 | set(class_names._HOVER_SUBSTRINGS))
    names = set()
    for word, case in itertools.product(spellings, (str.lower, str.upper, str.title, lambda s: s)):
        w = case(word)
        for fold in ("", "\u0131", "\u0130", "\u017f", "\u212a"):
            v = w.replace("i", fold).replace("I", fold) if fold in ("\u0131", "\u0130") else \
                w.replace("s", fold) if fold == "\u017f" else w
            for shape in ("{}", "x-{}", "{}s", "{}_y", "a {} b", "x{}", "{}x"):
                name = shape.format(v)
                names.add(name)
                names.update(name[:i] + name[i + 1:] for i in range(len(name)))   # each letter cut once
    assert len(names) > 1000
    for name in names:
        want = (class_names._HOVER_CANDIDATE.search(name) is not None,
                class_names._HOVER_CLASS.search(name) is not None)
        assert class_names._hover_class(name) == want, name
    assert any(class_names._hover_class(name)[1] for name in names)
    assert any(class_names._hover_class(name)[0] for name in names)


def test_every_address_the_sign_up_test_finds_passes_the_walks_lead_test() -> None:
    # The measuring walk keeps a link for _signup_buttons only where _SIGNUP_LEAD finds its address
    # lowercased; SIGNUP_HREF then decides. Two word lists once drifted ("register" was missing from
    # the lead's): every address SIGNUP_HREF finds must pass the lead (the words, "opt-in" spellings,
    # in each letter case, with affixes, and their one-letter cuts)
    import itertools

    from newsclean.cleaners import dom
    words = {*dom.SIGNUP_HREF_WORDS, "opt-in", "optin", "opt_in", "sign-up", "Opt-In"}
    hrefs = set()
    for word, case in itertools.product(words, (str.lower, str.upper, str.title, lambda s: s)):
        for shape in ("/{}/", "/x-{}", "?p={}&q=1", "/{}s.html", "x{}x", "/{}"):
            href = shape.format(case(word))
            hrefs.add(href)
            hrefs.update(href[:i] + href[i + 1:] for i in range(len(href)))   # each letter cut once
    found = [h for h in hrefs if dom.SIGNUP_HREF.search(h)]
    assert len(found) > 500 and len(found) < len(hrefs)
    assert [h for h in found if not dom.addresses._SIGNUP_LEAD.search(h.lower())] == []


PROMO_TEXTS = [
    ["Sign up for our newsletter", PARAGRAPH.strip(), "Advertisement", "Photo: Jane Doe"],
    # the letters re.I reads as ASCII ones that str.lower does not make them (long s, dotless i)
    ["Don't forget to sign up for our NEWſLETTER", "Buying through us may earn us a commıssion.",
     "© 2025 Harbour Daily. All rights reſerved.", PARAGRAPH.strip()],
    ["Hol dir unseren WhatsApp-Kanal", "Únete a nuestro canal de Telegram", "Ce contenu est réservé aux abonnés",
     "To read more, download our free app for iOS and Android.", "The harbour newsletter said the memo was reserved."],
    ["ΟΔΟΣ ΣΤΑΣΙΣ", "Read more: the budget", "", "Empfohlener redaktioneller Inhalt"],
]


@pytest.mark.parametrize("lines", PROMO_TEXTS)
def test_the_promo_lines_of_a_text_are_the_lines_is_promo_line_answers_so(lines: list[str]) -> None:
    from newsclean.cleaners.body_lines.lines import _promo_lines, is_promo_line
    promo = _promo_lines([line.strip() for line in lines])
    assert [promo(line.strip()) for line in lines if line.strip()] == [is_promo_line(line) for line in lines if line.strip()]


def test_a_text_without_the_words_of_the_scanning_promos_is_folded_once_not_line_by_line() -> None:
    from newsclean.cleaners.body_lines import lines as line_rules
    body = [PARAGRAPH.strip()] * 5 + ["Advertisement"]
    with counting(line_rules, "fold_case", lambda args, result: 1) as folded:
        assert line_rules.apply_line_rules(body) == ([PARAGRAPH.strip()] * 5, len("Advertisement"))
    assert folded[0] == 1


def test_every_whitespace_character_but_the_space_is_unprintable() -> None:
    # what lines._spaced rests on: a printable line splits at plain spaces alone
    import sys
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c.isprintable()] == [" "]


@pytest.mark.parametrize("line", ["", " ", "a b", "a  b", " a", "a ", "a\tb", "a\u00a0b", "a\u2028b", "a\x1fb",
                                  "a\u200bb", "a\u3000 b", "ab\n", "Ω ω", PARAGRAPH, PARAGRAPH.strip()])
def test_a_line_spaced_is_the_line_split_and_joined(line: str) -> None:
    from newsclean.cleaners.body_lines.lines import _spaced
    assert _spaced(line) == " ".join(line.split())


def test_the_measures_are_let_go_before_the_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    """The measuring walk's answers (a proxy of every element measured, so every block the pruning
    took out) are not held while trafilatura extracts: the pruned blocks stayed in memory under its
    copies of the page, to the page's end (docs/performance.md). Fails while ``_clean`` holds them."""
    from newsclean.cleaners import core, dom

    def measures_alive() -> int:
        return sum(1 for o in gc.get_objects() if isinstance(o, dom.Measures))

    alive: list[int] = []
    extract_text = core.extract_text

    def counting_alive(tree: etree._Element) -> str:
        alive.append(measures_alive())
        return extract_text(tree)

    monkeypatch.setattr(core, "extract_text", counting_alive)
    page = article_page(6, nav_links=30).replace(
        "<footer>", '<div class="related-widget"><ul>' + "".join(
            f'<li><a href="/story/{i}">Another story of the day, number {i}</a></li>' for i in range(12))
        + "</ul></div><footer>")
    # other tests' garbage collected first, and no collection during the call: one freeing an
    # earlier page's Measures between the two counts would read as this page's let go
    gc.collect()
    before = measures_alive()   # none of this page's; any other test's left alive
    gc.disable()
    try:
        result = clean_html(page, "https://example.com/budget")
    finally:
        gc.enable()
    assert isinstance(result, Article) and "In the 0th hour" in result.text
    assert alive == [before]
