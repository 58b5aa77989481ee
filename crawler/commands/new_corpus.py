"""A crawl that starts a new corpus, said: a moved or mistyped ``--out`` (``--out /srv/newz``) found no
state there and fetched everything again, without a word. The run's first line names where the state
lives and an earlier corpus's state it may have meant; its manifest counts ``newsclean/state/new_corpus``."""

from __future__ import annotations

import difflib
import logging
import sqlite3
from pathlib import Path
from typing import Any

#: The manifest's count of a run that started a new corpus (1; absent otherwise).
NEW_CORPUS_KEY = "newsclean/state/new_corpus"

_STORE = "articles.sqlite3"
#: ``newsclean crawl``'s and ``ccnews``'s ``--out`` when none is given: a corpus the run may have meant.
DEFAULT_OUT = "newsclean-out"


def knows_articles(directory: Path) -> bool:
    """Whether the article store in ``directory`` knows an article (a run fetched or scheduled one).
    A store that cannot be read counts as known: a new corpus is said only when it surely is one."""
    path = directory / _STORE
    if not path.is_file():
        return False
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None
        finally:
            db.close()
    except sqlite3.Error:
        return True


def said_at_start(settings: Any) -> bool:
    """Whether the run's log level lets the line be said at the start (-q, ``-L ERROR``: the
    summary says it instead)."""
    level = settings.get("LOG_LEVEL") or "DEBUG"
    number = logging.getLevelName(str(level).upper()) if not isinstance(level, int) else level
    return not isinstance(number, int) or number <= logging.WARNING


def starts_new_corpus(settings: Any) -> bool:
    """Whether a crawl with ``settings`` starts from a local state that knows no article (a state
    in Redis is shared by the workers, whatever their ``--out``; no state: nothing is remembered)."""
    from newsclean.crawler.state import state_dir
    from newsclean.crawler.state.redis_state import redis_url

    directory = state_dir(settings)
    if directory is None or redis_url(settings) or not settings.getbool("NEWSCLEAN_STORE_ENABLED", True):
        return False
    return not knows_articles(directory)


def earlier_states(out: Path, state: Path, default_out: str | None = None) -> list[Path]:
    """States of earlier corpora the run may have meant: the output folders beside ``out`` named
    like it (a typo, a folder moved), the command's default ``--out``, ``out``'s own state when
    ``NEWSCLEAN_STATE_DIR`` names another, the state of the output folder ``NEWSCLEAN_STATE_DIR``
    names (``=/srv/corpus`` for ``/srv/corpus/state``); those that know an article."""
    candidates: list[Path] = [out / "state", state / "state"]
    if default_out:
        candidates.append(Path(default_out) / "state")
    parent = out.absolute().parent
    try:
        names = [entry.name for entry in parent.iterdir() if entry.name != out.name]
    except OSError:
        names = []
    candidates += [parent / name / "state" for name in difflib.get_close_matches(out.name, names, n=3, cutoff=0.75)]
    try:
        own = state.resolve()
    except OSError:
        return []
    found: list[Path] = []
    seen: set[Path] = set()   # each folder once, however it was named
    for candidate in candidates:
        try:
            where = candidate.resolve()
        except OSError:
            continue
        if where != own and where not in seen and knows_articles(candidate):
            seen.add(where)
            found.append(candidate)
    return found


def new_corpus_line(settings: Any, out: Path, default_out: str | None = None) -> str:
    """The one line a crawl starting a new corpus (:func:`starts_new_corpus`) says first."""
    from newsclean.crawler.state import state_dir

    state = state_dir(settings)
    assert state is not None
    line = f"newsclean: a new corpus: its state {state} knows no article yet, so every article found is fetched"
    earlier = earlier_states(out, state, default_out)
    if earlier:
        meant = ("leave NEWSCLEAN_STATE_DIR out to go on with it" if earlier[0] == out / "state"
                 else f"was NEWSCLEAN_STATE_DIR={earlier[0]} meant?" if earlier[0] == state / "state"
                 else f"was --out {earlier[0].parent} meant?")
        line += f"; an earlier corpus's state is in {earlier[0]} ({meant})"
    return line
