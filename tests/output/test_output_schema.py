"""The v1 record: schema validation, canonical URLs, ids and hashes."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

import pytest

from newsclean.cleaners.types import Article
from newsclean.cleaners.version import CLEANER_VERSION
from newsclean.output import (
    RECORD_SCHEMA,
    RecordInvalid,
    build_record,
    build_reject,
    canonicalize_url,
    content_hash,
    normalize_text,
    record_id,
    validate_record,
    validate_reject,
)

FETCHED = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc)


def _article() -> Article:
    return Article(
        url="https://www.example.test/news/2026/03/harbour-bridge-reopens?utm_source=feed",
        text="The harbour bridge reopened on Tuesday.\nEngineers said  the repairs took  six weeks.",
        title="Harbour bridge reopens", authors=["A. Writer"], published="2026-03-03T10:00:00+05:00",
        modified=None, language="en", description="Repairs done.", section="City", tags=["transport"],
        canonical_url="/news/2026/03/harbour-bridge-reopens", method="trafilatura",
        date_sources={"published": "json-ld"}, removed={"prune": 120, "lines": 14},
    )


def _record() -> dict:
    art = _article()
    return build_record(art, url=art.url, site="example", fetched_at=FETCHED, run_id="20260304T050607Z-abc123")


def test_build_record_validates_and_has_contract_shape() -> None:
    rec = _record()
    validate_record(rec)
    assert list(rec) == list(RECORD_SCHEMA["properties"])  # key order as in the contract table
    assert rec["canonical_url"] == "https://www.example.test/news/2026/03/harbour-bridge-reopens"
    assert rec["id"] == record_id(rec["canonical_url"]) and len(rec["id"]) == 32
    assert rec["domain"] == "www.example.test"
    assert rec["fetched_at"] == "2026-03-04T05:06:07Z"
    assert rec["word_count"] == 13
    assert rec["cleaning"] == {"cleaner_version": CLEANER_VERSION, "method": "trafilatura",
                               "removed": {"prune": 120, "lines": 14}, "date_sources": {"published": "json-ld"}}


def test_fetched_at_is_converted_to_utc() -> None:
    art = _article()
    rec = build_record(art, url=art.url, site="s", run_id="r",
                       fetched_at=datetime(2026, 3, 4, 10, 6, 7, tzinfo=timezone(timedelta(hours=5))))
    assert rec["fetched_at"] == "2026-03-04T05:06:07Z"


@pytest.mark.parametrize("mutate, path", [
    (lambda r: r.pop("text"), "<record>"),
    (lambda r: r.__setitem__("extra", 1), "<record>"),
    (lambda r: r.__setitem__("word_count", "13"), "word_count"),
    (lambda r: r.__setitem__("authors", "A. Writer"), "authors"),
    (lambda r: r.__setitem__("id", "XYZ"), "id"),
    (lambda r: r.__setitem__("content_hash", "md5:abc"), "content_hash"),
    (lambda r: r.__setitem__("published", "3rd of March"), "published"),
    (lambda r: r.__setitem__("fetched_at", "2026-03-04T05:06:07+05:00"), "fetched_at"),
    (lambda r: r.__setitem__("schema_version", 2), "schema_version"),
    (lambda r: r["cleaning"].__setitem__("removed", {"prune": -1}), "cleaning/removed/prune"),
    (lambda r: r["cleaning"].pop("method"), "cleaning"),
])
def test_invalid_records_fail_with_field_path(mutate, path: str) -> None:
    rec = copy.deepcopy(_record())
    mutate(rec)
    with pytest.raises(RecordInvalid) as info:
        validate_record(rec)
    assert info.value.path == path
    assert str(info.value).startswith(path)


def test_reject_record_validates() -> None:
    rej = build_reject(url="https://example.test/x", site="example", reason="too_short", detail="42 chars",
                       fetched_at=FETCHED, run_id="r1")
    validate_reject(rej)
    rej["surprise"] = True
    with pytest.raises(RecordInvalid):
        validate_reject(rej)


@pytest.mark.parametrize("url, canonical, expected", [
    # tracking params dropped, query sorted, host lowercased, path case kept, fragment dropped
    ("HTTPS://News.Example.TEST/World/Story?utm_source=x&b=2&fbclid=1&a=1&gclid=z#comments", None,
     "https://news.example.test/World/Story?a=1&b=2"),
    ("http://example.test:80/a", None, "http://example.test/a"),
    ("https://example.test:443/a", None, "https://example.test/a"),
    ("https://example.test:8443/a", None, "https://example.test:8443/a"),
    ("https://example.test", None, "https://example.test/"),
    # same-site canonical preferred across www / amp variants
    ("https://example.test/story/amp/", "https://www.example.test/story/", "https://www.example.test/story/"),
    ("https://amp.example.test/story", "https://www.example.test/story", "https://www.example.test/story"),
    ("https://example.test/story?amp=1", None, "https://example.test/story"),
    ("https://example.test/a/b", "../c?mc_cid=9", "https://example.test/c"),
    # cross-site or non-http canonical is ignored
    ("https://example.test/story", "https://aggregator.test/story", "https://example.test/story"),
    ("https://example.test/story", "javascript:alert(1)", "https://example.test/story"),
    ("https://example.test/story", "http://[broken", "https://example.test/story"),
    # garbage in, stripped garbage out, no exception
    ("  not a url  ", None, "not a url"),
    ("ftp://example.test/file", None, "ftp://example.test/file"),
    ("http://example.test:99999/", None, "http://example.test:99999/"),
    ("", None, ""),
    # tracking: courlan's families and names, plus the news-site ones it misses
    ("https://example.test/a?itm_source=x&pk_campaign=y&id=7", None, "https://example.test/a?id=7"),
    ("https://example.test/a?source=rss&ref=hp&cid=sm_tw&ocid=socialflow", None, "https://example.test/a"),
    ("https://example.test/a?UTM_Medium=x&p=2", None, "https://example.test/a?p=2"),
    # keys that merely start like a tracker are content, kept
    ("https://example.test/photos?gallery=4&page=2", None, "https://example.test/photos?gallery=4&page=2"),
    # fragments of every kind dropped
    ("https://example.test/a#", None, "https://example.test/a"),
    ("https://example.test/a?x=1#section-2", None, "https://example.test/a?x=1"),
    # amp variants
    ("https://example.test/amp/news/story", None, "https://example.test/news/story"),
    ("https://example.test/news/story.amp.html", None, "https://example.test/news/story.html"),
    ("https://example.test/story?outputType=amp", None, "https://example.test/story"),
    ("https://example.test/amp/", None, "https://example.test/amp/"),    # a section named amp stays
    # default ports, IPv6 hosts keep their brackets
    ("http://[::1]:80/a", None, "http://[::1]/a"),
    ("http://[::1]:8080/a", None, "http://[::1]:8080/a"),
    # trailing slashes kept as served (documented); repeated slashes and dot segments folded
    ("https://example.test/story/", None, "https://example.test/story/"),
    ("https://example.test/story", None, "https://example.test/story"),
    ("https://example.test/story//", None, "https://example.test/story/"),
    ("https://example.test/a//b/./c/../d", None, "https://example.test/a/b/d"),
    # encoding: one spelling per resource
    ("https://example.test/%7euser/caf\u00e9?q=caf\u00e9", None, "https://example.test/~user/caf%C3%A9?q=caf%C3%A9"),
    ("https://Ex\u00e4mple.test./a", None, "https://xn--exmple-cua.test/a"),
    ("https://user:pw@example.test/a", None, "https://example.test/a"),
    # rel=canonical: same site (up to www./m./amp.) wins, other sites never
    ("https://m.example.test/story?ref=app", "https://www.example.test/story/", "https://www.example.test/story/"),
    ("https://example.test/story", "https://cdn.other.test/story", "https://example.test/story"),
    ("https://example.test/story", "https://example.test.evil.test/story", "https://example.test/story"),
])
def test_canonicalize_url(url: str, canonical: str | None, expected: str) -> None:
    assert canonicalize_url(url, canonical) == expected


@pytest.mark.parametrize("url", [
    "https://www.bbc.co.uk/news/world-europe-68123456",
    "https://edition.cnn.com/2026/02/01/politics/story/index.html",
    "https://example.test/news/article.php?cat=5&id=123",
    "https://example.test/search?q=a+b",
    "https://example.test/caf%C3%A9/",
    "http://127.0.0.1:8123/2026/02/01/irrigation-canal-story-number-0/",
])
def test_already_canonical_urls_keep_their_form_and_id(url: str) -> None:
    # Records written before the switch to w3lib/courlan keep their ids.
    assert canonicalize_url(url) == url
    assert record_id(canonicalize_url(url)) == record_id(url)


def test_canonical_form_is_idempotent() -> None:
    once = canonicalize_url("https://Example.test/a?z=1&utm_medium=m&a=2#x")
    assert canonicalize_url(once) == once


def test_content_hash_ignores_spacing_and_unicode_form() -> None:
    composed = "Caf\u00e9 opens\nsecond  line"
    decomposed = "  Cafe\u0301   opens \n\n second line  "
    assert normalize_text(decomposed) == "Caf\u00e9 opens\nsecond line"
    assert content_hash(composed) == content_hash(decomposed)
    assert content_hash(composed) != content_hash("Caf\u00e9 closes\nsecond line")
    assert content_hash("x").startswith("sha256:") and len(content_hash("x")) == 7 + 64


def test_normalize_text_breaks_lines_as_str_splitlines() -> None:
    # Every line break str.splitlines knows ends a line (content hashes written before are
    # kept: the text is substituted once, not line by line); other white space is a space.
    text = "a\r\nb \x0b c\x0cd\u2028e\x85f\x1cg\u2029h\ri\t\u00a0 j\u3000\n\n \u2000 \nk"
    assert normalize_text(text) == "a\nb\nc\nd\ne\nf\ng\nh\ni j\nk"
    assert normalize_text("") == normalize_text(" \n\t\n") == ""


def _normalized_line_by_line(text: str) -> str:
    """normalize_text as it was written before its shortcut for a text already normal."""
    import re
    import unicodedata

    lines = unicodedata.normalize("NFC", text).splitlines()
    return "\n".join(line for line in (re.sub(r"[^\S\n]+", " ", line).strip() for line in lines) if line)


def test_a_text_already_normal_is_returned_as_it_is() -> None:
    # A cleaned article's text is normal already; normalize_text built its lines again for each
    # content hash (a worker's digest of every page): it now hands the same text back.
    text = "Caf\u00e9 opens on Monday.\nThe second line, with \u4e2d\u6587 and \U0001f600."
    assert normalize_text(text) is text
    # and whatever normalizing changes is not taken for normal: each of these one change away
    import random

    rng = random.Random(7)
    pieces = ["a", "b", " ", "  ", "\n", "\n\n", "\t", "\r", "\r\n", "\u00a0", "\u2028", "\x85", "\x1c", "\x0b",
              "e\u0301", "\u00e9", "\u3000", "\u200b", ".", "\U0001f600"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(20_000)]
    texts += ["a b\nc", "a \nb", "a\n b", " a", "a ", "\na", "a\n", "a\n\nb", "a  b", "a\tb", "a\u00a0b", "a\u2029b",
              "e\u0301", "\u00e9"]
    for text in texts:
        assert normalize_text(text) == _normalized_line_by_line(text), repr(text)
    assert sum(normalize_text(t) is t for t in texts) > 100   # the shortcut was taken, not only the long way


def test_record_id_is_stable_and_distinct() -> None:
    assert record_id("https://example.test/a") == record_id("https://example.test/a")
    assert record_id("https://example.test/a") != record_id("https://example.test/b")
