"""Pages of sites whose class names say nothing (qmodern1): CSS modules, CSS-in-JS, utility classes,
AMP's components, test ids, a live blog. ``tests/fixtures/cleaners/modern/NAME.html`` is a page
written for this project, ``NAME.truth.txt`` the article's lines as a reader would copy them.
The cleaner's name cues ("related", "share", "newsletter") find nothing on them: what it keeps
and drops rests on the tree's shape, link density, positions, ARIA roles and ``data-*`` names.
Each page is also cleaned with its class and id names blinded (the bench's ``--blind-classes``,
:func:`newsclean.cleaners.bench.blind.blind_classes`): it must read the same, for no name it
holds was what the cleaner went by. docs/quality.md ("Pages whose class names say nothing")
gives the bench's figures with and without the names."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsclean.cleaners import Article, clean_html
from newsclean.cleaners.bench.blind import blind_classes

from .fixture_pages import check_listed, cleaned, params_with_misses, truth_lines
from .test_cleaners_themes import PARAS   # a short story's three paragraphs

MODERN_DIR = Path(__file__).parent.parent / "fixtures" / "cleaners" / "modern"

#: Each page's build and the boilerplate it carries (what must stay out of the body).
PAGES = {
    "nextjs": "Next.js news page: CSS-module classes (Nav_item__5sLe0), a share bar of buttons, tags, 'More from "
              "Transport' story cards after the article, __NEXT_DATA__ holding the story and its related links",
    "styled": "styled-components magazine: sc- classes only, a newsletter box with a form inside the body, Share / "
              "Save / comment count, a 'Trending' list, the footer's line",
    "tailwind": "Tailwind blog: utility classes only, a reading-time line, a newsletter box after the prose, a "
                "'Read next' grid of cards with dates",
    "amp": "AMP article: amp-sidebar menu, amp-ad slots (one inside the body), amp-social-share buttons, amp-img, "
           "an amp-carousel of 'More from Farming'",
    "astro": "Astro page with data-testid names only: share tools, an inline 'Related' list inside the body, a "
             "newsletter sign-up, 'More stories' cards, the site footer's acknowledgement line",
    "liveblog": "Live blog (LiveBlogPosting JSON-LD) with emotion's css- classes: 'Key events' links, timestamped "
                "entries with and without a heading, Share / Copy link buttons in each, 'Most viewed'",
}

#: Each page's writers, as its byline prints them.
WRITERS = {"nextjs": ["Leona Castell"], "styled": ["Isla Brennan"], "tailwind": ["Ravi Menon"],
           "amp": ["Owen Pritchard"], "astro": ["Mia Kowalczyk"]}

#: Pages whose truth the cleaner does not give yet, and why (docs/quality.md).
MISSES: dict[str, str] = {
    "liveblog": "the entries' times and first and last headings are lost: trafilatura finds no container and "
                "keeps the paragraphs only; recall.headings puts back a title between two extracted lines that "
                "opens two lines of prose or more (the middle entry's), and no <time> line",
}


def _url(name: str) -> str:
    return f"https://{name}.example/2025/04/story/"


@pytest.mark.parametrize("name", params_with_misses(PAGES, MISSES))
def test_a_modern_pages_article_is_its_body_and_nothing_around_it(name: str) -> None:
    assert cleaned(MODERN_DIR, name, _url(name)).text.split("\n") == truth_lines(MODERN_DIR, name)


@pytest.mark.parametrize("name", params_with_misses(PAGES, MISSES))
def test_a_modern_page_blinded_reads_the_same(name: str) -> None:
    page = (MODERN_DIR / f"{name}.html").read_text("utf-8")
    result = clean_html(blind_classes(page), _url(name))
    assert isinstance(result, Article), result
    assert result.text.split("\n") == truth_lines(MODERN_DIR, name)


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_modern_pages_byline_names_its_writer(name: str) -> None:
    assert cleaned(MODERN_DIR, name, _url(name)).authors == WRITERS[name]


def test_every_modern_page_has_its_truth_and_its_boilerplate_listed() -> None:
    check_listed(MODERN_DIR, PAGES, MISSES)
    assert set(WRITERS) <= set(PAGES)


COMMENTS = ["I have moored there every August for twenty years and the fees were always fair. Raising them for "
            "the bigger boats is the right call, they take up twice the space on the pontoon.",
            "Will the dredging start before the regatta? Last year two keelboats touched the bottom at low water "
            "and the board promised then that it would be done by now."]


def _page_with(after: str, *, writer: str = "Nell Grady", body: list[str] = PARAS) -> str:
    paras = "".join(f"<p>{p}</p>" for p in body)
    return (f"<html><head><title>Harbour fees</title><meta name='author' content='{writer}'></head><body>"
            f"<div><div><h1>Harbour fees set for next spring</h1><div>{paras}</div></div>{after}</div></body></html>")


def _thread(title: str) -> str:
    items = "".join(f"<li><div><img src='/a{i}.png'><b>Reader {i}</b> <time>May {i}, 2025</time></div><p>{c}</p>"
                    f"<a href='#reply-{i}'>Reply</a></li>" for i, c in enumerate(COMMENTS))
    return f"<div><h3>{title}</h3><ol>{items}</ol></div>"


@pytest.mark.parametrize("title", ["2 thoughts on “Harbour fees set for next spring”", "2 Comments",
                                   "2 Responses to Harbour fees set for next spring", "1,024 comments on “Harbour fees”"])
def test_a_comment_thread_under_a_heading_counting_it_goes_without_a_name_saying_so(title: str) -> None:
    # no class or id names the thread: its heading counts the comments (the thread is prose, as the
    # article is: no teaser test would take it). Fails before dom.teasers.COUNTED_COMMENTS.
    result = clean_html(_page_with(_thread(title)), "https://harbour.example/news/fees")
    assert isinstance(result, Article), result
    assert result.text.split("\n") == PARAS


def test_a_section_whose_heading_opens_with_a_number_stays() -> None:
    section = ("<div><h2>3 reasons the fees went up</h2><p>The basin silts up faster every year since the new "
               "breakwater changed the current, and each dredging costs more than the one before it did.</p></div>")
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    page = (f"<html><head><title>Harbour fees</title></head><body><article><h1>Harbour fees set for next spring</h1>"
            f"{paras}{section}</article></body></html>")
    result = clean_html(page, "https://harbour.example/news/fees")
    assert isinstance(result, Article), result
    assert "3 reasons the fees went up" in result.text.split("\n")


BIO = ("Nell Grady has covered the harbour, its boats and the people who work on them for the Gazette since 2009. "
       "Before that she crewed on delivery trips across the Bay of Biscay and taught dinghy sailing at the club, "
       "and she still races a small keelboat on Thursday evenings.")
#: A body long enough that its block holds most of the page's text with the bio beside it.
LONGER = [*PARAS,
          "The harbour master said the board had looked at the fees charged in the three nearest ports before "
          "deciding, and that the new rates would still be the lowest on this stretch of the coast.",
          "Local fishermen, who pay an annual licence rather than a daily rate, are not affected by the change, "
          "though the board will review their licences separately in the autumn.",
          "A public meeting on the dredging plans will be held at the sailing club on the last Friday of the month, "
          "and the drawings will be on show in the harbour office from next week.",
          "Yacht clubs along the coast have been told of the new rates by letter, and the board expects the first "
          "bookings for the spring to open online at the start of February, as in other years."]


def test_the_writers_bio_after_the_body_goes_whatever_its_box_is_named() -> None:
    # a box after the article's container, of a hashed class, opening with the writer's name: a bio
    # of prose (over blocks.PROSE_CHARS) that the tail's run of short lines did not reach before
    for bio in (BIO, BIO.replace("Nell Grady has", "Nell has")):
        page = _page_with(f"<div class='sc-x7Yq2 kPqRzT'><img src='/nell.png'><p>{bio}</p></div>", body=LONGER)
        result = clean_html(page, "https://harbour.example/news/fees")
        assert isinstance(result, Article), result
        assert result.text.split("\n") == LONGER
    # inside the article's own block it is the article's closing line (an op-ed's tagline)
    page = _page_with("", body=[*LONGER, BIO])
    result = clean_html(page, "https://harbour.example/news/fees")
    assert isinstance(result, Article), result
    assert result.text.split("\n") == [*LONGER, BIO]
    # nor does a paragraph after the body go that names another person first
    other = BIO.replace("Nell Grady has", "Tom Barr has")
    result = clean_html(_page_with(f"<div class='sc-x7Yq2 kPqRzT'><p>{other}</p></div>", body=LONGER),
                        "https://harbour.example/news/fees")
    assert isinstance(result, Article), result
    assert result.text.split("\n") == [*LONGER, other]
