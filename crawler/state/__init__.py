"""Where a run's state lives, from the settings: the article store and learned templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsclean.crawler.state.store import ArticleStore, SqliteArticleStore


def state_dir(settings: Any) -> Path | None:
    """``NEWSCLEAN_STATE_DIR``, else ``<NEWSCLEAN_OUTPUT_DIR>/state``, else None (stateless)."""
    if settings.get("NEWSCLEAN_STATE_DIR"):
        return Path(settings["NEWSCLEAN_STATE_DIR"])
    if settings.get("NEWSCLEAN_OUTPUT_DIR"):
        return Path(settings["NEWSCLEAN_OUTPUT_DIR"]) / "state"
    return None


def open_store(settings: Any) -> ArticleStore | None:
    """The article store for this run; None without an output or state directory
    (plain ``scrapy crawl site -O out.jsonl`` fetches everything, remembers nothing)."""
    if not settings.getbool("NEWSCLEAN_STORE_ENABLED", True):
        return None
    directory = state_dir(settings)
    if directory is None:
        return None
    root = Path(settings["NEWSCLEAN_OUTPUT_DIR"]) if settings.get("NEWSCLEAN_OUTPUT_DIR") else directory.parent
    from newsclean.crawler.state.redis_state import open_redis_store, redis_url

    if redis_url(settings):
        return open_redis_store(settings, str(root))
    return SqliteArticleStore(directory / "articles.sqlite3", root=root)
