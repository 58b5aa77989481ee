"""One manifest per run: ids, versions, config hash, counts, drops, committed files, checks."""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
import secrets
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

from newsclean.output.redact import mask_credentials, mask_tree
from newsclean.output.writer import write_json_atomic

RUN_STATUSES = ("ok", "degraded", "interrupted", "failed")
_DISTRIBUTIONS = ("newsclean", "scrapy", "trafilatura", "lxml")


def new_run_id(now: datetime | None = None) -> str:
    """``YYYYMMDDTHHMMSSZ-<6 hex>``: sortable by start time, unique across parallel workers."""
    moment = now or datetime.now(timezone.utc)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def _source_version() -> str:
    """newsclean's version from pyproject.toml when run from a checkout that is not installed."""
    try:
        with open(Path(__file__).resolve().parent.parent / "pyproject.toml", "rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "not installed"


def versions() -> dict[str, str]:
    """Installed versions of newsclean, scrapy, trafilatura, lxml and python (no imports)."""
    found: dict[str, str] = {}
    for name in _DISTRIBUTIONS:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = _source_version() if name == "newsclean" else "not installed"
    found["python"] = platform.python_version()
    return found


def config_hash(obj: Any) -> str:
    """First 16 hex chars of sha256 over ``obj`` as sorted-keys JSON (non-JSON values via str)."""
    data = orjson.dumps(obj, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(slots=True)
class RunManifest:
    """What one run did, written to ``<root>/manifests/<run_id>.json``."""

    run_id: str
    started_at: str
    crawl_id: str = ""                         # workers of one --redis crawl share it; else the run_id
    finished_at: str | None = None
    status: str = "ok"                         # one of RUN_STATUSES
    exit_code: int = 0
    reason: str = ""                           # one line
    sites: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    config_hash: str = ""
    counts: dict[str, int] = field(default_factory=dict)       # newsclean/... stats
    dropped: dict[str, int] = field(default_factory=dict)      # reason -> count
    files: list[str] = field(default_factory=list)             # committed parts, relative to root
    checks: list[dict[str, Any]] = field(default_factory=list)  # {name, passed, detail}

    def __post_init__(self) -> None:
        if self.status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {self.status!r}; expected one of {RUN_STATUSES}")
        self.reason = mask_credentials(" ".join(str(self.reason).split()))  # one line, no passwords

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (credentials of any URL in it masked: reasons and check
        details quote URLs)."""
        return mask_tree(asdict(self))

    def write(self, root: Path | str) -> Path:
        """Write atomically to ``<root>/manifests/<run_id>.json`` and return the path."""
        return write_json_atomic(Path(root) / "manifests" / f"{self.run_id}.json", self.to_dict())
