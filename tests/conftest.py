"""Shared fixtures: a real HTTP server on 127.0.0.1 and a way to run the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from newsclean.crawler.demo import DEMO_SITE, DemoServer

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo_server() -> Iterator[DemoServer]:
    with DemoServer(DEMO_SITE) as server:
        yield server


@pytest.fixture
def site_server(tmp_path: Path) -> Iterator[tuple[DemoServer, Path]]:
    """A server over an empty directory the test fills with its own pages."""
    root = tmp_path / "site"
    root.mkdir()
    with DemoServer(root) as server:
        yield server, root


def run_newsclean(*args: str, env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run ``newsclean ARGS`` as a real process (Twisted's reactor runs once per process)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "newsclean.crawler.cli", *args], cwd=REPO, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def read_parts(root: Path, kind: str = "articles") -> list[dict]:
    """Every record of the committed part files (hidden temporary files are never read)."""
    records = []
    for path in sorted((root / kind).rglob("*.jsonl")):
        assert not path.name.startswith("."), path
        for line in path.read_bytes().splitlines():
            records.append(orjson.loads(line))
    return records
