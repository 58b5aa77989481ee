"""Tables built from a packaged model, kept on disk ready to use: :func:`cached_tables`.

py3langid ships its model LZMA-compressed (4.6 MB); decompressing it and building the tables
:mod:`newsclean.cleaners.metadata.language` walks took ~0.5-0.7 s of CPU in every process that identifies a
language: every crawl's cleaning forkserver, every ``newsclean clean``. The built tables are
written once, uncompressed, as numpy's ``.npz`` (no pickle: nothing in the file is executed), and
read back in a few tens of ms. The file holds the key of what it was built from (a digest of the
model file and the building code's version): a file that is missing, stale (another key),
unreadable or corrupt (a zip member's CRC) is not used, the tables are built from the model as
before and the file written again. Writing is best effort (a read-only or full disk only costs the
next process the build), and atomic (a temporary file renamed into place).

Where: ``$NEWSCLEAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsclean``, else ``~/.cache/newsclean``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)

#: Environment variable naming the cache directory.
CACHE_DIR_ENV = "NEWSCLEAN_CACHE_DIR"
#: The name of the key inside a cached file (a table may not take it).
_KEY = "__key__"


def cache_dir() -> Path:
    """The directory cached tables go to (see the module's docstring)."""
    if chosen := os.environ.get(CACHE_DIR_ENV):
        # a crontab's NEWSCLEAN_CACHE_DIR=~/cache reaches us unexpanded: it made a folder named "~"
        # in the job's working directory
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsclean"


def file_digest(data: bytes | str) -> str:
    """A short digest of what tables are built from, for their key."""
    return hashlib.blake2b(data.encode("utf-8") if isinstance(data, str) else data, digest_size=16).hexdigest()


def file_key(path: Path | str, version: int) -> str:
    """The key of tables built by code of ``version`` from the file at ``path``: its digest."""
    return f"{version}:{file_digest(Path(path).read_bytes())}"


def cached_tables(name: str, key: str, build: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The tables ``build`` returns for ``key``: read from the cache file ``name`` when it holds
    that key, else built and written there for the next process."""
    path = cache_dir() / f"{name}.npz"
    tables = _read(path, key)
    if tables is None:
        tables = build()
        _write(path, key, tables)
    return tables


def _read(path: Path, key: str) -> dict[str, np.ndarray] | None:
    """The tables in ``path`` if it is a whole cache file of ``key``; else None (said at debug level)."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            if _KEY not in data.files or str(data[_KEY]) != key:
                logger.debug("cached tables %s: built from another model, rebuilt", path)
                return None
            # Every member read whole: a damaged one fails its CRC check here.
            return {name: data[name] for name in data.files if name != _KEY}
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - any unreadable file is only a cache miss
        logger.debug("cached tables %s unreadable (%s: %s), rebuilt", path, type(exc).__name__, exc)
        return None


def _write(path: Path, key: str, tables: dict[str, np.ndarray]) -> None:
    """Write ``tables`` under ``key`` to ``path`` atomically; a failure is only said at debug level."""
    import numpy as np

    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **{_KEY: np.array(key)}, **tables)
        os.replace(tmp, path)
        tmp = None
    except Exception as exc:  # noqa: BLE001 - a cache that cannot be written costs the next process the build
        logger.debug("cannot cache tables at %s (%s: %s)", path, type(exc).__name__, exc)
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


#: Age after which a temporary file beside a cache file is a killed writer's, not one writing now
#: (a write takes well under a second).
STALE_TEMPORARY_SECONDS = 3600


def _remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files of ``path`` that a writer killed mid-write left (SIGKILL, the
    OOM killer: its ``finally`` never ran); each is as large as the cache file (53 MB for the
    language model) and nothing else would ever remove it."""
    now = time.time()
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if now - stale.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                stale.unlink()
        except OSError:
            pass   # gone already (another writer removed it), or not ours to remove
