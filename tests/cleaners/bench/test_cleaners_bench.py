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

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "cleaners"


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


def _two_page_set(root: Path, rows: dict[str, dict] | None = None, *, gzipped: bool = False) -> Path:
    """A Scrapinghub-layout set at ``root`` of two fixture pages, tagdiv_sidebar on a dev site and
    widgets_related on a check one: each page's truth row its address and an empty body, updated
    by ``rows[name]``; the pages gzipped (``.html.gz``) or not."""
    (root / "html").mkdir(parents=True)
    gt = {}
    for name, site in zip(PAGES, _two_halves()):
        html = (FIXTURES / f"{name}.html").read_bytes()
        (root / "html" / f"{name}.html{'.gz' if gzipped else ''}").write_bytes(gzip.compress(html) if gzipped else html)
        gt[name] = {"articleBody": "", "url": f"https://www.{site}/2026/01/02/{name}/", **(rows or {}).get(name, {})}
    (root / "ground-truth.json").write_text(json.dumps(gt))
    return root


#: The fixture pages of the two-page sets, the first on a dev site.
PAGES = ("tagdiv_sidebar", "widgets_related")


def _truth(name: str) -> str:
    return (FIXTURES / f"{name}.truth.txt").read_text("utf-8")


def test_bench_command_on_scrapinghub_layout(tmp_path: Path, capsys) -> None:
    _two_page_set(tmp_path, {name: {"articleBody": _truth(name), "with": ["a"], "without": ["b", 3]} for name in PAGES},
                  gzipped=True)
    docs = load_dataset(tmp_path)
    assert sorted(d.half for d in docs) == ["check", "dev"]
    assert [(d.must, d.must_not) for d in docs] == [(("a",), ("b",))] * 2   # WCXB's snippets, strings only
    assert main([str(tmp_path), "--boilerplate-report", "--folds", "2"]) == 0
    out = capsys.readouterr().out
    rows = _rows(out)
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
    _two_page_set(tmp_path)
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
    truth = {"tagdiv_sidebar": ("Lahore orchard growers adopt drip irrigation in Punjab", "Staff", "2024-12-14"),
             "widgets_related": ("volunteers restore a century-old lighthouse", "Priya Natarajan and Tom Roe",
                                 "2025-06-01")}
    _two_page_set(tmp_path, {name: {"articleBody": _truth(name), "title": title, "author": author, "publish_date": day}
                             for name, (title, author, day) in truth.items()})
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
    titles = {"tagdiv_sidebar": "Lahore orchard growers adopt drip irrigation",
              "widgets_related": "Volunteers restore a lighthouse"}
    data = _two_page_set(tmp_path / "set", {name: {"title": title} for name, title in titles.items()})
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


def _fake_extractors(monkeypatch: pytest.MonkeyPatch, texts: dict[str, dict[str, str]]) -> None:
    """newsclean and trafilatura replaced by extractors that give the texts written for each
    page's address: figures that can be worked out by hand."""
    from newsclean.cleaners.bench import scoring

    for name, by_url in texts.items():
        monkeypatch.setitem(scoring.EXTRACTORS, name, lambda by_url=by_url: lambda html, url: by_url[url])


def _rows(out: str) -> dict[str, list[str]]:
    return {" ".join(line.split()[:3]): line.split() for line in out.splitlines()
            if line.startswith(("newsclean ", "trafilatura "))}


def test_trafilatura_eval_layout_scored_by_its_snippets_on_each_half(tmp_path: Path, capsys,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    dev, check = _two_halves()
    a, b, c = f"https://{dev}/a", f"https://{check}/b", f"https://www.{dev}/c"   # c: a's site, "www." off
    (tmp_path / "cache").mkdir()
    (tmp_path / "eval").mkdir()
    (tmp_path / "cache" / "a.html").write_text("<p>Der Stadtrat tagt am Montag.</p>", "utf-8")
    # b in eval/ only, in the Windows-1252 its <meta> declares; c in both: cache/ is read first
    (tmp_path / "eval" / "b.html").write_bytes('<meta charset="windows-1252"><p>Le café ouvre</p>'.encode("cp1252"))
    (tmp_path / "cache" / "c.html").write_text("<p>cache</p>", "utf-8")
    (tmp_path / "eval" / "c.html").write_text("<p>eval</p>", "utf-8")
    (tmp_path / "evaldata.json").write_text(json.dumps({
        a: {"file": "a.html", "with": ["Der  Stadtrat\ntagt", "Montag"], "without": ["Impressum"]},
        b: {"file": "b.html", "with": ["Le café ouvre", "à midi"], "without": ["Newsletter", "Partager"]},
        c: {"file": "c.html", "with": ["one"], "without": []}}))
    docs = {d.url: d for d in load_dataset(tmp_path)}
    assert [docs[u].id for u in (a, b, c)] == ["cache/a.html", "eval/b.html", "cache/c.html"]
    assert "café" in docs[b].html and docs[c].html == "<p>cache</p>"
    assert [docs[u].half for u in (a, b, c)] == ["dev", "check", "dev"] and docs[c].site == dev
    assert {d.metric for d in docs.values()} == {"snippet"}
    _fake_extractors(monkeypatch, {
        # a: both must-haves (whitespace runs read as one space), no must-not: tp 2, tn 1.
        # b: "à midi" is not "à Midi" (case counts), "Newsletter" leaks: tp 1, fn 1, fp 1, tn 1.
        # c: rejected, its must-have missed: fn 1.
        "newsclean": {a: "Der Stadtrat tagt\tam Montag.", b: "Le café ouvre à Midi.\nNewsletter", c: ""},
        # every snippet, must-not ones too: tp 2 fp 1; tp 2 fp 2; tp 1
        "trafilatura": {a: "Der Stadtrat tagt Montag Impressum", b: "Le café ouvre à midi Newsletter Partager",
                        c: "one"}})
    assert main([str(tmp_path), "--folds", "2"]) == 0
    out = capsys.readouterr().out
    assert "metric: snippet" in out.splitlines()[0]
    rows = _rows(out)
    # micro-averaged over snippets: all tp 3 fp 1 fn 2 -> P 3/4, R 3/5, F1 6/9; dev (a, c) tp 2 fn 1
    # -> P 1, R 2/3, F1 4/5; check (b) tp 1 fp 1 fn 1 -> .5 each
    assert [rows["newsclean all 3"][i] for i in (3, 4, 5, 9)] == ["0.750", "0.600", "0.667", "snippet"]
    assert rows["newsclean dev half"][3:7] == ["2", "1.000", "0.667", "0.800"]
    assert rows["newsclean check half"][3:7] == ["1", "0.500", "0.500", "0.500"]
    # trafilatura: all tp 5 fp 3 -> P .625, R 1, F1 10/13; dev tp 3 fp 1 -> F1 6/7; check tp 2 fp 2 -> F1 4/6
    assert rows["trafilatura all 3"][3:6] == ["0.625", "1.000", "0.769"]
    # the lead: dev 4/5 - 6/7, check 1/2 - 4/6
    assert "newsclean F1 lead over trafilatura: dev half -0.0571, check half -0.1667, gap +0.1095" in out
    assert "lead over trafilatura per site fold" in out
    assert "learned line scorer" not in out   # fitted to full texts, which this set has none of


def test_a_page_keyed_by_its_file_name_is_in_its_hosts_site() -> None:
    # trafilatura-eval keys 36 pages by their file name, not an address: they were one site ""
    # (all in the check half, one fold); the name opens with the page's host
    from newsclean.cleaners.bench import site_key

    names = {"hard::laestrella.com.pa-laboral.html": "laestrella.com.pa", "hard::jis.gov.jm-investment.html": "jis.gov.jm",
             "hard::iwr.de.IWR-Pressedienst.html": "iwr.de", "hard::zeit.de.zugverkehr.html": "zeit.de",
             "hard::mercurynews.com.2023.01.16.letters-1119.html": "mercurynews.com",
             "hard::jamaica.gleaner.com-victims.html": "jamaica.gleaner.com", "hard::blog.python.org.html": "blog.python.org",
             "recall::elnuevoherald.com-miami.html": "elnuevoherald.com", "hard::cubadebate.cu-sesiona.html": "cubadebate.cu",
             "hard::womencantalksports.com.top10.html": "womencantalksports.com",
             "https://www.zeit.de/a/b": "zeit.de", "": "", None: ""}
    # a label of three letters is no top-level domain for that alone ('www.bbc' and 'abc' were the sites)
    names |= {"hard::www.bbc.co.uk.news.html": "bbc.co.uk", "hard::abc.xyz.com-story.html": "abc.xyz.com"}
    assert {name: site_key(name) for name in names} == names


def test_multipage_layout_scored_per_page_by_shingles_with_the_manifests_sites(tmp_path: Path, capsys,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    dev, check = _two_halves()
    for site in (dev, check):
        (tmp_path / site).mkdir()
    (tmp_path / dev / "p1.htm").write_bytes("<p>Café au lait ist gut</p>".encode("cp1252"))
    (tmp_path / dev / "p1.txt").write_bytes("Café au lait ist gut".encode("cp1252"))   # a cp1252 gold
    (tmp_path / check / "p2.htm").write_text("<p>w x y z</p>", "utf-8")
    (tmp_path / check / "p2.txt").write_text("w x y z", "utf-8")
    rows = [("site", "group", "html", "gold", "dup_of", "orig_url"),
            (dev, "2005", f"{dev}/p1.htm", f"{dev}/p1.txt", "-", "-"),
            (check, "2006", f"{check}/p2.htm", f"{check}/p2.txt", "-", "https://news.example/story"),
            (dev, "2005", f"{dev}/p3.htm", f"{dev}/p3.txt", f"{dev}/p1.htm", "-")]   # a duplicate: left out
    (tmp_path / "manifest.tsv").write_text("".join("\t".join(r) + "\n" for r in rows), "utf-8")
    p1, p2 = f"https://{dev}/{dev}/p1.htm", "https://news.example/story"   # no orig_url: https://SITE/PATH
    assert sorted((d.id, d.site, d.url, d.truth, d.half) for d in load_dataset(tmp_path)) == sorted([
        (f"{dev}/p1.htm", dev, p1, "Café au lait ist gut", "dev"),
        (f"{check}/p2.htm", check, p2, "w x y z", "check")])
    _fake_extractors(monkeypatch, {
        # p1: the gold's 2 shingles, 1 of them given: tp .5 fn .5 -> P 1, R .5; p2: all of them
        "newsclean": {p1: "Café au lait ist", p2: "w x y z"},
        "trafilatura": {p1: "Café au lait ist gut", p2: "nothing of it"}})
    assert main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2 pages, 2 sites (1 dev, 1 check), metric: shingle" in out.splitlines()[0]
    rows = _rows(out)
    # P and R are means over pages, F1 from the two: P 1, R .75, F1 1.5/1.75
    assert [rows["newsclean all 2"][i] for i in (3, 4, 5, 9)] == ["1.000", "0.750", "0.857", "shingle"]
    assert rows["newsclean dev half"][3:7] == ["1", "1.000", "0.500", "0.667"]
    assert rows["newsclean check half"][3:7] == ["1", "1.000", "1.000", "1.000"]
    assert rows["trafilatura check half"][3:7] == ["1", "0.000", "0.000", "0.000"]


def test_a_folder_of_no_layout_the_bench_reads_is_one_line_saying_which_it_reads(tmp_path: Path, capsys) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text("<p>x</p>", "utf-8")
    with pytest.raises(SystemExit) as exc:
        main([str(tmp_path)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].endswith("no layout the bench reads: neither Scrapinghub (ground-truth.json + html/), Fundus "
                            "(<cc>/meta.info + <cc>/<Publisher>.json), trafilatura-eval (evaldata.json) nor "
                            "multipage (manifest.tsv)")
    assert not any("Traceback" in line for line in err)
    # a trafilatura-eval set missing a page, a manifest without its site column
    (tmp_path / "evaldata.json").write_text(json.dumps({"https://a.example/": {"file": "a.html", "with": [],
                                                                              "without": []}}))
    (tmp_path / "multi").mkdir()
    (tmp_path / "multi" / "manifest.tsv").write_text("html\tgold\nx.htm\tx.txt\n", "utf-8")
    for dataset, why in ((tmp_path, "a.html in neither cache/ nor eval/"), (tmp_path / "multi", "site")):
        with pytest.raises(SystemExit) as exc:
            main([str(dataset)])
        assert exc.value.code == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert f"{dataset}: unreadable dataset: " in err[-1] and why in err[-1], err


def test_sites_table_gives_each_sites_lead_and_its_halfs_lead_without_it(tmp_path: Path, capsys,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    names = [f"site{i}.example" for i in range(40)]
    dev1, dev2 = [n for n in names if site_half(n) == "dev"][:2]
    check = next(n for n in names if site_half(n) == "check")
    rows = [("site", "group", "html", "gold", "dup_of", "orig_url")]
    for site in (dev1, dev2, check):
        (tmp_path / site).mkdir()
        (tmp_path / site / "p.htm").write_text("<p>a b c d e</p>", "utf-8")
        (tmp_path / site / "p.txt").write_text("a b c d e", "utf-8")   # 2 shingles
        rows.append((site, "2005", f"{site}/p.htm", f"{site}/p.txt", "-", f"https://{site}/p"))
    (tmp_path / "manifest.tsv").write_text("".join("\t".join(r) + "\n" for r in rows), "utf-8")
    whole, half, none = "a b c d e", "a b c d", "z"   # F1 1, 2/3 (P 1, R .5), 0
    _fake_extractors(monkeypatch, {
        "newsclean": {f"https://{dev1}/p": whole, f"https://{dev2}/p": half, f"https://{check}/p": whole},
        "trafilatura": {f"https://{dev1}/p": none, f"https://{dev2}/p": half, f"https://{check}/p": half}})
    assert main([str(tmp_path), "--sites"]) == 0
    table = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()
             if line.startswith(("site", f"{check} ("))}
    # the dev half's lead is dev1's alone: newsclean P 1, R .75 (F1 .857) against P .5, R .25 (.333)
    assert table[dev1] == ["(dev,", "1)", "0.0000", "1.0000", "+1.0000", "+0.0000"]
    assert table[dev2] == ["(dev,", "1)", "0.6667", "0.6667", "+0.0000", "+1.0000"]
    assert table[check] == ["(check,", "1)", "0.6667", "1.0000", "+0.3333", "-"]   # no other check site


def test_blinded_classes_keep_the_tree_every_other_attribute_and_the_scripts() -> None:
    import lxml.html

    from newsclean.cleaners.bench.blind import blind_classes, hash_token

    ld = '{"@type": "NewsArticle", "articleBody": "<p class=\\"lede\\">Body</p>"}'
    html = (f'<html><head><script type="application/ld+json">{ld}</script><style>.share{{}}</style></head>'
            '<body><DIV Class="related-stories  card" id=sidebar data-testid="related" role="complementary">'
            "<p class='card' itemprop=\"headline\" aria-label=\"Related\">One</p></DIV><!-- <i class=\"share\"> -->"
            '<span class="">Two</span></body></html>')
    out = blind_classes(html)
    related, card, sidebar = map(hash_token, ("related-stories", "card", "sidebar"))
    assert f'Class="{related} {card}" id={sidebar}' in out and f"class='{card}'" in out   # a word, a token alike
    assert len({related, card, sidebar}) == 3 and all(t[0] == "k" and t[1:].isdigit() for t in (related, card))
    for kept in (ld, "<style>.share{}</style>", '<!-- <i class="share"> -->', 'data-testid="related"',
                 'role="complementary"', 'itemprop="headline" aria-label="Related"', '<span class="">'):
        assert kept in out
    before, after = lxml.html.fromstring(html), lxml.html.fromstring(out)
    assert [(e.tag, e.text) for e in before.iter()] == [(e.tag, e.text) for e in after.iter()]


def test_blind_classes_gives_the_extractors_the_blinded_pages(tmp_path: Path, capsys,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from newsclean.cleaners.bench import scoring
    from newsclean.cleaners.bench.blind import blind_classes

    _two_page_set(tmp_path)
    seen: list[str] = []
    for name in ("newsclean", "trafilatura"):
        monkeypatch.setitem(scoring.EXTRACTORS, name, lambda: lambda html, url: seen.append(html) or "")
    assert main([str(tmp_path), "--blind-classes"]) == 0
    pages = [(FIXTURES / f"{name}.html").read_text("utf-8") for name in PAGES]
    assert sorted(seen) == sorted([blind_classes(p) for p in pages] * 2)   # each page, to both extractors
    assert "td-post-content" in pages[0] and not any("td-post-content" in s for s in seen)
    assert "class and id names blinded" in capsys.readouterr().out
