"""trafilatura handed the cleaner's tree itself, not a copy, where its extraction leaves the tree as it was.

``bare_extraction`` copies a tree it is given (``if tree is filecontent: tree = copy(tree)``)
because the first steps of its cascade (``trafilatura_sequence``) prune that tree in place:
``RAW_TREE_PRUNE_XPATH`` and, with comments off, ``REMOVE_COMMENTS_AND_LISTS_XPATH``. Every later
step that changes a tree changes a copy of it (``_prepare_tree``'s cleaning, the copies for
readability, jusText, the baseline and the page measure; what it extracts is built from those
copies). So where those prunes select nothing in the tree, the copy is the tree as it was, made
for nothing: :func:`lent` checks that once for the tree the cleaner extracts (the guarded paths of
:mod:`.xpath_guard`: on most pages they read the attributes and stop), and for the
extractions of that tree inside its block trafilatura gets the tree itself and skips the two prunes
(they would select nothing again). Where they select something, trafilatura copies and prunes as
it always does.

trafilatura's module-global names are wrapped once (as :mod:`.readability_gate` wraps its
comparison): ``load_html`` marks the next ``copy`` of the lent tree (``bare_extraction``'s, which
follows it) as the tree itself; every other copy of it (the escalation's jusText and recall
retry, ``baseline``'s) is made. Outside the block, and on other threads, nothing changes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import lxml.etree as etree
import trafilatura.core
import trafilatura.xpaths

_COPY = trafilatura.core.copy
_LOAD = trafilatura.core.load_html
_PRUNE = trafilatura.core.prune_unwanted_nodes
#: The raw-tree prunes of ``trafilatura_sequence`` (list objects: :mod:`.xpath_guard` swaps
#: their paths in place, these stay the lists trafilatura.core names).
_RAW_PRUNES = (trafilatura.xpaths.RAW_TREE_PRUNE_XPATH, trafilatura.xpaths.REMOVE_COMMENTS_AND_LISTS_XPATH)
_STATE = threading.local()   # .tree: the tree lent (or None); .uncopied: its next copy is itself


def _load_html(htmlobject: Any, *args: Any, **kwargs: Any) -> Any:
    if htmlobject is getattr(_STATE, "tree", None):
        _STATE.uncopied = True   # bare_extraction copies it next
    return _LOAD(htmlobject, *args, **kwargs)


def _copy(obj: Any) -> Any:
    if getattr(_STATE, "uncopied", False) and obj is getattr(_STATE, "tree", None):
        _STATE.uncopied = False
        return obj
    return _COPY(obj)


def _prune(tree: Any, nodelist: Any, *args: Any, **kwargs: Any) -> Any:
    if tree is getattr(_STATE, "tree", None) and any(nodelist is raw for raw in _RAW_PRUNES):
        return tree   # checked by lent(): selects nothing in it
    return _PRUNE(tree, nodelist, *args, **kwargs)


trafilatura.core.load_html = _load_html
trafilatura.core.copy = _copy
trafilatura.core.prune_unwanted_nodes = _prune


def raw_prunes_select_nothing(tree: etree._Element) -> bool:
    """Whether trafilatura's raw-tree prunes (with the lists as they are now) select nothing in ``tree``."""
    return not any(path(tree) for paths in _RAW_PRUNES for path in paths)


@contextmanager
def lent(tree: etree._Element) -> Iterator[None]:
    """Inside the block (on this thread), trafilatura's extractions of ``tree`` are handed the
    tree itself where its raw-tree prunes select nothing in it (see the module's doc)."""
    if not raw_prunes_select_nothing(tree):
        yield
        return
    before = getattr(_STATE, "tree", None)
    _STATE.tree, _STATE.uncopied = tree, False
    try:
        yield
    finally:
        _STATE.tree, _STATE.uncopied = before, False
