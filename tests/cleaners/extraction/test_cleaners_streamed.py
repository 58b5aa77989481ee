"""newsclean.cleaners.extraction.streamed: an article body a page only streams in Next.js flight data."""

from __future__ import annotations

import json

from newsclean.cleaners import Article, Rejected, clean_html
from newsclean.cleaners.extraction.streamed import streamed_markup

PARAS = [
    "The river ferry returned to service on Monday after a winter of repairs to its hull and engines.",
    "Commuters on the early crossing said the new timetable saves them twenty minutes on a good day.",
    "The council will review the fares in spring, when the second boat is expected back from the yard.",
    "Harbour staff said the repairs came in under budget because the engine parts were found locally.",
]
BODY_HTML = "".join(f'<p class="editor-p">{p}</p>' for p in PARAS) + '<p class="editor-p"><br></p>'


def _push(payload: str) -> str:
    return f"<script>self.__next_f.push({json.dumps([1, payload], ensure_ascii=False)})</script>"


def _flight(row_html: str) -> str:
    """Flight rows as Next.js streams them: the body as a text row (length in UTF-8 bytes, hex)
    referenced by the component that sets it as raw HTML."""
    rows = (f'1:"$Sreact.fragment"\n'
            f'7:T{len(row_html.encode("utf-8")):x},{row_html}'
            f'8:["$","div",null,{{"className":"article-body","dangerouslySetInnerHTML":{{"__html":"$7"}}}}]\n')
    half = len(rows) // 2   # rows are split across pushes anywhere, even inside a text row
    return _push(rows[:half]) + _push(rows[half:])


def _page(body: str, scripts: str) -> str:
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Ferry back in service</title>"
            "<meta property='og:title' content='Ferry back in service'></head><body>"
            "<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
            f"<main><h1>Ferry back in service</h1>{body}</main><footer>© The Harbour Post</footer>"
            f"{scripts}</body></html>")


def test_a_body_only_streamed_in_flight_data_is_extracted() -> None:
    page = _page("<div class='article-body'></div>", _flight(BODY_HTML))
    result = clean_html(page, "https://harbour.test/news/ferry")
    assert isinstance(result, Article), result
    assert result.text.split("\n") == PARAS
    assert result.method.startswith("streamed+")
    assert result.title == "Ferry back in service"


def test_text_rows_count_utf8_bytes_and_may_span_pushes() -> None:
    row = "<p>" + "Über die Brücke fährt die Fähre wieder, sagt der Hafenmeister. " * 10 + "</p>"
    rows = streamed_markup(_page("", _flight(row) + _flight(BODY_HTML)))
    assert rows == [row, BODY_HTML]


def test_a_rendered_article_is_not_doubled_by_its_flight_data() -> None:
    rendered = "<article>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article>"
    with_data = clean_html(_page(rendered, _flight(BODY_HTML)), "https://harbour.test/news/ferry")
    without = clean_html(_page(rendered, ""), "https://harbour.test/news/ferry")
    assert isinstance(with_data, Article) and isinstance(without, Article)
    assert with_data.text == without.text and not with_data.method.startswith("streamed")


def test_broken_or_foreign_pushes_are_a_plain_reject() -> None:
    scripts = ("<script>self.__next_f.push([1,\"7:T40,<p>cut off</script>"   # truncated JSON
               + _push('9:["$","p",null,{"children":"A short label"}]\n')       # no text row
               + "<script>self.__next_f.push([0])</script>")
    result = clean_html(_page("<div class='article-body'></div>", scripts), "https://harbour.test/news/ferry")
    assert isinstance(result, Rejected) and result.reason in ("extract_failed", "too_short")
