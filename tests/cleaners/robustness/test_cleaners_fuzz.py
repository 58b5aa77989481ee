"""Bad input never escapes clean_html: random bytes, truncated HTML, deep nesting, wrong charsets,
huge pages. Always an Article or a Rejected with a known reason other than a timeout, and work that
grows no faster than the input: each example is cleaned as it is, then cycled to 1,000 and 10,000
characters, and ten times the input takes about ten times the CPU, not a hundred (tests/growth.py; no
bound in seconds, which a loaded machine breaks: Hypothesis' wall-clock deadline of 2 s failed
test_random_bytes with the machine's other jobs on its two cores, and a bound on CPU seconds says
nothing of how the work grows)."""

from __future__ import annotations

from collections.abc import Callable
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from newsclean.cleaners import REJECT_REASONS, Article, Rejected, clean_html, clean_text
from tests.growth import LENGTHS, cost_of, cpu_seconds, faster_than_linear

FIXTURE = (Path(__file__).parent.parent.parent / "fixtures" / "cleaners" / "tagdiv_incontent.html").read_bytes()
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: CPU seconds after which one measured call is stopped: it stops a hang, it bounds nothing (clean_html
#: stops itself at its own bound, 10 s, with a timeout reject, which _ok fails).
STOP = 20.0
#: The lengths an example is cycled to (characters or bytes) for a growth measure: a tenth and the
#: whole of 10,000, where a regex tried again from each character shows (0.5 s at 10,000 characters
#: against 0.002-0.008 s at 1,000).
CYCLED = (1_000, 10_000)


def cycled(example: str | bytes) -> Callable[[int], str | bytes]:
    """``example`` repeated and cut to ``n`` characters (bytes), for :func:`linear`."""
    return lambda n: (example * (n // max(len(example), 1) + 1))[:n]


def linear(call: Callable[[object], object], make: Callable[[int], object],
           lengths: tuple[int, ...] = CYCLED) -> None:
    """``call(make(n))`` at ``lengths`` grows about as the input does: a step of over 30 times the CPU
    for ten times the input fails (quadratic work's 100; tests/growth.py). ``call`` asserts its own
    result (``_ok``): a page cut at clean_html's bound fails as a timeout. Where the steps stop short
    of the last length (a slow one), that input is still given to ``call``, a hang stopped at ``STOP``."""
    made: set[int] = set()

    def input_of(n: int) -> object:
        made.add(n)
        return make(n)
    times = faster_than_linear(cost_of(call, input_of, limit=STOP), lengths, limit=STOP)
    assert times is None, times
    if lengths[-1] not in made:   # else a quadratic slow enough to stop the steps early passed unseen
        assert cpu_seconds(lambda: call(make(lengths[-1])), STOP) != float("inf"), f"stopped after {STOP} s: a hang"


def _text_ok(text: str) -> None:
    assert isinstance(clean_text(text), str)


def _ok(result: object) -> None:
    assert isinstance(result, (Article, Rejected))
    if isinstance(result, Rejected):
        assert result.reason in REJECT_REASONS and result.reason != "timeout", result
    else:
        assert result.text.strip()


@FAST
@given(st.binary(max_size=4000))
def test_random_bytes(data: bytes) -> None:
    _ok(clean_html(data, "https://example.org/x"))
    linear(lambda page: _ok(clean_html(page, "https://example.org/x")), cycled(data))


@FAST
@given(st.integers(min_value=0, max_value=len(FIXTURE)))
def test_truncated_html(cut: int) -> None:
    _ok(clean_html(FIXTURE[:cut], "https://example.org/x"))
    linear(lambda page: _ok(clean_html(page, "https://example.org/x")), cycled(FIXTURE[:cut]))


@FAST
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdiv p&;#x\n")), max_size=2000))
def test_tag_soup(text: str) -> None:
    _ok(clean_html(text))
    linear(lambda page: _ok(clean_html(page)), cycled(text))


@FAST
@given(st.sampled_from(["utf-8", "iso-8859-1", "cp1252", "shift_jis", "koi8-r", "utf-16", "bogus-charset"]),
       st.sampled_from(["utf-8", "latin-1", "utf-16"]))
def test_wrong_declared_charset(declared: str, actual: str) -> None:
    def page(n: int) -> bytes:
        body = "<p>" + "Grüße aus Köln, die Straße ist gesperrt — naïve café. " * n + "</p>"
        html = f'<html><head><meta charset="{declared}"></head><body><article>{body}</article></body></html>'
        return html.encode(actual, errors="replace")
    linear(lambda html: _ok(clean_html(html)), page, (6, 60, 600))


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=3000))
def test_clean_text_total(text: str) -> None:
    assert isinstance(clean_text(text), str)
    linear(_text_ok, cycled(text))


#: One input of each family above, made from a fixed seed, measured at 1,000, 10,000 and 100,000
#: characters: the step to 100,000 shows a quadratic too cheap to show at 10,000 (one of a few
#: nanoseconds a character pair: 50 ms at 10,000, 5 s at 100,000).
SEEDED: dict[str, tuple[Callable[[int], str | bytes], Callable[[object], None]]] = {
    "random bytes": (lambda n: random.Random(n).randbytes(n), lambda page: _ok(clean_html(page))),
    "truncated HTML": (cycled(FIXTURE[:len(FIXTURE) * 2 // 3]), lambda page: _ok(clean_html(page))),
    "tag soup": (lambda n: "".join(random.Random(n).choices("<>/=\"' abcdiv p&;#x\n", k=n)),
                 lambda page: _ok(clean_html(page))),
    "text": (lambda n: "".join(random.Random(n).choices("ab cd\n\t.,:;|-–•·@#0123456789äöüß中\u200b", k=n)), _text_ok),
}


@pytest.mark.parametrize("family", SEEDED)
def test_seeded_inputs_grow_linearly(family: str) -> None:
    make, check = SEEDED[family]
    linear(check, make, LENGTHS)


def test_deeply_nested_divs_is_bounded() -> None:
    # libxml2 stops at 256 open elements (parsing.MAX_DEPTH): the rest of the page is never read
    def nested(n: int) -> str:
        return "<html><body>" + "<div>" * n + "<p>deep text " * 20 + "</div>" * n + "</body></html>"
    _ok(clean_html(nested(50_000)))
    linear(lambda html: _ok(clean_html(html)), nested, (500, 5_000, 50_000))


def test_huge_page_is_rejected_before_it_is_parsed(parses: list[int]) -> None:
    html = "<html><body>" + "<p>" + "word " * 2_000_000 + "</p></body></html>"
    result = clean_html(html)
    assert isinstance(result, Rejected) and result.reason == "too_large"
    assert parses == []   # 10 MB, over max_bytes: not parsed, whatever its markup


def test_many_elements_is_bounded() -> None:
    def spans(n: int) -> str:
        return "<html><body>" + "<span>x</span>" * n + "</body></html>"
    _ok(clean_html(spans(200_000)))
    linear(lambda html: _ok(clean_html(html)), spans, (2_000, 20_000, 200_000))
