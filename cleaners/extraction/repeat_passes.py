"""trafilatura's link-density passes, not run again on a tree they left unchanged.

trafilatura's ``prune_unwanted_sections`` runs its link-density deletion twice over the same
subtree (``for _ in range(2)``: the ``div``, ``list`` and ``p`` passes, in that order). A pass is a
function of the tree alone: it reads the tree and deletes elements, nothing else. Run again on a
tree that no pass has changed since it last ran, it finds what it found then, nothing; so that run
is left out. On most pages the cleaner's own link-dense pruning has removed what these passes
would delete (wcxb-dev: the first round deletes nothing in 57% of the calls), and the second
round, half of the passes' CPU, is the same work again.

Whether a pass deleted anything is told by trafilatura's ``delete_element``, which every deletion
of a pass goes through: its calls are counted (on this thread). Only inside the block of :func:`unrepeated`
(around the cleaner's own extractions) and only inside one ``prune_unwanted_sections`` call, where
nothing but those passes runs between them (tests/cleaners/robustness/test_cleaners_speed.py checks trafilatura's
source for that loop): trafilatura used elsewhere in the process runs as it always does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import trafilatura.htmlprocessing
import trafilatura.main_extractor

_ORIGINAL_PASS = trafilatura.main_extractor.delete_by_link_density
_ORIGINAL_SECTIONS = trafilatura.main_extractor.prune_unwanted_sections
_ORIGINAL_DELETE = trafilatura.htmlprocessing.delete_element
_STATE = threading.local()   # .on: inside unrepeated(); .done: passes that ran and deleted nothing since
_DELETED = threading.local()   # .n: delete_element's calls on this thread


def _delete_element(*args: Any, **kwargs: Any) -> Any:
    _DELETED.n = getattr(_DELETED, "n", 0) + 1
    return _ORIGINAL_DELETE(*args, **kwargs)


def _pass(subtree: Any, tagname: str, backtracking: bool = False, favor_precision: bool = False) -> Any:
    done = getattr(_STATE, "done", None)
    if done is None:
        return _ORIGINAL_PASS(subtree, tagname, backtracking, favor_precision)
    key = (subtree, tagname, backtracking, favor_precision)
    if key in done:
        return subtree   # it ran on this very tree: it would delete nothing again
    before = getattr(_DELETED, "n", 0)
    _ORIGINAL_PASS(subtree, tagname, backtracking, favor_precision)
    if getattr(_DELETED, "n", 0) != before:
        done.clear()     # the tree changed: every pass may find more
    else:
        done.add(key)
    return subtree


def _sections(*args: Any, **kwargs: Any) -> Any:
    if not getattr(_STATE, "on", False):
        return _ORIGINAL_SECTIONS(*args, **kwargs)
    _STATE.done = set()
    try:
        return _ORIGINAL_SECTIONS(*args, **kwargs)
    finally:
        _STATE.done = None


# the names trafilatura's extraction calls them by (a pass deletes by htmlprocessing's name)
trafilatura.htmlprocessing.delete_element = _delete_element
trafilatura.main_extractor.delete_by_link_density = _pass
trafilatura.main_extractor.prune_unwanted_sections = _sections


@contextmanager
def unrepeated() -> Iterator[None]:
    """Inside the block (on this thread), trafilatura's link-density passes that would find
    nothing new are not run again (see the module's doc)."""
    before = getattr(_STATE, "on", False)
    _STATE.on = True
    try:
        yield
    finally:
        _STATE.on = before
