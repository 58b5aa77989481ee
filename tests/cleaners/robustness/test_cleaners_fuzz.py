"""Bad input never escapes clean_html: random bytes, truncated HTML, deep nesting, wrong charsets,
huge pages. Always an Article or a Rejected with a known reason, within a bound on CPU time (the
wall clock of a loaded machine says nothing about the cleaners: Hypothesis' wall-clock deadline of
2 s failed test_random_bytes with the machine's other jobs on its two cores)."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from newsclean.cleaners import REJECT_REASONS, Article, Rejected, clean_html, clean_text

FIXTURE = (Path(__file__).parent.parent.parent / "fixtures" / "cleaners" / "tagdiv_incontent.html").read_bytes()
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: CPU seconds one example may take (what Hypothesis' wall-clock deadline of 2 s stood for).
EXAMPLE_CPU = 2.0


def cpu_since(t0: float) -> float:
    """CPU seconds this process has used since ``process_time()`` was ``t0`` (all its threads)."""
    return time.process_time() - t0


def _ok(result: object) -> None:
    assert isinstance(result, (Article, Rejected))
    if isinstance(result, Rejected):
        assert result.reason in REJECT_REASONS
    else:
        assert result.text.strip()


@FAST
@given(st.binary(max_size=4000))
def test_random_bytes(data: bytes) -> None:
    t0 = time.process_time()
    _ok(clean_html(data, "https://example.org/x"))
    assert cpu_since(t0) < EXAMPLE_CPU


@FAST
@given(st.integers(min_value=0, max_value=len(FIXTURE)))
def test_truncated_html(cut: int) -> None:
    t0 = time.process_time()
    _ok(clean_html(FIXTURE[:cut], "https://example.org/x"))
    assert cpu_since(t0) < EXAMPLE_CPU


@FAST
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdiv p&;#x\n")), max_size=2000))
def test_tag_soup(text: str) -> None:
    t0 = time.process_time()
    _ok(clean_html(text))
    assert cpu_since(t0) < EXAMPLE_CPU


@FAST
@given(st.sampled_from(["utf-8", "iso-8859-1", "cp1252", "shift_jis", "koi8-r", "utf-16", "bogus-charset"]),
       st.sampled_from(["utf-8", "latin-1", "utf-16"]))
def test_wrong_declared_charset(declared: str, actual: str) -> None:
    body = "<p>" + "Grüße aus Köln, die Straße ist gesperrt — naïve café. " * 6 + "</p>"
    html = f'<html><head><meta charset="{declared}"></head><body><article>{body}</article></body></html>'
    t0 = time.process_time()
    _ok(clean_html(html.encode(actual, errors="replace")))
    assert cpu_since(t0) < EXAMPLE_CPU


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=3000))
def test_clean_text_total(text: str) -> None:
    t0 = time.process_time()
    assert isinstance(clean_text(text), str)
    assert cpu_since(t0) < EXAMPLE_CPU


def test_deeply_nested_divs_is_bounded() -> None:
    html = "<html><body>" + "<div>" * 50_000 + "<p>deep text " * 20 + "</div>" * 50_000 + "</body></html>"
    t0 = time.process_time()
    _ok(clean_html(html))
    assert cpu_since(t0) < 10


def test_huge_page_is_rejected_fast() -> None:
    html = "<html><body>" + "<p>" + "word " * 2_000_000 + "</p></body></html>"
    t0 = time.process_time()
    result = clean_html(html)
    assert isinstance(result, Rejected) and result.reason == "too_large"
    assert cpu_since(t0) < 2


def test_many_elements_is_bounded() -> None:
    html = "<html><body>" + "<span>x</span>" * 200_000 + "</body></html>"
    t0 = time.process_time()
    _ok(clean_html(html))
    assert cpu_since(t0) < 10
