"""The installed modules live under one ``newsclean`` package: files a user keeps in the working
directory (an ``output.py``, a ``crawler.py``) can never shadow them, in the command, in
``python -m`` entry points or in the cleaning workers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson

from newsclean.crawler.commands.demo import DEMO_SITE

SHADOWS = ("output", "crawler", "cleaners")


def _shadowed_cwd(tmp_path: Path) -> Path:
    cwd = tmp_path / "work"
    cwd.mkdir()
    for name in SHADOWS:
        (cwd / f"{name}.py").write_text(f"raise ImportError('the user\\'s own {name}.py was imported')\n")
    return cwd


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_python_m_entry_points_ignore_modules_in_the_working_directory(tmp_path: Path) -> None:
    cwd = _shadowed_cwd(tmp_path)
    for module in ("newsclean.crawler.commands.demo", "newsclean.crawler.commands.cli", "newsclean.cleaners.bench",
                   "newsclean.cleaners.learned.train"):
        done = _run(cwd, "-m", module, "--help")
        assert done.returncode == 0, (module, done.stderr[-2000:])
        assert "was imported" not in done.stderr


def test_clean_workers_ignore_modules_in_the_working_directory(tmp_path: Path) -> None:
    cwd = _shadowed_cwd(tmp_path)
    pages = cwd / "pages"
    for src in sorted(DEMO_SITE.glob("stories/2026/*/index.html"))[:2]:
        dest = pages / src.parent.name / "index.html"
        dest.parent.mkdir(parents=True)
        shutil.copy(src, dest)
    assert len(list(pages.rglob("*.html"))) == 2
    done = _run(cwd, "-m", "newsclean.crawler.commands.cli", "clean", "pages", "-o", "corpus.jsonl", "--workers", "2")
    assert done.returncode == 0, done.stderr[-2000:]
    records = [orjson.loads(line) for line in (cwd / "corpus.jsonl").read_bytes().splitlines()]
    assert len(records) == 2
    assert all(len(r["text"]) > 200 for r in records)


def test_every_package_folder_is_installed() -> None:
    """The package list of pyproject.toml is explicit (package-dir maps folders to newsclean.*):
    a new folder left out of it works in an editable install and is missing from the wheel."""
    import tomllib

    repo = Path(__file__).resolve().parents[2]
    tool = tomllib.loads((repo / "pyproject.toml").read_text())["tool"]["setuptools"]
    declared = {name: repo / folder for name, folder in tool["package-dir"].items()}
    assert set(tool["packages"]) == set(declared)
    found = {init.parent.resolve() for top in ("crawler", "cleaners", "output", "newsclean")
             for init in (repo / top).rglob("__init__.py")}
    assert found == {path.resolve() for path in declared.values()}


def test_no_code_imports_the_folders_by_their_bare_names() -> None:
    """From the repository root ``import crawler`` still finds the folder, as a second copy of
    every module beside the installed ``newsclean.crawler``: code must use the installed names."""
    import re

    repo = Path(__file__).resolve().parents[2]
    bare = re.compile(r"^\s*(from|import)\s+(crawler|cleaners|output)\b", re.M)
    offenders = [str(p.relative_to(repo)) for top in ("crawler", "cleaners", "output", "newsclean", "tests")
                 for p in (repo / top).rglob("*.py") if bare.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
