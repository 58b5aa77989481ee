"""The language model's tables read from a cache file instead of the packaged, LZMA-compressed
model (newsclean.cleaners.metadata.table_cache): a cache that is missing, stale, corrupt or cannot be
written gives the tables built from the model, the same answers, and no error."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from newsclean.cleaners.metadata import table_cache
from newsclean.cleaners.metadata.table_cache import cached_tables

from .test_language import TEXTS

SAMPLES = [*TEXTS.values(), "x", "", "1234 5678 ---- 99", "東京都は火曜日に港の予算を承認した。",
           "Городской совет во вторник утвердил бюджет порта.", "THE COUNCIL MET ON TUESDAY TO VOTE ON IT"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(table_cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _counting_build(calls: list[int]) -> dict[str, np.ndarray]:
    calls.append(1)
    return {"a": np.arange(1000, dtype=np.uint16), "b": np.array(["en", "de"])}


def _same(x: dict[str, np.ndarray], y: dict[str, np.ndarray]) -> bool:
    return x.keys() == y.keys() and all(x[k].dtype == y[k].dtype and np.array_equal(x[k], y[k]) for k in x)


def test_tables_are_built_once_then_read_from_the_cache(cache: Path) -> None:
    calls: list[int] = []
    first = cached_tables("t", "k1", lambda: _counting_build(calls))
    again = cached_tables("t", "k1", lambda: _counting_build(calls))
    assert calls == [1] and _same(first, again)
    assert [p.name for p in cache.iterdir()] == ["t.npz"]   # no temporary file left


@pytest.mark.parametrize("damage", ["stale", "truncated", "flipped", "garbage", "empty"])
def test_a_stale_or_damaged_cache_file_is_built_again_and_rewritten(
        cache: Path, damage: str, caplog: pytest.LogCaptureFixture) -> None:
    calls: list[int] = []
    built = cached_tables("t", "k1", lambda: _counting_build(calls))
    path = cache / "t.npz"
    data = path.read_bytes()
    if damage == "stale":
        cached_tables("t", "k0", lambda: _counting_build(calls))   # another model's tables
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":   # inside the first table's data: only the member's CRC tells
        at = data.index(np.arange(1000, dtype=np.uint16).tobytes()[200:240])
        path.write_bytes(data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:])
    elif damage == "garbage":
        path.write_bytes(b"not a cache file" * 100)
    else:
        path.write_bytes(b"")
    calls.clear()
    with caplog.at_level(logging.INFO):
        assert _same(cached_tables("t", "k1", lambda: _counting_build(calls)), built)
    assert calls == [1]                                        # built again, not read
    assert not [r for r in caplog.records if r.levelno >= logging.INFO]   # a cache miss is no news
    assert _same(table_cache._read(path, "k1"), built)         # and written again, whole


def test_a_cache_that_cannot_be_written_only_costs_the_build(cache: Path) -> None:
    cache.parent.mkdir(exist_ok=True)
    cache.write_text("a file where the directory should be")
    calls: list[int] = []
    for _ in range(2):
        assert _same(cached_tables("t", "k1", lambda: _counting_build(calls)), _counting_build([]))
    assert calls == [1, 1]


def test_a_killed_writers_temporary_file_is_removed_by_the_next_write(cache: Path) -> None:
    # a writer killed mid-write (SIGKILL) leaves its temporary file, as large as the cache file;
    # one another process is writing now (recent) is left to it
    import os

    cache.mkdir(parents=True)
    stale, fresh = cache / ".t.npz.killed.tmp", cache / ".t.npz.writing.tmp"
    for tmp in (stale, fresh):
        tmp.write_bytes(b"half a cache file")
    old = stale.stat().st_mtime - table_cache.STALE_TEMPORARY_SECONDS - 60
    os.utime(stale, (old, old))
    cached_tables("t", "k1", lambda: _counting_build([]))
    assert sorted(p.name for p in cache.iterdir()) == [fresh.name, "t.npz"]


def test_the_cache_directory_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(table_cache.CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert table_cache.cache_dir() == tmp_path / "xdg" / "newsclean"
    monkeypatch.setenv(table_cache.CACHE_DIR_ENV, str(tmp_path / "own"))
    assert table_cache.cache_dir() == tmp_path / "own"


def test_the_language_model_from_its_cache_answers_as_py3langids_own(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import py3langid.langid
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from newsclean.cleaners.metadata.language import _identifier

    theirs = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    theirs.set_languages([code for code in theirs.labels if len(code) == 2])
    expected = [theirs.classify(t) for t in SAMPLES]
    built = _identifier.__wrapped__()                  # no cache file yet: built from the model
    assert (cache / "py3langid.npz").is_file()

    def no_model(*args: object) -> None:
        raise AssertionError("the packaged model was read")

    with monkeypatch.context() as m:
        m.setattr(py3langid.langid, "_load_model_file", no_model)
        cached = _identifier.__wrapped__()             # read from the cache alone
    assert [built.classify(t) for t in SAMPLES] == [cached.classify(t) for t in SAMPLES] == expected
    for name in ("_rowbase", "tk_output", "next_low", "next_high", "nb_classes", "_alias_pairs"):
        assert type(getattr(cached, name)) is type(getattr(built, name)) and getattr(cached, name) == getattr(built, name)
    assert cached.nb_ptc.dtype == built.nb_ptc.dtype and np.array_equal(cached.nb_ptc, built.nb_ptc)
    assert cached.nb_ptc.flags.c_contiguous

    (cache / "py3langid.npz").write_bytes(b"corrupt")
    assert [_identifier.__wrapped__().classify(t) for t in SAMPLES] == expected


def test_a_cache_directory_given_with_a_tilde_is_under_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before: a crontab's NEWSCLEAN_CACHE_DIR=~/nc-cache (cron expands no ~) made a folder named "~"
    # in the job's working directory
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv(table_cache.CACHE_DIR_ENV, "~/nc-cache")
    assert table_cache.cache_dir() == tmp_path / "home" / "nc-cache"
