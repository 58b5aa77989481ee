"""The catalog bench on a tiny invented Fundus-layout folder (the real pages stay in ../shared)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from newsclean.crawler.commands.catalog_bench import main, report, run
from newsclean.crawler.sites import load_registry

SITE = """
name = "paper"
base_url = "https://www.paper.example/"
country = "de"
languages = ["en"]
description = "An invented paper"
[articles]
allow = ['^/news/\\d{4}/[a-z-]+\\.html$']
"""

ARTICLE = "<html><head><title>{t}</title></head><body><nav>Home News Sport</nav><article><h1>{t}</h1>" + "".join(
    f"<p>Paragraph {i} of the story tells the council's plan for the river bank in some detail, "
    f"with figures from the budget and quotes from two residents who live nearby.</p>" for i in range(6)
) + "</article><footer>Contact us</footer></body></html>"


def make_dataset(root: Path, pages: dict[str, str]) -> None:
    group = root / "xx"
    group.mkdir(parents=True)
    meta = {}
    for i, (name, url) in enumerate(pages.items()):
        (group / name).write_bytes(gzip.compress(ARTICLE.format(t=f"Story {i}").encode()))
        meta[name] = {"url": url, "crawl_date": "2026-01-01 00:00:00"}
    (group / "meta.info").write_text(json.dumps(meta), encoding="utf-8")


def test_pages_are_matched_to_sites_and_checked(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "paper.toml").write_text(SITE, encoding="utf-8")
    make_dataset(tmp_path / "bench", {
        "Paper_2026_01_01.html.gz": "https://www.paper.example/news/2026/river-bank-plan.html",
        "Paper_2026_01_02.html.gz": "https://www.paper.example/live/2026/river-bank-plan",   # rules refuse it
        "Other_2026_01_01.html.gz": "https://other.example/news/2026/river.html",             # no site
    })
    tallies = {t.publisher: t for t in run(tmp_path / "bench", load_registry([sites]))}
    paper, other = tallies["xx/Paper"], tallies["xx/Other"]
    assert (paper.site, paper.pages, paper.listed_ok, paper.articles) == ("paper", 2, 1, 2)
    assert not paper.ok and paper.problems == ["URL rules refuse https://www.paper.example/live/2026/river-bank-plan"]
    assert (other.site, other.pages, other.ok) == ("", 1, True)
    text = report(list(tallies.values()))
    assert "xx/Other                     (not in the catalog)" in text
    assert text.splitlines()[-1].startswith("catalog publishers: 1 of 2 in the benchmark; their pages: 2 "
                                            "(URL taken as an article when listed: 1")


def test_not_a_fundus_folder_is_one_line(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no <cc>/meta.info files" in err
