"""A full disk (issue #14 point 6), for real: crawls into a private 1 MB tmpfs (a user
namespace, no root) until SQLite and the part writer get ENOSPC. Required: one line
``newsclean: failed: disk full (<path>)``, exit 1, no traceback, the manifest written (room for
it is held from the start), no torn part, and the next run with space loses nothing. Before:
tracebacks for every later item, an uncaught OutputError and no manifest."""

from __future__ import annotations

import pytest

from newsclean.crawler.hostile import CASES, Ctx, load_cases, run_case
from newsclean.crawler.hostile.cases_bounds import small_disk_available

pytestmark = [pytest.mark.slow, pytest.mark.hostile]


def test_disk_full_fails_in_one_line_and_the_next_run_loses_nothing() -> None:
    probe = Ctx("probe", 30)
    try:
        if not small_disk_available(probe.tmp):
            pytest.skip("no private tmpfs here (unshare --user --mount is not allowed)")
    finally:
        probe.close()
    load_cases()
    result = run_case(CASES["disk-full"])
    assert result.held, result.figure
    assert "manifest yes" in result.figure and "0 tracebacks" in result.figure, result.figure


def test_a_disk_full_before_the_run_starts_is_the_same_one_line() -> None:
    load_cases()
    result = run_case(CASES["disk-full-at-start"])
    assert result.held, result.figure


def test_a_file_size_limit_stops_the_run_as_a_full_disk_does() -> None:
    load_cases()
    result = run_case(CASES["file-size-limit"])
    assert result.held, result.figure


@pytest.mark.parametrize("case", ["state-locked-mid-run", "dedup-index-locked-mid-run"])
def test_a_state_file_locked_by_another_program_mid_run_stops_it_in_one_line(case: str) -> None:
    # an sqlite3 shell takes the article store's (the dedup index's) write lock once the crawl has
    # committed a part: before, tracebacks (the spider's top-up, its close; the index's settle)
    load_cases()
    result = run_case(CASES[case])
    assert result.held, result.figure
