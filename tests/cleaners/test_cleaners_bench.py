"""The ported benchmark metric and the bench command on a tiny Scrapinghub-layout dataset."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import os
import subprocess
import sys

import pytest

from newsclean.cleaners.bench import (boilerplate_lines, load_dataset, main, metrics_from_tp_fp_fns, shingle_prf,
                                      site_fold, site_half, snippet_counts, string_shingle_matching)
from newsclean.cleaners.bench_adapter import extract

FIXTURES = Path(__file__).parent.parent / "fixtures" / "cleaners"


def test_metric_basics() -> None:
    text = "one two three four five six seven"
    assert shingle_prf(text, text) == (1.0, 1.0, 1.0)
    assert shingle_prf(text, "alpha beta gamma delta epsilon")[2] == 0.0
    tp, fp, fn = string_shingle_matching(text, text + " eight")
    assert tp > fp > 0 and fn == 0
    m = metrics_from_tp_fp_fns([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)])
    assert m["precision"] == 0.75 and m["recall"] == 1.0


def test_boilerplate_lines_ignore_truth() -> None:
    text = "Body line.\nRead more: other story\nAdvertisement"
    assert boilerplate_lines(text) == ["Read more: other story", "Advertisement"]
    assert boilerplate_lines(text, truth="advertisement is part of this story") == ["Read more: other story"]


def test_snippets_counted_as_wcxb_counts_them() -> None:
    """Words only, case and punctuation ignored; a leaky page is one with any must-not snippet."""
    text = "The pier reopens in April.\nSign up: the Coastline newsletter!"
    assert snippet_counts(text, ("the PIER reopens", "in May", "..."), ("sign-up the coastline",)) == (1, 2, True)
    assert snippet_counts(text, (), ("Share this",)) == (0, 0, False)


def _two_halves() -> tuple[str, str]:
    """Two site names that fall in different halves (whichever the hash puts where)."""
    names = [f"site{i}.example" for i in range(40)]
    return next(n for n in names if site_half(n) == "dev"), next(n for n in names if site_half(n) == "check")


def test_bench_command_on_scrapinghub_layout(tmp_path: Path, capsys) -> None:
    (tmp_path / "html").mkdir()
    gt = {}
    for name, site in zip(("tagdiv_sidebar", "widgets_related"), _two_halves()):
        (tmp_path / "html" / f"{name}.html.gz").write_bytes(gzip.compress((FIXTURES / f"{name}.html").read_bytes()))
        gt[name] = {"articleBody": (FIXTURES / f"{name}.truth.txt").read_text("utf-8"),
                    "url": f"https://www.{site}/2026/01/02/{name}/", "with": ["a"], "without": ["b", 3]}
    (tmp_path / "ground-truth.json").write_text(json.dumps(gt))
    docs = load_dataset(tmp_path)
    assert sorted(d.half for d in docs) == ["check", "dev"]
    assert [(d.must, d.must_not) for d in docs] == [(("a",), ("b",))] * 2   # WCXB's snippets, strings only
    assert main([str(tmp_path), "--boilerplate-report", "--folds", "2"]) == 0
    out = capsys.readouterr().out
    rows = {" ".join(line.split()[:3]): line.split() for line in out.splitlines()
            if line.startswith(("newsclean ", "trafilatura "))}
    assert float(rows["newsclean all 2"][5]) >= 0.97  # F1 column over both pages
    for half in ("dev", "check"):                      # one page in each half, scored on its own
        assert rows[f"newsclean {half} half"][3] == "1"
    assert "newsclean F1 lead over trafilatura: dev half" in out
    assert "lead over trafilatura per site fold" in out
    assert "learned line scorer" in out   # scored on the folds, or one line saying why not
    assert extract((FIXTURES / "tagdiv_sidebar.html").read_text("utf-8"), None).startswith("Citrus")


def test_the_bench_is_a_package_run_with_python_m_and_its_plugin_keeps_its_path() -> None:
    # score.py runs name the plug-in py:newsclean.cleaners.bench_adapter:extract (../shared/bench)
    from newsclean.cleaners.bench.adapter import extract as in_package

    assert extract is in_package
    done = subprocess.run([sys.executable, "-m", "newsclean.cleaners.bench", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "Benchmark newsclean beside plain trafilatura" in done.stdout, done.stderr[-2000:]


def test_site_split_is_fixed_across_processes_and_hash_seeds() -> None:
    # Python's own hash() of a str changes with PYTHONHASHSEED: a split built on it would move
    # sites between the halves from one run to the next.
    names = [f"publisher-{i}" for i in range(64)]
    here = [(site_half(n), site_fold(n, 5)) for n in names]
    assert {h for h, _ in here} == {"dev", "check"} and len({f for _, f in here}) == 5
    code = ("import json, sys; from newsclean.cleaners.bench import site_half, site_fold; "
            f"print(json.dumps([(site_half(n), site_fold(n, 5)) for n in {names!r}]))")
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert [tuple(x) for x in json.loads(done.stdout)] == here


def test_metadata_exactness_normalizes_only_invisible_differences() -> None:
    from newsclean.cleaners.bench.scoring import _norm_authors, _norm_title
    # NFC, whitespace runs and invisible characters do not count ...
    assert _norm_title("Ein  bisschen Fort\u00adschritt\u200b") == _norm_title("Ein bisschen Fortschritt")
    assert _norm_title("Caf\u0065\u0301 owners\u00a0protest") == _norm_title("Caf\u00e9 owners protest")
    assert _norm_authors(["Tom  Okafor", "Ada Lindqvist"]) == _norm_authors(["Ada Lindqvist", "Tom Okafor"])
    # ... but case, quotes and words do
    assert _norm_title("Every Outfit Ranked") != _norm_title("Every outfit ranked")
    assert _norm_title("Swift\u2019s album") != _norm_title("Swift's album")
    assert _norm_authors(["Tom Okafor"]) != _norm_authors(["Tom Okafor", "Ada Lindqvist"])
    # an author given with a credential is compared as the truth's one string is split
    from newsclean.cleaners.bench.datasets import AUTHOR_SEP
    assert _norm_authors(["Ada Lindqvist, MD"]) == _norm_authors(AUTHOR_SEP.split("Ada Lindqvist, MD"))
    assert _norm_authors(["Ada Lindqvist, MD"]) != _norm_authors(["Ada Lindqvist"])


def test_cpu_figures_are_read_with_the_threads_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # clean_html arms a process CPU-time timer, and while one is armed the process clock lags
    # the thread's: the figures are read with the thread clock. A clock that ticks one second
    # per read shows which one the bench reads: each call measures exactly one second.
    import time

    from newsclean.cleaners.bench import Doc, cpu_times

    ticks = iter(range(10**6))
    monkeypatch.setattr(time, "thread_time", lambda: float(next(ticks)))
    docs = [Doc(id=str(i), html="<html><body><p>Harbour light</p></body></html>", url=None, truth="")
            for i in range(2)]
    times = cpu_times(docs, ["trafilatura-plain"], rounds=3)
    assert times == {"trafilatura-plain": [1.0, 1.0]}


def test_cpu_figures_are_read_with_what_was_loaded_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    # The crawl's cleaning workers freeze what they load before they clean (worker_preload): the
    # timed calls run with the loaded objects frozen too, and the process is left as it was.
    import gc

    from newsclean.cleaners import bench

    seen: list[int] = []

    def probe() -> object:
        return lambda html, url: seen.append(gc.get_freeze_count())

    monkeypatch.setitem(bench.EXTRACTORS, "probe", probe)
    docs = [bench.Doc(id=str(i), html="<p>Harbour light</p>", url=None, truth="") for i in range(2)]
    before = gc.get_freeze_count()
    bench.cpu_times(docs, ["probe"], rounds=2)
    assert len(seen) == 2 + 4 and all(n > before for n in seen[2:])   # 2 untimed warm-up calls, 4 timed
    assert gc.get_freeze_count() == before


def test_cpu_rounds_compare_extractors_page_by_page(tmp_path: Path, capsys) -> None:
    (tmp_path / "html").mkdir()
    gt = {}
    for name, site in zip(("tagdiv_sidebar", "widgets_related"), _two_halves()):
        (tmp_path / "html" / f"{name}.html").write_bytes((FIXTURES / f"{name}.html").read_bytes())
        gt[name] = {"articleBody": "", "url": f"https://www.{site}/2026/01/02/{name}/"}
    (tmp_path / "ground-truth.json").write_text(json.dumps(gt))
    assert main([str(tmp_path), "--cpu-rounds", "2"]) == 0
    out = capsys.readouterr().out
    assert "2 interleaved rounds" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[2:]}
    assert set(rows) == {"newsclean", "trafilatura-metadata", "trafilatura-plain"}
    for name, cols in rows.items():
        assert cols[1] == "2" and float(cols[2]) > 0            # pages, CPU ms a page
        ratios = dict(zip(rows, map(float, cols[3:])))
        assert ratios[name] == 1.0                              # each against itself
    # the ratios of two extractors are each other's inverse
    assert float(rows["newsclean"][4]) * float(rows["trafilatura-metadata"][3]) == pytest.approx(1, abs=0.05)


def test_a_dataset_folder_that_is_not_there_is_one_line_of_error(tmp_path: Path, capsys) -> None:
    # A mistyped path ("../shared/bench/wcxb-dev" from a worktree one level deeper) was a traceback.
    with pytest.raises(SystemExit) as exc:
        main([str(tmp_path / "wcxb-dev")])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].endswith(f"{tmp_path / 'wcxb-dev'}: no such dataset folder")
    assert not any("Traceback" in line for line in err)


def test_a_dataset_with_a_missing_page_or_a_torn_truth_file_is_one_line_of_error(tmp_path: Path, capsys) -> None:
    # a copy of the set that lost a page its truth names, or a truth file cut short
    (tmp_path / "html").mkdir()
    (tmp_path / "ground-truth.json").write_text(json.dumps({"0001": {"articleBody": "Harbour light"}}), "utf-8")
    (tmp_path / "torn").mkdir()
    (tmp_path / "torn" / "ground-truth.json").write_text('{"0001": {"articleBody": "Harb', "utf-8")
    # a truth file of another layout: a list of pages, or pages that are not objects
    for name, truth in (("list", [{"articleBody": "Harbour light"}]), ("rows", {"0001": "Harbour light"})):
        (tmp_path / name).mkdir()
        (tmp_path / name / "ground-truth.json").write_text(json.dumps(truth), "utf-8")
    for dataset, why in ((tmp_path, "0001.html"), (tmp_path / "torn", "Unterminated string"),
                         (tmp_path / "list", "not an object of pages"), (tmp_path / "rows", "not an object of pages")):
        with pytest.raises(SystemExit) as exc:
            main([str(dataset)])
        assert exc.value.code == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert f"{dataset}: unreadable dataset: " in err[-1] and why in err[-1], err
        assert not any("Traceback" in line for line in err)


def test_metadata_report_counts_failure_classes_on_each_half(tmp_path: Path, capsys) -> None:
    # each field of each page misses the truth in one known way; the classes are counted for
    # both halves, and only the dev half's pages are listed one by one
    (tmp_path / "html").mkdir()
    truth = {"tagdiv_sidebar": ("Lahore orchard growers adopt drip irrigation in Punjab", "Staff", "2024-12-14"),
             "widgets_related": ("volunteers restore a century-old lighthouse", "Priya Natarajan and Tom Roe",
                                 "2025-06-01")}
    gt = {}
    for (name, (title, author, day)), site in zip(truth.items(), _two_halves()):
        (tmp_path / "html" / f"{name}.html").write_bytes((FIXTURES / f"{name}.html").read_bytes())
        gt[name] = {"articleBody": (FIXTURES / f"{name}.truth.txt").read_text("utf-8"), "title": title,
                    "author": author, "publish_date": day, "url": f"https://www.{site}/2026/01/02/{name}/"}
    (tmp_path / "ground-truth.json").write_text(json.dumps(gt))
    assert main([str(tmp_path), "--metadata-report", "--extractor", "newsclean"]) == 0
    out = capsys.readouterr().out
    assert "  newsclean dev half, title wrong on 1: 1 cut short" in out
    assert "  newsclean dev half, day wrong on 1: 1 one day off" in out
    assert "  newsclean dev half, authors wrong on 1: 1 noise left around a name" in out
    assert "  newsclean check half, title wrong on 1: 1 letter case only" in out
    assert "  newsclean check half, day wrong on 1: 1 a later day" in out
    assert "  newsclean check half, authors wrong on 1: 1 names missed" in out
    assert "  newsclean: tagdiv_sidebar: title:" in out and "widgets_related" not in out


def test_metadata_failure_classes_from_the_two_values() -> None:
    from newsclean.cleaners.bench import metadata_class
    assert metadata_class("title", "We've arrived", "We\u2019ve arrived") == "quote marks only"
    assert metadata_class("title", "Mobile UX Design: The Guide", "Mobile UX Design - The Guide") == "punctuation only"
    assert metadata_class("title", "Healthy Eating Plate", "Healthy Eating Plate \u2022 The Source") \
        == "site, section or tagline left after it"
    assert metadata_class("title", "Nix Builds", "Garnix Blog: Nix Builds") == "kicker or site name left before it"
    assert metadata_class("title", "Nix Builds", None) == "none extracted"
    assert metadata_class("title", "Nix Builds", "Harbour bridge vote") == "other wording"
    assert metadata_class("authors", ["Jane Doe"], ["Jane Doe", "Tom Roe"]) == "extra names"
    assert metadata_class("authors", ["Jane Doe, MD"], ["Jane"]) == "name cut short"
    assert metadata_class("authors", ["Jane Doe"], ["Harbour Daily"]) == "another name"
    assert metadata_class("day", "2025-06-21", "2025-06-01") == "an earlier day"
    assert metadata_class("day", "2003-11", "2025-06-01") == "another day"   # a truth of a month only


def test_other_wording_of_a_title_told_apart_by_the_pages_own_titles() -> None:
    # the page words one headline twice: its <h1> and its og:title (with the site's name)
    from newsclean.cleaners.bench import Doc, page_title_class
    shown, declared = "Harbour bridge vote set for June", "Council to vote on the harbour bridge"
    html = (f'<html><head><meta property="og:title" content="{declared} | Harbour Post">'
            '<meta property="og:site_name" content="Harbour Post"></head>'
            f'<body><nav><h1>Harbour Post</h1></nav><h1>{shown}</h1><p>Text.</p></body></html>')
    doc = Doc(id="p", html=html, url="https://harbour.example/vote/", truth="")
    assert page_title_class(doc, shown, declared) == "other wording, the <h1>'s"
    # punctuation, case and quote style aside: the truth's typing is not the page's
    assert page_title_class(doc, "Harbour Bridge Vote: Set For June", declared) == "other wording, the <h1>'s"
    assert page_title_class(doc, declared, shown) == "other wording, a declared title's"
    assert page_title_class(doc, "Ferry fares rise again", shown) == "other wording, no source's"
    # a heading in the navigation is no headline the page shows; classes read from the values stay
    assert page_title_class(doc, "Harbour Post", shown) == "other wording, no source's"
    assert page_title_class(doc, shown, shown + " | Harbour Post") == "site, section or tagline left after it"
    assert page_title_class(Doc(id="q", html="", url=None, truth=""), shown, declared) == "other wording, no source's"


def test_metadata_only_extractor_gives_clean_htmls_metadata() -> None:
    from newsclean.cleaners.core import clean_html, page_metadata
    for name in ("tagdiv_sidebar", "widgets_related"):
        html, url = (FIXTURES / f"{name}.html").read_text("utf-8"), f"https://www.site.example/2026/01/02/{name}/"
        article, md = clean_html(html, url), page_metadata(html, url)
        assert (md.title, md.authors, md.published) == (article.title, article.authors, article.published)
    assert page_metadata("") is None and page_metadata(b"\x00\x01\x02" * 100) is None


def test_metadata_against_an_earlier_run_counts_changes_made_right_and_wrong(tmp_path: Path, capsys) -> None:
    # the dev page's title is now right where the earlier run had it cut; the check page's title
    # is now wrong where the earlier run had the truth
    data = tmp_path / "set"
    (data / "html").mkdir(parents=True)
    titles = {"tagdiv_sidebar": "Lahore orchard growers adopt drip irrigation",
              "widgets_related": "Volunteers restore a lighthouse"}
    gt = {}
    for (name, title), site in zip(titles.items(), _two_halves()):
        (data / "html" / f"{name}.html").write_bytes((FIXTURES / f"{name}.html").read_bytes())
        gt[name] = {"articleBody": "", "title": title, "url": f"https://www.{site}/2026/01/02/{name}/"}
    (data / "ground-truth.json").write_text(json.dumps(gt))
    out_file = tmp_path / "now.json"
    assert main([str(data), "--extractor", "newsclean-metadata", "--metadata-out", str(out_file)]) == 0
    now = json.loads(out_file.read_text("utf-8"))["set"]["newsclean-metadata"]
    assert now["tagdiv_sidebar"]["title"] == titles["tagdiv_sidebar"]
    earlier = {"set": {"newsclean-metadata": {
        "tagdiv_sidebar": dict(now["tagdiv_sidebar"], title="Lahore orchard growers"),
        "widgets_related": dict(now["widgets_related"], title=titles["widgets_related"])}}}
    (tmp_path / "earlier.json").write_text(json.dumps(earlier))
    capsys.readouterr()
    assert main([str(data), "--extractor", "newsclean-metadata", "--metadata-against", str(tmp_path / "earlier.json")]) == 0
    out = capsys.readouterr().out
    assert "  newsclean-metadata dev half, title: changed on 1 pages, +1 right, -0 wrong" in out
    assert "  newsclean-metadata check half, title: changed on 1 pages, +0 right, -1 wrong" in out
    assert "  newsclean-metadata dev half, authors: changed on 0 pages, +0 right, -0 wrong" in out
    # a file that is no metadata file is one line of error (exit 2), not a traceback
    (tmp_path / "torn.json").write_text("{not json")
    with pytest.raises(SystemExit) as exc:
        main([str(data), "--extractor", "newsclean-metadata", "--metadata-against", str(tmp_path / "torn.json")])
    assert exc.value.code == 2 and "unreadable metadata file" in capsys.readouterr().err
