"""Title and author rules of cleaners.metadata, each on a small page written for the rule."""

from __future__ import annotations

import json

from pathlib import Path

import lxml.html
import pytest

from newsclean.cleaners.core import clean_html, page_metadata
from newsclean.cleaners.metadata import extract_metadata, shown_day_near_headline
from newsclean.cleaners.types import Article

URL = "https://news.example.org/2024/05/03/harbour-bridge-vote/"


def _page(*, ld: object | None = None, head: str = "", body: str = "") -> str:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld is not None else ""
    return f"<html><head>{head}{script}</head><body>{body}<p>Text of the article.</p></body></html>"


def _md(html: str):
    return extract_metadata(lxml.html.document_fromstring(html), URL)


def _authors(body: str) -> list[str]:
    """The authors read from a page of ``body`` (no JSON-LD, no meta tags)."""
    return _md(_page(body=body)).authors


def _printed_authors(byline: str) -> list[str]:
    """The authors read from ``byline`` printed in a ``div.author`` under the headline."""
    return _authors(f'<h1>Harbour bridge vote</h1><div class="author">{byline}</div>')


def _assert_printed_and_ld_byline_read(byline: str, want: list[str]) -> None:
    # the same byline printed on the page and given as JSON-LD's author name reads the same names
    assert _printed_authors(byline) == want, byline
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": byline}}
    assert _md(_page(ld=ld, body="<h1>Harbour bridge vote</h1>")).authors == want, byline


def test_author_given_and_family_name_without_name() -> None:
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote",
          "author": [{"@type": "Person", "givenName": "Ada Maria", "familyName": "Lindqvist"},
                     {"@type": "Person", "givenName": "Tom", "familyName": "Okafor"}]}
    assert _md(_page(ld=ld)).authors == ["Ada Maria Lindqvist", "Tom Okafor"]


def test_author_reference_into_graph_is_resolved() -> None:
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "Article", "headline": "Harbour bridge vote", "author": {"@id": "https://news.example.org/#/person/7"}},
        {"@type": "Person", "@id": "https://news.example.org/#/person/7", "name": "Rosa Delacroix"},
        {"@type": "Person", "@id": "https://news.example.org/#/person/8", "name": "Someone Else"}]}
    assert _md(_page(ld=ld)).authors == ["Rosa Delacroix"]


def test_nested_author_lists_are_flattened() -> None:
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote",
          "author": [{"@type": "Person", "name": "Rosa Delacroix"}, [{"@type": "Person", "name": "City Desk"}]]}
    assert _md(_page(ld=ld)).authors == ["Rosa Delacroix", "City Desk"]


def test_newsroom_short_code_after_name_is_dropped() -> None:
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote",
          "author": [{"@type": "Person", "name": "Rosa Delacroix (rde)"}, {"@type": "Person", "name": "Tom Okafor (tok.)"}]}
    assert _md(_page(ld=ld)).authors == ["Rosa Delacroix", "Tom Okafor"]


def test_role_after_name_in_one_byline_is_dropped() -> None:
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote",
          "author": {"@type": "Person", "name": "Rosa Delacroix, professor of maritime history at the "
                                                "Northern Institute of Coastal Studies, example.org"}}
    assert _md(_page(ld=ld)).authors == ["Rosa Delacroix"]
    # two people in one string still become two authors
    ld["author"] = {"@type": "Person", "name": "Rosa Delacroix, Tom Okafor, Ada Lindqvist"}
    assert _md(_page(ld=ld)).authors == ["Rosa Delacroix", "Tom Okafor", "Ada Lindqvist"]


def test_visible_byline_when_nothing_is_declared() -> None:
    body = '<div class="byline"><a rel="author" href="/people/rosa">Rosa Delacroix</a></div><h1>Harbour bridge vote</h1>'
    assert _authors(body) == ["Rosa Delacroix"]
    # a declared author wins over the page's byline markup
    head = '<meta name="author" content="Tom Okafor">'
    assert _md(_page(head=head, body=body)).authors == ["Tom Okafor"]


def test_byline_lead_word_is_dropped() -> None:
    body = '<span class="author-name">Von Rosa Delacroix</span><h1>Harbour bridge vote</h1>'
    assert _authors(body) == ["Rosa Delacroix"]
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": "By Tom Okafor"}}
    assert _md(_page(ld=ld)).authors == ["Tom Okafor"]
    # a one-word name after "Von" is a surname, not a lead word
    ld["author"]["name"] = "Von Hagen"
    assert _md(_page(ld=ld)).authors == ["Von Hagen"]


def test_section_suffix_cut_when_another_source_gives_the_headline() -> None:
    ld = {"@type": "NewsArticle", "headline": "Council approves harbour bridge | Politics"}
    head = '<meta property="og:title" content="Council approves harbour bridge">'
    assert _md(_page(ld=ld, head=head)).title == "Council approves harbour bridge"
    # without confirmation a colon or dash inside the headline stays
    ld["headline"] = "Harbour bridge: council approves the plan"
    head = '<meta property="og:title" content="Harbour bridge">'
    assert _md(_page(ld=ld, head=head)).title == "Harbour bridge: council approves the plan"


def test_invisible_characters_are_removed_from_title() -> None:
    ld = {"@type": "NewsArticle", "headline": "Council ap\u00adproves harbour\u200b bridge\u2060"}
    assert _md(_page(ld=ld)).title == "Council approves harbour bridge"
    # ZWNJ is part of Persian spelling and stays
    ld["headline"] = "می\u200cخواهم"
    assert _md(_page(ld=ld)).title == "می\u200cخواهم"


def test_a_title_of_separators_only_is_no_title() -> None:
    # a template's empty fields around its separator: the next source's title, or none
    for sep in ("|", " - ", "| |", " :: ", "&#124;"):
        ld = {"@type": "NewsArticle", "headline": sep}
        assert _md(_page(ld=ld, head=f'<meta property="og:title" content="{sep}"><title>{sep}</title>')).title is None
        assert _md(_page(head=f"<title>{sep}</title>")).title is None
        head = f'<meta property="og:title" content="{sep}"><title>Harbour bridge vote</title>'
        assert _md(_page(ld=ld, head=head)).title == "Harbour bridge vote"
        assert _md(_page(ld={"@type": "NewsArticle", "headline": "Harbour bridge vote"}, head=head)).title == \
            "Harbour bridge vote"


def test_html_entities_in_declared_author_and_headline() -> None:
    ld = {"@type": "NewsArticle", "headline": "Caf&eacute; owners &#8216;relieved&#8217;",
          "author": {"@type": "Person", "name": "Siobh&aacute;n O&#039;Neil"}}
    md = _md(_page(ld=ld))
    assert md.title == "Café owners ‘relieved’"
    assert md.authors == ["Siobhán O'Neil"]
    # escaped for HTML, then again for the script: the meta tags (decoded by the parser) say the same
    ld = {"@type": "NewsArticle", "headline": "And finally&amp;#8230; trouble brewing"}
    head = '<meta property="og:title" content="And finally&#8230; trouble brewing">'
    assert _md(_page(ld=ld, head=head)).title == "And finally… trouble brewing"
    assert _md(_page(ld=ld)).title == "And finally… trouble brewing"


def test_every_meta_author_tag_counts() -> None:
    head = ('<meta name="author" content="Rosa Delacroix"><meta name="author" content="Tom Okafor">'
            '<meta name="author" content="Rosa Delacroix">')
    assert _md(_page(head=head)).authors == ["Rosa Delacroix", "Tom Okafor"]
    head = '<meta property="article:author" content="https://news.example.org/people/rosa">'
    assert _md(_page(head=head)).authors == []


def test_plain_text_byline_when_nothing_else_names_the_author() -> None:
    body = '<h1>Harbour bridge vote</h1><p class="meta">By Rosa Delacroix and Tom Okafor, in Politics · 3 May 2024</p>'
    assert _authors(body) == ["Rosa Delacroix", "Tom Okafor"]
    # a sentence that merely starts with "By" is not a byline
    body = "<h1>Harbour bridge vote</h1><p>By the end of the year the council expects a decision.</p>"
    assert _authors(body) == []
    body = "<h1>Harbour bridge vote</h1><p>By 2030 the bridge should carry trams.</p>"
    assert _authors(body) == []
    # a byline after other inline text, and one whose names are links
    body = "<h1>Harbour bridge vote</h1><p><span>Photo</span> By Rosa de la Cruz, in <a href=\"/local\">Local</a></p>"
    assert _authors(body) == ["Rosa de la Cruz"]
    body = '<h1>Harbour bridge vote</h1><ul><li>Von: <a href="/p/rd">Rosa Delacroix</a>, <a href="/p/to">Tom Okafor</a></li></ul>'
    assert _authors(body) == ["Rosa Delacroix", "Tom Okafor"]


def test_declared_dates_in_other_formats_become_iso() -> None:
    # a Java Date.toString() in JSON-LD, an RFC 2822 date in a meta tag
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "datePublished": "Fri May 03 19:20:36 CEST 2024",
          "dateModified": "Sat May 04 08:00:00 UTC 2024"}
    md = _md(_page(ld=ld))
    assert (md.published, md.modified) == ("2024-05-03T19:20:36+02:00", "2024-05-04T08:00:00+00:00")
    head = '<meta property="article:published_time" content="Fri, 03 May 2024 17:20:36 GMT">'
    assert _md(_page(head=head)).published == "2024-05-03T17:20:36+00:00"
    # ISO 8601 is kept as written
    ld["datePublished"] = "2024-05-03T19:20:36+02:00"
    assert _md(_page(ld=ld)).published == "2024-05-03T19:20:36+02:00"
    # what is not a date gives way to the next source
    ld["datePublished"] = "just now"
    md = _md(_page(ld=ld, head='<meta property="article:published_time" content="2024-05-03T10:00:00Z">'))
    assert md.published == "2024-05-03T10:00:00Z" and md.date_sources["published"] == "meta"
    ld["datePublished"] = "Friday"  # no year: dateutil would make it this week's Friday
    assert _md(_page(ld=ld)).published is None


def test_title_the_page_displays_wins_over_other_declared_titles() -> None:
    # JSON-LD carries the search headline, og:title the one the article shows in its header
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge: what the vote means for commuters"}
    head = '<meta property="og:title" content="Council approves harbour bridge after long night">'
    body = ('<nav class="crumbs"><h1>Harbour bridge: what the vote means for commuters</h1></nav>'
            '<article><header><h2><span class="kicker">Local politics</span>'
            '<span class="headline">Council approves harbour bridge after long night</span></h2></header></article>')
    assert _md(_page(ld=ld, head=head, body=body)).title == "Council approves harbour bridge after long night"
    # when the article's h1 shows the JSON-LD headline, that one
    body = '<article><h1>Harbour bridge: what the vote means for commuters</h1></article>'
    assert _md(_page(ld=ld, head=head, body=body)).title == "Harbour bridge: what the vote means for commuters"
    # a teaser link elsewhere on the page is no support
    body = '<ul class="related"><li><a href="/x"><h2>Council approves harbour bridge after long night</h2></a></li></ul>'
    assert _md(_page(ld=ld, head=head, body=body)).title == "Harbour bridge: what the vote means for commuters"


def test_title_most_sources_agree_on_when_none_is_displayed() -> None:
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge: what the vote means for commuters"}
    head = ('<title>Council approves harbour bridge | Harbour Daily</title>'
            '<meta property="og:site_name" content="Harbour Daily">'
            '<meta property="og:title" content="Council approves harbour bridge">'
            '<meta name="twitter:title" content="Council approves harbour bridge">')
    assert _md(_page(ld=ld, head=head)).title == "Council approves harbour bridge"
    # one source against one: the JSON-LD headline
    head = '<meta property="og:title" content="Council approves harbour bridge">'
    assert _md(_page(ld=ld, head=head)).title == "Harbour bridge: what the vote means for commuters"
    # sources that repeat a headline with a section and site name after it support it
    head = ('<title>Council approves harbour bridge-PoliticsㅣHarbour Daily</title>'
            '<meta property="og:title" content="Council approves harbour bridge-PoliticsㅣHarbour Daily">'
            '<meta name="twitter:title" content="Council approves harbour bridge-PoliticsㅣHarbour Daily">')
    ld = {"@type": "NewsArticle", "headline": "Council approves harbour bridge"}
    assert _md(_page(ld=ld, head=head)).title == "Council approves harbour bridge"


def test_byline_markup_names_kept_as_written() -> None:
    # newsroom codes and agency names are lower case on purpose: no re-casing, no split at "/"
    body = '<h1>Harbour bridge vote</h1><span class="author">news/rde; tok</span>'
    assert _authors(body) == ["news/rde", "tok"]
    body = '<h1>Harbour bridge vote</h1><div class="author">Rosa Delacroix und dpa</div>'
    assert _authors(body) == ["Rosa Delacroix", "dpa"]
    # a date and time printed inside the byline are no names
    body = '<h1>Harbour bridge vote</h1><div class="author">Autor: Rosa Delacroix und Tom Okafor 05.01.2025, 15:23</div>'
    assert _authors(body) == ["Rosa Delacroix", "Tom Okafor"]


def test_microdata_publication_date_before_guessing() -> None:
    # schema.org microdata on the visible date, no JSON-LD or meta date; an older date elsewhere
    body = ('<h1>Harbour bridge vote</h1><time itemprop="datePublished" datetime="2024-05-03T16:45+0100">3 May 2024</time>'
            '<time itemprop="dateModified" datetime="2024-05-04T08:00:00+01:00">4 May</time>')
    head = '<meta name="DCSext.articleFirstPublished" content="2019-02-05 16:07">'
    md = _md(_page(head=head, body=body))
    assert (md.published, md.date_sources["published"]) == ("2024-05-03T16:45+0100", "microdata")
    assert md.modified == "2024-05-04T08:00:00+01:00"
    # a declared meta date still comes first
    head = '<meta property="article:published_time" content="2024-05-02T09:00:00Z">'
    assert _md(_page(head=head, body=body)).published == "2024-05-02T09:00:00Z"


def test_author_box_with_a_bio_names_the_writer() -> None:
    # the byline by the headline prints only the date; the author box below the text holds the
    # name alone, then a bio too long for the box to be read as a byline
    bio = ("Rosa Delacroix is a maritime reporter who has covered the harbour, its ferries and its "
           "bridges for twelve years, after a decade at the port authority.")
    body = ('<h1>Harbour bridge vote</h1><div class="post-header_author">May 3, 2024 • 5 min read</div>'
            f'<div class="blog_author-box"><img src="/rosa.jpg" alt=""><div class="blog_author-text">'
            f'<div class="small">Rosa Delacroix</div><div class="bio"><p>{bio}</p></div></div></div>')
    assert _authors(body) == ["Rosa Delacroix"]
    # a box of a label or a bio alone names nobody
    body = f'<h1>Harbour bridge vote</h1><div class="author-box"><div>Follow</div><p>{bio}</p></div>'
    assert _authors(body) == []
    # nor does one whose text does not name the name again (a login widget, a menu)
    login = ('<div class="author-tools"><div>Edit Profile</div><p>Manage the stories you follow and your '
             'newsletters, comments and saved articles from one account page.</p></div>')
    assert _authors(f"<h1>Harbour bridge vote</h1>{login}") == []
    # nor the page itself: WordPress writes <body class="single-author"> on a blog of one writer
    html = ('<html><head></head><body class="single-author"><div>Harbour Notes</div><h1>Harbour bridge vote</h1>'
            '<p>Harbour Notes is a weekly letter about the bridges and ferries of the old port town.</p></body></html>')
    assert _md(html).authors == []
    # a declared author is not looked for in the box
    head = '<meta name="author" content="Tom Okafor">'
    assert _md(_page(head=head, body=body)).authors == ["Tom Okafor"]


def test_author_box_whose_bio_writes_a_particle_onto_the_name() -> None:
    # Korean writes the topic particle onto the name ("신현주는"): the bio names the writer again
    bio = ("신현주는 부산에서 항만과 시의회를 취재하는 기자입니다. 그는 십 년 동안 항구의 예산과 선거를 다뤄 왔으며 "
           "그 전에는 지역 신문에서 법원을 취재했습니다.")
    body = f'<h1>항만 다리 표결</h1><div class="author-box"><div>신현주</div><p>{bio}</p></div>'
    assert _authors(body) == ["신현주"]
    # and a name the bio does not name again stays out, in any script
    body = f'<h1>항만 다리 표결</h1><div class="author-box"><div>김민수</div><p>{bio}</p></div>'
    assert _authors(body) == []


def test_site_name_beside_a_writer_is_no_author() -> None:
    # two author tags, the site's own name and the reporter's: the house credit is left out
    head = ('<meta property="og:site_name" content="Harbour Daily"><meta name="author" content="Harbour Daily">'
            '<meta name="author" content="Rosa Delacroix">')
    assert _md(_page(head=head)).authors == ["Rosa Delacroix"]
    # an agency beside the writer is no house name: it stays
    head = '<meta property="og:site_name" content="Harbour Daily"><meta name="author" content="Rosa Delacroix">'
    head += '<meta name="author" content="dpa">'
    assert _md(_page(head=head)).authors == ["Rosa Delacroix", "dpa"]


def test_reporter_title_after_a_korean_or_japanese_byline() -> None:
    # "기자" / "記者" (reporter) follows every name in Korean and Japanese bylines
    head = ('<meta property="og:site_name" content="한국일보"><meta name="author" content="한국일보">'
            '<meta name="author" content="신현주 기자">')
    assert _md(_page(head=head)).authors == ["신현주"]
    ld = {"@type": "NewsArticle", "headline": "港の橋", "author": [{"@type": "Person", "name": "山田太郎 記者"},
                                                                 {"@type": "Person", "name": "김민수 특파원"}]}
    assert _md(_page(ld=ld)).authors == ["山田太郎", "김민수"]
    # the title's own first part is no name: a lone "선임기자" (senior reporter) is a role, no author
    for role in ("선임기자", "수석기자", "특파원"):
        head = f'<meta name="author" content="{role}">'
        assert _md(_page(head=head)).authors == [], role
    head = '<meta name="author" content="신현주 선임기자">'
    assert _md(_page(head=head)).authors == ["신현주"]


def test_short_author_box_that_names_the_writer_again() -> None:
    # a byline block short enough to be read whole prints the name, then the first name again (a
    # second link, a bio's first words): the name alone is the writer, not "Rosa Delacroix Rosa"
    for box in ('<div class="author"><a href="/by/rosa">Rosa Delacroix</a> <a href="/by/rosa">Rosa</a></div>',
                '<div class="author-box"><h4>Rosa Delacroix</h4><p>Rosa covers the harbour.</p></div>',
                '<div class="byline">By <b>Rosa Delacroix</b><div class="bio">Rosa Delacroix</div></div>'):
        assert _authors(f"<h1>Harbour bridge vote</h1>{box}") == ["Rosa Delacroix"], box
    # a name whose words repeat within one element is the name as printed
    box = '<div class="author"><span>Ahmed Ali Ahmed</span></div>'
    assert _authors(f"<h1>Harbour bridge vote</h1>{box}") == ["Ahmed Ali Ahmed"]


def test_title_punctuated_as_the_headline_shows_it() -> None:
    # the declared title has the shown headline's words, punctuated otherwise: the page's is kept
    for declared, shown in (("Harbour bridge vote - What the council decided", "Harbour bridge vote: What the council decided"),
                            ("Will the harbour bridge open in 2026", "Will the harbour bridge open in 2026?"),
                            ("*A Treatise on Harbour Bridges* (1792)", "A Treatise on Harbour Bridges (1792)")):
        head = f'<meta property="og:title" content="{declared}">'
        assert _md(_page(head=head, body=f"<h1>{shown}</h1>")).title == shown, declared
    # quote marks alone: the declared title stays
    head = '<meta property="og:title" content="The harbour\'s new bridge">'
    assert _md(_page(head=head, body="<h1>The harbour’s new bridge</h1>")).title == "The harbour's new bridge"
    # other words, or another case, are not punctuation
    head = '<meta property="og:title" content="Harbour Bridge Vote - What The Council Decided">'
    assert _md(_page(head=head, body="<h1>Harbour bridge vote: what the council decided</h1>")).title == \
        "Harbour Bridge Vote - What The Council Decided"
    # a kicker set apart by markup, not punctuation: the declared separator stays
    head = '<meta property="og:title" content="Council - Harbour bridge vote: what was decided">'
    body = '<h1><span class="kicker">Council</span> Harbour bridge vote: what was decided</h1>'
    assert _md(_page(head=head, body=body)).title == "Council - Harbour bridge vote: what was decided"
    # a newsroom's declared headline is its edited one
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote - What the council decided"}
    assert _md(_page(ld=ld, body="<h1>Harbour bridge vote: What the council decided</h1>")).title == \
        "Harbour bridge vote - What the council decided"


def test_a_word_with_other_vowel_signs_is_another_word_not_punctuation() -> None:
    # Devanagari writes vowels as combining signs, which \w leaves out: "की" and "का" are two words
    head = '<meta property="og:title" content="राम की बात - नई दिल्ली">'
    assert _md(_page(head=head, body="<h1>राम का बात: नई दिल्ली</h1>")).title == "राम की बात - नई दिल्ली"
    # the same words punctuated otherwise are the page's, in any script
    assert _md(_page(head=head, body="<h1>राम की बात: नई दिल्ली</h1>")).title == "राम की बात: नई दिल्ली"


def test_punctuation_at_a_names_ends_is_no_part_of_it() -> None:
    # a label's colon, a separator before the date, a trailing comma: bylines leave them at the name
    for written in ("Rosa Delacroix:", "Rosa Delacroix /", "Rosa Delacroix -", "Rosa Delacroix ,", "- Rosa Delacroix -"):
        head = f'<meta name="author" content="{written}">'
        assert _md(_page(head=head)).authors == ["Rosa Delacroix"], written
    body = '<h1>Harbour bridge vote</h1><div class="byline"><span class="author-name">Rosa Delacroix:</span></div>'
    assert _authors(body) == ["Rosa Delacroix"]
    # inside a name it stays
    head = '<meta name="author" content="Jean-Luc Okafor-Delacroix">'
    assert _md(_page(head=head)).authors == ["Jean-Luc Okafor-Delacroix"]


def test_commenters_and_comment_forms_are_no_byline() -> None:
    comments = ('<ol class="comment-list"><li><div class="comment-author vcard"><cite>Tom Okafor</cite> says:</div>'
                '<p>The bridge should have been built years ago.</p></li></ol>'
                '<form id="commentform"><p class="comment-form-author"><label for="author">Name *</label>'
                '<input id="author" name="author"></p></form>')
    assert _authors(f"<h1>Harbour bridge vote</h1>{comments}") == []
    body = f'<h1>Harbour bridge vote</h1><p class="meta">By <span class="author">Rosa Delacroix</span></p>{comments}'
    assert _authors(body) == ["Rosa Delacroix"]
    # a post's comment state in its class is no comment
    body = '<article class="post comments-open"><h1>Harbour bridge vote</h1><div class="author">Rosa Delacroix</div></article>'
    assert _authors(body) == ["Rosa Delacroix"]


def test_a_form_wrapping_the_page_is_no_comment_form() -> None:
    # ASP.NET WebForms wraps the whole page, headline and byline included, in one <form>
    byline = '<h1>Harbour bridge vote</h1><div class="author">Rosa Delacroix</div>'
    body = f'<form id="aspnetForm" method="post"><input type="hidden" name="__VIEWSTATE">{byline}</form>'
    assert _authors(body) == ["Rosa Delacroix"]
    body = f'<form id="aspnetForm"><article>{byline[len("<h1>Harbour bridge vote</h1>"):]}</article></form>'
    assert _authors(body) == ["Rosa Delacroix"]


def test_a_pictures_credit_in_author_markup_is_no_byline() -> None:
    for credit in ("Фото из Инстаграма Лукаша Подольски", "Photo: Rosa Delacroix", "Foto: Rosa Delacroix"):
        body = (f'<h1>Harbour bridge vote</h1><div class="article-photo"><img src="/a.jpg">'
                f'<span class="author">{credit}</span></div>')
        assert _authors(body) == [], credit
    # the writer's byline after it is read
    body = ('<h1>Harbour bridge vote</h1><div class="photo"><span class="author">Photo: Tom Okafor</span></div>'
            '<div class="author">Rosa Delacroix</div>')
    assert _authors(body) == ["Rosa Delacroix"]


def test_an_opinion_piece_and_its_writer_are_no_comments() -> None:
    # "commentary" (an opinion piece) and "commentator" (its writer) open with "comment": a byline
    # under them is the article's
    byline = '<h1>Harbour bridge vote</h1><div class="author">Rosa Delacroix</div>'
    assert _authors(f'<article class="post commentary">{byline}</article>') == ["Rosa Delacroix"]
    body = '<h1>Harbour bridge vote</h1><div class="author commentator-name">Rosa Delacroix</div>'
    assert _authors(body) == ["Rosa Delacroix"]
    body = '<div id="commentary"><h1>Harbour bridge vote</h1><div class="author">Rosa Delacroix</div></div>'
    assert _authors(body) == ["Rosa Delacroix"]


def test_site_name_as_author_yields_to_a_printed_byline() -> None:
    # the CMS names the publisher as author; the page prints the reporter's byline
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote",
          "author": {"@type": "Organization", "name": "Harbour Daily"},
          "publisher": {"@type": "Organization", "name": "Harbour Daily"}}
    body = '<h1>Harbour bridge vote</h1><div class="author">Rosa Delacroix</div>'
    assert _md(_page(ld=ld, body=body)).authors == ["Rosa Delacroix"]
    # the same for a meta author giving the site's domain or initials
    for house in ("www.harbourdailynews.com", "HDN"):
        head = f'<meta property="og:site_name" content="Harbour Daily News"><meta name="author" content="{house}">'
        assert _md(_page(head=head, body=body)).authors == ["Rosa Delacroix"], house
    # a desk of the house printed beside the reporter is the house again
    body_desk = '<h1>Harbour bridge vote</h1><div class="author">Rosa Delacroix und HARBOUR DAILY NORTH</div>'
    ld_short = dict(ld, author={"@type": "Organization", "name": "Harbour"}, publisher={"@type": "Organization", "name": "Harbour"})
    assert _md(_page(ld=ld_short, body=body_desk)).authors == ["Rosa Delacroix"]
    # with no byline printed, the house name stays; a lone label word is no byline
    assert _md(_page(ld=ld, body="<h1>Harbour bridge vote</h1>")).authors == ["Harbour Daily"]
    body = '<h1>Harbour bridge vote</h1><div class="author">Follow</div>'
    assert _md(_page(ld=ld, body=body)).authors == ["Harbour Daily"]
    # a person declared as author keeps the byline it has
    ld["author"] = {"@type": "Person", "name": "Tom Okafor"}
    assert _md(_page(ld=ld, body=body)).authors == ["Tom Okafor"]


def test_lower_case_byline_word_opening_its_element() -> None:
    # "von <a>Dr. Rosa Delacroix</a>": German bylines often write the lead word in lower case
    body = '<h1>Harbour bridge vote</h1><p class="meta">von <a href="/autoren/rosa">Dr. Rosa Delacroix</a></p>'
    assert _authors(body) == ["Dr. Rosa Delacroix"]
    # inside a sentence it is no byline
    body = '<h1>Harbour bridge vote</h1><p>Der Plan kam <em>gestern</em> von Rosa Delacroix aus dem Rathaus.</p>'
    assert _authors(body) == []


def test_byline_of_a_teaser_card_is_not_the_articles() -> None:
    # a related-article card (a link around heading, excerpt and byline) printed below the text
    card = ('<ul class="more"><li><a href="/2024/05/02/ferry"><div><h3>Ferry timetable changes</h3>'
            '<h6>By Tom Okafor and Ada Lindqvist</h6></div></a></li></ul>')
    assert _authors(f"<h1>Harbour bridge vote</h1>{card}") == []
    body = f'<h1>Harbour bridge vote</h1><p class="meta">By Rosa Delacroix</p>{card}'
    assert _authors(body) == ["Rosa Delacroix"]
    # the article's byline with the name as a link still counts
    body = '<h1>Harbour bridge vote</h1><p class="meta">By <a href="/people/rosa">Rosa Delacroix</a></p>'
    assert _authors(body) == ["Rosa Delacroix"]


def test_headline_shared_after_two_different_kickers() -> None:
    # a newsroom's og:title and h1 carry the same headline, each after a kicker of its own
    head = ('<meta property="og:title" content="Harbour vote: «The bridge will carry trams by 2030»">'
            '<meta name="twitter:title" content="Harbour vote: «The bridge will carry trams by 2030»">'
            '<meta property="article:section" content="Politics">')
    body = '<h1>City council - «The bridge will carry trams by 2030»</h1>'
    assert _md(_page(head=head, body=body)).title == "«The bridge will carry trams by 2030»"
    # one kicker written with two separators is the same kicker: kept
    ld = {"@type": "NewsArticle", "headline": "Harbour vote - The bridge will carry trams by 2030"}
    head = '<meta property="og:title" content="Harbour vote: The bridge will carry trams by 2030">'
    assert _md(_page(ld=ld, head=head)).title == "Harbour vote - The bridge will carry trams by 2030"


def test_kicker_in_its_own_element_supports_the_title_that_writes_it() -> None:
    # the h1 shows "<span>Kicker</span>Headline"; og:title writes "Kicker / Headline", the <title>
    # "Kicker Headline - Site"; JSON-LD has the headline alone
    ld = {"@type": "NewsArticle", "headline": "The bridge will carry trams by 2030"}
    head = ('<title>Harbour vote The bridge will carry trams by 2030 - Harbour Daily</title>'
            '<meta property="og:title" content="Harbour vote / The bridge will carry trams by 2030">')
    body = "<h1><span>Harbour vote</span>The bridge will carry trams by 2030</h1>"
    assert _md(_page(ld=ld, head=head, body=body)).title == "Harbour vote / The bridge will carry trams by 2030"
    # the h1 without the kicker: the headline alone
    body = "<h1>The bridge will carry trams by 2030</h1>"
    assert _md(_page(ld=ld, head=head, body=body)).title == "The bridge will carry trams by 2030"


def test_chinese_byline_label_and_name_list() -> None:
    # "(责编：...)" closes many Chinese articles; "、" separates the names
    body = '<h1>港口大桥方案获批</h1><p>正文。</p><div class="edit">(责编：林海、周明远)</div>'
    assert _authors(body) == ["林海", "周明远"]
    body = '<h1>港口大桥方案获批</h1><p class="info">作者：林海</p>'
    assert _authors(body) == ["林海"]
    # a label without its colon is running text
    body = "<h1>港口大桥方案获批</h1><p>记者林海从现场报道。</p>"
    assert _authors(body) == []


def test_title_cut_at_an_unescaped_quote_is_made_whole() -> None:
    # content="... and "royal visit"" ends the attribute before the quote
    head = ('<meta property="og:title" content="Harbour marathon: clear winner and "royal visit"">'
            '<meta name="twitter:title" content="Harbour marathon: clear winner and "royal visit"">')
    body = '<h1>Harbour marathon: clear winner and "royal visit"</h1>'
    assert _md(_page(head=head, body=body)).title == 'Harbour marathon: clear winner and "royal visit"'
    # a newsroom's h1 that merely goes on after the declared title without a quote is another headline
    head = ('<meta property="og:title" content="Harbour marathon: clear winner">'
            '<meta property="article:section" content="Sport">')
    body = "<h1>Harbour marathon: clear winner and a royal visit</h1>"
    assert _md(_page(head=head, body=body)).title == "Harbour marathon: clear winner"


def test_whole_title_tag_supports_a_headline_holding_a_dash() -> None:
    # "Topic - Headline - Site": the <title>'s longest part alone ("council approves the plan")
    # supports nobody; the whole <title> supports the JSON-LD headline against two social copies
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge - council approves the plan"}
    head = ('<title>Harbour bridge - council approves the plan - Harbour Daily</title>'
            '<meta property="og:title" content="Council says yes to the bridge">'
            '<meta name="twitter:title" content="Council says yes to the bridge">')
    assert _md(_page(ld=ld, head=head)).title == "Harbour bridge - council approves the plan"
    # shown as the article's heading, the social headline still wins
    body = "<article><h2>Council says yes to the bridge</h2></article>"
    assert _md(_page(ld=ld, head=head, body=body)).title == "Council says yes to the bridge"


def test_json_ld_name_other_than_the_headline_votes() -> None:
    # the h1 shows the JSON-LD headline; JSON-LD's name, og:title, twitter:title and the <title>
    # all declare the social headline: four declarations against a shown heading and one
    ld = {"@type": "NewsArticle", "headline": "Tears for the pole vaulter, then the twist",
          "name": "Paris 2024: Tears for Lene Moe, then the twist"}
    head = ('<title>Paris 2024: Tears for Lene Moe, then the twist</title>'
            '<meta property="og:title" content="Paris 2024: Tears for Lene Moe, then the twist">'
            '<meta name="twitter:title" content="Paris 2024: Tears for Lene Moe, then the twist">')
    body = "<article><h1>Tears for the pole vaulter, then the twist</h1></article>"
    assert _md(_page(ld=ld, head=head, body=body)).title == "Paris 2024: Tears for Lene Moe, then the twist"
    # a name that repeats the headline is the same declaration: the tie stays with the headline
    ld["name"] = ld["headline"]
    assert _md(_page(ld=ld, head=head, body=body)).title == "Tears for the pole vaulter, then the twist"


def _byline_variants_page() -> str:
    # every branch of trafilatura's author and discard XPaths, and near misses, on many tags
    attrs = [("class", v) for v in (
        "author", "Author", "author-name", "authorname", "authorName", "AuthorName", "post-author vcard", "authority",
        "byline", "Byline", "my-byline", "byl", "BBL", "bbl", "username", "screenname", "writer", "channel-name",
        "zuozhe", "bianji", "xiaobian", "submitted-by", "posted-by", "journalist-name", "comments", "Comments-box",
        "x-comments", "commentlist", "comments-list", "sidebar", "is-hidden", "quote", "embedly-instagram",
        "article-share", "article-support", "print", "category", "meta-date", "meta-reviewer", "title", "date")]
    attrs += [("id", v) for v in ("author", "Author-box", "zuozhe1", "bianji", "xiaobian", "comments", "comment-list",
                                  "commentlist", "ProductReviews", "x-comments")]
    attrs += [("itemprop", v) for v in ("author", "author name", "name author", "Author")]
    attrs += [("rel", v) for v in ("author", "me", "authors")]
    attrs += [("data-testid", v) for v in ("AuthorCard", "AuthorURL", "Author")]
    attrs += [("data-component", v) for v in ("Byline", "SiteByline", "Figure", "byline")]
    tags = ("a", "address", "div", "link", "p", "span", "strong", "h3", "h4", "section", "li", "time", "figure", "author")
    parts = [f'<{t} {a}="{v}">Rosa Delacroix</{t}>' for t in tags for a, v in attrs]
    parts += ["<author>Rosa Delacroix</author>", "<span><rel>me</rel>Rosa</span>", "<div><rel>you</rel>Tom</div>"]
    return "<html><body>" + "".join(parts) + "</body></html>"


def test_byline_element_tests_agree_with_trafilaturas_xpaths() -> None:
    # the Python tests stand in for trafilatura's XPaths (for speed): they must pick the same elements
    from trafilatura.metadata import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

    from newsclean.cleaners.metadata.authors.byline_markup import _author_xpaths_hit, _byline_candidates, _discarded
    tree = lxml.html.document_fromstring(_byline_variants_page())
    path = tree.getroottree().getpath
    elements = [el for el in tree.iter() if isinstance(el.tag, str)]
    superset = {path(el) for el in _byline_candidates(tree)}
    for i, xpath in enumerate(AUTHOR_XPATHS):
        expected = [path(el) for el in xpath(tree)]
        assert expected, i
        assert [path(el) for el in elements if _author_xpaths_hit(el)[i]] == expected, i
        assert superset >= set(expected)
    discarded = {path(el) for xpath in AUTHOR_DISCARD_XPATHS for el in xpath(tree)}
    assert {path(el) for el in elements if _discarded(el)} == discarded


def test_byline_markup_reads_what_trafilatura_reads() -> None:
    from copy import deepcopy

    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.metadata import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS, extract_metainfo

    from newsclean.cleaners.metadata.authors.byline_markup import _byline_markup
    pages = [
        # a byline in a pruned sidebar, then one holding a date (pruned, its tail kept)
        '<div class="sidebar"><span class="author">Tom Okafor</span></div>'
        '<p class="byline">By <a rel="author">Rosa Delacroix</a><time>3 May</time> and Ada Lindqvist</p>',
        # a first hit too long to be a byline, then a good one of a later XPath
        f'<div class="author">{"Rosa Delacroix writes about harbours. " * 5}</div><h4 class="writer">Tom Okafor</h4>',
        # a pruned element inside a byline: its tail joins the text before it
        '<span class="author-name">Rosa<span class="date">3 May</span>Delacroix <i>and</i> Tom</span>',
        '<p>No byline here.</p>',
        # rel='me' is read on the pruned page: "m<span class=date>x</span>e" is "me" there
        '<p><rel>m<span class="date">x</span>e</rel>Ada Lindqvist</p>',
        # markup after </html> that the parser leaves beside the root: outside the tree, as in trafilatura's copy
        '<p>Text.</p></body></html><span class="author">Tom Okafor</span>',
        _byline_variants_page()[len("<html><body>"):-len("</body></html>")],
    ]
    for body in pages:
        tree = lxml.html.document_fromstring(f"<html><body>{body}</body></html>")
        expected = extract_metainfo(prune_unwanted_nodes(deepcopy(tree), AUTHOR_DISCARD_XPATHS), AUTHOR_XPATHS,
                                    len_limit=120)
        assert _byline_markup(tree) == expected, body[:60]


def test_byline_noise_printed_around_names_is_dropped() -> None:
    # dates with a month's name, weekdays, reading times, photo credits, a lone number, quotes,
    # labels of several words: printed with the name, none of it the name
    for byline, names in [
        ("Rosa Delacroix Dec 18, 2025", ["Rosa Delacroix"]),
        ("16 December 2025 by Rosa Delacroix", ["Rosa Delacroix"]),
        ("Montag, den 3. März 2025 Rosa Delacroix", ["Rosa Delacroix"]),
        ("Rosa Delacroix (Image: Getty Images)", ["Rosa Delacroix"]),
        ("Rosa Delacroix 7 min read", ["Rosa Delacroix"]),
        ("Rosa Delacroix 2", ["Rosa Delacroix"]),
        ("98 Buck Social", ["98 Buck Social"]),
        ("Audiophile On", ["Audiophile On"]),
        ("Rosa Delacroix on 05.01.2025, 15:23", ["Rosa Delacroix"]),
        ("Text by Rosa Delacroix", ["Rosa Delacroix"]),
        ("Written By: Rosa Delacroix and Tom May", ["Rosa Delacroix", "Tom May"]),
        ("Updated January 08", []),
        ("Written By", []),
    ]:
        body = f'<span class="author-name">{byline}</span><h1>Harbour bridge vote</h1>'
        assert _authors(body) == names, byline
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": '"Tom Okafor"'}}
    assert _md(_page(ld=ld)).authors == ["Tom Okafor"]
    # names that read like calendar words stay whole
    for name in ("Tom May", "Dan Sunday", "August Okafor", "Juni Park"):
        ld["author"]["name"] = name
        assert _md(_page(ld=ld)).authors == [name]


def test_part_of_the_declared_title_that_the_page_shows() -> None:
    # the declared title carries a blog's name that is not the declared site name, before or
    # after the headline: the part the page shows as its heading is the headline
    for declared in ("Harbour Notes | Why the bridge vote was delayed again",
                     "Why the bridge vote was delayed again - The Harbour Notes Blog"):
        head = f'<meta property="og:title" content="{declared}"><meta property="og:site_name" content="Example News">'
        body = '<div class="post"><h1>Why the bridge vote was delayed again</h1></div>'
        assert _md(_page(head=head, body=body)).title == "Why the bridge vote was delayed again", declared
    # nothing of it shown: the declared title stays whole
    head = '<meta property="og:title" content="Harbour Notes | Why the bridge vote was delayed again">'
    assert _md(_page(head=head, body="<h1>Harbour Notes</h1>")).title == "Harbour Notes | Why the bridge vote was delayed again"


def test_webpage_node_dates_a_page_without_an_article_node() -> None:
    # SEO plugins describe a post as a WebPage only; its datePublished is the post's, the
    # modified time in the meta tags is not (htmldate alone took that one)
    from newsclean.cleaners.metadata import fill_dates
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "@id": "https://blog.example.org/#website", "name": "Example Blog"},
        {"@type": "WebPage", "@id": "https://blog.example.org/rain/", "name": "Rain gauges",
         "datePublished": "2024-03-17T19:47:39+00:00", "dateModified": "2024-05-03T10:57:58+00:00"}]}
    head = '<meta property="article:modified_time" content="2024-05-03T10:57:58+00:00">'
    tree = lxml.html.document_fromstring(_page(ld=ld, head=head, body="<h1>Rain gauges</h1>"))
    md = extract_metadata(tree, "https://blog.example.org/rain/")
    fill_dates(md, tree, "https://blog.example.org/rain/")
    assert (md.published or "")[:10] == "2024-03-17"
    assert md.date_sources["published"] == "json-ld"


def test_job_title_printed_after_the_name_is_dropped() -> None:
    # a byline block holds the name and the writer's role; the role is no name, nor a role alone
    for byline, names in [
        ("Rosa Delacroix Former Harbour Authority Consultant", ["Rosa Delacroix"]),
        ("Rosa Delacroix Founder at Quayside Labs", ["Rosa Delacroix"]),
        ("Rosa Delacroix Founder, Lead Reviewer", ["Rosa Delacroix"]),
        ("Rosa Delacroix, Staff Writer and Tom Okafor, Editor", ["Rosa Delacroix", "Tom Okafor"]),
        # names and team names that end in a job word stay
        ("Jane Writer", ["Jane Writer"]),
        ("The Harbour editors", ["The Harbour editors"]),
    ]:
        body = f'<div class="author-name">{byline}</div><h1>Harbour bridge vote</h1>'
        assert _authors(body) == names, byline


def test_job_title_after_a_printed_bylines_name_is_no_second_writer() -> None:
    # the printed byline that replaces a declared writer printed nowhere returned the job title
    # after a comma as a second writer ("Opinion Columnist"; "Chief Political" of "Chief Political
    # Correspondent"); with the declared writer printed, or nothing declared, it is the same byline
    ld = {"@type": "BlogPosting", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": "Tom Okafor"}}
    for role in ("Opinion Columnist", "Chief Political Correspondent", "Harbour Desk Senior Editor"):
        body = f"<h1>Harbour bridge vote</h1><p>By Rosa Delacroix, {role}</p>"
        assert _md(_page(ld=ld, body=body)).authors == ["Rosa Delacroix"], role
        assert _authors(body) == ["Rosa Delacroix"], role
    # a second writer after the first stays
    body = "<h1>Harbour bridge vote</h1><p>By Rosa Delacroix, Tom Okafor</p>"
    assert _authors(body) == ["Rosa Delacroix", "Tom Okafor"]
    # a job title follows a comma: after "and" a name ending in a job word is a second writer
    for byline in ("Rosa Delacroix and Jane Writer", "Rosa Delacroix & Jane Writer", "Tom Okafor, Rosa Delacroix und Jane Writer"):
        names = byline.replace(" and ", ", ").replace(" & ", ", ").replace(" und ", ", ").split(", ")
        assert _authors(f"<h1>Harbour bridge vote</h1><p>By {byline}</p>") == names, byline
        ld_byline = {"@type": "BlogPosting", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": byline}}
        assert _md(_page(ld=ld_byline, body="<h1>Harbour bridge vote</h1>")).authors == names, byline


def test_second_writer_whose_name_ends_in_a_job_word_is_told_by_the_pages_writers() -> None:
    # "Rosa Delacroix, Jane Writer": after a comma the second name read as a job title and was
    # dropped; the page names her a writer elsewhere (a link to her writer's page, by its text or
    # its address, or a JSON-LD Person), which no job title is
    byline_link = '<div class="byline"><a href="/author/rosa">Rosa Delacroix</a>, <a href="/author/jane">Jane Writer</a></div>'
    assert _authors(f"<h1>Harbour bridge vote</h1>{byline_link}") == ["Rosa Delacroix", "Jane Writer"]
    for elsewhere in ('<p>More from <a href="/author/jane-writer/">Jane Writer</a></p>',
                      '<p><a href="https://news.example.org/author/jane-writer/">Her other posts</a></p>'):
        for byline in ("<p>By Rosa Delacroix, Jane Writer</p>", '<div class="author">Rosa Delacroix, Jane Writer</div>'):
            body = f"<h1>Harbour bridge vote</h1>{byline}{elsewhere}"
            assert _authors(body) == ["Rosa Delacroix", "Jane Writer"], (byline, elsewhere)
        ld = {"@type": "BlogPosting", "headline": "Harbour bridge vote",
              "author": {"@type": "Person", "name": "Rosa Delacroix, Jane Writer"}}
        assert _md(_page(ld=ld, body=f"<h1>Harbour bridge vote</h1>{elsewhere}")).authors == ["Rosa Delacroix", "Jane Writer"]
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "BlogPosting", "headline": "Harbour bridge vote", "author": [{"@id": "#rosa"}, {"@id": "#jane"}]},
        {"@type": "Person", "@id": "#rosa", "name": "Rosa Delacroix"}, {"@type": "Person", "@id": "#jane", "name": "Jane Writer"}]}
    assert _md(_page(ld=ld, body="<h1>Harbour bridge vote</h1><p>By Rosa Delacroix, Jane Writer</p>")).authors == [
        "Rosa Delacroix", "Jane Writer"]
    # without it the part after the comma stays a job title; a job title linked nowhere stays one
    assert _authors("<h1>Harbour bridge vote</h1><p>By Rosa Delacroix, Jane Writer</p>") == ["Rosa Delacroix"]
    body = ('<h1>Harbour bridge vote</h1><p>By <a href="/author/rosa-delacroix/">Rosa Delacroix</a>, Opinion Columnist</p>'
            '<p>More from <a href="/author/rosa-delacroix/">Rosa Delacroix</a></p>')
    assert _authors(body) == ["Rosa Delacroix"]


def test_a_greeting_after_the_name_is_no_part_of_it() -> None:
    # an author box printing the name and its greeting with no break between them: "!" ended the
    # name's sentence, the greeting's word kept ("Jack Shepherd Hi")
    for byline in ("Jack Shepherd Hi! I'm Jack, I write about boats.", "Jack Shepherd Hi! I'm Jack",
                   "Jack Shepherd Ahoy? Boats are my trade."):
        assert _printed_authors(byline) == ["Jack Shepherd"], byline
    # the bio after a name's sentence still ends the names, a long one of no commas too (it was too
    # long a part to be read for a name)
    for byline in ("Rosa Delacroix. She covers the port, its ferries, its bridges.",
                   "Rosa Delacroix. She covers the port and its ferries and bridges for the paper."):
        assert _printed_authors(byline) == ["Rosa Delacroix"], byline


def test_a_line_break_in_a_byline_parts_the_name_from_what_follows() -> None:
    # a <br> or a block between the name and the role is a break on screen: the text around it
    # was read joined ("Rosa DelacroixSenior"), the name and the role one word
    for byline in ('<p>By <a href="/by/rosa">Rosa Delacroix</a><br>Senior Editor</p>',
                   "<p><span>By <b>Rosa Delacroix</b><br>Senior Editor</span></p>",
                   '<div class="card"><a href="/author/rosa-delacroix/">Rosa Delacroix<br>Senior Editor</a></div>'):
        assert _authors(f"<h1>Harbour bridge vote</h1>{byline}") == ["Rosa Delacroix"], byline
    # two writers a break apart are two
    byline = '<p>By <a href="/by/rosa">Rosa Delacroix</a><br><a href="/by/tom">Tom Okafor</a></p>'
    assert _authors(f"<h1>Harbour bridge vote</h1>{byline}") == ["Rosa Delacroix", "Tom Okafor"]
    # inline markup inside a name still joins as written
    assert _authors("<h1>Harbour bridge vote</h1><p>By <b>Rosa O</b>'<b>Neil</b></p>") == ["Rosa O'Neil"]


def test_a_bylines_line_break_after_a_whole_name_ends_it() -> None:
    # read as a space, the break joined the name to the next line: "Rosa Delacroix Harbour"
    for byline in ('<div class="byline"><b>Rosa Delacroix</b><br>Harbour</div>',
                   "<p>By <b>Rosa Delacroix</b><br>Harbour</p>",
                   '<div class="byline">By Rosa Delacroix<br>Harbour Town</div>',
                   '<div class="author-box"><h4>Rosa Delacroix</h4><p>Hi! I am Rosa, I write on the port.</p></div>'):
        assert _printed_authors(byline) == ["Rosa Delacroix"], byline
    # a byline listing its writers line by line, each line a name, lists them all
    assert _printed_authors("By Rosa Delacroix<br>Tom Okafor<br>Ada Lovelace") == ["Rosa Delacroix", "Tom Okafor",
                                                                                   "Ada Lovelace"]
    # a name's own words on two lines, the first no whole name, stay one name
    assert _printed_authors("<span>Rosa</span><br><span>Delacroix</span>") == ["Rosa Delacroix"]


def test_an_author_boxs_bio_after_the_name_names_no_writer() -> None:
    # an author box (a name, a role, a bio of one sentence) short enough to be read as a byline:
    # the bio's pieces between its commas were writers ("its ferries", "its bridges for the paper.")
    html = (FIXTURES / "meta_author_box_bio.html").read_text("utf-8")
    assert _md(html).authors == ["Rosa Delacroix"]
    for byline in ("<b>Rosa Delacroix</b><span>Harbour Editor</span><p>She covers the port, its ferries, its bridges.</p>",
                   "Rosa Delacroix. She covers the port, its ferries, its bridges for the paper."):
        assert _printed_authors(byline) == ["Rosa Delacroix"], byline
    # a piece not shaped as a name ends the writers: "in Harbour News" is the section
    assert _printed_authors("Rosa Delacroix, Tom Okafor, in Harbour News") == ["Rosa Delacroix", "Tom Okafor"]
    # a credential after a name stays; the sentence after it ends the names
    assert _printed_authors("Shelby Roe, DVM . Reviewed by Molly Price, DVM") == ["Shelby Roe", "DVM"]
    # initials, a title and a suffix written with a stop end no sentence; nor does a one-word code
    assert _printed_authors("J. R. Okafor, Tom Roe Jr.") == ["J. R. Okafor", "Tom Roe Jr."]
    assert _printed_authors("Prof. Dr. Rosa Delacroix, Tom Roe") == ["Prof. Dr. Rosa Delacroix", "Tom Roe"]
    assert _printed_authors("Rosa Delacroix, dpa") == ["Rosa Delacroix, dpa"]


def test_cms_handle_as_author_yields_to_the_printed_name() -> None:
    body = '<h1>Harbour bridge vote</h1><div class="byline"><span class="author-name">Rosa Delacroix</span></div>'
    for handle in ("rosa.delacroix", "editor_7"):
        ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": handle}}
        assert _md(_page(ld=ld, body=body)).authors == ["Rosa Delacroix"], handle
    # a one-word pen name is kept
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": "BeauHD"}}
    assert _md(_page(ld=ld, body=body)).authors == ["BeauHD"]


FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "cleaners"


def test_copyright_year_is_no_publication_date() -> None:
    # nothing dates the article; the footer's copyright line gives a year, which is no day
    para = "<p>The council voted on the harbour bridge plan late on Tuesday evening after a long debate.</p>"
    html = (f'<html><body><h1>Harbour bridge vote</h1>{para * 8}'
            '<footer><p>Copyright 2025 Harbour Daily. All rights reserved.</p></footer></body></html>')
    art = clean_html(html, "https://news.example.org/harbour-bridge-vote")
    assert isinstance(art, Article)
    assert art.published is None


def test_day_printed_by_the_headline_before_the_pages_other_dates() -> None:
    # nothing declares a date; the byline under the h1 prints the day in a plain <p>, and teasers of
    # older posts print theirs further down: htmldate's text search takes the oldest (a teaser's)
    html = (FIXTURES / "meta_shown_date.html").read_text("utf-8")
    art = clean_html(html, "https://greenway.example.net/guides/community-garden")
    assert isinstance(art, Article)
    assert (art.published, art.date_sources["published"]) == ("2019-03-14", "shown")
    # a date inside the article's prose, or in a photo caption, is the event's, not the article's
    body = ('<h1>Harbour bridge vote</h1><figure><img src="/a.jpg"><figcaption>The bridge on 3 May 2021'
            '</figcaption></figure><p>The bridge opened on 3 May 2021, and the council has argued about '
            'its tolls ever since, most loudly at the meeting last week.</p>')
    assert shown_day_near_headline(lxml.html.document_fromstring(_page(body=body))) is None
    # a day written only in digits counts when it is unambiguous; 3/4/2025 is March or April
    for shown, day in (("17.12.2025", "2025-12-17"), ("12/17/2025", "2025-12-17"), ("2025-12-17", "2025-12-17"),
                       ("17. Dezember 2025", "2025-12-17"), ("3/4/2025", None)):
        body = f'<h1>Harbour bridge vote</h1><div class="meta"><span>Rosa Delacroix</span><span>{shown}</span></div>'
        assert shown_day_near_headline(lxml.html.document_fromstring(_page(body=body))) == day, shown


def test_a_day_printed_on_a_line_of_its_own_dates_a_page_nothing_else_dates() -> None:
    # nothing declared, no day by an <h1>: a page that shows its headline in a <p> (a site
    # builder's), or a long standfirst between the <h1> and its "Posted on" line, got no day
    from newsclean.cleaners.metadata import fill_dates
    para = "<p>The council voted on the harbour bridge plan late on Tuesday evening after a long debate.</p>"
    standfirst = ("<p>" + "The harbour bridge has divided the town for a decade, and the vote settles little of it. " * 5
                  + "</p>")
    for body, day in (
            ('<nav><span>Dec 1, 2025</span></nav><div class="hero"><p class="big">Harbour bridge vote</p><p>Rosa '
             'Delacroix</p><p>Feb 16, 2026</p></div>' + para * 4, "2026-02-16"),
            (f"<h1>Harbour bridge vote</h1>{standfirst}<div>Posted on Nov 21, 2018</div>" + para * 4, "2018-11-21")):
        html = f"<html><head><title>Harbour bridge vote</title></head><body>{body}</body></html>"
        tree = lxml.html.document_fromstring(html)
        md = extract_metadata(tree, "https://news.example.org/harbour-bridge-vote")
        fill_dates(md, tree, "https://news.example.org/harbour-bridge-vote", use_htmldate=False)
        assert (md.published, md.date_sources.get("published")) == (day, "printed"), body
    # a day inside prose, in navigation, a footer or a caption is none
    for body in (para + "<p>The bridge opened on 3 May 2021, and the council has argued about its tolls ever since.</p>",
                 para + "<footer><p>Feb 16, 2026</p></footer>",
                 para + '<figure><img src="/a.jpg"><figcaption>Feb 16, 2026</figcaption></figure>'):
        tree = lxml.html.document_fromstring(f"<html><body><nav><p>Dec 1, 2025</p></nav>{body}</body></html>")
        md = extract_metadata(tree, "https://news.example.org/harbour-bridge-vote")
        fill_dates(md, tree, "https://news.example.org/harbour-bridge-vote", use_htmldate=False)
        assert md.published is None, body


def test_utc_time_one_day_off_the_urls_day_gives_the_urls_day() -> None:
    # published at 21:40 New York time: the meta tag writes the moment in UTC, on the next day;
    # the URL (and the page) give the day the site published on
    head = '<meta property="article:published_time" content="2024-05-04T01:40:12+00:00">'
    html = _page(head=head, body="<h1>Harbour bridge vote</h1>" + "<p>The council voted late on Friday.</p>" * 8)
    art = clean_html(html, URL)
    assert isinstance(art, Article)
    assert (art.published, art.date_sources["published"]) == ("2024-05-03", "url")
    # a URL day further off is another thing (a republished story): the declared date stays
    art = clean_html(html, URL.replace("/05/03/", "/05/01/"))
    assert (art.published, art.date_sources["published"]) == ("2024-05-04T01:40:12+00:00", "meta")


def test_writer_named_by_a_labelled_twitter_data_pair() -> None:
    # an SEO plugin's reading-aid pairs; the JSON-LD node is a WebPage, no author meta, no byline markup
    head = ('<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Rosa Delacroix">'
            '<meta name="twitter:label2" content="Est. reading time"><meta name="twitter:data2" content="4 minutes">')
    assert _md(_page(head=head, ld={"@type": "WebPage", "name": "Harbour bridge vote"})).authors == ["Rosa Delacroix"]
    # the byline labels of every language the byline readers know (_LEAD_LABELS)
    for label in ("By", "Author:", "Verfasst von", "Auteur", "Escrito por", "Publié par", "Autorin"):
        head = f'<meta name="twitter:label1" content="{label}"><meta name="twitter:data1" content="Rosa Delacroix">'
        assert _md(_page(head=head)).authors == ["Rosa Delacroix"], label
    # a pair with another label names nobody
    head = '<meta name="twitter:label1" content="Est. reading time"><meta name="twitter:data1" content="4 minutes">'
    assert _md(_page(head=head)).authors == []


def test_byline_label_in_its_own_element_or_written_out() -> None:
    # "By" styled apart from the name, each in a span of its own; and a "Written by" heading
    body = ('<h1>Harbour bridge vote</h1><div class="x1 y2"><div class="k9"><span class="q1">By</span>'
            '<span>Rosa Delacroix</span></div><div class="k8">March 4, 2025</div></div>')
    assert _authors(body) == ["Rosa Delacroix"]
    body = '<h1>Harbour bridge vote</h1><h3 class="wp-block-heading">Written by Tom Okafor</h3>'
    assert _authors(body) == ["Tom Okafor"]
    # a label with no name beside it names nobody
    assert _authors('<h1>Harbour bridge vote</h1><div><span>By</span></div>') == []


def test_declared_title_is_the_shown_headline_with_a_tagline_after_it() -> None:
    # og:title adds a tagline after a separator to the <h1> the page shows: the h1 is the headline
    for declared in ("Best Camping Hammocks of 2026, Tested & Reviewed", "Best Camping Hammocks of 2026 (via Trailpost)",
                     "Best Camping Hammocks of 2026 ⋆"):
        head = f'<meta property="og:title" content="{declared}">'
        md = _md(_page(head=head, body="<h1>Best Camping Hammocks of 2026</h1>"))
        assert md.title == "Best Camping Hammocks of 2026", declared
    # words added without a separator are the title's own; an h1 in the navigation is no headline
    head = '<meta property="og:title" content="Best Camping Hammocks of 2026 for Two">'
    assert _md(_page(head=head, body="<h1>Best Camping Hammocks of 2026</h1>")).title == "Best Camping Hammocks of 2026 for Two"
    head = '<meta property="og:title" content="Trailpost Gear Guides: Best Camping Hammocks of 2026">'
    body = '<nav><h1>Trailpost Gear Guides</h1></nav><h2>Best Camping Hammocks of 2026</h2>'
    assert _md(_page(head=head, body=body)).title == "Trailpost Gear Guides: Best Camping Hammocks of 2026"


def test_headline_the_page_shows_over_a_declared_search_title() -> None:
    # a company blog: JSON-LD and og:title carry the search-engine title, the page shows another
    shown = "How Machine Learning Personalizes Online Shopping"
    declared = "Using Machine Learning To Personalize Shopping Experiences"
    ld = {"@type": "BlogPosting", "headline": declared, "author": {"@type": "Person", "name": "Rosa Delacroix"}}
    head = f'<meta property="og:title" content="{declared} | Acme Blog">'
    assert _md(_page(ld=ld, head=head, body=f'<h1 class="post-title">{shown}</h1>')).title == shown
    # a newsroom's declared headline is its edited one: NewsArticle, or an article:section tag
    news = dict(ld, **{"@type": "NewsArticle"})
    assert _md(_page(ld=news, head=head, body=f"<h1>{shown}</h1>")).title == declared
    section = head + '<meta property="article:section" content="Technology">'
    assert _md(_page(ld=dict(ld, **{"@type": "Article"}), head=section, body=f"<h1>{shown}</h1>")).title == declared
    # ... but not on a page typed BlogPosting: SEO plugins write article:section on every blog post
    assert _md(_page(ld=ld, head=section, body=f"<h1>{shown}</h1>")).title == shown
    # the same words in another typography, capitals set by style, a heading built of parts, or
    # a heading about something else: the declared title stays
    for h1 in ("Using machine learning to personalize shopping experiences", declared.upper(),
               f"<span>Guide</span>{shown}", "Subscribe to our newsletter today"):
        assert _md(_page(ld=ld, head=head, body=f"<h1>{h1}</h1>")).title == declared, h1


def test_shown_headline_sharing_over_a_fifth_of_the_declared_titles_words() -> None:
    # a company blog's social title words the article its own way; the headline shares three of
    # their thirteen words (0.23) and is the same article's
    declared = "Grow Your Bakery with Cheap Local Advertising"
    shown = "Best Cheap Local Advertising Channels for Small Town Bakeries"
    head = f'<meta property="og:title" content="{declared}"><title>{declared}</title>'
    assert _md(_page(head=head, body=f"<h1>{shown}</h1>")).title == shown
    # a heading that shares one word (a shop's call to action) is something else
    assert _md(_page(head=head, body="<h1>Visit our shop for cheap gifts and more</h1>")).title == declared


def test_site_name_written_as_in_the_address_is_cut_from_the_title() -> None:
    # no og:site_name; the title's last part names the site as its address does
    head = '<meta property="og:title" content="Top 5 Payroll Tools in 2026 | HarbourHR">'
    md = extract_metadata(lxml.html.document_fromstring(_page(head=head)), "https://www.getharbourhr.com/blog/payroll")
    assert md.title == "Top 5 Payroll Tools in 2026"
    head = '<meta property="og:title" content="A brief intro to git • Rosa Delacroix">'
    md = extract_metadata(lxml.html.document_fromstring(_page(head=head)), "https://rosad.dev/posts/git")
    assert md.title == "A brief intro to git"
    # a last part the address does not name is a section, or the headline's own
    head = '<meta property="og:title" content="Harbour bridge vote - Politics">'
    assert _md(_page(head=head)).title == "Harbour bridge vote - Politics"
    # a short last part that a few letters of the address hold by chance is the headline's own
    head = '<meta property="og:title" content="The harbour budget, explained: AI">'
    md = extract_metadata(lxml.html.document_fromstring(_page(head=head)), "https://www.trailnews.com/ai-budget")
    assert md.title == "The harbour budget, explained: AI"
    # an address that is no URL ("http://[::1/x") names no site: the title stays, nothing raises
    head = '<meta property="og:title" content="Top 5 Payroll Tools in 2026 - HarbourHR">'
    md = extract_metadata(lxml.html.document_fromstring(_page(head=head)), "http://[::1/blog/payroll")
    assert md.title == "Top 5 Payroll Tools in 2026 - HarbourHR"


def test_day_printed_under_the_headline_over_a_declared_day_of_another_date() -> None:
    # an imported post: the CMS declares the day of the import, the page prints the post's own day
    head = ('<meta property="article:published_time" content="2013-03-11T08:00:00+00:00">'
            '<meta property="article:modified_time" content="2026-02-18T09:00:00+00:00">')
    url = "https://clinic.example.org/news/food-myths"

    def published(byline: str, before: str = "") -> tuple[str | None, str | None]:
        body = f'{before}<h1>Nine food myths</h1><div class="meta">{byline}</div>'
        md = page_metadata(_page(head=head, body=body), url)
        return md.published[:10], md.date_sources["published"]

    assert published("<span>March 20, 2023</span>") == ("2023-03-20", "shown")
    assert published("<span>Rosa Delacroix</span> <span>20. März 2023</span>") == ("2023-03-20", "shown")
    # the day of an update, as the page labels it: the truth takes the declared day or that one
    assert published("<span>Last updated: March 20, 2023</span>") == ("2013-03-11", "meta")
    assert published("<span>Aktualisiert am 20.03.2023</span>") == ("2013-03-11", "meta")
    # ... and as Japanese, Chinese and Korean pages print the label: a word of its own after the
    # verb ("更新日", update day; "更新于", updated at; "수정일", day modified; "업데이트", update)
    for label in ("更新日：", "最終更新日 ", "更新于 ", "更新时间：", "更新 ", "수정일: ", "업데이트 "):
        assert published(f"<span>{label}2023.03.20</span>") == ("2013-03-11", "meta"), label
    assert published("<span>公開日：2023.03.20</span>") == ("2023-03-20", "shown")
    # ... and as pages print it in languages that write the day in digits (Norwegian, Danish,
    # Swedish, Finnish, Czech, Turkish, Indonesian, Hungarian, Romanian, Ukrainian, Vietnamese)
    for label in ("Oppdatert ", "Opdateret den ", "Uppdaterad ", "Päivitetty ", "Aktualizováno: ",
                  "Güncelleme Tarihi: ", "Güncellendi: ", "Diperbarui pada ", "Frissítve: ",
                  "Actualizat: ", "Оновлено: ", "Cập nhật lúc "):
        assert published(f"<span>{label}20.03.2023</span>") == ("2013-03-11", "meta"), label
    assert published("<span>Publisert 20.03.2023</span>") == ("2023-03-20", "shown")
    # ... or after the day, as Japanese and Korean pages often print it ("2023/03/20 更新")
    for shown in ("2023/03/20 更新", "2023年3月20日更新", "2023.03.20 수정", "2023-03-20（更新）"):
        assert published(f"<span>{shown}</span>") == ("2013-03-11", "meta"), shown
    # a label after the day that is the next day's: the first is the day it published on
    assert published("<span>2023/03/20 更新日 2024/01/05</span>") == ("2023-03-20", "shown")
    assert published("<span>2023/03/20</span> <span>更新：2024/01/05</span>") == ("2023-03-20", "shown")
    # a day over the headline: the site header's "today", a dateline of the section
    assert published("<span>Rosa Delacroix</span>", before="<p>Friday, March 20, 2023</p>") == ("2013-03-11", "meta")
    # a day apart: the declared moment in another zone
    assert published("<span>March 12, 2013</span>") == ("2013-03-11", "meta")
    # the declared update's day, printed bare: the truth takes either, the declared day stays
    assert published("<span>February 18, 2026</span>") == ("2013-03-11", "meta")


def test_json_ld_date_written_for_display_yields_to_the_day_printed_by_the_headline() -> None:
    # a page builder fills datePublished with a display string of another date (its last build)
    ld = {"@type": "BlogPosting", "headline": "How to price a yoga class", "datePublished": "Jun 24, 2025"}
    body = ('<h1>How to price a yoga class</h1><div class="meta"><span>Shauna Lindqvist</span>'
            '<span>August 25, 2024</span></div>')
    md = _md(_page(ld=ld, body=body))
    assert (md.published, md.date_sources["published"]) == ("2024-08-25", "shown")
    # a machine-written timestamp is the source's own: it stays
    ld["datePublished"] = "2025-06-24T10:00:00+00:00"
    md = _md(_page(ld=ld, body=body))
    assert (md.published, md.date_sources["published"]) == ("2025-06-24T10:00:00+00:00", "json-ld")
    # with no day printed by the headline, the display string is read as the date
    ld["datePublished"] = "Jun 24, 2025"
    assert _md(_page(ld=ld, body="<h1>How to price a yoga class</h1>")).published[:10] == "2025-06-24"


def test_printed_byline_with_a_month_name_and_a_dot_operator() -> None:
    # a name that is a month's name stays
    assert _authors("<h1>Harbour bridge vote</h1><p>By Tom May 12 May 2025</p>") == ["Tom May"]
    # a dot operator parts the name from the role and the update line
    body = ("<h1>Harbour bridge vote</h1><div>By <a href='/a/rd'>Rosa Delacroix</a> &sdot; Founder and "
            "Editor-in-Chief &sdot; <span>Updated May 6, 2025</span></div>")
    assert _authors(body) == ["Rosa Delacroix"]


def test_a_plain_text_bylines_date_is_cut_where_it_begins() -> None:
    # the date is read as the day under the headline is (a month's name with a day and a year, in
    # each language the day reader knows, or digits), with what leads to it: a weekday, "on", "am",
    # "le", "el", "Updated"; not cut at its first digit ("Jane Doe on May" before)
    for byline in ("By Rosa Delacroix on May 2, 2024", "By Rosa Delacroix May 2, 2024", "By Rosa Delacroix, Sept. 3, 2024",
                   "By Rosa Delacroix on Monday, May 2, 2024", "By Rosa Delacroix on Tue, May 2, 2024",
                   "By Rosa Delacroix Updated on May 2, 2024", "By Rosa Delacroix on 2 May 2024",
                   "By Rosa Delacroix on 04-08-2021 5:11:10", "Von Rosa Delacroix am 3. Mai 2024",
                   "Von Rosa Delacroix am Freitag, 3. Mai 2024", "Par Rosa Delacroix le 3 mai 2024",
                   "Por Rosa Delacroix el 3 de mayo de 2024", "By Rosa Delacroix Published 3 May 2024 · 5 min read"):
        assert _authors(f"<h1>Harbour bridge vote</h1><p>{byline}</p>") == ["Rosa Delacroix"], byline
    # a family name that is a month's or a weekday's name stays before the date
    for byline, want in (("By Tom May 12 May 2025", "Tom May"), ("By Dan Sunday on May 2, 2024", "Dan Sunday"),
                         ("By Lin Sun, May 2, 2024", "Lin Sun"), ("By Ana March, 3 March 2024", "Ana March"),
                         ("By 3i Global", "3i Global")):   # a digit in the name's first word is no date
        assert _authors(f"<h1>Harbour bridge vote</h1><p>{byline}</p>") == [want], byline
    # a date right after the label names no one
    assert _authors("<h1>Harbour bridge vote</h1><p>By Feb 11, 2019</p>") == []


def test_byline_blocks_read_until_one_names_someone() -> None:
    # the first byline block holds the date and the reading time only; the next names the writer
    body = ('<h1>Harbour bridge vote</h1><div class="author">August 28, 2025 • 5 min read</div>'
            '<p>Body.</p><div class="author-name">Rosa Delacroix</div>')
    assert _authors(body) == ["Rosa Delacroix"]


def test_byline_block_name_alone_inside_it_over_the_role_around() -> None:
    body = ('<h1>Harbour bridge vote</h1><div class="byline">By <span class="author-name">Rosa Delacroix</span>,'
            ' Privacy and Digital Security Expert</div>')
    assert _authors(body) == ["Rosa Delacroix"]
    # two names, each alone in its block: both
    body = ('<h1>Harbour bridge vote</h1><div class="author">By <span class="writer">Rosa Delacroix</span> and'
            ' <span class="writer">Tom Okafor</span>, Harbour desk</div>')
    assert _authors(body) == ["Rosa Delacroix", "Tom Okafor"]


def test_byline_update_line_is_no_name() -> None:
    body = '<h1>Harbour bridge vote</h1><div class="author-name">Rosa Delacroix Last updated on 17 December 2025</div>'
    assert _authors(body) == ["Rosa Delacroix"]


def test_mojibake_in_title_and_byline_is_repaired() -> None:
    # UTF-8 read as Latin-1 ("â\x80\x99") as well as cp1252 ("â€™")
    title = "A harbour pilot’s guide to the new bridge"
    for broken in (title.encode("utf-8").decode("latin-1"), title.encode("utf-8").decode("cp1252")):
        head = f'<meta property="og:title" content="{broken}"><meta name="author" content="RenÃ©e O’Hara">'
        html = _page(head=head, body="".join(f"<p>{'The pilot boards the ship at the harbour mouth. ' * 6}</p>" for _ in range(4)))
        art = clean_html(html, URL)
        assert isinstance(art, Article)
        assert art.title == title, broken
        assert art.authors == ["Renée O’Hara"]
    # "í" read so is "Ã" and a soft hyphen, which is no invisible character to strip there
    name = "Lucía García"
    broken = name.encode("utf-8").decode("cp1252")
    head = f'<meta property="og:title" content="{broken} on the harbour\u00ad bridge"><meta name="author" content="{broken}">'
    html = _page(head=head, body="".join(f"<p>{'The pilot boards the ship at the harbour mouth. ' * 6}</p>" for _ in range(4)))
    art = clean_html(html, URL)
    assert isinstance(art, Article)
    assert (art.title, art.authors) == (f"{name} on the harbour bridge", [name])


def test_authors_label_before_the_names() -> None:
    body = ('<h1>Harbour bridge vote</h1><div class="tags"><div><strong>Contributors:</strong> Rosa Delacroix'
            '</div></div>')
    assert _authors(body) == ["Rosa Delacroix"]
    # a sentence about authors is no label
    body = "<h1>Harbour bridge vote</h1><p>Authors of the plan met the council on Monday.</p>"
    assert _authors(body) == []


def test_link_to_the_writers_page_names_the_author_when_nothing_else_does() -> None:
    body = ('<nav><a href="/author/site-admin">Site Admin</a></nav><h1>Harbour bridge vote</h1><div class="card">'
            '<img src="/t.png"><a href="https://news.example.org/author/rosa-delacroix/">Rosa Delacroix</a></div>')
    assert _authors(body) == ["Rosa Delacroix"]
    # a link labelled with "by" is no name; links elsewhere are no author pages
    body = ('<h1>Harbour bridge vote</h1><a href="/author/rosa-delacroix/">Articles by Rosa</a>'
            '<a href="/topics/harbour-bridge/">Harbour Bridge</a>')
    assert _authors(body) == []


def test_byline_block_name_alone_found_however_many_blocks_come_before() -> None:
    # the name link inside the first byline block, after several other byline blocks of the page
    others = "".join(f'<span class="author-name">Editor {n} , Harbour desk</span>' for n in ("One", "Two", "Three", "Four", "Five"))
    body = ('<h1>Harbour bridge vote</h1><span class="author-name"><a href="/author/rd" class="author-link">Rosa '
            'Delacroix</a><span>, Privacy and Digital Security Expert</span></span>' + others)
    assert _authors(body) == ["Rosa Delacroix"]


def test_shown_headline_that_says_more_than_a_search_title_cut_short() -> None:
    # a company blog declares its title cut for search; the page shows it whole
    for declared, shown in (("Best Home Security Cameras of 2026", "The Best Home Security Cameras of 2026"),
                            ("Top 23 Herbs And Flowers For Organic Pest Control",
                             "My Top 23 Herbs and Flowers for Organic Pest Control in the Garden")):
        ld = {"@type": "BlogPosting", "headline": declared}
        assert _md(_page(ld=ld, body=f"<h1>{shown}</h1>")).title == shown, declared
        # a newsroom's declared headline stays
        news = dict(ld, **{"@type": "NewsArticle"})
        assert _md(_page(ld=news, body=f"<h1>{shown}</h1>")).title == declared


def test_day_printed_by_the_headline_with_a_month_named_in_other_languages() -> None:
    # Spanish, Portuguese, Italian, French and Dutch month names, written with spaces, "de" or hyphens
    for shown, day in (("04-ago-2021 5:11:10", "2021-08-04"), ("4 de agosto de 2021", "2021-08-04"),
                       ("12 juil. 2024", "2024-07-12"), ("3 juin 2024", "2024-06-03"), ("1er mars 2024", "2024-03-01"),
                       ("3 mrt 2025", "2025-03-03"), ("9 settembre 2023", "2023-09-09"), ("15 dic 2022", "2022-12-15"),
                       ("2 outubro 2020", "2020-10-02"), ("Sept. 9, 2024", "2024-09-09")):
        body = f'<h1>Harbour bridge vote</h1><div class="meta"><span>Rosa Delacroix</span><span>{shown}</span></div>'
        assert shown_day_near_headline(lxml.html.document_fromstring(_page(body=body))) == day, shown
    # a month's word without a day and a year beside it is no date
    body = '<h1>Harbour bridge vote</h1><p>Set out in 2021 and done</p>'
    assert shown_day_near_headline(lxml.html.document_fromstring(_page(body=body))) is None


def test_a_word_opening_like_a_month_is_no_month_of_the_day_under_the_headline() -> None:
    # a month is a whole word: a month's name or an abbreviation printed for it, in each language
    # the day reader knows; a name or a word that opens with one ("Martin", "Junior", "Augusta",
    # "Decker", "Marco", "General", "Outlook") is no month, nor is a start no one prints ("Marc", "Augu")
    for shown in ("Martin 12, 2024", "Junior 5 2024", "Augusta 3, 2024", "Decker 1 2023", "Marco 4, 2024",
                  "General 4, 2021", "Outlook 7, 2022", "Magic 4 2019", "Marc 12, 2024", "Augu 3, 2024", "12 Juniper 2024"):
        body = f'<h1>Harbour bridge vote</h1><div class="meta"><span>{shown}</span></div>'
        assert shown_day_near_headline(lxml.html.document_fromstring(_page(body=body))) is None, shown
    # full names and printed abbreviations, with or without a dot, in any case
    for shown, day in (("March 12, 2024", "2024-03-12"), ("Sept. 3, 2024", "2024-09-03"), ("3 Mrz. 2024", "2024-03-03"),
                       ("5 Jänner 2024", "2024-01-05"), ("5 févr. 2024", "2024-02-05"), ("1 aout 2024", "2024-08-01"),
                       ("4 DÉC 2024", "2024-12-04"), ("7 de setiembre de 2024", "2024-09-07"), ("2 genn. 2024", "2024-01-02"),
                       ("9 mei 2024", "2024-05-09"), ("JUNE 4TH, 2024", "2024-06-04"), ("3 juillet 2024", "2024-07-03"),
                       ("3 juin 2024", "2024-06-03"), ("Dec 1 2023", "2023-12-01")):
        body = f'<h1>Harbour bridge vote</h1><div class="meta"><span>{shown}</span></div>'
        assert shown_day_near_headline(lxml.html.document_fromstring(_page(body=body))) == day, shown


def test_short_part_after_a_pipe_is_no_part_of_the_headline() -> None:
    # a section, tagline or search teaser after a spaced pipe goes, whoever declares the title
    head = '<meta property="og:title" content="Homeowners Insurance Guide 2026 | Coverage Types, Costs &amp; Savings">'
    assert _md(_page(head=head)).title == "Homeowners Insurance Guide 2026"
    ld = {"@type": "NewsArticle", "headline": "Homestead gardening makes rural villages self-reliant | District"}
    assert _md(_page(ld=ld)).title == "Homestead gardening makes rural villages self-reliant"
    # a long part after the pipe is a second headline; a short name before it is no headline;
    # a dash often joins a headline's own two halves
    for title in ("Top 10 Cameras Under $2500 | The Best Mirrorless Cameras on the Market",
                  "Acme Movers | Our Services", "Wedding Planning Tools – Caterer Comparison Spreadsheet",
                  "BBC | Sport | Man wins race", "A | B | C",   # pipes before the last are no words
                  # nor is the last part of three known to be a tail: here it is the headline
                  "Daily Valley Herald | Sport | Man wins race"):
        head = f'<meta property="og:title" content="{title}">'
        assert _md(_page(head=head)).title == title


def test_printed_byline_reads_the_byline_blocks_of_a_page_once(monkeypatch) -> None:
    # the byline blocks (one walk of the whole page) serve the markup bylines and the author box
    # alike: found once, however far down the readers the page goes
    from newsclean.cleaners.metadata.authors import bylines
    walks = []
    found = bylines._byline_candidates
    monkeypatch.setattr(bylines, "_byline_candidates", lambda tree: walks.append(tree) or found(tree))
    body = ('<h1>Harbour bridge vote</h1><div class="author-box"><div>Rosa Delacroix</div>'
            '<p>Rosa Delacroix covers the harbour, the council and the city\'s transport for the paper, '
            'and has written about the bridge since its first plans were drawn up in 2019.</p></div>')
    assert _authors(body) == ["Rosa Delacroix"]   # from the author box, the last reader
    assert len(walks) == 1


def test_plain_text_byline_after_spaces_of_any_kind() -> None:
    # the text nodes of spaces alone are skipped; a byline opened by a no-break or em space is not
    for space in ("\u00a0", "\u2003", "\n  \u00a0"):
        body = f'<h1>Harbour bridge vote</h1>\n  <p class="meta">  \n</p><p>{space}By Rosa Delacroix | 3 May 2024</p>'
        assert _authors(body) == ["Rosa Delacroix"], repr(space)


def test_microdata_dates_first_readable_of_each_in_one_walk() -> None:
    # both dates read in one walk of the page: each the first of its itemprop that reads as a
    # date, whatever comes first on the page; a date declared elsewhere is not looked for again
    body = ('<h1>Harbour bridge vote</h1><span itemprop="dateModified" content="yesterday"></span>'
            '<time itemprop="dateModified" datetime="2024-05-04T08:00:00+01:00">4 May</time>'
            '<time itemprop="datePublished">3 May 2024</time>'
            '<time itemprop="datePublished" datetime="2024-05-03T16:45+0100">3 May 2024</time>'
            '<time itemprop="datePublished" datetime="2024-05-01T10:00+0100">1 May 2024</time>')
    md = _md(_page(body=body))
    assert (md.published, md.modified) == ("2024-05-03T16:45+0100", "2024-05-04T08:00:00+01:00")
    assert md.date_sources == {"published": "microdata", "modified": "microdata"}
    head = '<meta property="article:modified_time" content="2024-05-06T09:00:00Z">'
    md = _md(_page(head=head, body=body))
    assert (md.published, md.modified) == ("2024-05-03T16:45+0100", "2024-05-06T09:00:00Z")
    assert md.date_sources == {"published": "microdata", "modified": "meta"}


def test_two_writers_in_elements_of_their_own_are_two_names() -> None:
    # a byline printing each writer in an element of its own, with no separator between them,
    # read as one text "Rosa Delacroix Tom Okafor"
    for byline in ('<div class="byline"><span>Rosa Delacroix</span><span>Tom Okafor</span></div>',
                   '<div class="author"><a href="/a/rd">Rosa Delacroix</a> <a href="/a/to">Tom Okafor</a></div>',
                   '<div class="byline"><span>Rosa Delacroix</span><span>Tom Okafor</span>'
                   '<span>March 3, 2025</span></div>',
                   '<p>By <a href="/a/rd">Rosa Delacroix</a> <a href="/a/to">Tom Okafor</a></p>'):
        assert _authors(f"<h1>Harbour bridge vote</h1>{byline}") == ["Rosa Delacroix", "Tom Okafor"], byline
    # ... and where a separator parts some of them only ("A B and C" read as "A B", "C")
    byline = ('<ul class="authors"><li><a href="mailto:rd@x.org">Rosa Delacroix</a></li><li><a>Tom Okafor</a><br>'
              '<a>Ada Lindqvist</a><br>and <a>Ben Roe</a></li></ul>')
    assert _authors(f"<h1>Harbour bridge vote</h1>{byline}") == [
        "Rosa Delacroix", "Tom Okafor", "Ada Lindqvist", "Ben Roe"]
    # ... in scripts without case too (a name of three characters or more each)
    for byline, want in (('<div class="byline"><a>신현주</a> <a>김태연</a></div>', ["신현주", "김태연"]),
                         ('<div class="byline"><span>山田太郎</span><span>鈴木一郎</span></div>', ["山田太郎", "鈴木一郎"])):
        assert _authors(f"<h1>Harbour bridge vote</h1>{byline}") == want, byline
    # one name written in two elements stays one, and a label in its own element is no writer
    for byline, want in (('<div class="byline"><span>Rosa</span> <span>Delacroix</span></div>', ["Rosa Delacroix"]),
                         ('<div class="byline"><span>Rosa</span><span>de la Cruz</span></div>', ["Rosa de la Cruz"]),
                         ('<div class="author"><span>山田</span> <span>太郎</span></div>', ["山田 太郎"]),
                         # scripts without case that part a name's words with a space
                         ('<div class="author"><span>محمد</span> <span>علي</span></div>', ["محمد علي"]),
                         ('<div class="author"><span>דוד</span> <span>כהן</span></div>', ["דוד כהן"]),
                         ('<div class="author"><span>राहुल</span> <span>शर्मा</span></div>', ["राहुल शर्मा"])):
        assert _authors(f"<h1>Harbour bridge vote</h1>{byline}") == want, byline
    # an author box's link or button beside the name is no second writer, nor part of the name
    for action in ("<a>View Profile</a>", "<a>Follow Me</a>", "<span>Read Bio</span>", "<a>Alle Artikel</a>"):
        byline = f'<div class="author"><a>Rosa Delacroix</a> {action}</div>'
        assert _authors(f"<h1>Harbour bridge vote</h1>{byline}") == ["Rosa Delacroix"], byline
    label = '<div class="byline"><span>Geschrieben von</span> <span>Elisa Marvena</span></div>'
    assert "Geschrieben von" not in _authors(f"<h1>Harbour bridge vote</h1>{label}")


def test_byline_name_printed_alone_elsewhere_leaves_its_role_behind() -> None:
    # a byline read with the writer's role or a bio after the name; the page prints the name alone
    # elsewhere (a link to the writer, an author box, an avatar's name)
    byline = '<div class="byline">Rosa Delacroix Growth Lead Harbour Ports</div>'
    for alone in ('<a href="/team/rd">Rosa Delacroix</a>', '<img src="/rd.png" alt="Rosa Delacroix">',
                  '<div class="box"><h4>Rosa Delacroix</h4><p>Writes about ports.</p></div>'):
        md = _md(_page(body=f"<h1>Harbour bridge vote</h1>{byline}<p>Story.</p>{alone}"))
        assert md.authors == ["Rosa Delacroix"], alone
    # not printed alone: the byline stays as read; a label printed alone is no name
    assert _authors(f"<h1>Harbour bridge vote</h1>{byline}") != ["Rosa Delacroix"]
    label = '<div class="byline">Geschrieben von Rosa Delacroix Harbour</div><span>Geschrieben von</span>'
    assert _authors(f"<h1>Harbour bridge vote</h1>{label}") != ["Geschrieben von"]


def test_co_writers_linked_in_one_line_are_all_authors() -> None:
    # links to the writers' pages in one line, no byline markup: each link is a writer
    for sep in (" ", ", ", " and ", " &amp; "):
        body = (f'<h1>Harbour bridge vote</h1><div class="meta"><a href="/autoren/rosa-delacroix">Rosa Delacroix</a>'
                f'{sep}<a href="/autoren/tom-okafor">Tom Okafor</a></div>')
        assert _authors(body) == ["Rosa Delacroix", "Tom Okafor"], sep
    # another link of the line that is no writer's page, or a label, is no writer
    body = ('<h1>Harbour bridge vote</h1><div class="meta"><a href="/author/rosa-delacroix">Rosa Delacroix</a> '
            '<a href="/tag/harbour">Harbour News</a> <a href="/author/rosa-delacroix">Articles by Rosa</a></div>')
    assert _authors(body) == ["Rosa Delacroix"]
    # more links to the same writer's page name no one else
    for more in ('<a href="/author/rosa-delacroix/">View Profile</a>', '<a href="/author/rosa-delacroix/feed">RSS Feed</a>',
                 '<a href="https://harbour.example/author/rosa-delacroix/page/2">Next Page</a>'):
        body = f'<h1>Harbour bridge vote</h1><div class="meta"><a href="/author/rosa-delacroix">Rosa Delacroix</a> {more}</div>'
        assert _authors(body) == ["Rosa Delacroix"], more


def test_a_scripts_code_in_byline_markup_is_no_name() -> None:
    # a byline written by a script, its text in <noscript> beside it: the code is no name
    byline = ('<span class="mainartauthor"><script>var byline = \'Rosa Delacroix,\'; if (byline != null) '
              '{ document.write(byline.replace(/,[\\s]*$/, \'\')); }</script><noscript>Rosa Delacroix,</noscript></span>')
    assert _authors(f"<h1>Harbour bridge vote</h1>{byline}") == ["Rosa Delacroix"]


def test_byline_labels_of_other_languages_are_no_part_of_the_name() -> None:
    # a byline block read whole with its label: German, French, Spanish, Italian blogs' labels, and
    # an author box's link to the writer's other posts
    for label in ("Veröffentlicht von", "Geschrieben von", "Eingestellt von der", "Erstellt von", "Publié par",
                  "Escrito por", "Scritto da", "Auteur :", "Artikel von:", "View all posts by", "Zeige alle Beiträge von"):
        body = f'<h1>Harbour bridge vote</h1><div class="author">{label} Rosa Delacroix</div>'
        assert _authors(body) == ["Rosa Delacroix"], label


def test_a_bylines_time_of_day_and_lone_lead_word_are_no_name() -> None:
    # the time a byline prints leaves its "pm", "Uhr" and zone once the date is read out, and an
    # update line alone in byline markup is no name
    for byline, want in (("Rosa Delacroix 3:15 PM ET", ["Rosa Delacroix"]),
                         ("Rosa Delacroix am 03.05.2024 um 15:23 Uhr", ["Rosa Delacroix"]),
                         ("Last updated 03.05.2024 3:15 PM CT", []),
                         # Central European winter time is MEZ; a name's last word that only
                         # looks like a zone's letters ("Mes", "Ms") is the name's
                         ("Rosa Delacroix 03.01.2024, 15:23 MEZ", ["Rosa Delacroix"]),
                         ("Rosa Mes 03.05.2024", ["Rosa Mes"]), ("Rosa Ms 03.05.2024", ["Rosa Ms"]),
                         # a preposition before the date is in lower case; a surname has a capital
                         ("Rosa Delacroix on May 3, 2024", ["Rosa Delacroix"]), ("Thanh Le 03.05.2024", ["Thanh Le"]),
                         ("Hye-jin Um, May 3, 2024", ["Hye-jin Um"]), ("Anna Den 03.05.2024", ["Anna Den"])):
        assert _printed_authors(byline) == want, byline
    # a lead word in lower case before a one-word name: no part of it
    assert _authors('<h1>Harbour bridge vote</h1><div class="author">von Ulrike</div>') == ["Ulrike"]
    assert _authors('<h1>Harbour bridge vote</h1><div class="author">by BeauHD</div>') == ["BeauHD"]


def test_name_particles_stay_with_the_family_name() -> None:
    # "von" before a particle opens a family name, not the German "by"; a capitalised "Le" or "Den"
    # before a name is a name's first word, not a date's leftover; other particles stay as written
    for byline, want in (("von der Leyen", ["von der Leyen"]), ("Von der Leyen", ["Von der Leyen"]),
                         ("Autor: von der Leyen", ["von der Leyen"]), ("von dem Bussche", ["von dem Bussche"]),
                         ("Ursula von der Leyen", ["Ursula von der Leyen"]),
                         ("Von Ursula von der Leyen", ["Ursula von der Leyen"]),
                         ("Le Thanh Hai 03.05.2024", ["Le Thanh Hai"]), ("Den Haag Redaktion 3.5.2024", ["Den Haag Redaktion"]),
                         ("By de la Cruz", ["de la Cruz"]), ("Rosa van der Berg 3.5.2024", ["Rosa van der Berg"]),
                         ("Leonardo da Vinci", ["Leonardo da Vinci"]), ("Ahmed bin Salman", ["Ahmed bin Salman"]),
                         ("Omar al-Bashir", ["Omar al-Bashir"]), ("Carlos del Rio", ["Carlos del Rio"]),
                         # a leftover of a date is no name still, and "von" before a name is "by"
                         ("Le 3 mai 2024 par Jean Dupont", ["Jean Dupont"]), ("von Ulrike", ["Ulrike"]),
                         ("Von Rosa Delacroix", ["Rosa Delacroix"])):
        _assert_printed_and_ld_byline_read(byline, want)


def test_daughter_of_and_son_of_in_a_name_are_particles() -> None:
    # "bint", "binti", "ibnu" are longer than the short particles: the printed byline was prose ([])
    for name in ("Fatima bint Mubarak", "Siti binti Ahmad", "Ali ibnu Hasan"):
        assert _authors(f"<h1>Harbour bridge vote</h1><p>By {name} | 3 May 2024</p>") == [name], name


def test_lower_case_particles_and_articles_of_a_family_name_make_a_name() -> None:
    # a printed byline is a name when its lower-case words are particles: also the long Italian ones
    # and a family name with its article written on ("al-Bashir", "d'Alembert")
    for name in ("Omar al-Bashir", "Hassan el-Sayed", "Andrea della Valle", "Giovanni degli Antoni", "Jean d'Alembert"):
        body = f"<h1>Harbour bridge vote</h1><p>By {name} | 3 May 2024</p>"
        assert _authors(body) == [name], name
        # the site's own name in the author tag yields to the writer the page prints
        head = '<meta name="author" content="Harbour Post"><meta property="og:site_name" content="Harbour Post">'
        body = f'<h1>Harbour bridge vote</h1><div class="author">{name}</div>'
        assert _md(_page(head=head, body=body)).authors == [name], name
    # prose is still no name
    assert _authors("<h1>Harbour bridge vote</h1><p>By the end of the year | 3 May 2024</p>") == []


def test_a_spanish_double_family_name_is_one_name() -> None:
    # "y" between two family names is part of the name; between two writers it parts them
    for author, want in (("José Ortega y Gasset", ["José Ortega y Gasset"]),
                         ("Santiago Ramón y Cajal, Ana Ruiz", ["Santiago Ramón y Cajal", "Ana Ruiz"]),
                         ("Ana Ruiz y Juan Gil", ["Ana Ruiz", "Juan Gil"]),
                         ("Ana Ruiz, Juan Gil y Pedro Sánchez", ["Ana Ruiz", "Juan Gil", "Pedro Sánchez"])):
        ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": author}}
        assert _md(_page(ld=ld)).authors == want, author


def test_an_agency_or_a_desk_after_y_is_no_family_name() -> None:
    # Spanish bylines name the writer and the agency or the desk: "Juan Pérez y EFE" is two, as
    # "José Ortega y Gasset" is one ("Juan Pérez y EFE" was one name once "y" kept a one-word part)
    for author, want in (("Juan Pérez y EFE", ["Juan Pérez", "EFE"]), ("Ana Ruiz y Redacción", ["Ana Ruiz", "Redacción"]),
                         ("Ana Ruiz y Agencias", ["Ana Ruiz", "Agencias"]), ("José Ortega y Gasset", ["José Ortega y Gasset"]),
                         ("JOSÉ ORTEGA Y GASSET", ["JOSÉ ORTEGA Y GASSET"])):   # a byline typed in capitals
        ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": author}}
        assert _md(_page(ld=ld)).authors == want, author
        body = f'<h1>Harbour bridge vote</h1><div class="author">{author}</div>'
        assert _authors(body) == want, author


def test_the_at_before_a_bylines_time_is_no_part_of_the_name() -> None:
    # "at" before a time is left once the time goes, as "um" is ("Jane Doe on at", "Updated at" was
    # a second writer); a capitalised "At" may be a name's
    for byline in ("By Rosa Delacroix on 05/02/2024 at 10:00 AM", "By Rosa Delacroix | Updated Mar. 3, 2024 at 5:00 pm",
                   "By Rosa Delacroix at 3:15 pm on May 2, 2024"):
        for body in (f'<div class="author">{byline}</div>', f"<p>{byline}</p>"):
            assert _authors(f"<h1>Harbour bridge vote</h1>{body}") == ["Rosa Delacroix"], (byline, body)
        ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": byline}}
        assert _md(_page(ld=ld)).authors == ["Rosa Delacroix"], byline


def test_a_family_name_opening_like_a_month_stays_before_a_date() -> None:
    # a byline's date is read out; a family name that opens with a month's letters ("Martin",
    # "Mayer", "Novak", "Decker", "Julian") is no month, and stays with its given name
    for byline, want in (("Jane Martin 12.03.2024", "Jane Martin"), ("Mario Marchetti 12.03.2024", "Mario Marchetti"),
                         ("Julia Novak 3. März 2024", "Julia Novak"), ("Tom Mayer 5 hours ago", "Tom Mayer"),
                         ("Anna Decker 2024-05-03", "Anna Decker"), ("Rosa Julian 15:23", "Rosa Julian"),
                         ("Jane Martin 3 May 2024", "Jane Martin"),
                         # months written out or cut are still dates
                         ("Rosa Delacroix Dec. 18, 2025", "Rosa Delacroix"), ("Rosa Delacroix, Sept 2024", "Rosa Delacroix"),
                         ("Rosa Delacroix 16 December 2025", "Rosa Delacroix"), ("Rosa Delacroix JUNE 3, 2025", "Rosa Delacroix")):
        assert _printed_authors(byline) == [want], byline


def test_a_family_name_that_is_the_start_of_a_month_stays_before_a_date() -> None:
    # a byline's month is a whole word of the months' table, as the day reader's: a name that is
    # the start of one ("Marc" of March, "Janu") is no month; German's "Mrz." and "Jänner" are
    for byline, want in (("Franz Marc 12.03.2024", "Franz Marc"), ("Anna Marc 12:30", "Anna Marc"),
                         ("Franz Marc 12 hours ago", "Franz Marc"), ("Anna Janu 2024-05-03", "Anna Janu"),
                         ("Rosa Delacroix Mrz. 3, 2024", "Rosa Delacroix"), ("Rosa Delacroix 3. Jänner 2024", "Rosa Delacroix")):
        assert _printed_authors(byline) == [want], byline


def test_a_bylines_date_with_a_month_of_another_language_is_no_name() -> None:
    # the byline's date reads the months of every language the day reader knows, as words whole
    # ("Jean Dupont, 3 mars" and "Ana Ruiz, 12 marzo" were a second writer once months were
    # English or German names and their starts); "Martin", "Marco" are still no months
    for byline, want in (("Jean Dupont, 3 mars 2024", ["Jean Dupont"]), ("Ana Ruiz, 12 marzo 2024", ["Ana Ruiz"]),
                         ("Jean Dupont 3 octobre 2024", ["Jean Dupont"]), ("Marco Rossi 12 ottobre 2024", ["Marco Rossi"]),
                         ("Jean Dupont, 3 juillet 2024", ["Jean Dupont"]), ("Max Mustermann, 3. Mrz. 2024", ["Max Mustermann"]),
                         ("Jan de Vries, 3 maart 2024", ["Jan de Vries"]), ("Ana Ruiz, 3 de mayo de 2024", ["Ana Ruiz"]),
                         ("Marco Martin, 4 déc. 2024", ["Marco Martin"])):
        _assert_printed_and_ld_byline_read(byline, want)


def test_a_family_name_that_is_a_month_word_stays_before_a_count() -> None:
    # a month's word of any language of _MONTHS ("Abril", "Agosto", "Mei", "Mars") is a family name
    # where the number after it counts something or is the day before its month: "Lucia Abril 5
    # hours ago" gave 'Lucia hours ago', "Li Mei 3 May 2024" 'Li'
    for name in ("Lucia Abril", "Marco Agosto", "Li Mei", "Bruno Mars", "Ana Mayo", "Tom Julio"):
        for tail in ("5 hours ago", "7 min read", "3 May 2024"):
            body = f'<h1>Harbour bridge vote</h1><div class="author">{name} {tail}</div>'
            assert _authors(body) == [name], (name, tail)
    # a month and its day are still a date
    for byline in ("Rosa Delacroix Dec 18", "Rosa Delacroix Abril 5, 2024", "Rosa Delacroix mei 3"):
        assert _printed_authors(byline) == ["Rosa Delacroix"], byline


def test_a_time_ago_an_address_and_more_labels_are_no_part_of_the_name() -> None:
    for byline in ("Rosa Delacroix vor 5 Stunden", "Rosa Delacroix 2 hours ago", "Rosa Delacroix - https://rosa.example.org",
                   "Edited by Rosa Delacroix", "Recipe by Rosa Delacroix", "Interview: Rosa Delacroix"):
        assert _printed_authors(byline) == ["Rosa Delacroix"], byline


def test_the_houses_address_in_its_author_tag_is_no_writer() -> None:
    # the publisher's name and address in the author tag: the places are no writers, and the
    # house's name yields to the byline the page prints
    head = ('<meta name="author" content="Harbour Post GmbH, Munich, Germany">'
            '<meta property="og:site_name" content="Harbour Post">')
    assert _md(_page(head=head, body="<h1>Harbour bridge vote</h1>")).authors == ["Harbour Post"]
    body = '<h1>Harbour bridge vote</h1><div class="author">Von Rosa Delacroix</div>'
    assert _md(_page(head=head, body=body)).authors == ["Rosa Delacroix"]
    # writers named after the house are no address: they stay, the house goes
    head = ('<meta name="author" content="Harbour Post GmbH, Rosa Delacroix, Tom Okafor">'
            '<meta property="og:site_name" content="Harbour Post">')
    assert _md(_page(head=head, body="<h1>Harbour bridge vote</h1>")).authors == ["Rosa Delacroix", "Tom Okafor"]
    # another name before the places stays as written
    head = '<meta name="author" content="Rosa Delacroix, Tom Okafor, Ada Lindqvist">'
    assert _md(_page(head=head, body="<h1>Harbour bridge vote</h1>")).authors == ["Rosa Delacroix", "Tom Okafor", "Ada Lindqvist"]


def test_a_name_word_that_is_a_month_stays_before_a_complete_date() -> None:
    # a complete date in digits is read before a month's name with a day: "Juli 12" of
    # "Juli 12.03.2024" is no date, the 12 opens the digits' one
    for byline, want in (("Tom Juli 12.03.2024", "Tom Juli"), ("Rosa May 2024-05-03", "Rosa May"),
                         ("Li Mei 2024-05-03", "Li Mei"), ("Tom Juli 12/03/2024", "Tom Juli"),
                         ("Rosa May 12:30", "Rosa May"), ("Rosa Delacroix May 3, 2024", "Rosa Delacroix")):
        assert _printed_authors(byline) == [want], byline


def test_a_markup_bylines_date_is_read_in_every_language_of_the_day_reader() -> None:
    # the byline's date is read as the day reader reads one, in every language of its table: a
    # French "1er", a month with its year alone ("mayo de 2024"), with the words leading to it
    for byline in ("Par Juan Gil, le 1er mai 2024", "Juan Gil, 1er juillet 2024", "Por Juan Gil, mayo de 2024",
                   "Juan Gil, maio de 2024", "Por Juan Gil, 3 de mayo de 2024", "Par Juan Gil, le 3 mai 2024",
                   "Scritto da Juan Gil, 3 maggio 2024", "Door Juan Gil, 3 mei 2024", "Por Juan Gil, 3 de maio de 2024",
                   "Juan Gil, 12 juil. 2024", "Juan Gil, 3 mrt 2025", "Juan Gil, ottobre 2024"):
        assert _printed_authors(byline) == ["Juan Gil"], byline
    # a month's word of another language beside no day or year stays a name
    for byline, want in (("Ana Gen, 3 May 2024", "Ana Gen"), ("Li Mei, 1er mai 2024", "Li Mei")):
        assert _printed_authors(byline) == [want], byline


def test_a_plain_text_bylines_month_and_year_go_after_a_separator() -> None:
    # a month and its year without a day, after a comma, a bar or "on", is the date ("Jane Doe,
    # May" and "Jane Doe on May" were names, "Ana Ruiz, mayo de" no name at all); without a
    # separator the month may be a family name, and the name keeps it
    for byline, want in (("By Rosa Delacroix, May 2024", ["Rosa Delacroix"]), ("By Rosa Delacroix on May 2024", ["Rosa Delacroix"]),
                         ("Por Ana Ruiz, mayo de 2024", ["Ana Ruiz"]), ("Von Rosa Delacroix | März 2024", ["Rosa Delacroix"]),
                         ("By Tom May 2024", ["Tom May"])):
        assert _authors(f"<h1>Harbour bridge vote</h1><p>{byline}</p>") == want, byline
    # a capitalised "Le" or "El" is a family name's, no date's lead ('Thanh' before)
    for byline, want in (("By Thanh Le May 2024", ["Thanh Le May"]), ("By Thanh Le, May 2024", ["Thanh Le"])):
        assert _authors(f"<h1>Harbour bridge vote</h1><p>{byline}</p>") == want, byline


def test_a_family_name_that_is_a_weekday_stays_before_a_date() -> None:
    # a weekday with its comma right after a given name alone is her family name: Domingo,
    # Freitag, Sabato, Sonntag ("Ana Domingo, 3 de mayo de 2024" gave 'Ana', "Larry Sabato, 3
    # maggio 2024" 'Larry')
    for name, date in (("Ana Domingo", "3 de mayo de 2024"), ("Anna Freitag", "3. Mai 2024"),
                       ("Larry Sabato", "3 maggio 2024"), ("Dan Sunday", "May 2, 2024"), ("Eva Sonntag", "Montag, 3. Mai 2024")):
        for body in (f'<div class="author">{name}, {date}</div>', f"<p>By {name}, {date}</p>"):
            assert _authors(f"<h1>Harbour bridge vote</h1>{body}") == [name], body
        ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": f"{name}, {date}"}}
        assert _md(_page(ld=ld)).authors == [name], name
        body = f'<div class="author">Autor: {name}, {date}</div>'   # after an author label too
        assert _authors(f"<h1>Harbour bridge vote</h1>{body}") == [name], body
    # after a separator or a date's word, a weekday is the date's
    for byline in ("Rosa Delacroix, Sunday, May 2, 2024", "Rosa Delacroix | Freitag, 3. Mai 2024",
                   "Rosa Delacroix on Monday, May 2, 2024", "Rosa Delacroix am Freitag, 3. Mai 2024",
                   "Rosa Delacroix | Updated Monday, May 2, 2024", "Rosa Delacroix Published Monday, May 2, 2024",
                   "Rosa Delacroix, posted Monday, May 2, 2024",
                   # a whole name before it: the weekday is the date's (markup joins the name and the date by a space)
                   "Rosa Delacroix Monday, May 2, 2024", "Rosa Delacroix Montag, 3. Mai 2024"):
        for body in (f'<div class="author">{byline}</div>', f"<p>By {byline}</p>"):
            assert _authors(f"<h1>Harbour bridge vote</h1>{body}") == ["Rosa Delacroix"], body


def test_a_lower_case_weekday_right_before_a_printed_bylines_date_goes() -> None:
    # "By Juan Gil lunedì 3 maggio 2024" gave [] (the weekday, no family name, made the name prose);
    # a capitalised one without a comma may be a family name and stays ("Dan Sunday")
    for byline, want in (("By Juan Gil lunedì 3 maggio 2024", ["Juan Gil"]), ("Von Juan Gil montag 3. Mai 2024", ["Juan Gil"]),
                         ("Por Juan Gil domingo 3 de mayo de 2024", ["Juan Gil"]), ("By Dan Sunday May 2, 2024", ["Dan Sunday"])):
        assert _authors(f"<h1>Harbour bridge vote</h1><p>{byline}</p>") == want, byline


def test_a_bylines_weekday_is_read_in_every_language_of_the_months() -> None:
    # a weekday before the date goes in each language whose months the byline reads: Italian,
    # Portuguese and Dutch too ("Juan Gil, lunedì" before), in markup, or printed after "By"
    # with its comma
    for date in ("lunedì 3 maggio 2024", "Venerdì, 3 maggio 2024", "maandag 3 mei 2024", "zondag 3 mei 2024",
                 "segunda-feira, 3 de maio de 2024", "quinta-feira 3 de maio de 2024"):
        body = f'<h1>Harbour bridge vote</h1><div class="author">Juan Gil, {date}</div>'
        assert _authors(body) == ["Juan Gil"], body
    for date in ("Venerdì, 3 maggio 2024", "zondag, 3 mei 2024", "segunda-feira, 3 de maio de 2024"):
        body = f"<h1>Harbour bridge vote</h1><p>By Juan Gil, {date}</p>"
        assert _authors(body) == ["Juan Gil"], body


def test_a_plain_text_bylines_weekday_without_its_comma_goes_with_the_date() -> None:
    # a weekday after a comma or "on", right before the date, is the date's: "Jane Doe, Monday"
    # and "Jane Doe on Monday" before; a family name that is a weekday, after no comma, stays
    for byline in ("By Rosa Delacroix, Monday May 2, 2024", "By Rosa Delacroix on Monday May 2, 2024",
                   "Von Rosa Delacroix, Montag 3. Mai 2024", "Door Rosa Delacroix, maandag 3 mei 2024",
                   "Por Rosa Delacroix, quinta-feira 3 de maio de 2024"):
        assert _authors(f"<h1>Harbour bridge vote</h1><p>{byline}</p>") == ["Rosa Delacroix"], byline
    assert _authors("<h1>Harbour bridge vote</h1><p>By Dan Sunday May 2, 2024</p>") == ["Dan Sunday"]


def test_a_bylines_weekday_without_digits_goes_in_every_language() -> None:
    # the date's digits in a <time> of their own (which the byline reader leaves out) leave the
    # weekday alone beside the name: "maandag", "lunedì", "lunes", "mardi" were read as a second
    # writer (only weekdays with "day" or "tag" in them were looked for)
    for weekday in ("Monday", "Montag", "maandag", "lunedì", "lunes", "mardi", "segunda-feira"):
        byline = f"Juan Gil, {weekday}, <time>3.5.2024</time>"
        assert _printed_authors(byline) == ["Juan Gil"], byline
        ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote",
              "author": {"@type": "Person", "name": f"Juan Gil, {weekday},"}}
        assert _md(_page(ld=ld)).authors == ["Juan Gil"], weekday
    # a family name that is a weekday stays ("Ana Domingo", "Larry Sabato")
    assert _printed_authors("Larry Sabato") == ["Larry Sabato"]


def test_the_by_word_of_each_language_leads_a_byline() -> None:
    # "by" as the news languages print it before a name, in markup and as plain text: the Italian
    # "Di"/"di" stayed in the name, the Swedish and Norwegian "Av", Danish "Af", and plain-text
    # "Scritto da", "Escrito por", "Publié par", "Geschrieben von" were read as no byline at all
    for lead in ("By", "Von", "Par", "Por", "Door", "Di", "di", "Av", "Af"):
        assert _printed_authors(f"{lead} Marco Rossi") == ["Marco Rossi"], lead
        body = f"<h1>Harbour bridge vote</h1><p>{lead} Marco Rossi</p>"
        assert _authors(body) == ["Marco Rossi"], lead
    for lead in ("Scritto da", "Escrito por", "Écrit par", "Geschrieben von", "Written by", "Geschreven door",
                 "Skriven av"):
        body = f"<h1>Harbour bridge vote</h1><p>{lead} Marco Rossi</p>"
        assert _authors(body) == ["Marco Rossi"], lead
        body = f'<h1>Harbour bridge vote</h1><p><span>{lead}</span> <a href="/m">Marco Rossi</a></p>'
        assert _authors(body) == ["Marco Rossi"], lead
    # an author label of each language, plain text
    for label in ("Autor:", "Autore:", "Auteur :", "Autora:", "Auteur:", "Författare:", "Forfatter:"):
        body = f"<h1>Harbour bridge vote</h1><p>{label} Marco Rossi</p>"
        assert _authors(body) == ["Marco Rossi"], label
    # a family name that opens with the word stays whole, and a writer's link naming it is no label
    assert _printed_authors("Di Maio") == ["Di Maio"]
    assert _printed_authors("Luigi Di Maio") == ["Luigi Di Maio"]
    body = '<h1>Harbour bridge vote</h1><div class="meta"><a href="/author/luigi-di-maio">Luigi Di Maio</a></div>'
    assert _authors(body) == ["Luigi Di Maio"]
    # "published by" in plain text names a publisher as often ("Publié par <the house>" in a footer)
    body = "<h1>Harbour bridge vote</h1><div>Publié par Groupe Harbour Media.<br>© 2024 GHM</div>"
    assert _authors(body) == []
    # an Italian sentence opening with "Di" is no byline
    body = "<h1>Harbour bridge vote</h1><p>Di solito il ponte apre alle sette.</p>"
    assert _authors(body) == []


def test_a_family_name_opening_with_a_by_word_stays_whole() -> None:
    # the Italian "Di" and Danish "Af" open family names too: a declared name keeps them (a
    # surname-first "Di Maio Luigi" became "Maio Luigi"), and so does a printed one where a single
    # word would be left ("di Stefano" became "Stefano"); before two words a printed one means "by"
    for name in ("Di Maio Luigi", "Di Stefano", "di Stefano", "af Klint", "Af Klint Hilma"):
        ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": name}}
        assert _md(_page(ld=ld, body=f"<h1>Harbour bridge vote</h1><p>{name} writes.</p>")).authors == [name], name
        assert _md(_page(head=f'<meta name="author" content="{name}">')).authors == [name], name
    for name in ("Di Stefano", "di Stefano", "af Klint"):
        assert _printed_authors(name) == [name], name
        # as plain text without a by-word, the line is no byline at all (it read "Stefano")
        assert _authors(f"<h1>Harbour bridge vote</h1><p>{name} | 3 May 2024</p>") == [], name
    assert _printed_authors("Di Marco Rossi") == ["Marco Rossi"]


def test_a_printed_byline_names_the_writer_where_the_declared_one_is_printed_nowhere() -> None:
    # a CMS account or a template's default declared as the author, in JSON-LD or a meta tag,
    # names someone the page never prints, while the page prints 'By <the writer>'
    body = "<h1>Harbour bridge vote</h1><p>By Rosa Delacroix</p>"
    ld = {"@type": "BlogPosting", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": "Tom Okafor"}}
    assert _md(_page(ld=ld, body=body)).authors == ["Rosa Delacroix"]
    assert _md(_page(head='<meta name="author" content="Tom Okafor">', body=body)).authors == ["Rosa Delacroix"]
    # the declared writer printed anywhere on the page (an author box, in another case) stays
    for more in ("<div>About Tom Okafor: a harbour reporter</div>", "<p>TOM  OKAFOR</p>"):
        assert _md(_page(ld=ld, body=body + more)).authors == ["Tom Okafor"], more
    # a declared name in another script than the printed byline may be it transliterated: it stays
    ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": "山田太郎"}}
    assert _md(_page(ld=ld, body=body)).authors == ["山田太郎"]


def test_htmldate_day_is_find_dates_but_for_its_two_searches_of_last_resort() -> None:
    # htmldate_day runs find_date's steps up to its image search: the same day where one of them
    # finds it; none where only the idiosyncratic patterns or a loose day in the text would
    from htmldate import find_date
    from newsclean.cleaners.metadata.dates.days import _htmldate_steps, htmldate_day
    assert _htmldate_steps() is not None   # else htmldate_day is find_date, and the cut is lost
    url = "https://news.example.org/harbour-bridge-vote"
    para = "<p>The council voted on the harbour bridge plan late on Tuesday evening.</p>"
    same = ('<html><head><meta name="date" content="2024-03-12"></head><body>' + para + "</body></html>",
            f'<html><body><div><span class="date">12 March 2024</span>{para}</div></body></html>',
            f'<html><body><article><time datetime="2024-03-12T10:00:00">today</time>{para}</article></body></html>',
            f"<html><body><article>{para}<p>2024-03-12 10:20:33</p></article></body></html>",
            f"<html><body><article>{para}</article></body></html>")
    for html in same:
        tree = lxml.html.document_fromstring(html)
        assert htmldate_day(tree, url) == find_date(tree, url=url, extensive_search=False, original_date=True), html
    assert htmldate_day(lxml.html.document_fromstring(same[0]), url) == "2024-03-12"
    for html in (f"<html><body><article>{para}<div>Veröffentlicht am 12.03.2024</div></article></body></html>",
                 f"<html><body><article><p>Filed 2024-03-12 at the harbour.</p>{para}</article></body></html>"):
        tree = lxml.html.document_fromstring(html)
        assert find_date(tree, url=url, extensive_search=False, original_date=True) == "2024-03-12", html
        assert htmldate_day(tree, url) is None, html


def test_a_captions_day_does_not_date_a_page_whose_day_is_printed_on_its_own_line() -> None:
    # htmldate's idiosyncratic patterns read the serialized page: a caption's "Veröffentlicht am"
    # (a survey's day) dated the page before the day it prints under its headline was read
    from newsclean.cleaners.metadata import fill_dates
    para = "<p>The council voted on the harbour bridge plan late on Tuesday evening after a long debate.</p>"
    body = ('<div class="hero"><p class="big">Harbour bridge vote</p><p>Rosa Delacroix</p><p>Feb 16, 2026</p></div>'
            + para * 3 + '<div><img src="/a.jpg"><span>Veröffentlicht am 09.03.2016</span></div>' + para)
    tree = lxml.html.document_fromstring(f"<html><head><title>Harbour bridge vote</title></head><body>{body}</body></html>")
    md = extract_metadata(tree, "https://news.example.org/harbour-bridge-vote")
    fill_dates(md, tree, "https://news.example.org/harbour-bridge-vote")
    assert (md.published, md.date_sources["published"]) == ("2026-02-16", "printed")


def test_a_label_of_the_writer_field_is_no_writer() -> None:
    # "Authors of this article" (a check page of wcxb-dev) and "The Author", "No Author", declared
    # or printed, were read as a writer's name: they name the field, no one
    for label in ("Authors of this article", "The Author", "No Author", "About the author:", "Über den Autor",
                  "À propos de l'auteur"):
        assert _printed_authors(label) == [], label
        assert _md(_page(head=f'<meta name="author" content="{label}">')).authors == [], label
        ld = {"@type": "NewsArticle", "headline": "Harbour bridge vote", "author": {"@type": "Person", "name": label}}
        assert _md(_page(ld=ld)).authors == [], label
    # the label before a name goes, the name stays
    assert _printed_authors("Author Escalon") == ["Escalon"]
    assert _printed_authors('<span>Autor </span><a href="/author/john/">john</a>') == ["john"]
    assert _printed_authors('<span>Authors of this article</span> <a href="/author/jane-doe">Jane Doe</a>') == ["Jane Doe"]
    # a collective is a writer (the truths keep "The Investopedia Team", "Our Editors"), and more
    # than a name after the label word keeps the whole
    for writer in ("The Investopedia Team", "Our Editors", "Editorial Staff", "Contributors to Wikimedia projects"):
        assert _md(_page(head=f'<meta name="author" content="{writer}">')).authors == [writer], writer


@pytest.mark.parametrize("byline, name", [("Autore Di Maio", "Di Maio"), ("Auteur De Gaulle", "De Gaulle"),
                                          ("Autora De la Fuente", "De la Fuente"), ("Authors La Toya Jackson", "La Toya Jackson")])
def test_a_family_names_particle_after_the_writer_fields_label_stays(byline: str, name: str) -> None:
    # "di", "de", "la" are words a label prints around its author word and a family name's first
    # word: before a name they are the name's ("Autore Di Maio" was "Maio")
    assert _printed_authors(byline) == [name]
    assert _md(_page(head=f'<meta name="author" content="{byline}">')).authors == [name]


def test_a_json_ld_block_with_a_lone_surrogate_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # the lone surrogate was mended by writing the parsed block out and parsing it again: two
    # json.loads a block (and a json.dumps); the strings and keys are mended in place now
    from newsclean.cleaners.metadata import common

    parsed: list[str] = []
    real = common.json.loads
    monkeypatch.setattr(common.json, "loads", lambda text, **kw: parsed.append(text) or real(text, **kw))
    tree = lxml.html.fromstring('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
                                '"headline": "Storm \\ud800 hits", "a\\udfffb": ["x\\ud83d\\ude00", 3, null]}'
                                "</script></head><body><p>x</p></body></html>")
    nodes = common._ld_nodes(tree)
    assert len(parsed) == 1
    assert nodes == [{"@type": "NewsArticle", "headline": "Storm \ufffd hits", "a\ufffdb": ["x\U0001f600", 3, None]}]
