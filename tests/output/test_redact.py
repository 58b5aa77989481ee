"""output.redact reads its input once (brief ux13): its two patterns were quadratic on a run of
scheme characters, of commas, or of "(a:" pieces (a page's link in a log line gets there), and
the rewrites mask what the patterns they replace masked."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from newsclean.output.redact import _mask_cut, cut_userinfo, mask_credentials
from tests.growth import cpu_seconds, faster_than_linear

#: The patterns as they were (2026-12-06), and how mask_credentials asked them.
_OLD_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*)://(?P<user>[^\s:/?#@\"'<>\\]*)"
                           r"(?::(?P<pw>[^\s/\"'<>\\]*))?@(?=[^\s@/?#\"'<>\\]*(?:[\s/?#\"'<>\\]|$))")
_OLD_BARE = re.compile(r"(?<![\w.+\-/:@%])(?!mailto:)(?P<user>[\w.\-~%!$&*+,;=]+):(?P<pw>[^\s/@\"'<>\\]+)@(?=[\w\[])")


def _old_masked(m: re.Match[str]) -> str:
    if m["pw"] is not None:
        return f"{m['scheme']}://{m['user']}:***@"
    return f"{m['scheme']}://***@" if m["user"] else m[0]


def old_mask(text: str) -> str:
    if "@" not in text:
        return text
    return _OLD_BARE.sub(lambda m: f"{m['user']}:***@", _OLD_USERINFO.sub(_old_masked, text))


PIECES = ["a", "b", "x1", ",", ":", "@", "/", "//", "://", ".", "(", "mailto:", "mailto", " ", "_", "é", "-",
          "+", "[", "%", "?", "#", "'", "redis", "p@ss", "1", "~", "=", "\n"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=18))
def test_masks_what_the_old_patterns_masked(pieces: list[str]) -> None:
    text = "".join(pieces)
    # the old patterns after the pass they never had (a password holding '/', '?' or '#', below)
    assert mask_credentials(text) == old_mask(_mask_cut(text))


def test_masks_credentials() -> None:
    assert mask_credentials("redis://:s3cret@db:6379/0 and x+rediss://u:p@ss@h/") == \
        "redis://:***@db:6379/0 and x+rediss://u:***@h/"
    assert mask_credentials("invalid hostname: user:pw@host, mailto:me@example.org") == \
        "invalid hostname: user:***@host, mailto:me@example.org"


def test_a_password_holding_a_slash_is_masked() -> None:
    # before: 'https://ed:pa/ss@host/' (host 'ed', port 'pa' to a URL parser) was shown as it was
    assert mask_credentials("newsclean crawl --url http://editor:S3cr/et@127.0.0.1:1/ --out x") == \
        "newsclean crawl --url http://editor:***@127.0.0.1:1/ --out x"
    assert mask_credentials("'https://u:pa?ss@h.example/feed'") == "'https://u:***@h.example/feed'"
    assert mask_credentials("https://u:a#b/c@h/") == "https://u:***@h/"
    for kept in ("http://localhost:8080/@handle", "https://news.example/@handle?x=a@b", "http://h:80/a:b/c@d"):
        assert mask_credentials(kept) == kept   # a port, then a path holding '@': no credentials


def test_a_password_starting_with_digits_is_masked() -> None:
    # before: 'http://u:12/34@host/' (host 'u', port 12, path '/34@host/': a valid URL) was shown as it was
    assert mask_credentials("crawl --url http://editor:12/34@127.0.0.1:1/ --out x") == \
        "crawl --url http://editor:***@127.0.0.1:1/ --out x"
    assert mask_credentials("redis://default:2024?pw@cache:6379/0") == "redis://default:***@cache:6379/0"
    assert mask_credentials("'https://u:/pw@h.example/'") == "'https://u:***@h.example/'"   # an empty port
    for kept in ("http://h:80/a/b@c", "http://h:80/p?mail=a@b.example", "http://h:80/?a=b&c=d@e"):
        assert mask_credentials(kept) == kept   # a path or query holding '@' after a port


@pytest.mark.parametrize("url,cut", [
    ("https://ed:pa/ss@host/", True), ("http://u:12/34@host/", True), ("redis://:pa#ss@h:6379/0", True),
    ("unix://:pa#ss@/run/redis.sock", True), ("redis://u:12/34@h/0?client_name=a@b", True),
    # an '@' after the host: sites.cut_userinfo said True for the first two (cli's Redis check, False)
    ("http://h/?a=b@c", False), ("http:///news/?by=ed@x.example", False),
    ("redis://h:6379/0?client_name=ops@example.org", False), ("unix:///run/redis.sock?password=a@b&db=1", False),
    ("http://localhost:8080/@handle", False), ("https://ed:pw@host/", False), ("http://h/", False),
])
def test_cut_userinfo(url: str, cut: bool) -> None:
    # one answer for the site and --urls checks (sites.cut_userinfo) and the Redis URL's (cli._host_cut_in_userinfo)
    assert cut_userinfo(url) is cut
    assert (mask_credentials(url) != url) is (cut or "ed:pw@" in url)   # what is refused is what is masked


@pytest.mark.parametrize("unit", ["a.", ",", "(a:", "a://b:", "x:y@", "a://b:c/", "a://b:1/c", "a://b:1/c@"])   # the last two: a password starting with digits
def test_a_long_run_is_read_once(unit: str) -> None:
    # ten times the run, about ten times the CPU; a run read again from each of its starts takes a
    # hundred times (measured against each other in one process: no bound in seconds). Before
    # ab34b05, 10,000 characters of 'a.', ',' or '(a:' took 0.2-1 s, 100,000 over a minute; the
    # cut's pattern asked of the whole text (not up to a run's last '@'), 100,000 'a://b:c/' over 5 s
    def cost_at(n: int) -> float:
        text = "@ " + unit * (n // len(unit))
        return cpu_seconds(lambda: mask_credentials(text), limit=5.0)
    # 1,000, 10,000 and 100,000 characters; up to 5 s a step, so a 10,000 that grows too little
    # to fail goes on to 100,000
    assert faster_than_linear(cost_at, limit=5.0) is None
