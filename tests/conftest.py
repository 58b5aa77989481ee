"""Shared fixtures: a real HTTP server on 127.0.0.1 and a way to run the real command line."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from newsclean.crawler.commands.demo import DEMO_SITE, DemoServer

REPO = Path(__file__).resolve().parent.parent


def shared_bench(name: str, checkout: Path = REPO) -> Path:
    """The benchmark folder ``name`` of ``shared/bench``, which lies beside the clone (the README's
    ``../shared/bench``): beside this checkout, or, for a git worktree, beside the clone it belongs
    to (its common git directory's folder), wherever either sits. A path that does not exist where
    neither holds it: the tests of the bench's pages skip."""
    clones = [checkout]
    try:
        common = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True, timeout=30, check=True).stdout.strip()
        clones.append(Path(common).parent)
    except (OSError, subprocess.SubprocessError):
        pass   # no git, or no checkout (an unpacked release): beside this folder only
    found = (clone.parent / "shared" / "bench" / name for clone in clones)
    return next((p for p in found if p.is_dir()), checkout.parent / "shared" / "bench" / name)


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


def run_newsclean(*args: str, env: dict[str, str] | None = None, timeout: float = 180,
                  cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run ``newsclean ARGS`` as a real process (Twisted's reactor runs once per process)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def run_python(code: str, timeout: float = 120) -> str:
    """Run ``code`` in a fresh interpreter (what a new worker or process imports and builds);
    its standard output, after checking that it succeeded."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def modules_imported(code: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh interpreter holds after running ``code`` (a process's imports
    are its memory and start-up CPU): sorted."""
    probe = f"\nimport sys\nprint(' '.join(sorted(m for m in {modules!r} if m in sys.modules)))"
    return run_python(code + probe).split()


def call_newsclean(*args: str) -> subprocess.CompletedProcess[str]:
    """``newsclean ARGS`` called in this process, for refusals a command makes before it starts
    anything (no crawl, pool, server or signal handler): the code path of :func:`run_newsclean`
    (``cli.main``, which prints the one-line error and returns the exit code) without a new
    process, whose imports (Scrapy, the cleaners) cost about a second of CPU each."""
    from newsclean.crawler.commands import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:       # argparse's own errors exit
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(["newsclean", *args], code, out.getvalue(), err.getvalue())


def read_terminal(primary: int) -> bytes:
    """All a child wrote to the pseudo-terminal whose primary side is ``primary``, until it closed it."""
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:        # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    return shown


def read_parts(root: Path, kind: str = "articles") -> list[dict]:
    """Every record of the committed part files (hidden temporary files are never read)."""
    records = []
    for path in sorted((root / kind).rglob("*.jsonl")):
        assert not path.name.startswith("."), path
        for line in path.read_bytes().splitlines():
            records.append(orjson.loads(line))
    return records


# -- the quick loop: ``pytest -m "not slow"`` -------------------------------------------------------
#: What makes a test slow: it starts a process (the command line, a crawl, redis-server) or serves
#: pages over HTTP. A test whose code, or the code of a fixture or helper it uses (two calls deep),
#: does one of these is marked ``slow``, so new end-to-end tests join the slow set without anyone
#: remembering to mark them.
SLOW_SIGNS = ("run_newsclean(", "run_python(", "subprocess", "Popen(", "DemoServer(", "HostileServer(", "CrawlerProcess",
              "CrawlerRunner", "redis_server", "redis_url", "demo_server", "site_server", "site_factory",
              "doccheck.main(", "Sandbox(", "run_case(", "run_cases(", "Ctx(", "newsclean.crawl(", "tiny_fs", "PoolCleaner(")


def _looks_slow(func: object, depth: int = 2) -> bool:
    import inspect

    try:
        source = inspect.getsource(func)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return False
    if any(sign in source for sign in SLOW_SIGNS):
        return True
    if depth == 0:
        return False
    code, names = getattr(func, "__code__", None), getattr(func, "__globals__", {})
    for name in (code.co_names if code else ()):
        helper = names.get(name)
        if inspect.isfunction(helper) and helper.__module__.startswith(("tests", "newsclean.crawler.hostile")) \
                and helper is not func and _looks_slow(helper, depth - 1):
            return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow"):
            continue
        funcs = [getattr(item, "function", None)]
        info = getattr(item, "_fixtureinfo", None)
        for defs in (info.name2fixturedefs.values() if info else ()):
            funcs += [d.func for d in defs]
        if any(f is not None and _looks_slow(f) for f in funcs):
            item.add_marker(pytest.mark.slow)
