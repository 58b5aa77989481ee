"""The crawl benchmark on a folder of real pages (issue 17): it runs, and reports every figure."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

PAGES = REPO / "tests" / "fixtures" / "templates"   # 10 pages of one invented site


def bench(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.bench", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


def test_a_pages_dir_without_pages_is_a_one_line_error(tmp_path: Path) -> None:
    # It used to serve nothing, crawl for 13 s and die of ZeroDivisionError.
    (tmp_path / "notes.txt").write_text("no pages here")
    proc = bench("--pages", "20", "--pages-dir", str(tmp_path), timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "no *.html, *.htm or *.html.gz files" in proc.stderr.strip().splitlines()[-1]


def test_real_pages_served_under_many_urls_are_all_articles() -> None:
    proc = bench("--pages", "40", "--pages-dir", str(PAGES), "--seconds", "0.2")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    out = proc.stdout
    crawl = next(line for line in out.splitlines() if line.startswith("(c) newsclean crawl"))
    # Each page is served under 4 URLs, and every URL gives its article.
    assert "40 pages" in crawl and "articles 40 " in crawl and "too_short 0 " in crawl, crawl
    assert re.search(r"main \d+\.\d, workers \d+\.\d\)", crawl) and re.search(r"peak PSS [1-9]\d* MB", crawl)
    assert re.search(r"reactor max stall \d+ ms \(\d+ over 200 ms\)", crawl), crawl   # the stall probe ran
    # The peak's processes one by one: the crawl, its cleaning workers (one per core) and their forkserver.
    roles = re.search(r"peak PSS [1-9]\d* MB \(main [1-9]\d*, workers ([\d+]+), forkserver [1-9]\d*", crawl)
    assert roles and all(int(mb) > 0 for mb in roles.group(1).split("+")), crawl
    for label in ("(a) fetch only", "(b) trafilatura, 1 process", "(b2) clean_html, 1 process"):
        assert re.search(re.escape(label) + r": .*CPU \d+\.\d ms a page.*peak PSS [1-9]\d* MB", out), label
    assert "crawl CPU a page / clean_html CPU a page = " in out
