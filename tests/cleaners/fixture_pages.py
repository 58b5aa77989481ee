"""Pages written as fixtures with the article's lines beside them (``NAME.html`` and
``NAME.truth.txt`` in one folder): the themes' pages and the older eras' pages read alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsclean.cleaners import Article, clean_html


def truth_lines(folder: Path, name: str) -> list[str]:
    """The article's lines of page ``name``, as a reader of the page would copy them."""
    return (folder / f"{name}.truth.txt").read_text(encoding="utf-8").strip().split("\n")


def pages_and_truths(folder: Path) -> tuple[set[str], set[str]]:
    """The names of the folder's pages and of its truths (each page must have one)."""
    return ({p.stem for p in folder.glob("*.html")},
            {p.name.removesuffix(".truth.txt") for p in folder.glob("*.truth.txt")})


def params_with_misses(names: dict[str, str], misses: dict[str, str]) -> list[Any]:
    """``names`` sorted as test parameters, those in ``misses`` a strict xfail with its reason."""
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=misses[n])) if n in misses else n
            for n in sorted(names)]


def cleaned(folder: Path, name: str, url: str) -> Article:
    """Page ``name`` of ``folder`` cleaned as fetched from ``url``: an Article, or the test fails."""
    result = clean_html((folder / f"{name}.html").read_bytes(), url)
    assert isinstance(result, Article), result
    return result


def check_listed(folder: Path, names: dict[str, str], misses: dict[str, str]) -> None:
    """Every page of ``folder`` has its truth and is listed in ``names``; every miss is a page."""
    pages, truths = pages_and_truths(folder)
    assert pages == set(names) == truths
    assert set(misses) <= set(names)
