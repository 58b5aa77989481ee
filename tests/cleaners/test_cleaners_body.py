"""Body extraction: structural rules that keep article text the widget and block rules could
take for boilerplate (pages written for this test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsclean.cleaners import Article, clean_html

URL = "https://news.example.org/2025/03/harbour-lights/"

PARAS = [
    "The harbour authority switched on the restored lighthouse lamp on Tuesday evening, ending a "
    "repair that had kept the tower dark for most of the winter and worried the fishing crews.",
    "Engineers replaced the rotating mechanism, which had seized after a storm flooded the lamp "
    "room in November, and rebuilt the brass frame from drawings kept in the town archive.",
    "Crews returning after dark said the beam could be seen from the outer banks again, a relief "
    "for the smaller boats that have no radar and still steer by the light on the headland.",
    "The authority said the total cost came in under the estimate, thanks mostly to volunteers "
    "from the maritime museum who cleaned and catalogued every part before it was refitted.",
]


def _page(body: str, head: str = "") -> str:
    return (f"<html><head><title>Harbour light returns</title>{head}</head><body>"
            "<header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav></header>"
            f"<main><h1>Harbour light returns</h1>{body}</main>"
            "<footer><p>Harbour Daily, 1 Quay Street</p></footer></body></html>")


def _text(html: str) -> str:
    result = clean_html(html, URL)
    assert isinstance(result, Article), result
    return result.text


def test_drop_keeping_tail_keeps_a_blank_tail_only_when_asked(monkeypatch) -> None:
    # the DOM pruning drops a tail of whitespace alone (keeping it cost a check page, docs/quality.md);
    # the template learner's pruning keeps it, as lxml's drop_tree does: one function, both ways
    from lxml import html as lh

    from newsclean.cleaners import dom
    for blank_tail, expected in ((False, "Harbourplanned"), (True, "Harbour planned")):
        p = lh.fromstring("<p>Harbour<span>Advertisement</span> <em>planned</em></p>")
        assert dom.drop_keeping_tail(p.find("span"), blank_tail=blank_tail)
        assert p.text_content() == expected
    # the DOM pruning counts what it drops; the template learner's (it knows the count) measures nothing
    p = lh.fromstring("<p>Harbour<span>Advertisement</span> <em>planned</em></p>")
    assert dom.drop_topmost([p.find("span")]) == len("Advertisement")
    monkeypatch.setattr(dom.elements, "text_len", lambda el: pytest.fail("measured"))
    assert dom.drop_keeping_tail(p.find("em"), blank_tail=True) and p.text_content() == "Harbour"
    assert not dom.drop_keeping_tail(p.getroottree().getroot())   # a root stays


def test_paragraphs_marked_paywall_are_article_text() -> None:
    # Publishers mark the metered part of the article itself with class="paywall".
    body = "<article><div class='body'>" + "".join(f"<p class='paywall'>{p}</p>" for p in PARAS) + \
        "</div><div class='paywall-offer'><a href='/subscribe'>Subscribe</a> <a href='/login'>Log in</a> " \
        "<a href='/plans'>Plans</a></div></article>"
    text = _text(_page(body))
    for p in PARAS:
        assert p[:60] in text


def test_standfirst_after_share_popup_title_is_kept() -> None:
    # A share popup's title ("Share this article") is a boilerplate heading; the unlinked
    # sentence after it is the article's standfirst, not a teaser.
    standfirst = "The lamp had been dark since a November storm flooded the lamp room at the top."
    body = ("<article><div class='popup-overlay'><div class='popup__header'>Share this article</div></div>"
            f"<p class='summary'>{standfirst}</p><div class='content'>"
            + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></article>")
    text = _text(_page(body))
    assert standfirst in text
    assert "Share this article" not in text


def test_body_split_over_sibling_containers_is_joined_in_order() -> None:
    # The body comes in chunks: sibling grids of one class, each with a column of paragraphs and
    # an ad rail, a subheading between them. The extractor used to keep one chunk only.
    sub = "Volunteers from the museum"

    def chunk(paras: list[str]) -> str:
        return ("<div class='chunk-grid wide'><div class='grid-item'><div class='body body__container'>"
                + "".join(f"<p>{p}</p>" for p in paras) + "</div></div><div class='grid-rail'></div></div>")

    body = ("<div class='article-page'>" + chunk(PARAS[:2]) + f"<h2>{sub}</h2>" + chunk(PARAS[2:]) + "</div>"
            "<aside class='teasers'><div><a href='/a'>Ferry timetable changes for spring</a></div></aside>")
    text = _text(_page(body))
    positions = [text.find(p[:50]) for p in PARAS]
    assert all(pos >= 0 for pos in positions), text
    assert positions == sorted(positions)
    assert positions[1] < text.find(sub) < positions[2]


def test_caption_blocks_are_not_merged_with_the_paragraphs_between_them() -> None:
    caption = ("The restored lamp photographed from the quay by a volunteer on the evening it was lit "
               "again, with the fishing fleet in the foreground and the old customs house behind. " * 2)
    body = "<article><div class='story'>" + "".join(
        f"<p>{p}</p><div class='wp-caption'><img src='x.jpg'><p class='caption'>{caption}</p>"
        f"<p class='caption'>{caption}</p></div>" for p in PARAS) + "</div></article>"
    text = _text(_page(body))
    for p in PARAS:
        assert p[:60] in text


def test_jsonld_article_body_is_used_where_the_page_shows_another_text() -> None:
    # the page's HTML holds another text than articleBody (the body was elsewhere)
    long_ld = "\n".join(PARAS * 2)
    head = "<script type='application/ld+json'>" + json.dumps(
        {"@type": "NewsArticle", "headline": "Harbour light returns", "articleBody": long_ld}) + "</script>"
    other = ("A different intro about the town's clock tower, repainted in spring by the same volunteers, "
             "which now chimes again every hour and can be heard across the bay on quiet mornings.")
    text = _text(_page(f"<div class='teaser'><p>{other}</p></div>", head))
    assert PARAS[3][:60] in text


def test_merge_split_bodies_moves_later_chunks_into_the_first() -> None:
    from newsclean.cleaners import dom
    from newsclean.cleaners.reading.parsing import parse

    long = [p + " " + p for p in PARAS]  # long paragraphs: what marks a chunk as prose
    html = ("<html><body><div id='page'>"
            + "<div class='chunk'>" + "".join(f"<p>{p}</p>" for p in long[:2]) + "</div>"
            + "<h2>Between</h2><div class='ad'></div>"
            + "<div class='chunk'>" + "".join(f"<p>{p}</p>" for p in long[2:]) + "</div>"
            + "<div class='comments'>" + "".join(f"<p>{p}</p>" for p in long) + "</div>"
            + "</div></body></html>")
    tree = parse(html)
    calls: list[int] = []
    # told of the container grown, before the moves into it (the caller copies the page as it was)
    assert dom.merge_split_bodies(tree, dom.Measures(tree),
                                  before_change=lambda el: calls.append(len(tree.xpath("//div[@class='chunk']")))) == 1
    assert calls == [2]
    chunks = tree.xpath("//div[@class='chunk']")
    assert len(chunks) == 1
    assert [el.tag for el in chunks[0]] == ["p", "p", "h2", "div", "p", "p"]
    assert tree.xpath("//div[@class='comments']")[0].getparent().get("id") == "page"


def test_merge_split_bodies_merges_again_inside_a_container_it_grew() -> None:
    """A container given its twin's children is looked at again, though its measures (taken
    before: one part of the body) say it held too little prose to hold two parts."""
    from newsclean.cleaners import dom
    from newsclean.cleaners.reading.parsing import parse

    long = [p + " " + p for p in PARAS]
    part = "<div class='chunk'><div class='text'>{}</div></div>"
    html = ("<html><body><div id='page'>"
            + part.format("".join(f"<p>{p}</p>" for p in long[:2]))
            + "<h2>Between</h2>"
            + part.format("".join(f"<p>{p}</p>" for p in long[2:]))
            + "</div></body></html>")
    tree = parse(html)
    calls: list[str] = []
    # the chunks merged into the first, then their two text blocks inside it: told of each grown
    assert dom.merge_split_bodies(tree, dom.Measures(tree), before_change=lambda el: calls.append(el.get("class"))) == 2
    assert calls == ["chunk", "text"]
    texts = tree.xpath("//div[@class='text']")
    assert len(texts) == 1 and len(texts[0].findall("p")) == 4


def test_leading_headline_kicker_byline_and_stamp_are_dropped() -> None:
    from newsclean.cleaners.body_lines.lines import drop_leading_heads

    lines = ["COASTAL AFFAIRS", "Harbour works Harbour light returns after winter repair", "By Jane Doe",
             "18.05.2026 17:59", PARAS[0], "Harbour light returns after winter repair", PARAS[1]]
    kept, removed = drop_leading_heads(lines, ["Harbour light returns after winter repair"], ["Jane Doe"], window=4)
    # the headline again below the first paragraph is the article's own subheading: kept
    assert kept == [PARAS[0], "Harbour light returns after winter repair", PARAS[1]]
    assert removed == sum(len(s) for s in lines[:4])


def test_leading_byline_with_its_date_or_reading_time_is_dropped() -> None:
    from newsclean.cleaners.body_lines.lines import drop_leading_heads

    # the date's numbers are not counted as words beside the name: the line is still a byline
    for byline in ("by: Jane Doe, Dec 17, 2025", "by Jane Doe—10 min read"):
        lines = [byline, PARAS[0], PARAS[1], PARAS[2]]
        assert drop_leading_heads(lines, ["Harbour light returns"], ["Jane Doe"])[0] == lines[1:], byline


def test_leading_sentence_naming_the_author_is_kept() -> None:
    from newsclean.cleaners.body_lines.lines import drop_leading_heads

    lines = ["Jane Doe spent the winter on the quay.", PARAS[0], PARAS[1], PARAS[2]]
    assert drop_leading_heads(lines, ["Harbour light returns"], ["Jane Doe"])[0] == lines


def test_page_headline_in_body_is_not_repeated() -> None:
    body = ("<article><div class='kicker-wrap'><span class='kicker'>Harbour works</span> "
            "<h2 class='headline'>The lamp is lit again</h2></div><p class='byline'>By Jane Doe</p>"
            + "".join(f"<p>{p}</p>" for p in PARAS) + "</article>")
    head = "<meta property='og:title' content='The lamp is lit again'><meta name='author' content='Jane Doe'>"
    text = _text(_page(body, head).replace("<h1>Harbour light returns</h1>", ""))
    assert text.startswith(PARAS[0][:40]), text[:200]


def test_read_more_labels_and_newsletter_calls_in_other_languages() -> None:
    from newsclean.cleaners.body_lines.lines import apply_line_rules
    from newsclean.cleaners.vocabulary import is_boilerplate_heading

    promos = ["Czytaj więcej", "FUNDA OLUNYE UDABA LAPHA | Amaphoyisa abopha abasolwa", "Lesen Sie auch: Der Leuchtturm und die Stadt", "Mehr zum Thema",
              "Get more stories like this by signing up to our free weekly newsletter"]
    article = ["The newsletter the harbour master sends to skippers now carries the lamp schedule.",
               PARAS[0], "Read more widely, the archive tells a longer story of the light."]
    kept, _ = apply_line_rules(article[:1] + promos + article[1:])
    assert kept == article
    assert all(is_boilerplate_heading(h) for h in ["関連キーワード", "おすすめ情報", "Ähnliche:", "Meistgelesen"])
    assert not is_boilerplate_heading("Ähnliche Fälle in anderen Häfen")


def test_teaser_cards_with_headline_and_excerpt_inside_links_are_pruned() -> None:
    # Two cards only, each a link around a headline and a long excerpt: not article prose.
    excerpt = ("FERRY STRIKE: Crews walked out on Monday over the new rota, and the council said talks "
               "would resume next week while replacement buses run every half hour from the quay. " * 2)
    cards = "".join(f"<li><a href='/story/{i}'><div><h1>Ferry strike day {i}</h1><p>{excerpt}</p></div></a></li>"
                    for i in (1, 2))
    body = "<article><div class='story'>" + "".join(f"<p>{p}</p>" for p in PARAS) + f"<ul>{cards}</ul></div></article>"
    text = _text(_page(body))
    assert PARAS[3][:60] in text
    assert "FERRY STRIKE" not in text and "Ferry strike day" not in text


def test_embedded_posts_and_subscriber_notices_are_not_body() -> None:
    # Issue #13 names embedded posts as dropped story text; the truths mostly leave them out: of the
    # posts with text on wcxb-dev, fundus-dev and multipage-dev pages 0 of 17 are in the truth on the dev
    # half, 8 of 21 on the check half, and keeping them (their class names out of WIDGET_WORDS) took
    # fundus-dev's check half from F1 .9716 to .9699. So a post inside the story stays out of the body.
    tweet = ("<blockquote class='twitter-tweet'><p>Lamp is back on at the headland tonight!</p>"
             "&mdash; Harbour Watch (@harbourwatch) <a href='https://x.example/s/1'>March 4, 2025</a></blockquote>")
    body = ("<article><div class='story'>" + f"<p>{PARAS[0]}</p>{tweet}<p>{PARAS[1]}</p><p>{PARAS[2]}</p>"
            "<p>Il vous reste 40% de cet article à lire. La suite est réservée aux abonnés.</p></div></article>")
    text = _text(_page(body))
    assert PARAS[2][:60] in text
    for s in ("Lamp is back on", "@harbourwatch", "réservée aux abonnés"):
        assert s not in text
    from newsclean.cleaners.body_lines.lines import is_promo_line
    assert is_promo_line("We independently select what we recommend. Buying through us may earn us a commission.")
    assert not is_promo_line("She said the memo was reserved for members of the board, who met on Tuesday.")


def test_promo_regexes_are_compiled_on_first_use_not_at_import() -> None:
    # the crawl's main process imports the cleaners and never cleans: nothing compiled at its start
    from ..conftest import run_python

    code = ("import newsclean.crawler.settings\nfrom newsclean.cleaners.body_lines import lines\n"
            "print(lines._promo_split.cache_info().currsize, lines.promo_line.cache_info().currsize)\n"
            "print(lines.is_promo_line('Advertisement'), lines._promo_split.cache_info().currsize)")
    assert run_python(code).split() == ["0", "0", "True", "1"]


@pytest.mark.parametrize("line", [
    # the letters re.I reads as ASCII ones that str.lower does not make them (long s, dotless i)
    "Don't forget to sign up for our NEWſLETTER", "Buying through us may earn us a commıssion.",
    "© 2025 Harbour Daily. All rights reſerved.", "Ce contenu est réservé aux abonnés", "Únete a nuestro canal de Telegram",
    "To read more, download our free app for iOS and Android.", "Sign up for our newsletter",
    PARAS[0], "The harbour newsletter said the memo was reserved for members of the board.",
])
def test_promo_lines_tried_by_their_words_match_as_the_whole_pattern(line: str) -> None:
    # is_promo_line tries an alternative that scans the line only when the line holds one of its
    # words: the same answer as the whole pattern.
    from newsclean.cleaners.body_lines.lines import is_promo_line, promo_line
    assert is_promo_line(line) == bool(promo_line().match(line.strip()))
    assert is_promo_line(line) == (line not in (PARAS[0], "The harbour newsletter said the memo was reserved "
                                                "for members of the board."))


@pytest.mark.parametrize("name", [
    "share-tools", "ſocial-links", "Most-Read", "mostviewed", "ADS", "ad-slot", "advertising-box", "td-a-rec",
    "sponsored-by", "Section--Ads", "about-author", "post-content", "entry-CONTENT", "story-body-wrap",
    "İmage-block", "photo-credit", "GALLERY", "header", "main-menu", "pin-it", "reading-list",
])
def test_class_names_searched_after_their_leading_letters_read_as_the_token_patterns(name: str) -> None:
    # _name_kinds searches a kind's pattern only when the name holds a word that one of its
    # fragments opens with: the same answer as searching every name.
    from newsclean.cleaners import dom
    from newsclean.cleaners.dom import class_names
    bare = class_names._BEM_MODIFIER.sub("", name)
    assert class_names._name_kinds(name) == (bool(dom.WIDGET_TOKENS.search(bare)),
                                             bool(dom.CONTENT_TOKENS.search(bare)), bool(dom.IMAGE_TOKENS.search(bare)))


def test_leading_letters_of_fragments_leave_out_what_may_be_absent() -> None:
    from newsclean.cleaners.dom import class_names
    # "advert" holds "ad": a name holding it holds "ad" too, and one word of the two is searched
    assert class_names._leads(("ads?", r"advert\w*", "most-?read")).pattern == "(?:ad|most)"
    assert class_names._leads(("share", "x|y")).search("anything")   # an alternation: every name is searched


def test_a_tree_of_words_finds_what_their_alternation_finds() -> None:
    import itertools
    import re

    from newsclean.cleaners.dom import class_names
    words = {"ad", "advert", "about", "author", "td", "tiktok", "more", "most", "share", "sharing", "x"}
    tree, flat = re.compile(class_names._trie(words)), re.compile("|".join(sorted(words)))
    for n in range(1, 4):
        for parts in itertools.product(("a", "d", "t", "ab", "out", "mor", "e", "sh", "ar", "ing", "x", "-"), repeat=n):
            name = "".join(parts)
            assert bool(tree.search(name)) == bool(flat.search(name)), name
    assert class_names._trie({"", "ad"}) == ""   # an empty word: every name holds it


@pytest.mark.parametrize("name", ["Share-Bar", "SHARE", "ſocial-links", "İmage-block", "ıtem-tıtle", "\u212aey-title",
                                  "x-PopOver", "post-CONTENT", "no-kind"])
def test_a_folded_pattern_finds_in_the_folded_name_what_the_pattern_finds_in_the_name(name: str) -> None:
    # the class/id patterns are searched without re.I in the name's fold_case: the same answers
    import re

    from newsclean.cleaners import dom
    from newsclean.cleaners.dom import class_names
    from newsclean.cleaners.vocabulary import fold_case
    for pattern in (dom.WIDGET_TOKENS, dom.IMAGE_TOKENS, dom.CONTENT_TOKENS, class_names._TITLE_CLASS,
                    class_names._HOVER_CLASS):
        assert bool(class_names._folded(pattern).search(fold_case(name))) == bool(pattern.search(name)), (pattern, name)
    with pytest.raises(ValueError):
        class_names._folded(re.compile(r"\Wshare", re.I))   # \W is no letter to fold


@pytest.mark.parametrize("wrap", [
    # the standfirst sits in the header block, apart from the body container
    "<div class='article-header'><div class='intro'><strong>{lead}</strong></div></div>",
    # in a block named "promo", which the widget rules drop: the lead is looked up before they do
    "<div class='item-promo'><div class='item-info'><p class='teaser'>{lead}</p></div></div>",
])
def test_standfirst_shown_on_the_page_and_in_meta_description_leads_the_body(wrap: str) -> None:
    lead = "After five dark months the headland light shines again, thanks to museum volunteers."
    head = f"<meta name='description' content='{lead}'>"
    body = (wrap.format(lead=lead) +
            "<article><div class='story'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></article>")
    text = _text(_page(body, head))
    assert text.count(lead) == 1
    assert text.index(lead) < text.index(PARAS[0][:40])


def test_meta_description_only_in_a_caption_or_nowhere_is_not_added() -> None:
    lead = "The restored lamp photographed from the quay on the evening it was lit again."
    head = f"<meta name='description' content='{lead}'>"
    body = ("<article><div class='story'>" + f"<figure><img src='l.jpg'><figcaption>{lead}</figcaption></figure>"
            + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></article>")
    assert lead not in _text(_page(body, head))
    other = "A summary written for search engines that the page never shows to its readers at all."
    assert other not in _text(_page("<article>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article>",
                                    f"<meta name='description' content='{other}'>"))


def test_image_block_caption_and_credit_are_not_body() -> None:
    caption = "Volunteers polish the brass frame of the lamp in the museum workshop."
    block = (f"<div class='paragraph-image image--large'><img src='lamp.jpg'><p class='image__text'>{caption}</p>"
             "<p class='image__credit'>Photo agency</p></div>")
    body = "<article><div class='story'>" + f"<p>{PARAS[0]}</p>{block}" + "".join(
        f"<p>{p}</p>" for p in PARAS[1:]) + "</div></article>"
    text = _text(_page(body))
    assert PARAS[1][:60] in text and PARAS[3][:60] in text
    assert caption not in text and "Photo agency" not in text


def test_link_roundup_post_the_pruning_took_is_extracted_from_the_unpruned_page() -> None:
    # A post that is a list of links with a word on each source: link-dense, so the pruning
    # takes it and leaves nothing; trafilatura on the page as it came finds it.
    items = [("The harbour authority publishes its full report on the lighthouse lamp repair", "Harbour Daily"),
             ("Why the fishing crews kept asking when the light on the headland would return", "Coast Weekly"),
             ("Museum volunteers catalogued every brass part before the frame was refitted", "Museum Notes"),
             ("A short history of the lamp room and the storms that flooded it over a century", "Local History"),
             ("Small boats without radar still steer by the beam: a skipper explains how", "Sea Radio"),
             ("The rotating mechanism, drawn from plans kept in the town archive since 1890", "Archive Blog")]
    lis = "".join(f"<li><a href='https://links.example.com/{i}'>{t}</a> via {s}</li>" for i, (t, s) in enumerate(items))
    html = _page(f"<article><div class='entry'><ul>{lis}</ul></div></article>").replace("Harbour light returns", "Links of the week")
    result = clean_html(html, URL)
    assert isinstance(result, Article), result
    assert result.method == "trafilatura-unpruned"
    for title, source in items:
        assert f"{title} via {source}" in result.text
    assert "Home" not in result.text and "Harbour Daily, 1 Quay Street" not in result.text


def test_short_article_the_pruning_kept_is_not_replaced_by_the_unpruned_page() -> None:
    body = ("<article><div class='story'>" + f"<p>{PARAS[0]}</p>" + "</div></article>"
            "<aside><ul class='more'>" + "".join(f"<li><a href='/s/{i}'>Another story about the quay number {i} "
                                                   f"and its long-running dispute</a></li>" for i in range(12)) + "</ul></aside>")
    result = clean_html(_page(body), URL)
    assert isinstance(result, Article), result
    assert result.method == "trafilatura" and result.text == PARAS[0]


def test_labels_consent_placeholders_rating_and_follow_calls_are_promo_lines() -> None:
    from newsclean.cleaners.body_lines.lines import apply_line_rules
    from newsclean.cleaners.vocabulary import is_boilerplate_heading

    promos = ["Lea más: El faro vuelve a encenderse en el puerto", "VEA TAMBIÉN: Los pescadores celebran",
              "Auch lesen: Der Leuchtturm im Wandel der Zeit", "Lesedauer: 4 Minuten", "6 min read", "Embed",
              "Empfohlener redaktioneller Inhalt", "Link zum YouTube-Inhalt",
              "Wie hat Ihnen dieser Artikel gefallen?", "Durchschnittliche Bewertung: 4,5",
              "Hat Ihnen dieser Artikel gefallen? Dann unterstützen Sie uns mit einer Spende.",
              "Fehler gefunden? Jetzt melden.", "<Copyright ⓒ 항구일보. 무단 전재 및 재배포 금지>",
              "Folgst du schon der Hafenzeitung auf Whatsapp?", "Síguenos en Telegram, Instagram y Facebook",
              "For the latest stories download the Harbour Daily apps for iOS and Android."]
    # prose that shares words with those labels stays
    article = [PARAS[0], "Lee: We kept the lamp burning for forty years, and nobody asked us how.",
               "Platforms must label external content and remove it when users do not agree with it.",
               "Folgt man dem Wärter auf Instagram, sieht man vor allem Boote und Wolken.",
               "The crew ran a channel on Telegram where it posted the tide tables every morning.", PARAS[1]]
    kept, _ = apply_line_rules(article[:2] + promos + article[2:])
    assert kept == article
    assert all(is_boilerplate_heading(h) for h in ["NOTAS RELACIONADAS", "Contenido relacionado", "Schon gelesen?",
                                                   "Weitere Artikel zum Thema", "Keine Kommentare", "Recommended Videos"])


def test_the_founding_examples_epaper_line_is_a_promo_line() -> None:
    # The founding example ends with "Epaper_24-12-15 LHR", "Epaper_24-12-15 KHI"; the demo site's
    # sidebar gives them on one line. No bench page holds one, so an audit by the bench sets alone
    # took the e-paper promotion line out (1c3b6e3) and only the demo crawl's slow test failed.
    from newsclean.cleaners.body_lines.lines import apply_line_rules

    sidebar = ["Epaper_24-12-15 LHR", "Epaper_24-12-15 KHI",
               "Epaper_26-03-04 LHR | Epaper_26-03-04 KHI | Epaper_26-03-04 ISB", "E-paper"]
    article = [PARAS[0], "The paper mill on the river reopened after the strike ended in March.", PARAS[1]]
    kept, _ = apply_line_rules(article + sidebar)
    assert kept == article


def test_disclosures_reading_times_gates_and_picture_labels_of_other_languages_are_promo_lines() -> None:
    # trafilatura-eval's dev half (issue #13, qtraf1): lines its truth names as not the article that
    # the line rules knew in one language only: a publisher's "we may receive compensation", a
    # German newsletter call with a separable verb, a picture label ("Beitragsbild:"). (qtraf1's
    # Polish reading time, video label, login notice, Amazon and affiliate lines, "Image
    # d'illustration :" and "(Credit: ...)" moved dev pages only and came out, qablate1.)
    from newsclean.cleaners.body_lines.lines import apply_line_rules

    promos = ["Beitragsbild: Titelseite der Hafenzeitung vom 2.4.2019",
              "We recommend the best products through an independent review process, and advertisers do not "
              "influence our picks. We may receive compensation if you visit partners we recommend.",
              "Lust auf mehr? Melde dich hier für unseren Newsletter an!"]
    # prose sharing their words stays, and so do a section's bare label and a writer's own note
    # (WCXB's truth keeps a blogger's "I may receive compensation")
    article = [PARAS[0], "Credits:", "The crews may receive compensation from the state fund if the ferry stops.",
               "Ten tekst jest ważny dla rybaków z całej zatoki.", "Du bist nicht allein, sagt der Wärter.",
               "If you book through these links, I may receive compensation at no extra cost to you.", PARAS[1]]
    kept, _ = apply_line_rules(article[:2] + promos + article[2:])
    assert kept == article


def test_a_credit_line_of_a_sentence_is_no_promotion() -> None:
    # "Credit:" opens a short line of a round-up (a picture's "Credit: <source>" alternative moved
    # dev pages only and came out, qablate1); a picture's label by its word stays a promotion line
    from newsclean.cleaners.body_lines.lines import is_promo_line

    assert is_promo_line("Image credit: NASA")
    assert not any(map(is_promo_line, ["Credit: lending to households slowed in March.",
                                       "Crédit : la BCE resserre ses conditions", "Credits: 3 per semester"]))


def test_trailing_trim_keeps_a_glued_body_after_a_heading() -> None:
    from newsclean.cleaners.body_lines.lines import trim_trailing

    glued = " ".join(PARAS * 3) + " Kommentieren"  # a table layout's whole article on one line
    kept, _ = trim_trailing(["Harbour", "Comments", glued, "Share"])
    assert glued in kept


def test_long_list_of_teaser_cards_with_unlinked_excerpts_is_pruned() -> None:
    # Each card: a linked headline and an excerpt that is not a link, so the list is not
    # link-dense; eight cards make it longer than the link-density bound too.
    excerpt = ("Crews on the outer banks described a week of fog and late tides, and the council promised "
               "a decision on the new pontoon before the summer season begins at the quay. ") * 2
    cards = "".join(f"<li><div class='card'><h3><a href='/story/{i}'>Quay story number {i} in the series</a></h3>"
                    f"<p>{excerpt}</p></div></li>" for i in range(8))
    body = "<article><div class='story'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></article>" \
        f"<section><ul>{cards}</ul></section>"
    text = _text(_page(body))
    assert PARAS[3][:60] in text
    assert "Quay story number" not in text and "outer banks described" not in text


def test_list_items_that_only_contain_links_in_prose_are_kept() -> None:
    items = "".join(f"<li>{p[:90]} <a href='/more/{i}'>details</a>.</li>" for i, p in enumerate(PARAS))
    body = "<article><div class='story'>" + f"<p>{PARAS[0]}</p><h3>What changed</h3><ul>{items}</ul>" + \
        "".join(f"<p>{p}</p>" for p in PARAS[1:]) + "</div></article>"
    text = _text(_page(body))
    assert PARAS[2][:90] in text


#: Linked items of a list, mostly link text (a course or an event list of the article's own).
LINKED_ITEMS = ["The lamp room open day at the harbour", "Guided tours of the old boat shed",
                "An evening in the museum's workshop"]


def _announced_list_page(intro: str) -> str:
    items = "".join(f"<li><a href='/events/{i}'>{t}</a> ({i + 2} hours)</li>" for i, t in enumerate(LINKED_ITEMS))
    return _page("<article><div class='story'>" + f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{intro}</p><ul>{items}</ul>"
                 + "".join(f"<p>{p}</p>" for p in PARAS[2:]) + "</div></article>")


def test_list_of_links_a_sentence_announces_is_kept() -> None:
    # a sentence ending with a colon announces the list and the article goes on after it: the
    # list is the article's, however much of it is links
    text = _text(_announced_list_page("The harbour opens three of its buildings to visitors this spring:"))
    assert all(item in text for item in LINKED_ITEMS)
    assert PARAS[2][:60] in text


def test_list_of_links_under_a_label_is_pruned() -> None:
    # a label ("Related:") is no sentence announcing a list: a block of links beside the article
    text = _text(_announced_list_page("Related stories:"))
    assert not any(item in text for item in LINKED_ITEMS)
    assert PARAS[2][:60] in text


#: Things a guide names and links where they are sold or taught: short link labels, no prose.
CITED_ITEMS = ["Brass lamp polish kit", "Harbour tide tables 2025"]


def _cited_list_page(hrefs: list[str], footer: bool = False) -> str:
    items = "".join(f"<li><a href='{h}'>{t}</a></li>" for h, t in zip(hrefs, CITED_ITEMS))
    listed = f"<h3>What the volunteers used</h3><ul>{items}</ul>"
    return _page("<article><div class='story'>" + f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p>"
                 + ("" if footer else listed) + "".join(f"<p>{p}</p>" for p in PARAS[2:]) + "</div></article>"
                 + (f"<div class='links'><div>Partners</div>{listed}<div>Harbour Daily</div></div>" if footer else ""))


@pytest.mark.xfail(strict=True, reason="the cleaner prunes it as link-dense: sparing such lists (qrecall9, faf4010) "
                   "moved wcxb-dev's dev half only, docs/quality.md 'The worst pages', tried and dropped")
def test_list_of_off_site_links_in_the_article_run_is_kept() -> None:
    # a guide's list of the things it names, linked where they are sold: every item a link, set
    # between a subheading and the next paragraph; trafilatura's own link-density test spares it too
    text = _text(_cited_list_page(["https://shop.lampworks.com/polish", "https://tides.seachart.net/2025"]))
    assert all(item in text for item in CITED_ITEMS)
    assert PARAS[2][:60] in text


@pytest.mark.parametrize("hrefs", [
    ["/shop/polish", "https://news.example.org/tides"],                       # the site's own pages
    ["https://www.example.co.uk/polish", "https://shop.example.co.uk/tides"],  # a sister domain of example.org
])
def test_list_of_the_sites_own_links_in_the_article_run_is_pruned(hrefs: list[str]) -> None:
    # related stories set in the story link into the site (bbc.com's link to bbc.co.uk)
    text = _text(_cited_list_page(hrefs))
    assert not any(item in text for item in CITED_ITEMS)
    assert PARAS[2][:60] in text


def test_list_of_off_site_links_among_blocks_is_pruned() -> None:
    # partners' links in a block of the page's own, not in the article's run of paragraphs
    text = _text(_cited_list_page(["https://shop.lampworks.com/polish", "https://tides.seachart.net/2025"], footer=True))
    assert not any(item in text for item in CITED_ITEMS)
    assert PARAS[2][:60] in text   # the list pruned, not the article with it


def test_meta_description_as_the_caption_of_an_image_block_is_not_the_lead() -> None:
    lead = "The restored lamp photographed from the quay on the evening it was lit again."
    head = f"<meta name='description' content='{lead}'>"
    body = ("<article><div class='story'>" + f"<p>{PARAS[0]}</p><div class='image-widget'><img src='l.jpg'>"
            f"<p><span>{lead}</span></p></div>" + "".join(f"<p>{p}</p>" for p in PARAS[1:]) + "</div></article>")
    assert lead not in _text(_page(body, head))


def test_social_headline_shown_above_the_body_is_dropped() -> None:
    # The h1 and JSON-LD say one headline, og:title another; the page shows the og:title one
    # (with a kicker) above the body.
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Harbour light returns"})
    head = ("<meta property='og:title' content='After months of repairs: the lamp is lit again over the headland'>"
            f"<script type='application/ld+json'>{ld}</script>")
    body = ("<article><div class='top'><span class='kicker'>Harbour works</span> "
            "<h2>After months of repairs the lamp is lit again over the headland</h2></div><div class='story'>"
            + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></article>")
    text = _text(_page(body, head))
    assert "the lamp is lit again over the headland" not in text
    assert text.startswith(PARAS[0][:40]), text[:200]


def test_unpruned_rendering_with_fewer_lines_than_the_pruned_labels_is_taken() -> None:
    # A slideshow: the pruning kept counters and labels (six lines), trafilatura on the page as
    # it came gives the four captions: fewer lines, but not a page flattened into one.
    from newsclean.cleaners.extraction.fallbacks import unpruned_fallback

    page = _page("<article><div class='story'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></article>")
    labels = ["1/4", "Harbour Archive", "2/4", "Harbour Archive", "3/4", "Harbour Archive"]
    alt = unpruned_fallback(page, labels)
    assert alt is not None and PARAS[3][:60] in "\n".join(alt)


def test_mojibake_of_the_page_is_repaired_in_the_body() -> None:
    # The page's CMS stored UTF-8 read as cp1252: curly quotes, dashes, accents and guillemets
    # come out as "â€™", "â€”", "Ã©", "Â«". The body reads as the author wrote it.
    good = [
        "The café on the quay reopened on Monday — its owner’s ‘second spring’, she said, after "
        "the flood that closed the harbour front in the autumn and kept the terrace empty.",
        "Regulars who had followed the renovation online said the new counter and the old tiles "
        "from the façade made the room feel like «the one they remembered» from before the water.",
    ]
    broken = [p.encode("utf-8").decode("cp1252") for p in good]
    assert "â€™" in broken[0] and "Ã©" in broken[0] and "Â«" in broken[1]
    text = _text(_page("".join(f"<p>{p}</p>" for p in broken + PARAS)))
    assert text.split("\n")[:2] == good
    assert "â€" not in text and "Ã" not in text and "Â" not in text
    # "í" read so is "Ã" and a soft hyphen, which the extractor drops as invisible: "GarcÃa"
    good = ("Lucía García, who runs the ferry to the island, said the new timetable would add a "
            "crossing at dawn from March and keep the late boat through the whole winter season.")
    text = _text(_page(f"<p>{good.encode('utf-8').decode('cp1252')}</p>" + "".join(f"<p>{p}</p>" for p in PARAS)))
    assert text.split("\n")[0] == good


def test_mojibake_read_as_latin_1_is_repaired_in_the_body() -> None:
    # The same CMS bug read as Latin-1, not cp1252: a curly quote is "â" and two C1 controls
    # ("â\x80\x99"), which the extractor drops as invisible before the lines' repair could see
    # them ("owner’s" came out "ownerâs", one word). The page's markup is mended before parsing.
    good = ("The café on the quay reopened on Monday — its owner’s ‘second spring’, she said, after "
            "the flood that closed the harbour front in the autumn and kept the terrace empty.")
    broken = good.encode("utf-8").decode("latin-1")
    assert "\u00e2\u0080\u0099" in broken
    page = _page(f"<p>{broken}</p>" + "".join(f"<p>{p}</p>" for p in PARAS))
    assert _text(page).split("\n")[0] == good
    # a C1 control that makes no UTF-8 sequence with the letters before it (a stray one after
    # "ç", an overlong "à\x80\x80") is left as it came, and so are the Latin-1 letters around it
    from newsclean.cleaners.reading.mojibake import with_mojibake_mended
    para = "NÃO é só o preço\u0080 em São Tomé, disse à\u0080\u0080 rádio a dona da Pâtisserie."
    assert with_mojibake_mended(para) == para


def test_clean_accented_text_is_not_altered_by_the_mojibake_repair() -> None:
    # Latin-1 letters in ordinary text (Portuguese, French, Icelandic) are no mojibake.
    para = ("NÃO é só o café: em São Tomé a praça, o pão e a ração dos gatos custam mais, "
            "disse à rádio a dona da Pâtisserie Þórsdóttir, aberta há vinte anos junto ao cais.")
    text = _text(_page(f"<p>{para}</p>" + "".join(f"<p>{p}</p>" for p in PARAS)))
    assert text.split("\n")[0] == para


def test_paywall_gate_with_login_and_register_links_is_not_body() -> None:
    # A members-only gate inside the article column, under class names no widget rule knows:
    # its pitch, the two buttons and the list of membership perks are not the article.
    gate = ("<div class='box-k7'><p>This story is for members. Print subscribers register for free.</p>"
            "<a href='/service/register'>Register</a> <a href='/service/login'>Log in to read on</a>"
            "<dl><dt>Members get</dt><dd>The digital edition every morning</dd>"
            "<dd>Unlimited stories from the archive</dd><dd>Our weekly harbour letter</dd></dl></div>")
    text = _text(_page("".join(f"<p>{p}</p>" for p in PARAS[:2]) + gate
                       + "".join(f"<p>{p}</p>" for p in PARAS[2:])))
    assert text.split("\n") == PARAS


@pytest.mark.parametrize("gate", [
    # Japanese: the addresses name neither kind; the labels do
    "<div class='k3x'><p>有料会員になると、この記事の続きと、これまでに掲載した有料記事をすべてお読みいただけます。</p>"
    "<a href='/rd/chk2.html?jump=%2Farticles%2F9'>今すぐ登録（初回キャンペーン中）</a>"
    "<a href='/rd/lgck.html?jump=%2Farticles%2F9'>ログインする</a><ul><li>毎朝の紙面ビューアーが読み放題になります</li>"
    "<li>過去三十年分の記事データベースを検索できます</li><li>会員だけのニュースレターを毎週お届けします</li></ul></div>",
    # Spanish: log-in page on its own host, a subscribe page in Spanish
    "<div class='nota-cierre'><strong>Exclusivo suscriptores</strong><p>Para seguir leyendo esta nota "
    "necesitás tener Acceso Digital. Ingresá con tu cuenta o elegí uno de nuestros planes.</p><a href='https://ingresar.example.org/ingresar/'>"
    "Ingresá</a><a href='https://suscripciones.example.org/suscribirme'>Suscribite</a><ul><li>La edición "
    "impresa en formato digital todas las mañanas</li><li>Todas las notas del archivo sin límite</li>"
    "<li>Nuestro boletín semanal del puerto</li></ul></div>",
    # German: a log-in form (a password field) and a link to register
    "<div class='box-login'><h4>Login oder Anlage eines Benutzerkontos</h4><label>E-Mail-Adresse "
    "<input type='email'></label><label>Passwort <input type='password'></label>"
    "<button>Weiter</button><p>Dieser Artikel ist exklusiv für Abonnenten. <a href='/konto/neu'>Neu hier?</a></p></div>",
])
def test_members_only_gate_in_another_language_is_not_body(gate: str) -> None:
    # The gate is known by its controls, whatever the language: a log-in and a sign-up control by
    # address or label (words kept as data per language), or a password field.
    text = _text(_page("".join(f"<p>{p}</p>" for p in PARAS[:2]) + gate
                       + "".join(f"<p>{p}</p>" for p in PARAS[2:])))
    assert text.split("\n") == PARAS


def test_call_to_subscribe_without_a_login_link_is_kept() -> None:
    # One kind of account link alone is no gate: a closing paragraph may invite to subscribe.
    call = ("Readers who want the full timetable of the lamp's new hours can find it in the print "
            "edition: <a href='/subscribe'>subscribe here</a> or <a href='/abo/digital'>go digital</a>.")
    text = _text(_page("".join(f"<p>{p}</p>" for p in PARAS) + f"<div class='box-k7'><p>{call}</p></div>"))
    assert "find it in the print edition" in text


def test_article_after_a_stray_closing_html_tag_is_extracted() -> None:
    # An include closed the document early ("</body></html>" of a toolbar, then a second <html>):
    # libxml2 puts the rest beside the root, where no walk from the root looks.
    page = ("<html><head><title>Harbour light returns</title></head><body>"
            "<div id='toolbar'><a href='/'>Archive</a> <span>3 captures</span></div></body></html>\n"
            "<html><head><script>var x = 1;</script></head><body><h1>Harbour light returns</h1>"
            + "".join(f"<p>{p}</p>" for p in PARAS) + "</body></html>")
    text = _text(page)
    assert text.split("\n") == PARAS
    assert "var x" not in text


def _grid_page(story: str) -> str:
    """A page laid out in nested tables, as news sites were built around 2005."""
    nav = "".join(f"<a href='/s{i}'>Section {i}</a><br>" for i in range(8))
    return ("<html><head><title>Harbour light returns</title></head><body>"
            "<table width='770'><tr><td colspan='2'><a href='/'><img src='/logo.gif'></a></td></tr>"
            f"<tr><td width='150' valign='top'>{nav}</td><td valign='top'>"
            f"<table><tr><td>{story}</td></tr></table></td></tr></table></body></html>")


def test_page_laid_out_in_tables_comes_out_one_paragraph_a_line() -> None:
    # The article shares a grid cell with a list of links to other stories: rendered as a
    # table, all of it was one glued line "| ... |" that no line rule could take apart.
    links = ("<b>MORE HARBOUR STORIES</b><br>" + "".join(
        f"<a href='/story/{i}'>Ferry timetable changes for the winter season, part {i}</a><br>" for i in range(6)))
    text = _text(_grid_page("<h1>Harbour light returns</h1>" + "".join(f"<p>{p}" for p in PARAS)
                            + f"<p>{links}"))
    assert text.split("\n") == PARAS
    assert "Section 3" not in text


def test_grid_written_in_mixed_case_tags_is_a_layout_too() -> None:
    # HTML's tag names are case-insensitive: '<Td>' is a cell as '<td>' and '<TD>' are (the
    # grid was looked for with a substring test of the page that knew only these two).
    links = "".join(f"<a href='/story/{i}'>Ferry timetable changes for the winter season, part {i}</a><br>"
                    for i in range(6))
    page = _grid_page("<h1>Harbour light returns</h1>" + "".join(f"<p>{p}" for p in PARAS) + f"<p>{links}")
    text = _text(page.replace("<td", "<Td").replace("</td>", "</Td>"))
    assert text.split("\n") == PARAS


def test_standfirst_loose_in_a_grid_cell_beside_its_paragraphs_is_kept() -> None:
    # A table renderer took all of a cell's text; once the grid is plain containers, text in a
    # bare <b> before the first <p> is a paragraph of its own, or the extractor drops it.
    text = _text(_grid_page("<h1>Harbour light returns</h1><b>" + PARAS[0] + "</b>"
                            + "".join(f"<p>{p}" for p in PARAS[1:])))
    assert text.split("\n") == PARAS


def test_data_table_in_an_article_stays_a_table() -> None:
    # A table of figures is no layout: its rows stay rows.
    table = ("<table><tr><th>Year</th><th>Nights lit</th></tr><tr><td>2023</td><td>310</td></tr>"
             "<tr><td>2024</td><td>122</td></tr></table>")
    text = _text(_page("".join(f"<p>{p}</p>" for p in PARAS[:2]) + table
                       + "".join(f"<p>{p}</p>" for p in PARAS[2:])))
    assert "2023 | 310" in text


@pytest.mark.parametrize("heading", ["Read more from Harbour Daily:", "Today's Top Stories", "Today’s top stories"])
def test_teaser_headings_naming_the_site_or_the_day_cut_the_tail(heading: str) -> None:
    from newsclean.cleaners.body_lines.lines import trim_trailing

    teasers = ["Ferry timetable changes for winter", "- 10/18/02 12:15:12 PM ET",
               "The operator says fewer crossings will run after dark.", "Quay parking fees go up"]
    kept, _ = trim_trailing(PARAS + [heading] + teasers)
    assert kept == PARAS
    # a sentence that opens with the same words is article text
    line = "Read more from the harbour archive and you find the lamp was dark for most of 1944 as well."
    assert trim_trailing(PARAS + [line])[0] == PARAS + [line]


@pytest.mark.parametrize("card", [
    "<span class='c-glossary__tooltip'><b>Jane Doe</b> Harbour reporter. Latest: Ferry timetable changes for spring</span>",
    "<span role='tooltip'>Jane Doe Harbour reporter. Latest: Ferry timetable changes for spring</span>",
    "<span class='c-hover-card'>Jane Doe Harbour reporter. Latest: Ferry timetable changes for spring</span>",
])
def test_hover_card_of_a_linked_name_is_not_glued_to_the_name(card: str) -> None:
    # A linked name carries a pop-over card the page shows only on hover: its text is not the article's.
    said = "<p>The repair was planned by <a href='/staff/jane-doe'>Jane Doe</a>" + card + \
        ", who led the restoration team through the winter and counted every brass part twice.</p>"
    body = "<article><div class='article-body'>" + "".join(f"<p>{p}</p>" for p in PARAS[:2]) + said + \
        "".join(f"<p>{p}</p>" for p in PARAS[2:]) + "</div></article>"
    text = _text(_page(body))
    assert "Ferry timetable" not in text
    assert "planned by Jane Doe, who led the restoration team" in text


def test_blocks_inside_a_removed_widget_are_not_pruned_again() -> None:
    # The hover-card and call-to-action passes read the elements the measuring walk gathered
    # before the widget pass ran: what that pass removed (with its text counted) is not theirs.
    from newsclean.cleaners import dom
    from newsclean.cleaners.reading.parsing import parse
    inner = ("<div class='share-tools'><span role='tooltip'>Share this story with a friend</span>"
             "<div class='cta'><p>Get the app for more harbour news.</p></div></div>")
    tree = parse(_page("<article>" + "".join(f"<p>{p}</p>" for p in PARAS) + inner + "</article>"))
    m = dom.Measures(tree)
    assert dom.prune_widgets(tree, m) == len("Share this story with a friendGet the app for more harbour news.")
    assert dom.prune_hidden(tree, m) == 0
    assert dom.prune_calls_to_action(tree, m) == 0
    # the same blocks outside a widget are pruned by their own passes
    tree = parse(_page("<article><div class='entry-content'>" + "".join(f"<p>{p}</p>" for p in PARAS)
                       + inner.replace("share-tools", "tools") + "</div></article>"))
    m = dom.Measures(tree)
    assert dom.prune_widgets(tree, m) == 0
    assert dom.prune_hidden(tree, m) == len("Share this story with a friend")
    assert dom.prune_calls_to_action(tree, m) == len("Get the app for more harbour news.")
    # nor does the widget pass take again what another pass removed after the measuring
    tree = parse(_page("<article>" + "".join(f"<p>{p}</p>" for p in PARAS)
                       + "<span role='tooltip'><span class='share'>Share this story</span></span></article>"))
    m = dom.Measures(tree)
    assert dom.prune_hidden(tree, m) == len("Share this story")
    assert dom.prune_widgets(tree, m) == 0


@pytest.mark.parametrize("cta", [
    "<div class='post-cta'><h4>Want to win more jobs with less effort?</h4><p>Grow your business and send "
    "quick quotes with our software.</p><a href='/demo'>Request a demo</a></div>",
    "<section id='cta-free-estimate'><p>Fill out the form for a complimentary quote with a custom layout.</p>"
    "<a href='/quote'>Get a free quote</a></section>",
    "<div class='pin-it'><p>Pin it for later! Save this guide to the lamp room restoration to your boards.</p></div>",
    # named by its id alone, or in capitals: CTA_TOKENS reads both, so must the search for candidates
    "<div id='pin-it'><p>Pin it for later! Save this guide to the lamp room restoration to your boards.</p></div>",
    "<div class='Newsletter-CTA'><p>Fill out the form for a complimentary quote with a custom layout.</p>"
    "<a href='/quote'>Get a free quote</a></div>",
])
def test_call_to_action_block_inside_the_body_is_pruned(cta: str) -> None:
    # A block the page names a call to action (or a "Pin it" prompt) sits between paragraphs:
    # it sells, it is not the article.
    body = ("<article><div class='entry-content'>" + "".join(f"<p>{p}</p>" for p in PARAS[:2]) + cta
            + "".join(f"<p>{p}</p>" for p in PARAS[2:]) + "</div></article>")
    text = _text(_page(body))
    assert PARAS[1][:60] in text and PARAS[2][:60] in text
    for s in ("Want to win", "Request a demo", "complimentary quote", "free quote", "Pin it"):
        assert s not in text


def test_large_block_named_call_to_action_is_kept() -> None:
    # Above a few lines, a block so named frames the article's own text.
    body = ("<article><div class='entry-content cta-wrapper'>" + "".join(f"<p>{p}</p>" for p in PARAS[:2])
            + "</div></article>")
    text = _text(_page(body))
    assert PARAS[0][:60] in text and PARAS[1][:60] in text



def test_call_to_action_that_is_most_of_its_section_is_kept() -> None:
    # An image story: the article's section holds one line, the magazine's appeal and maps (each
    # with a "download" link). Without the appeal the extractor's text was less than half of what
    # readability found in the writer's bio below, and the bio replaced the article. The appeal
    # stays: it is a line too many beside an article kept.
    maps = "".join("<figure class='figure-image'><img src='/m%d.png' alt=''>"
                   "<div class='figure-link'><a href='/m%d.jpg'>Download the map</a></div></figure>" % (i, i)
                   for i in range(8))
    body = ("<article><header><p class='lead'>" + PARAS[0] + "</p><p class='byline'>By Tim Rowe</p></header>"
            "<section class='content content-article'>"
            "<p><em>We kept the twelve largest harbours, since the smaller ones report no figures.</em></p>"
            "<div class='cta container-breakout'><figure><img src='/issue.png' alt=''></figure>"
            "<p class='caption'>Current issue</p><section class='cta-description'><p>The Harbour Daily is "
            "independent and funded by its readers. Support our work and <a href='/abo'>subscribe to the "
            "magazine</a> in print or online from 19.90 a year!</p><a href='/abo'>Subscribe</a></section></div>"
            + maps + "</section></article>"
            "<div class='about'><div class='who'><p>Born 1983, he has been an editor at the Harbour Daily since "
            "2015, working mostly as a layouter, graphic designer and proofreader. He studied German, art "
            "history and linguistics at the university in town.</p><p>His main interest is the history of the "
            "coast, its lights, its harbours and the boats that use them, past and present. He joined after ten "
            "years at the regional paper, where he drew the weather maps and the tide tables.</p><p>Before that "
            "he sailed for five seasons on the ferry to the islands, as a deckhand and later as its mate, and "
            "wrote its log.</p></div></div>")
    text = _text(_page(body))
    assert PARAS[0] in text
    assert "We kept the twelve largest harbours" in text


@pytest.mark.parametrize("credit", [
    "Copyright 2025 The Associated Press. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed.",
    "© Thomson Reuters 2025",
    "© dpa-infocom, dpa:250304-930-41022/2",
])
def test_agency_copyright_credit_in_the_body_is_kept(credit: str) -> None:
    # A syndicated story ends in its agency's credit: part of the article. The site's own
    # copyright line (naming the site) and a picture's credit ("(c) dpa | photographer") go.
    body = ("<article><div class='entry-content'><figure><img src='/lamp.jpg' alt=''>"
            "<figcaption>The lamp room</figcaption></figure><p>© dpa | Jana Holm</p>"
            + "".join(f"<p>{p}</p>" for p in PARAS) + f"<p>{credit}</p>"
            "<p>© 2025 News Example Media. All rights reserved.</p></div></article>")
    text = _text(_page(body))
    assert text.split("\n")[-1] == credit
    assert "News Example Media" not in text and "Jana Holm" not in text


def test_agency_copyright_on_the_agency_own_site_is_its_footer() -> None:
    from newsclean.cleaners.body_lines.lines import is_agency_credit
    line = "Copyright 2025 The Associated Press. All rights reserved."
    assert is_agency_credit(line, "news.example.org")
    assert not is_agency_credit(line, "apnews.com")
    assert not is_agency_credit("Copyright 2005 CNN. All rights reserved. Associated Press contributed to this report.",
                                "www.cnn.com")


def test_code_listing_comments_are_kept() -> None:
    # A syntax highlighter names its spans by token kind: "hljs-comment" reads as a comments
    # widget, but the comment lines are part of the listing the article shows.
    comment = "# fetch the tide tables for the next seven days before the lamp schedule is set"
    code = ("<pre><code class='hljs language-bash'><span class='hljs-comment'>" + comment + "</span>\n"
            "<span class='hljs-built_in'>curl</span> -s https://tides.example.org/week &gt; week.json\n"
            "<span class='hljs-comment'># then rebuild the schedule from the saved table of the week</span>\n"
            "python schedule.py week.json</code></pre>")
    body = "<article><div class='story'>" + "".join(f"<p>{p}</p>" for p in PARAS[:2]) + code + \
        "".join(f"<p>{p}</p>" for p in PARAS[2:]) + "</div></article>"
    text = _text(_page(body))
    assert comment in text
    assert "then rebuild the schedule" in text


#: An events roundup: the article is its list of events, each a linked name and a description.
EVENTS = [
    (f"Harbour festival day {n}", f"On day {n} the quay hosts boat tours, a fish market and evening concerts "
     f"by local choirs; the museum opens its lamp room {n} hours longer than usual and the ferry runs a late "
     f"crossing so that visitors from the islands can stay for the fireworks over the headland.")
    for n in range(1, 11)
]


def test_events_roundup_whose_list_is_the_article_is_kept() -> None:
    # The list of teaser-like cards is dropped as link-dense; what is left (the intro) is long
    # enough not to look like a failed extraction, but the dropped list held several times its
    # text outside links: the page as it came is extracted again and its list kept.
    cards = "".join(f"<li class='event'><h3><a href='/events/{n}'>{name}</a></h3><p>{desc}</p></li>"
                    for n, (name, desc) in enumerate(EVENTS))
    body = ("<article><div class='story'>" + "".join(f"<p>{p}</p>" for p in PARAS)
            + f"<ul class='events'>{cards}</ul></div></article>")
    text = _text(_page(body))
    assert PARAS[0][:60] in text
    for name, desc in EVENTS:
        assert desc[:70] in text


def test_roundup_whose_cards_are_articles_of_their_own_is_kept() -> None:
    # The same roundup with each event marked up as an <article> of prose (a card): those are the
    # list's own cards, not the page's story that would make the list a teaser list beside it.
    cards = "".join(f"<li><article class='event'><h3><a href='/events/{n}'>{name}</a></h3>"
                    f"<p>{desc} {desc}</p><p>{desc}</p></article></li>" for n, (name, desc) in enumerate(EVENTS))
    body = ("<div class='intro'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>"
            + f"<section class='listing'><ol class='events'>{cards}</ol></section>")
    text = _text(_page(body))
    assert PARAS[0][:60] in text
    for name, desc in EVENTS:
        assert desc[:70] in text


#: Steps of a list inside the article of a page trafilatura finds no container in.
STEPS = ["Drain the lamp room and dry the brass frame before the winter storms arrive",
         "Replace the worn bearings of the rotating mechanism with the new bronze set",
         "Clean every prism of the lens with distilled water and a soft cotton cloth"]


def _containerless_page(tail: str = "") -> str:
    """No <article>, <main> or body class trafilatura knows: its last-resort recovery keeps the
    paragraphs only."""
    return ("<html><head><title>Keeping the harbour light</title></head><body>"
            "<div class='top'><a href='/'>Harbour Notes</a> <a href='/about'>About</a></div>"
            "<div class='p-6'><div class='wrap'><h1>Keeping the harbour light</h1><div class='prose'>"
            + "".join(f"<p>{p}</p>" for p in PARAS[:2])
            + "<h2>What the keepers do each autumn</h2><ul>" + "".join(f"<li>{s}</li>" for s in STEPS) + "</ul>"
            + "".join(f"<p>{p}</p>" for p in PARAS[2:]) + tail
            + "</div></div></div><div class='bottom'>Harbour Notes, 1 Quay Street</div></body></html>")


def test_lists_kept_on_a_page_without_an_article_container() -> None:
    # The list between the paragraphs is part of the article.
    text = _text(_containerless_page())
    for s in STEPS:
        assert s in text
    assert text.index(PARAS[1][:40]) < text.index(STEPS[0]) < text.index(PARAS[2][:40])
    assert "1 Quay Street" not in text


def test_subheadings_kept_on_a_page_without_an_article_container() -> None:
    # The section title between two of the article's paragraphs is put back in its place; the
    # title of a one-line call to action under the article is not.
    tail = "<h2>Want more like this?</h2><p>Like and share this note and subscribe for the next one.</p>"
    lines = _text(_containerless_page(tail)).split("\n")
    assert "What the keepers do each autumn" in lines
    assert lines.index("What the keepers do each autumn") == lines.index(PARAS[1]) + 1
    assert "Want more like this?" not in lines


def test_subheading_kept_when_an_empty_paragraph_follows_it_on_a_page_with_a_wordless_line() -> None:
    # An empty <p> (as editors leave them) has no words; neither has a '* * *' separator line. The
    # empty paragraph used to find the separator's line as its own and lose the pending subheading.
    page = ("<html><head><title>Keeping the harbour light</title></head><body>"
            "<div class='top'><a href='/'>Harbour Notes</a> <a href='/about'>About</a></div>"
            "<div class='p-6'><div class='wrap'><h1>Keeping the harbour light</h1><div class='prose'>"
            f"<p>{PARAS[0]}</p><p>* * *</p><p>{PARAS[1]}</p><h2>What the keepers do each autumn</h2><p></p>"
            f"<p>{PARAS[2]}</p><h2>What comes next</h2><p>{PARAS[3]}</p><p>{PARAS[0]}</p>"
            "</div></div></div><div class='bottom'>Harbour Notes, 1 Quay Street</div></body></html>")
    lines = _text(page).split("\n")
    assert "* * *" in lines   # the condition of the bug: a wordless line in the extraction
    assert lines.index("What the keepers do each autumn") == lines.index(PARAS[1]) + 1


def _containerless_tips(title: str) -> str:
    """A page trafilatura finds no container in whose article is a run of tips, each its own block
    (the title with the paragraph it opens), between an intro and a closing paragraph; ``title``
    renders one tip's title."""
    tips = "".join(f"<div class='tip'>{title.format(n=n + 1, text=s)}<div class='tip-text'><p>{p}</p></div></div>"
                   for n, (s, p) in enumerate(zip(STEPS, PARAS[1:])))
    return ("<html><head><title>Keeping the harbour light</title></head><body>"
            "<div class='top'><a href='/'>Harbour Notes</a> <a href='/about'>About</a></div>"
            "<div class='p-6'><div class='wrap'><h1>Keeping the harbour light</h1><div class='prose'>"
            f"<p>{PARAS[0]}</p><div class='tips'>{tips}</div><p>{PARAS[0][::-1]}</p>"
            "</div></div></div><div class='bottom'>Harbour Notes, 1 Quay Street</div></body></html>")


def test_titles_that_open_their_own_block_kept_on_a_page_without_an_article_container() -> None:
    # Each tip's title sits in the tip's block with the paragraph it opens, not beside the
    # paragraph before it: it is the title of the section under it (the first two tips: the last
    # title put back is never kept, see headings_filled). Its level does not matter (h5 too).
    for title in ("<h3>{text}</h3>", "<h5>{text}</h5>"):
        lines = _text(_containerless_tips(title)).split("\n")
        for step, para in zip(STEPS[:2], PARAS[1:3]):
            assert step in lines, title
            assert lines.index(step) + 1 == lines.index(para)


def test_linked_titles_are_not_put_back_on_a_page_without_an_article_container() -> None:
    # A title that is a link to another page is a teaser's, not a section title of the article.
    lines = _text(_containerless_tips("<h3><a href='/tips/{n}'>{text}</a></h3>")).split("\n")
    assert PARAS[1] in lines
    assert not any(step in lines for step in STEPS)


CALLOUTS = [
    "Keepers logged every lamp change in a ledger that survives in the archive, and the entries "
    "show how often storms broke the glass before the modern lens was fitted in the fifties.",
    "The museum volunteers numbered each brass part with chalk before it was cleaned, so that "
    "the frame could be put back in the order the original makers had assembled it.",
]


def _callout_page(caption: str = "") -> str:
    """The article's own callouts in blocks whose class trafilatura discards ("embed")."""
    return _page(f"<p>{PARAS[0]}</p><div class='w-embed'><p>{CALLOUTS[0]}</p></div><p>{PARAS[1]}</p>"
                 f"<p>{PARAS[2]}</p><div class='w-embed'><p>{CALLOUTS[1]}</p></div>{caption}<p>{PARAS[3]}</p>")


def test_callouts_between_the_article_lines_are_put_back_in_place() -> None:
    lines = _text(_callout_page()).split("\n")
    assert lines.index(CALLOUTS[0]) == lines.index(PARAS[0]) + 1
    assert lines.index(CALLOUTS[1]) == lines.index(PARAS[2]) + 1


def test_caption_and_repeated_blocks_between_the_article_lines_stay_out() -> None:
    # a caption block, and a carousel's text said twice on the page, are the page's, not the story's
    slide = ("<div class='w-embed'><p>Slides from the opening night show the crowd on the quay and "
             "the first sweep of the beam over the harbour mouth.</p></div>")
    caption = ("<div class='w-embed'><div class='image-caption'><p>The restored lamp seen from the quay at "
               "dusk, with the new brass frame catching the last of the light over the water.</p></div></div>")
    caption += slide * 2
    text = _text(_callout_page(caption))
    assert CALLOUTS[1] in text   # the callouts still come back
    assert "restored lamp seen from the quay" not in text
    assert "Slides from the opening night" not in text


def test_one_short_box_beside_a_story_is_not_put_back() -> None:
    # a single note of another kind that adds little to the text is no evidence of lost callouts
    page = _page(f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p><div class='w-embed'><p>{CALLOUTS[0]}</p></div>"
                 f"<p>{PARAS[2]}</p><p>{PARAS[3]}</p><p>{PARAS[0][::-1]}</p><p>{PARAS[1][::-1]}</p>")
    assert CALLOUTS[0] not in _text(page)


#: The end of the article in a block named like boilerplate (``_named_like_boilerplate_page``).
ENDING = [
    "The lamp will be switched off again for a day in spring, when the glass of the lantern room "
    "is cleaned from outside by a team of climbers from the county fire brigade.",
    "The museum plans an exhibition of the old mechanism next summer, with the ledger of the "
    "keepers shown beside it and a model of the tower built by pupils of the harbour school.",
    "Visitors will be able to climb the tower on the first Sunday of each month from May, the "
    "authority said, once the railings of the gallery have been painted and tested.",
    "Tickets will be sold at the harbour office only, and the money raised will go to the fund that "
    "keeps the tower and its lamp in repair for the winters to come.",
    "The first climb is planned for the morning of the harbour festival, when the lamp is lit at "
    "noon for an hour so that visitors on the quay can watch the lens turn in daylight.",
]


#: More of the article's middle: enough text that readability's copy of the page, banner and all,
#: is not twice trafilatura's (it would win the comparison and carry the banner in).
MIDDLE = [
    "Harbour pilots had asked for the repair to be finished before the herring season, when the "
    "boats leave before dawn and come back long after the quay lights have been switched off.",
    "The fishing cooperative thanked the authority in a letter read out at the council meeting, "
    "and asked that the lamp be inspected every autumn from now on rather than every third year.",
    "The council agreed, and set aside a small sum each year for the inspection and for spare "
    "parts, which the museum has offered to store in its workshop beside the old boat shed.",
]


def _named_like_boilerplate_page(banner: str = "") -> str:
    """The article's paragraphs, and its end in a block whose class trafilatura discards by name
    ("embed"); a banner of prose (named "banner", discarded alike) above the headline, outside
    the article's block."""
    body = "".join(f"<p>{p}</p>" for p in [*PARAS, *CALLOUTS, *MIDDLE])
    ending = "".join(f"<p>{p}</p>" for p in ENDING)
    return (f"<html><head><title>Harbour light returns</title></head><body>"
            "<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
            f"<main>{banner}<h1>Harbour light returns</h1><div class='content-wrap'>{body}"
            f"<div class='w-embed'>{ending}</div></div></main>"
            "<footer><p>Harbour Daily, 1 Quay Street</p></footer></body></html>")


def test_article_in_a_block_trafilatura_discards_by_name_is_extracted() -> None:
    # trafilatura stopped before the block named "embed", which held the end of the article
    lines = _text(_named_like_boilerplate_page()).split("\n")
    assert lines[-len(ENDING):] == ENDING
    assert lines[:len(PARAS)] == PARAS and MIDDLE[-1] in lines


def test_prose_discarded_by_name_outside_the_article_stays_out() -> None:
    # the banner's sentences are prose too, but it lies outside the article's region of the page
    banner = ("<div class='site-banner'><p>An official website of the harbour authority. Official "
              "websites use a secure connection, and every notice on this site is signed by the keeper "
              "of records before it is published here for the public.</p><p>Notices about tides, "
              "closures of the quay and the opening hours of the harbour office are posted on this "
              "site first, and on the board beside the ticket hall the morning after.</p><p>Questions "
              "about a notice go to the harbour office by letter or in person, on weekdays between nine "
              "and five, and are answered within ten working days of their arrival.</p></div>")
    text = _text(_named_like_boilerplate_page(banner))
    assert ENDING[-1] in text
    assert "official website" not in text


#: A box beside the article that pitches the site's own offer: prose, in a section of its own.
PITCH = [
    "Plan your visit to the harbour with our guided tours, which leave from the ticket hall every "
    "morning at ten and take in the quay, the boat shed and the museum's workshop.",
    "Our guides are volunteers from the maritime museum, and every tour ends with tea in the old "
    "pilot house, where the charts of the coast are kept in drawers under the windows.",
    "Groups of ten or more can book a tour on any weekday by writing to the harbour office, which "
    "answers within a week and sends a map of the quay with the confirmation.",
    "Tours run in every weather but the worst, and the office returns the fee in full whenever a "
    "storm warning closes the quay on the morning of a booking.",
    "Season tickets cover every tour of the year, the museum and the climb of the tower, and are "
    "sold at the ticket hall only, on the day of a visitor's first tour.",
    "Children under twelve tour for free with an adult, and school classes are welcome on the "
    "mornings of the first week of each month, when the workshop is open to them.",
    "The tour takes about two hours, with a stop at the foot of the tower, and the path along the "
    "quay is level enough for wheelchairs and prams from one end to the other.",
]


def _article_under_its_headline_page() -> str:
    """The article's paragraphs below its headline in blocks whose class trafilatura discards by
    name ("embed"); beside them a pitch section of prose the extraction keeps instead; a banner
    of prose (discarded alike) above the headline."""
    article = "".join(f"<div class='w-embed'>{''.join(f'<p>{p}</p>' for p in part)}</div>"
                      for part in (PARAS, MIDDLE, ENDING))
    pitch = "".join(f"<p>{p}</p>" for p in PITCH)
    banner = ("<div class='site-banner'><p>An official website of the harbour authority. Official "
              "websites use a secure connection, and every notice on this site is signed by the keeper "
              "of records before it is published here for the public.</p></div>")
    return (f"<html><head><title>Harbour light returns</title></head><body>"
            "<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
            f"<main><div class='hero'>{banner}<div class='intro'><h1>Harbour light returns</h1></div>"
            f"<div class='column'>{article}</div></div>"
            f"<section class='visit'><div class='cols'><h2>Plan your visit</h2>{pitch}</div></section></main>"
            "<footer><p>Harbour Daily, 1 Quay Street</p></footer></body></html>")


def test_article_discarded_by_name_under_its_headline_is_extracted_beside_a_kept_box() -> None:
    # most of what trafilatura kept was the pitch box beside the article: the article's blocks lie
    # under the headline it kept, not in that box; the banner above the headline stays out
    text = _text(_article_under_its_headline_page())
    assert all(p in text for p in [*PARAS, *MIDDLE, *ENDING])
    assert "official website" not in text


#: Panes of the article (an accordion's, a guide's cards) in blocks of one kind whose class
#: trafilatura discards by name ("banner"): each under 500 characters, together under half the
#: text and under a fifth of it (neither the page-level retry nor the callouts take them).
PANES = [
    "The keepers' cottage is open on weekend afternoons, with the lamp-room ledger shown in a glass "
    "case by the door and a volunteer on hand to read out the oldest entries of the storms.",
    "The boat shed holds the lifeboat that served the harbour for forty years, restored last spring "
    "by the museum's volunteers and painted in the colours it wore on its first launch.",
    "The tower itself opens for climbs on the first Sunday of each month, weather permitting, once "
    "the gallery railings have been tested and passed by the county's building inspector.",
]


def _panes_page(panes: str, after: str = "") -> str:
    """A long article with ``panes`` between its middle paragraphs, ``after`` below its end (in
    the same container)."""
    first = "".join(f"<p>{p}</p>" for p in [*PARAS, *CALLOUTS, *MIDDLE])
    rest = "".join(f"<p>{p}</p>" for p in [*ENDING, *PITCH])
    return _page(f"<article><div class='story'>{first}{panes}{rest}{after}</div></article>")


def _panes(kinds: list[str]) -> str:
    return "".join(f"<div class='{kind}'><p>{p}</p></div>" for kind, p in zip(kinds, PANES))


def test_panes_of_one_kind_discarded_by_name_come_back_in_place() -> None:
    lines = _text(_panes_page(_panes(["banner-item"] * 3))).split("\n")
    assert lines[lines.index(MIDDLE[-1]) + 1:lines.index(ENDING[0])] == PANES


def test_discarded_boxes_of_kinds_of_their_own_or_below_the_article_stay_out() -> None:
    # one box per kind (a fact box, a pitch) is no run of the article's panes
    text = _text(_panes_page(_panes(["banner-facts", "banner-offer", "banner-event"])))
    assert PITCH[-1] in text and not any(p in text for p in PANES)
    # panes of one kind under the article's last line are not between two of its lines
    text = _text(_panes_page("", after=_panes(["banner-item"] * 3)))
    assert PITCH[-1] in text and not any(p in text for p in PANES)


def _authored_page(tail: str) -> str:
    return _page("".join(f"<p>{p}</p>" for p in PARAS) + tail, head="<meta name='author' content='Jane Doe'>")


#: An author box under the article, with no class that names it: a byline, then the writer's bio.
AUTHOR_BOX = ("<p><strong>Written by Jane Doe</strong></p>"
              "<p>Jane Doe is a reporter who has covered the harbour and its fishing fleet since 2009.</p>")


def test_an_author_box_that_ends_the_body_goes() -> None:
    result = clean_html(_authored_page(AUTHOR_BOX), URL)
    assert isinstance(result, Article) and result.authors == ["Jane Doe"]
    assert "Written by" not in result.text and "is a reporter" not in result.text
    assert result.text.split("\n")[-1] == PARAS[-1]
    assert result.removed.get("trailing_author_box", 0) > len("Written by Jane Doe")


def test_the_articles_last_lines_naming_the_author_stay() -> None:
    from newsclean.cleaners.body_lines.lines import drop_trailing_author_box

    # a closing sentence that names the writer ends with a period: no byline
    last = "Jane Doe reported from the quay."
    assert _text(_authored_page(f"<p>{last}</p>")).split("\n")[-2:] == [PARAS[-1], last]
    # a sign-off alone, with nothing naming the writer after it, is the article's
    lines = [*PARAS, "Jane Doe", "Photographs by the harbour authority"]
    assert drop_trailing_author_box(lines, ["Jane Doe"]) == (lines, 0)
    # another writer's name, no authors, or a byline above the last lines: nothing goes
    lines = [*PARAS, "Written by John Roe", "John Roe is a reporter."]
    assert drop_trailing_author_box(lines, ["Jane Doe"]) == (lines, 0)
    assert drop_trailing_author_box([*PARAS, "Written by Jane Doe", "Jane Doe is a reporter."], []) == \
        ([*PARAS, "Written by Jane Doe", "Jane Doe is a reporter."], 0)
    lines = ["Written by Jane Doe", *PARAS, "Jane Doe is a reporter."]
    assert drop_trailing_author_box(lines, ["Jane Doe"]) == (lines, 0)


RENOVATION_STEPS = [
    ("Measure the room", "Start with the walls and the floor: a laser meter gives the length of each wall "
     "to the centimetre, and a sketch on squared paper keeps the numbers in their places."),
    ("Choose the materials", "Oak boards last for decades but cost twice as much as pine, and they need a "
     "dry room; tiles suit kitchens and bathrooms, where water would swell any wood."),
    ("Book the trades", "Electricians and plumbers are booked weeks ahead in spring, so ask for their "
     "dates before you order anything that has to be fitted around the pipes."),
]


def test_a_block_the_page_shows_twice_is_kept_once_and_a_pull_quote_stays() -> None:
    # the steps as tab panels for wide screens and again as an accordion for phones; the
    # second copy is no new text (the truth of such pages holds it once)
    panels = "".join(f"<div class='tab-panel'><h3>{h}</h3><p>{p}</p></div>" for h, p in RENOVATION_STEPS)
    accordion = "".join(f"<details class='accordion'><summary>{h}</summary><p>{p}</p></details>" for h, p in RENOVATION_STEPS)
    quote = PARAS[1]
    body = (f"<article><p>{PARAS[0]}</p><div class='tabs'>{panels}</div>"
            f"<div class='tabs-mobile'>{accordion}</div><p>{quote}</p><p>{PARAS[2]}</p>"
            f"<blockquote>{quote}</blockquote><p>{PARAS[3]}</p></article>")
    text = _text(_page(body))
    for heading, paragraph in RENOVATION_STEPS:
        assert text.count(paragraph) == 1, text
        assert text.count(heading) == 1, text
    # a single line repeated (a pull quote) is no block shown twice
    assert text.count(quote) == 2, text
    assert PARAS[3] in text


CHORUS = ["Keep the light burning on the headland", "Keep the lamp turning through the night",
          "Bring the boats home from the outer banks", "Till the harbour wall is in sight"]


def test_a_refrain_sung_twice_in_one_song_stays() -> None:
    # drop_repeated_runs took the second chorus of a song (four lines or more, each said before):
    # its stanzas are paragraphs of one block, not a block the page shows twice
    verse1 = ["The keeper climbed the stairs at dusk", "With oil and wick and rag",
              "The wind came hard across the bay", "And tore the harbour flag"]
    verse2 = ["The winter took the brass and glass", "The storm took lamp and gear",
              "But hands rebuilt what water broke", "And lit it for the year"]
    stanzas = "".join("<p>" + "<br>".join(lines) + "</p>" for lines in (verse1, CHORUS, verse2, CHORUS))
    body = (f"<article><p>{PARAS[0]}</p><p>{PARAS[1]}</p><div class='song'>{stanzas}</div>"
            f"<p>{PARAS[2]}</p></article>")
    text = _text(_page(body))
    for line in CHORUS:
        assert text.count(line) == 2, text
    # the same song shown again in a block of its own (a player's lyrics panel) is a block shown twice
    body = (f"<article><p>{PARAS[0]}</p><p>{PARAS[1]}</p><div class='song'>{stanzas}</div>"
            f"<p>{PARAS[2]}</p><div class='lyrics-panel'>{stanzas}</div></article>")
    text = _text(_page(body))
    assert text.count(verse1[0]) == 1 and text.count(verse2[0]) == 1, text


def test_text_the_page_hides_by_class_is_not_extracted() -> None:
    # A Webflow page's conditional block (an empty CMS field hides it: a disclaimer between the
    # paragraphs) and a screen-reader label inside a link are in the markup but never on screen.
    # Bootstrap's d-none is not read as hidden (a block d-md-block shows again on a wider screen
    # is the article's either way).
    from pathlib import Path
    html = (Path(__file__).parent.parent / "fixtures" / "cleaners" / "hidden_by_class.html").read_text("utf-8")
    result = clean_html(html, "https://lamproom.example/blog/how-we-rebuilt-the-harbour-lamp")
    assert isinstance(result, Article), result
    assert "not affiliated with the Harbour Trust" not in result.text
    assert "opens in a new window" not in result.text
    assert "the harbour trust bought it back for the price of the crate" in result.text
    assert "Our drawings of every bracket and hinge are kept in the town archive" in result.text
    assert result.text.endswith("the harbour master signs at the end of the year.")


@pytest.mark.parametrize("cls, hidden", [
    ("margin-top w-condition-invisible", True), ("sr-only", True), ("sr-only focus:not-sr-only", True),
    ("skip-link screen-reader-text", True), ("visually-hidden", True),
    # a script's toggles (a gallery's items), Bootstrap's d-none: left out (docs/quality.md)
    ("gallery--paragraph-section hidden", False), ("d-none", False), ("is-hidden", False),
    ("w-condition", False), ("Sr-Only", False), ("header", False),
])
def test_classes_that_hide_an_element_from_the_screen(cls: str, hidden: bool) -> None:
    from newsclean.cleaners.dom import class_names
    assert class_names._name_facts(cls)[6] is hidden


def test_a_box_of_its_own_kind_among_the_panes_stays_out() -> None:
    # the panes come back, a box of a kind of its own discarded beside them (an offer in the
    # story's column) does not: the second extraction spares only the kinds two blocks share
    offer = ("Members of the harbour society get a season pass for the tower, the boat shed and the "
             "cottage at half price, and a printed guide to the coast's lights posted to their door.")
    panes = _panes(["banner-item"] * 3) + f"<div class='banner-offer'><p>{offer}</p></div>"
    lines = _text(_panes_page(panes)).split("\n")
    assert lines[lines.index(MIDDLE[-1]) + 1:lines.index(ENDING[0])] == PANES


def test_a_no_break_space_read_as_latin_1_is_a_space_in_the_body() -> None:
    # The CMS stored the editor's no-break spaces as UTF-8 read as Latin-1: "Â" and the space.
    # The lines' spaces are collapsed before their mojibake repair could see the pair, so
    # "childrenÂ use it" ("childrenÂ" one word) and "1.Â Â Â Myth" came out.
    html = (Path(__file__).parent.parent / "fixtures" / "cleaners" / "mojibake_nbsp.html").read_text("utf-8")
    assert "\u00c2\u00a0" in html
    text = _text(html)
    assert "Â" not in text
    lines = text.split("\n")
    assert "1. Myth: the ferry stops running in a storm. It runs in all but the worst weather, and the " \
           "skipper decides on the morning, not the harbour office." in lines
    assert any(line.startswith("All the island's children use it to reach") for line in lines)
    assert any(line.startswith("If you are using a bicycle, please wheel") for line in lines)
    # "Â" before anything but a no-break space is left as it came (a letter, or "Â«" that the
    # lines' repair mends with the rest of the line)
    from newsclean.cleaners.reading.mojibake import with_mojibake_mended
    assert with_mojibake_mended("ÂME et Â«Â la carteÂ»") == "ÂME et Â«Â la carteÂ»"


def test_footnote_marks_in_running_text_are_not_body() -> None:
    # A footnote reference linking to its note on the page, raised by <sup> or named a footnote,
    # came out glued to the word before ("quarter of an hour.1", "first3") or as a word of its own
    # inside the sentence ("west[2] and"). A note's own number at the foot stays; an exponent
    # (no link) and a link to a part of the page that is no note ("Part 2") stay.
    html = (Path(__file__).parent.parent / "fixtures" / "cleaners" / "footnote_marks.html").read_text("utf-8")
    # the page's own URL: its third mark links to it whole ("https://...tides#footnote-3")
    result = clean_html(html, "https://harbour.example.net/notes/tides")
    assert isinstance(result, Article), result
    lines = result.text.split("\n")
    assert ("The printed tables give the height of each tide at the harbour mouth, but the pilots have long "
            "known that the water inside the basin runs late by a quarter of an hour. Nobody wrote it down "
            "until the survey of the old quay walls.") in lines
    assert ("That survey measured a basin of 40,000 m2 and found the delay grew with the wind from the west "
            "and shrank again when the sluice gates were open for the river.") in lines
    assert any(line.endswith("trust more than the first for the evening boats.") for line in lines)
    assert any(line.startswith("Part 2 of this series looks at the sluice gates") for line in lines)
    assert result.removed.get("footnote_marks") == len("1") + len("[2]") + len("3")
    # a note's own number opens its line, and a mark whose anchor the page lacks is no reference
    from lxml import html as lxml_html
    from newsclean.cleaners import dom
    notes = lxml_html.fromstring(
        "<div><p>Logbooks of the pilots, kept in the archive<sup><a href='#gone'>4</a></sup> since 1935.</p>"
        "<ol><li id='fn-1'><a href='#ref-1'>1</a> Pilots' logbooks of the years 1921 to 1935.</li>"
        "<li id='ref-1'><sup><a href='#fn-1'>[1]</a></sup> Survey of the quay walls.</li></ol></div>")
    assert dom.prune_footnote_marks(notes) == 0
    # the space after a mark stays between the words it parted
    para = lxml_html.fromstring("<div><p>The logbooks<sup><a href='#n5'>5</a></sup> <b>show</b> the delay.</p>"
                                "<p id='n5'>Town archive.</p></div>")
    assert dom.prune_footnote_marks(para) == 1
    assert para.text_content().startswith("The logbooks show the delay.")


def test_marks_linking_to_another_page_are_no_footnote_marks_of_this_one() -> None:
    # A raised number linking to another page's anchor ("/part-one/#fn2") was taken for a footnote
    # mark wherever this page had an anchor of that name (its own "fn2"), and cut from the sentence.
    html = (Path(__file__).parent.parent / "fixtures" / "cleaners" / "footnote_marks_other_page.html").read_text("utf-8")
    result = clean_html(html, "https://harbour.example.net/2025/03/sluice-keepers-part-two/")
    assert isinstance(result, Article), result
    assert "printed the keepers' count of openings from their first logbook as table 2 of that article" in result.text
    assert "since the winter the old chain broke. The entries" in result.text   # its own mark goes
    assert result.removed.get("footnote_marks") == len("1")
    # the same link resolved against that page's own address is a mark of it; without a URL, a
    # path is no link into the page
    from lxml import html as lxml_html
    from newsclean.cleaners import dom
    def marks(url: str | None) -> int:
        return dom.prune_footnote_marks(lxml_html.fromstring(html), url)
    assert marks("https://harbour.example.net/2025/02/sluice-keepers-part-one") == 2
    assert marks("http://HARBOUR.example.net/2025/02/sluice-keepers-part-one/?") == 2
    assert marks("https://harbour.example.net/2025/02/sluice-keepers-part-one/?page=2") == 1
    assert marks(None) == 1
    assert dom.prune_footnote_marks(lxml_html.fromstring(
        "<div><p>A word<sup><a href='http://[bad#n1'>1</a></sup> here.</p><p id='n1'>1 A note.</p></div>"),
        "https://harbour.example.net/x") == 0


def test_marks_linking_to_the_pages_declared_canonical_address_are_its_own() -> None:
    # The URL a crawl fetches often differs from the one the page's absolute footnote links name:
    # a feed's "?utm_source=rss", the www or AMP variant, or none at all (saved files). Marks
    # linking to the canonical address the page declares are this page's marks all the same; they
    # stayed glued to the sentence ("their tapes.1 The tapes") when only the fetched URL counted.
    html = (Path(__file__).parent.parent / "fixtures" / "cleaners" / "footnote_marks_canonical.html").read_text("utf-8")
    for url in ("https://coastline.example.org/2025/06/tide-gauges/",
                "https://coastline.example.org/2025/06/tide-gauges/?utm_source=rss&utm_medium=rss",
                "https://www.coastline.example.org/2025/06/tide-gauges/amp/", None):
        result = clean_html(html, url)
        assert isinstance(result, Article), (url, result)
        assert "before anyone trusted their tapes. The tapes themselves" in result.text, url
        assert "every morning, and the keeper wrote" in result.text, url
        assert result.removed.get("footnote_marks") == 2, url
    # and another page's note is still no mark of this one, canonical or not
    other = html.replace('href="https://coastline.example.org/2025/06/tide-gauges/#fn1"',
                         'href="https://coastline.example.org/2025/05/tide-tables/#fn1"')
    result = clean_html(other, "https://coastline.example.org/2025/06/tide-gauges/?utm_source=rss")
    assert isinstance(result, Article)
    assert "trusted their tapes.1 The tapes" in result.text
    assert result.removed.get("footnote_marks") == 1


def test_ref_named_numbers_linking_to_what_is_no_note_stay() -> None:
    # A link named a "ref" (no <sup>) to a part of the page that is no note is a cross-reference:
    # LaTeX's HTML ("ltx_ref": "Section 3", "Figure 2"), a chapter. Its number is the sentence's.
    # Named so and linking to a note (one that links back, or opens with the mark's number), it is
    # a footnote's mark.
    from lxml import html as lxml_html
    from newsclean.cleaners import dom
    page = lxml_html.fromstring(
        "<div><p>See Section <a class='ltx_ref' href='#S3'><span class='ltx_text ltx_ref_tag'>3</span></a> and "
        "Figure <a class='ltx_ref' href='#F2'>2</a> for the proof.</p>"
        "<p>Chapter <a class='ref' href='#ch-4'>4</a> repeats it with cubes.</p>"
        "<section id='S3'><h2>3 Proof</h2><p>By induction.</p></section>"
        "<figure id='F2'><figcaption>Figure 2: the squares</figcaption></figure><p id='ch-4'>Cubes.</p></div>")
    before = page.text_content()
    assert dom.prune_footnote_marks(page) == 0
    assert page.text_content() == before
    notes = lxml_html.fromstring(
        "<div><p>The survey<a class='ref' href='#n1' id='r1'>1</a> and the logbooks<a class='ref' href='#n2'>[2]</a> "
        "agree.</p><ol><li id='n1'><a href='#r1'>^</a> Survey of the quay walls.</li>"
        "<li id='n2'>2. Pilots' logbooks.</li></ol></div>")
    assert dom.prune_footnote_marks(notes) == len("1") + len("[2]")
    assert notes.text_content().startswith("The survey and the logbooks agree.")


_PITCH = ("Harbour Daily is an independent newsroom with over forty reporters along the coast. Whether "
          "you follow the fishing fleet, the ferry timetables or the town council, our journalists are "
          "here to keep you informed.")


_MORE = [   # two paragraphs of 200+ characters: the block is the article's (dom.teasers._is_body_like)
    "Volunteers from the maritime museum will run tours of the tower on the first Sunday of each "
    "month, and the authority hopes the visits will pay for the next coat of paint on the gallery "
    "and the railings.",
    "The old lamp mechanism, too worn to be repaired, goes on show in the museum's main hall next "
    "spring, beside the logbooks the keepers wrote every night until the light was automated in "
    "the late sixties.",
]


@pytest.mark.xfail(strict=True, reason="dom._section_to_the_end (qleak11) took it but moved only wcxb-dev's 0156, "
                   "the dev page it was written from (check half and other sets identical): dropped, docs/quality.md")
def test_the_section_a_boilerplate_title_opens_at_the_articles_end_goes_whole() -> None:
    # wcxb-dev's dev half: "More from <site>" inside the article's block, then the site's pitch as
    # a paragraph of prose and its links. The teaser walk stopped at the paragraph: the title
    # went, the pitch stayed as the article's last paragraph.
    body = ("<div class='entry'>" + "".join(f"<p>{p}</p>" for p in PARAS + _MORE) +
            f"<h2>More from Harbour Daily</h2><p>{_PITCH}</p>"
            "<ul><li><a href='/newsletter'>Get the morning briefing</a></li>"
            "<li><a href='/news'>Explore more stories from the coast</a></li></ul></div>")
    text = _text(_page(body))
    for p in PARAS:
        assert p in text
    assert "independent newsroom" not in text
    assert "morning briefing" not in text


def test_the_articles_remainder_after_a_boilerplate_title_stays() -> None:
    # The same title where most of the block's text follows it: the article read on, not a
    # trailing section (the unpruned fallback would put the first case back; not the second, a
    # third of the block), and a section under a heading of its own after the title's: what a
    # rule taking the titled section to the block's end must keep (the xfail above).
    body = ("<div class='entry'>" + f"<p>{PARAS[0]}</p>" +
            "<h2>More from the harbour</h2>" + "".join(f"<p>{p}</p>" for p in PARAS[1:] + _MORE) + "</div>")
    text = _text(_page(body))
    for p in PARAS + _MORE:
        assert p in text
    body = ("<div class='entry'>" + "".join(f"<p>{p}</p>" for p in PARAS) +
            "<h2>More from the harbour</h2>" + "".join(f"<p>{p}</p>" for p in _MORE) + "</div>")
    text = _text(_page(body))
    for p in PARAS + _MORE:
        assert p in text
    body = ("<div class='entry'>" + "".join(f"<p>{p}</p>" for p in PARAS + _MORE) +
            f"<h2>More from Harbour Daily</h2><p>{_PITCH}</p><h3>The lamp room</h3>"
            "<p>The lamp room is open to visitors on Sundays.</p></div>")
    assert _PITCH in _text(_page(body))


def test_a_section_of_the_article_titled_related_keeps_its_linked_paragraphs() -> None:
    # wcxb-dev's dev half (a researcher's page): "Related" opens the article's last section, whose
    # paragraphs of prose each link a paper. The titled-block walk inside the article's column took
    # every linked sibling after the title as a teaser; gone (docs/quality.md, "multipage-dev's fold gap").
    related = [
        "A <a href='/papers/simple-folds/'>2010 paper with four colleagues</a> considers what happens "
        "when the folds are restricted to a sequence of simple folds, along a single line at a time, and "
        "which shapes can still be cut out.",
        "The science editor of a weekly magazine briefly describes the results in his article "
        "<a href='https://magazine.example/fold-and-cut'>Fold-and-Cut Magic</a>, which appeared in the "
        "November issue with the drawings of the swan.",
    ]
    body = ("<div class='entry'>" + "".join(f"<p>{p}</p>" for p in PARAS + _MORE) + "<h2>Related</h2>"
            + "".join(f"<p>{p}</p>" for p in related) + "</div>")
    text = _text(_page(body))
    for p in PARAS + _MORE:
        assert p in text
    assert "considers what happens when the folds are restricted" in text
    assert "briefly describes the results in his article" in text
