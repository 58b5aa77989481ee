"""A next post rendered below the page's article (cleaners/next_post.py): infinite-scroll pages
written for this test, the next post inside the article's own block (cut) and in a sibling
<article> (the extractor takes the first), and the headings that stay: a listicle's items
linking to the site's pages, a link to the page itself or another site, a heading too early."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsclean.cleaners import Article, clean_html
from newsclean.cleaners.core import parse
from newsclean.cleaners.next_post import MIN_KEPT_CHARS, drop_next_post

URL = "https://harbourledger.example/news/ferry-pier-approved"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "cleaners"
ARTICLE = ["The harbour council voted on Tuesday evening", "Seven of the nine councillors backed the plan.",
           "Fishermen had asked for a second slipway", "Work is due to begin in the autumn"]
NEXT_POST = ["Lighthouse keeper's cottage", "The cottage beside the old lighthouse", "Entry is free for residents"]


@pytest.mark.parametrize("page", ["next_post_inside.html", "next_post_below.html"])
def test_the_next_post_an_infinite_scroll_page_renders_below_is_not_body(page: str) -> None:
    result = clean_html((FIXTURES / page).read_bytes(), URL)
    assert isinstance(result, Article), result
    lines = result.text.split("\n")
    assert [next(i for i, line in enumerate(lines) if line.startswith(a)) for a in ARTICLE] == [0, 1, 2, 3]
    for snippet in NEXT_POST:
        assert snippet not in result.text
    if page == "next_post_inside.html":   # inside the article's block: this step's cut
        assert result.removed.get("next_post", 0) > 0


PARA = ("The island ferry timetable changes next month, and the harbour office says the early crossing "
        "will leave twenty minutes later on weekdays to match the new bus connections at the quay.")


def _cut(heading: str, after: str = "<p class='byline'>By Tomas Reed · 2 March 2026</p>", paras: int = 3,
         url: str = URL) -> int:
    html = ("<html><body><article><h1>Ferry changes</h1>" + f"<p>{PARA}</p>" * paras
            + f"<section>{heading}{after}<p>{PARA.replace('island', 'mainland')}</p></section></article></body></html>")
    tree = parse(html)
    lines = [PARA] * paras + [" ".join("".join(parse(heading).itertext()).split()), PARA.replace("island", "mainland")]
    out, n = drop_next_post(tree, lines, url)
    assert n == sum(map(len, lines)) - sum(map(len, out))
    return len(lines) - len(out)


def test_a_dated_heading_linking_to_another_page_of_the_site_cuts_the_body() -> None:
    assert _cut("<h2><a href='/news/new-timetable'>The new timetable in full</a></h2>") == 2
    assert _cut("<h3><a href='https://harbourledger.example/news/new-timetable'>The new timetable</a></h3>",
                after="<time>02.03.2026</time>") == 2
    assert _cut("<h2><a href='/news/new-timetable'>The new timetable in full</a></h2>",
                after="<p class='meta'><time datetime='2026-03-02'>Yesterday</time></p>") == 2


@pytest.mark.parametrize("heading, after, paras, url", [
    # no date after it: a listicle's item linking to the site's review of it
    ("<h2><a href='/reviews/harbour-kayak'>1. The harbour kayak</a></h2>", "<p>Light and stable.</p>", 3, URL),
    # a year alone is no dateline: a roundup's item naming the year its product came out
    ("<h2><a href='/reviews/harbour-kayak'>1. The harbour kayak</a></h2>", "<p>Launched in 2024, it is light.</p>", 3,
     URL),
    # a link to the page itself, to an anchor on it, to another site
    ("<h2><a href='/news/ferry-pier-approved/'>Ferry changes</a></h2>", None, 3, URL),
    ("<h2><a href='#timetable'>The new timetable</a></h2>", None, 3, URL),
    ("<h2><a href='https://ferries.example/timetable'>The new timetable</a></h2>", None, 3, URL),
    # a heading only partly a link: the article's own subheading citing a page
    ("<h2>Why the <a href='/news/timetable'>timetable</a> changed this spring</h2>", None, 3, URL),
    # too early: under MIN_KEPT_CHARS of the article above it
    ("<h2><a href='/news/new-timetable'>The new timetable in full</a></h2>", None, 1, URL),
    # no address of the page, or a malformed one: no evidence
    ("<h2><a href='/news/new-timetable'>The new timetable in full</a></h2>", None, 3, ""),
    ("<h2><a href='http://[harbour/x'>The new timetable in full</a></h2>", None, 3, URL),
])
def test_other_headings_stay(heading: str, after: str | None, paras: int, url: str) -> None:
    assert len(PARA) * 3 >= MIN_KEPT_CHARS > len(PARA)
    kwargs = {} if after is None else {"after": after}
    assert _cut(heading, paras=paras, url=url, **kwargs) == 0
