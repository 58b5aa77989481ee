"""Whether trafilatura's main pass found the article's container, seen from outside.

When none of its content XPaths matches (a page without ``<article>``, ``<main>`` or a body
class it knows), trafilatura recovers "wild" text: in its balanced mode only paragraphs, code,
quotes and tables, so the article's lists and subheadings between them are lost (about a page in
ten of wcxb-dev, at F1 .85 against .94 for the rest). With ``favor_recall`` the same recovery
also takes lists, divs and line breaks. :func:`recovered` tells the caller that the recovery ran
during its extraction, so the page alone pays for a second one.

trafilatura's ``extract_content`` calls ``recover_wild_text`` by its module-global name: that
name is wrapped once (as :mod:`cleaners.readability_gate` wraps the comparison), counting calls
per thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import trafilatura.main_extractor

_ORIGINAL = trafilatura.main_extractor.recover_wild_text
_CALLS = threading.local()


def _counted(*args: Any, **kwargs: Any) -> Any:
    _CALLS.n = getattr(_CALLS, "n", 0) + 1
    return _ORIGINAL(*args, **kwargs)


trafilatura.main_extractor.recover_wild_text = _counted


@contextmanager
def recovered() -> Iterator[Callable[[], bool]]:
    """``with recovered() as ran: ...extract...; ran()`` is True when the wild-text recovery ran
    inside the block (on this thread)."""
    before = getattr(_CALLS, "n", 0)
    yield lambda: getattr(_CALLS, "n", 0) > before
