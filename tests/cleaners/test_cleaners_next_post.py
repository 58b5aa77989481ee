"""A next post rendered below the page's article: infinite-scroll pages written for this test, the
next post in a sibling <article> (the extractor takes the first) and inside the article's own block
(kept: the cut at a dated heading linking to the site was dropped, docs/quality.md), and pages of
our own where such a cut would take the article's text: roundups and timelines whose headings link
to the site's pages with a day after each."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsclean.cleaners import Article, clean_html

URL = "https://harbourledger.example/news/ferry-pier-approved"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "cleaners"
ARTICLE = ["The harbour council voted on Tuesday evening", "Seven of the nine councillors backed the plan.",
           "Fishermen had asked for a second slipway", "Work is due to begin in the autumn"]
NEXT_POST = ["Lighthouse keeper's cottage", "The cottage beside the old lighthouse", "Entry is free for residents"]


@pytest.mark.parametrize("page", [
    "next_post_below.html",
    pytest.param("next_post_inside.html", marks=pytest.mark.xfail(strict=True, reason=(
        "inside the article's own block the next post reads as more of the article; a cut at a "
        "heading linking to the site with a day after it also cut roundups and timelines "
        "(test_roundups_and_timelines_of_dated_linked_headings_stay_whole) and moved one dev-half "
        "page of the bench sets: dropped, docs/quality.md"))),
])
def test_the_next_post_an_infinite_scroll_page_renders_below_is_not_body(page: str) -> None:
    result = clean_html((FIXTURES / page).read_bytes(), URL)
    assert isinstance(result, Article), result
    lines = result.text.split("\n")
    assert [next(i for i, line in enumerate(lines) if line.startswith(a)) for a in ARTICLE] == [0, 1, 2, 3]
    for snippet in NEXT_POST:
        assert snippet not in result.text


INTRO = ("The valley fills up on the first warm weekend of the year, and the organisers of every event "
         "below say they expect more visitors than last spring, so arrive early and bring cash for the stalls.")
EVENTS = [("Spring fair on the green", "Saturday 14 March 2026, 10am"),
          ("Riverside book market", "Sunday 15 March 2026, 9am"),
          ("Choir concert at St Anne's", "Sunday, March 15, 2026 at 7pm"),
          ("Farmers' market", "<time datetime='2026-03-14'>Saturday</time>")]


def _page(title: str, items: str) -> str:
    return (f"<html lang='en'><head><title>{title} | Valley Gazette</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/whats-on'>What's on</a></nav>"
            f"<article><h1>{title}</h1><p>{INTRO}</p><p>{INTRO}</p>{items}"
            "<p>Closing line of the article: have a good weekend.</p></article>"
            "<footer>Valley Gazette</footer></body></html>")


def _item(i: int, heading: str, href: str, day: str) -> str:
    return (f"{heading}<a href='{href}'>Item {i}: {EVENTS[i][0]}</a></{heading[1:]}<p class='when'>{day}</p>"
            f"<p>Item {i} body: the stalls open at ten and close when the light goes; entry is free for "
            "children under twelve and the car park by the river is the nearest one to the gate.</p>")


@pytest.mark.parametrize("heading, href, days", [
    # what's on: each event's heading links to its page, its day under it
    ("<h2>", "/events/item-{i}", [day for _, day in EVENTS]),
    # a roundup of the site's reviews, each dated
    ("<h3>", "/reviews/kayak-{i}", ["Reviewed 2 March 2026"] * 4),
    # a timeline of the story's earlier coverage
    ("<h3>", "/news/pier-{i}", ["12 May 2024", "3 June 2025", "9 January 2026", "3 March 2026"]),
])
def test_roundups_and_timelines_of_dated_linked_headings_stay_whole(heading: str, href: str, days: list[str]) -> None:
    items = "".join(_item(i, heading, href.format(i=i), day) for i, day in enumerate(days))
    result = clean_html(_page("What's on this weekend", items), "https://valleygazette.example/whats-on/weekend")
    assert isinstance(result, Article), result
    assert [i for i in range(4) if f"Item {i} body:" in result.text] == [0, 1, 2, 3]
    assert "Closing line of the article" in result.text
