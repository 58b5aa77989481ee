"""Command-line conventions: --version, log levels (-L/-q/-v), a live progress line that never
runs into a log line, a demo that can run twice into one output, and a wheel and README that
hold what they promise (LICENSE, py.typed, the pandas extra, the real part-file names)."""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
import tomllib
import zipfile
from pathlib import Path

import pty

from newsclean.output import find_parts, validate_record

from ..conftest import REPO, read_parts, read_terminal, run_newsclean

README = (REPO / "README.md").read_text("utf-8")


def test_version() -> None:
    proc = run_newsclean("--version")
    assert proc.returncode == 0, proc.stderr
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert proc.stdout.strip() == f"newsclean {version}"


def test_log_levels_of_a_crawl(demo_server, tmp_path: Path) -> None:
    site = ["crawl", "--url", demo_server.base_url + "/", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
    quiet = run_newsclean(*site, "--out", str(tmp_path / "q"), "-q")
    assert quiet.returncode == 0, quiet.stderr[-2000:]
    assert quiet.stderr == ""                                   # -q: the summary and nothing else
    assert quiet.stdout.startswith("run ") and re.search(r"articles written: [1-9]", quiet.stdout), quiet.stdout
    warn = run_newsclean(*site, "--out", str(tmp_path / "w"), "-L", "warning")
    assert warn.returncode == 0, warn.stderr[-2000:]
    assert " INFO: " not in warn.stderr and len(warn.stderr.splitlines()) < 10, warn.stderr
    bad = run_newsclean(*site, "--out", str(tmp_path / "b"), "-L", "LOUD")
    assert bad.returncode == 2 and "-L/--loglevel" in bad.stderr


def test_the_live_progress_line_ends_before_a_log_line(demo_server, tmp_path: Path) -> None:
    primary, secondary = pty.openpty()      # stderr on a terminal: the live progress line
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 200, 0, 0))
    child = subprocess.Popen([sys.executable, "-m", "newsclean.crawler.commands.cli", "crawl", "--url", demo_server.base_url + "/",
                              "--out", str(tmp_path / "o"), "-s", "AUTOTHROTTLE_ENABLED=False",
                              "-s", "DOWNLOAD_DELAY=0.05", "-s", "NEWSCLEAN_PROGRESS_INTERVAL=0.02"],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=secondary)
    os.close(secondary)
    shown = read_terminal(primary)
    assert child.wait(timeout=300) == 0
    progress = re.findall(rb"\x1b\[K[^\r\n]*pages/s", shown)
    assert len(progress) > 3, shown[-2000:]                      # it was drawn, between log lines
    assert not re.search(rb"pages/s\d{4}-\d\d-\d\d ", shown), shown[-3000:]   # a log line glued to it


def test_the_demo_twice_into_one_out_does_not_double_the_corpus(tmp_path: Path) -> None:
    out = tmp_path / "demo-out"
    first = run_newsclean("demo", "--out", str(out))
    assert first.returncode == 0, first.stderr[-2000:]
    records = read_parts(out)
    assert len(records) == 27
    second = run_newsclean("demo", "--out", str(out))       # another free port
    assert second.returncode == 0, second.stderr[-2000:]
    again = read_parts(out)
    assert sorted(r["id"] for r in again) == sorted(r["id"] for r in records)   # nothing written twice
    for rec in again:
        validate_record(rec)
    assert {r["domain"] for r in again} == {"demo-herald.invalid"}
    # `crawl demo` (a cron-like rerun) serves it by the same origin: before, its URLs carried the
    # server's free port, and each run wrote the 27 articles again under new ids
    for _ in range(2):
        crawled = run_newsclean("crawl", "demo", "--out", str(out), "-q")
        assert crawled.returncode == 0 and "articles written: 0\n" in crawled.stdout, crawled.stdout + crawled.stderr[-2000:]
    assert sorted(r["id"] for r in read_parts(out)) == sorted(r["id"] for r in records)
    # The README's listing names the part files as they are.
    listed = re.search(r"^OUT/articles/(\S+)\s+records", README, re.M).group(1)
    pattern = re.escape(listed).replace(re.escape("<site>"), "[a-z0-9_]+").replace(
        re.escape("<YYYY-MM-DD>"), r"\d{4}-\d\d-\d\d").replace(re.escape("<run_id>"), r"\d{8}T\d{6}Z-[0-9a-f]{6}")
    parts = [p.relative_to(out / "articles").as_posix() for p in find_parts(out)]
    assert parts and all(re.fullmatch(pattern, p) for p in parts), (listed, parts)


def test_the_wheel_holds_the_license_and_py_typed(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("newsclean-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "newsclean/py.typed" in names
    (license_name,) = [n for n in names if n.endswith("/LICENSE")]
    assert "MIT License" in zipfile.ZipFile(wheel).read(license_name).decode()


def test_the_readme_install_brings_pandas() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    install = re.search(r"pip install -q -e '?\.(\[([a-z,]+)\])?'?", README)
    assert install, "the README has an install line"
    extras = (install.group(2) or "").split(",")
    assert "import pandas" in README
    brought = [req for extra in extras if extra for req in project["optional-dependencies"].get(extra, [])]
    assert any(req.startswith("pandas") for req in brought), (install.group(0), brought)


def test_the_program_freezes_what_it_leaves_before_it_exits(monkeypatch) -> None:
    """``newsclean`` (the script and ``python -m``) runs cli.run: main's exit code, after what the
    run left in memory is frozen out of the garbage collector (the shutdown's collections walked
    all of it for nothing)."""
    import gc

    from newsclean.crawler.commands import cli

    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["newsclean"] == "newsclean.crawler.commands.cli:run"
    monkeypatch.setattr(cli, "main", lambda: 3)
    before = gc.get_freeze_count()
    try:
        try:
            cli.run()
        except SystemExit as exc:
            assert exc.code == 3
        else:
            raise AssertionError("cli.run did not exit")
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
