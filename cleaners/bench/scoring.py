"""Scoring the extractors on the datasets, the report and the command line of
``python -m newsclean.cleaners.bench`` (the package's docstring says what it measures)."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import importlib.util
import json
import re
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newsclean.cleaners.bench.blind import blind_classes
from newsclean.cleaners.bench.datasets import AUTHOR_SEP, Doc, load_dataset, site_fold, site_half
from newsclean.cleaners.bench.metric import (boilerplate_lines, metrics_from_tp_fp_fns, snippet_prf,
                                             string_shingle_matching, trafilatura_snippet_counts)

def _newsclean() -> Callable[[str, str | None], Any]:
    from newsclean.cleaners.core import clean_html
    return clean_html


def _newsclean_metadata() -> Callable[[str, str | None], Any]:
    # title, authors and dates only (no body: its F1 reads 0): a metadata rule measured in seconds
    from newsclean.cleaners.core import page_metadata
    return page_metadata


def _trafilatura() -> Callable[[str, str | None], Any]:
    import trafilatura
    return lambda html, url: trafilatura.extract(html, url=url, include_comments=False, deduplicate=False) or ""


def _trafilatura_metadata() -> Callable[[str, str | None], Any]:
    # the fair speed baseline: the cleaner reads metadata (title, authors, dates) too
    import trafilatura
    return lambda html, url: trafilatura.extract(html, url=url, with_metadata=True) or ""


def _trafilatura_plain() -> Callable[[str, str | None], Any]:
    import trafilatura
    return lambda html, url: trafilatura.extract(html) or ""


EXTRACTORS: dict[str, Callable[[], Callable[[str, str | None], Any]]] = {
    "newsclean": _newsclean, "newsclean-metadata": _newsclean_metadata, "trafilatura": _trafilatura,
    "trafilatura-metadata": _trafilatura_metadata, "trafilatura-plain": _trafilatura_plain}

#: What ``--cpu-rounds`` compares by default. trafilatura-metadata is
#: ``trafilatura.extract(html, url=url, with_metadata=True)``, trafilatura-plain ``extract(html)``.
CPU_EXTRACTORS = ("newsclean", "trafilatura-metadata", "trafilatura-plain")


#: Invisible format characters (soft hyphen, zero-width space, word joiner, BOM, direction marks):
#: a title that differs from the truth only in these reads the same.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff\u200e\u200f"))


def _norm_title(s: str | None) -> str:
    # "Exact" up to Unicode composition (NFC), whitespace runs and invisible characters; case,
    # quotes and punctuation must match.
    return " ".join(unicodedata.normalize("NFC", (s or "").translate(_INVISIBLE)).split())


def _norm_authors(a: list[str] | None) -> list[str]:
    # both sides split as WCXB's one author string is: an extractor's "Jane Doe, MD" (one entry,
    # the credential kept with the name) is the truth's "Jane Doe, MD" read as two
    return sorted(_norm_title(x) for name in (a or []) for x in AUTHOR_SEP.split(name) if x.strip())


@dataclass(eq=False)
class Scored:
    """One extractor on one page."""

    doc: Doc
    tp_fp_fn: tuple[float, float, float]
    cpu: float
    boilerplate: list[str]
    meta_ok: dict[str, bool] = field(default_factory=dict)     # title, day, authors (pages with truth)
    meta_got: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    snippets: tuple[int, int, int, int] | None = None   # (tp, fp, fn, tn) of a snippet-scored page


#: The metrics as the report's head names them (each row names its own).
_METRIC_SAID = {"shingle": "shingle (4-token shingles of the full text, P and R means over pages)",
                "snippet": "snippet (must-have / must-not snippets, whitespace-normalized, micro-averaged over snippets)"}


def cpu_clock() -> float:
    """CPU seconds of the calling thread, the clock every CPU figure here is read with.

    Not ``time.process_time``: ``clean_html`` arms a process CPU-time timer (``ITIMER_PROF``, its
    time bound) for each page, and while one is armed Linux reads the process clock from the
    timer's own account, which lags the threads' CPU: a part of each ``clean_html`` call was
    counted in the next extractor's. Interleaved on wcxb-dev's first 200 pages, clean_html /
    trafilatura read 0.99 and 1.02 by the process clock and 1.09 and 1.09 by the thread clock;
    with the timer left unarmed the two clocks agreed (1.09 and 1.10)."""
    return time.thread_time()


def _given(key: str, exp: dict[str, Any]) -> bool:
    """Whether the truth ``exp`` gives the title, day or authors (WCXB leaves some out): each
    field is scored on those pages only."""
    return bool(exp.get("publishing_date")) if key == "day" else exp.get(key) is not None


def _meta_ok(key: str, exp: dict[str, Any], got: Any) -> bool:
    """Whether an extracted title, day (``YYYY-MM-DD``) or author list is the truth's ``exp``."""
    if not _given(key, exp):
        return False
    if key == "title":
        return _norm_title(got) == _norm_title(exp["title"])
    if key == "authors":
        return _norm_authors(got) == _norm_authors(exp["authors"])
    return (got or "") == str(exp["publishing_date"])[:10]


def score_pages(docs: list[Doc], name: str) -> list[Scored]:
    """Run one extractor over the pages: shingle counts, CPU time, boilerplate lines, metadata."""
    fn = EXTRACTORS[name]()
    out = []
    for d in docs:
        t0 = cpu_clock()
        res = fn(d.html, d.url)
        cpu = cpu_clock() - t0
        text = res if isinstance(res, str) else getattr(res, "text", "")
        row = Scored(d, string_shingle_matching(d.truth, text), cpu, boilerplate_lines(text, d.truth), text=text)
        if d.metric == "snippet":
            row.snippets = trafilatura_snippet_counts(text, d.must, d.must_not)
        if d.expected and not isinstance(res, str):
            exp = d.expected
            title, authors = getattr(res, "title", None), getattr(res, "authors", None)
            pub = (getattr(res, "published", None) or "")[:10]
            row.meta_got = {"title": title, "authors": authors, "day": pub or None}
            row.meta_ok = {k: _meta_ok(k, exp, got) for k, got in row.meta_got.items() if _given(k, exp)}
        out.append(row)
    return out


def summarize(rows: list[Scored], name: str) -> dict[str, Any]:
    """P/R/F1, docs/s (CPU time), boilerplate pages and metadata exactness of some scored pages.
    P/R/F1 are the shingle metric's (means over pages), or on pages scored by their snippets
    (trafilatura-eval) the snippets' micro-averaged figures; ``metric`` says which."""
    snippets = [r.snippets for r in rows if r.snippets is not None]
    if snippets and len(snippets) < len(rows):
        raise ValueError("pages of the shingle and of the snippet metric summed together")
    out: dict[str, Any] = snippet_prf(snippets) if snippets else metrics_from_tp_fp_fns([r.tp_fp_fn for r in rows])
    out["metric"] = "snippet" if snippets else "shingle"
    cpu = sum(r.cpu for r in rows)
    boiler = [(r.doc.id, r.boilerplate[:3]) for r in rows if r.boilerplate]
    meta = [r for r in rows if r.meta_ok]
    misses = []
    for r in meta:
        exp = r.doc.expected
        want = {"title": exp.get("title"), "authors": exp.get("authors"), "day": exp.get("publishing_date")}
        misses += [(r.doc.id, key, want[key], r.meta_got[key]) for key, ok in r.meta_ok.items() if not ok]
    out.update(name=name, docs=len(rows), cpu=cpu, docs_per_s=len(rows) / cpu if cpu else 0.0,
               boilerplate_pages=len(boiler), boilerplate_examples=boiler[:20], metadata_mismatches=misses)
    for key in ("title", "day", "authors"):
        scored = [r.meta_ok[key] for r in meta if key in r.meta_ok]
        if scored:
            out[f"{key}_exact"] = sum(scored) / len(scored)
    return out


#: Quote marks folded to straight ones, to tell a quote style from other differences.
_STRAIGHT = str.maketrans("‘’‚‛“”„‟«»", "''''\"\"\"\"\"\"")


def _title_class(want: str, got: str | None) -> str:
    w, g = _norm_title(want), _norm_title(got)
    if not g:
        return "none extracted"
    if g.translate(_STRAIGHT) == w.translate(_STRAIGHT):
        return "quote marks only"
    if g.casefold() == w.casefold():
        return "letter case only"
    if re.findall(r"\w+", g.casefold()) == re.findall(r"\w+", w.casefold()):
        return "punctuation only"
    if g.startswith(w):
        return "site, section or tagline left after it"
    if g.endswith(w):
        return "kicker or site name left before it"
    if w.startswith(g):
        return "cut short"
    return "other wording"


def _authors_class(want: list[str], got: list[str] | None) -> str:
    w, g = set(_norm_authors(want)), set(_norm_authors(got))
    if not g:
        return "none extracted"
    if g < w:
        return "names missed"
    if w < g:
        return "extra names"
    if any(x in y for x in w for y in g - w):
        return "noise left around a name"
    if any(y in x for x in w for y in g - w):
        return "name cut short"
    return "another name"


def _day_class(want: Any, got: str | None) -> str:
    if not got:
        return "none extracted"
    try:
        days = (date.fromisoformat(got) - date.fromisoformat(str(want)[:10])).days
    except ValueError:
        return "another day"   # a truth of a month only ("2003-11")
    return "one day off" if abs(days) == 1 else "a later day" if days > 0 else "an earlier day"


def metadata_class(key: str, want: Any, got: Any) -> str:
    """How an extracted title, publication day or author list differs from the truth, read from
    the two values alone: the failure classes ``--metadata-report`` counts on each half."""
    return {"title": _title_class, "authors": _authors_class, "day": _day_class}[key](want, got)


#: Whose wording a title of "other wording" is, by :func:`metadata.title_source`.
_WORDED_AS = {"h1": "other wording, the <h1>'s", "declared": "other wording, a declared title's",
              None: "other wording, no source's"}


def page_title_class(doc: Doc, want: str, got: str | None) -> str:
    """:func:`metadata_class` of a title, with "other wording" told apart by the page's own
    titles: the truth words the headline as the page's <h1> does, as a declared title (og:title,
    JSON-LD headline, <title> ...) does, or as no source of the page does. Where the <h1> and
    the declared titles word it otherwise, no cleaning of the title reaches the truth; only the
    choice between them does."""
    cls = metadata_class("title", want, got)
    if cls != "other wording":
        return cls
    from newsclean.cleaners.reading.parsing import parse
    from newsclean.cleaners.metadata import title_source
    tree = parse(doc.html)
    return _WORDED_AS[title_source(tree, want) if tree is not None else None]


def metadata_classes(rows: list[Scored], name: str) -> list[str]:
    """One line per half and field: how many pages miss it, by failure class (counts only: the
    check half's figures are read without reading its pages)."""
    lines = []
    docs = {r.doc.id: r.doc for r in rows}
    for half in ("dev", "check"):
        misses = summarize([r for r in rows if r.doc.half == half], name)["metadata_mismatches"]
        for key in ("title", "day", "authors"):
            counts = Counter(page_title_class(docs[i], want, got) if key == "title" else metadata_class(key, want, got)
                             for i, k, want, got in misses if k == key)
            if counts:
                lines.append(f"  {name} {half} half, {key} wrong on {sum(counts.values())}: "
                             + ", ".join(f"{n} {c}" for c, n in counts.most_common()))
    return lines


def metadata_values(rows: list[Scored]) -> dict[str, dict[str, Any]]:
    """Each page's extracted title, day and authors, by page id: what ``--metadata-out`` keeps."""
    return {r.doc.id: r.meta_got for r in rows if r.meta_ok}


def metadata_changes(rows: list[Scored], name: str, before: dict[str, dict[str, Any]]) -> list[str]:
    """What changed against the values of an earlier run (``before``, by page id), per half and
    field: on how many pages the value changed, how many of them it made right and how many
    wrong: what a rule does on each half."""
    lines = []
    for half in ("dev", "check"):
        for key in ("title", "day", "authors"):
            fires = right = wrong = 0
            for r in rows:
                old = before.get(r.doc.id)
                if r.doc.half != half or key not in r.meta_ok or not isinstance(old, dict) or old.get(key) == r.meta_got[key]:
                    continue
                fires += 1
                was = _meta_ok(key, r.doc.expected, old.get(key))
                right += r.meta_ok[key] and not was
                wrong += was and not r.meta_ok[key]
            lines.append(f"  {name} {half} half, {key}: changed on {fires} pages, +{right} right, -{wrong} wrong")
    return lines


def run(docs: list[Doc], name: str) -> dict[str, Any]:
    """Score one extractor over all the pages."""
    return summarize(score_pages(docs, name), name)


def _row(label: str, r: dict[str, Any], base_cpu: float | None) -> str:
    ratio = r["cpu"] / base_cpu if base_cpu else float("nan")
    meta = " / ".join(f"{r[k]:.3f}" for k in ("title_exact", "day_exact", "authors_exact") if k in r)
    return (f"{label:<22} {r['docs']:>5} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
            f"{r['docs_per_s']:7.1f} {ratio:5.2f} {r['boilerplate_pages'] / max(1, r['docs']):6.1%} {r['metric']:>7}  {meta}")


def report(scored: dict[str, list[Scored]], folds: int = 0) -> list[str]:
    """The table: every extractor on all pages and on the dev and check halves of the sites; the
    lead over trafilatura on each half and its gap; with ``folds``, the lead per site-grouped fold."""
    lines = [f"{'extractor / pages':<22} {'n':>5} {'P':>6} {'R':>6} {'F1':>6} {'docs/s':>7} {'cpu×':>5} "
             f"{'boiler':>6} {'metric':>7}  meta(title/day/authors)"]
    base = scored.get("trafilatura")
    leads: dict[str, dict[str, float]] = {}
    for name, rows in scored.items():
        groups = {"all": rows, "dev half": [r for r in rows if r.doc.half == "dev"],
                  "check half": [r for r in rows if r.doc.half == "check"]}
        ids = {k: {x.doc.id for x in v} for k, v in groups.items()}   # once a group, not once a row
        base_groups = {k: [r for r in base if r.doc.id in ids[k]] for k in groups} if base else {}
        f1 = {}
        for label, subset in groups.items():
            if not subset:
                continue
            summary = summarize(subset, name)
            f1[label] = summary["f1"]
            base_cpu = sum(r.cpu for r in base_groups[label]) if base else None
            lines.append(_row(f"{name} {label}", summary, base_cpu))
        leads[name] = f1
    if base:
        # The halves differ in difficulty (trafilatura's own F1 differs between them), so what
        # tells tuning from generalizing is the lead over trafilatura on each half.
        for name, f1 in leads.items():
            if name == "trafilatura" or not {"dev half", "check half"} <= set(f1):
                continue
            dev, check = (f1[h] - leads["trafilatura"][h] for h in ("dev half", "check half"))
            lines.append(f"{name} F1 lead over trafilatura: dev half {dev:+.4f}, check half {check:+.4f}, "
                         f"gap {dev - check:+.4f}")
    for name, rows in scored.items():
        if base and name != "trafilatura" and folds > 1:
            fold_leads = []
            for k in range(folds):
                mine = [r for r in rows if site_fold(r.doc.site, folds) == k]
                theirs = [r for r in base if site_fold(r.doc.site, folds) == k]
                if mine:
                    fold_leads.append(summarize(mine, name)["f1"] - summarize(theirs, "trafilatura")["f1"])
            lines.append(f"{name} F1 lead over trafilatura per site fold ({len(fold_leads)} folds): "
                         + " ".join(f"{x:+.3f}" for x in fold_leads)
                         + f"  mean {statistics.mean(fold_leads):+.4f} sd {statistics.pstdev(fold_leads):.4f}")
    return lines


def site_report(scored: dict[str, list[Scored]]) -> list[str]:
    """Each site's F1 for every extractor, the dev sites first, and with trafilatura scored,
    newsclean's lead over it and its half's lead without the site: which sites make a half's lead
    and the gap between the halves (figures only: no page of a site is named)."""
    names = list(scored)
    lead = "trafilatura" in scored and "newsclean" in scored
    lines = [f"{'site (half, pages)':<34} " + " ".join(f"{n[:11]:>11}" for n in names)
             + (f" {'lead':>7} {'half w/o it':>11}" if lead else "")]

    by_site = {n: _by_site(rows) for n, rows in scored.items()}   # one pass a extractor, not one a site
    pages = by_site[names[0]]
    half = {site: site_half(site) for site in pages}

    def lead_without(site: str) -> str:
        """The lead over the other sites of the site's half ("-" where it has none)."""
        others = [s for s in pages if s != site and half[s] == half[site]]
        if not others:
            return f"{'-':>11}"
        mine = [r for s in others for r in by_site["newsclean"][s]]
        theirs = [r for s in others for r in by_site["trafilatura"][s]]
        return f"{summarize(mine, 'newsclean')['f1'] - summarize(theirs, 'trafilatura')['f1']:>+11.4f}"

    for site in sorted(pages, key=lambda s: (half[s] != "dev", s)):
        f1 = {n: summarize(by_site[n][site], n)["f1"] for n in names}
        row = (f"{f'{site} ({half[site]}, {len(pages[site])})':<34} "
               + " ".join(f"{f1[n]:>11.4f}" for n in names))
        if lead:
            row += f" {f1['newsclean'] - f1['trafilatura']:>+7.4f} {lead_without(site)}"
        lines.append(row)
    return lines


def _by_site(rows: list[Scored]) -> dict[str, list[Scored]]:
    """``rows`` grouped by their page's site, in order (P and R are exact means: the order of a
    summary's rows does not move its figures)."""
    groups: dict[str, list[Scored]] = {}
    for r in rows:
        groups.setdefault(r.doc.site, []).append(r)
    return groups


def learned_folds(rows: list[Scored], folds: int) -> list[str]:
    """The learned line scorer on site-grouped folds (:func:`newsclean.cleaners.learned.train.fold_report`)
    over newsclean's pages; one line saying why when scikit-learn, which training needs, is absent."""
    from newsclean.cleaners.learned.train import CURVE, fold_report, page_rows, shipped_fit_args

    if importlib.util.find_spec("sklearn") is None:
        return ["learned line scorer: not scored (training needs scikit-learn: pip install -e '.[train]')"]
    # the scorer's input: each page cleaned again with the scorer off, its lines' features
    # (markup too) recorded from the tree they were extracted from; the fold models drop at the
    # shipped model's thresholds, so "all held folds" is the scorer the cleaner runs
    return fold_report([(page_rows(r.doc.html, r.doc.url), r.doc.truth, r.doc.site) for r in rows], folds,
                       snippets=[(r.doc.must, r.doc.must_not) for r in rows], thresholds=CURVE,
                       **shipped_fit_args())


def cpu_times(docs: list[Doc], names: list[str], rounds: int) -> dict[str, list[float]]:
    """Per extractor, each page's median CPU seconds over ``rounds`` interleaved rounds."""
    fns = {name: EXTRACTORS[name]() for name in names}
    for fn in fns.values():   # untimed: lazy imports, the language model, first-call caches
        for d in docs[:3]:
            fn(d.html, d.url)
    times: dict[str, list[list[float]]] = {name: [[] for _ in docs] for name in names}
    # What is loaded by now is out of the garbage collector's reach while the pages are timed, as
    # in the crawl's cleaning workers (crawler/workers/worker_preload.py freezes what they load):
    # a full collection walks only what the extractors made since, not every module's objects.
    gc.collect()
    gc.freeze()
    try:
        for r in range(rounds):
            for i, d in enumerate(docs):
                k = (i + r) % len(names)
                for name in names[k:] + names[:k]:
                    t0 = cpu_clock()
                    fns[name](d.html, d.url)
                    times[name][i].append(cpu_clock() - t0)
    finally:
        gc.unfreeze()
    return {name: [statistics.median(t) for t in per_page] for name, per_page in times.items()}


def cpu_report(times: dict[str, list[float]]) -> list[str]:
    """CPU ms a page of each extractor (sum of per-page medians) and its ratio to each other one."""
    names = list(times)
    total = {name: sum(t) for name, t in times.items()}
    n = len(next(iter(times.values()), []))
    head = f"{'extractor':<22} {'pages':>5} {'CPU ms/page':>11}  " + " ".join(f"{'/ ' + b:>22}" for b in names)
    lines = [head]
    for a in names:
        ratios = " ".join(f"{total[a] / total[b] if total[b] else float('nan'):>22.2f}" for b in names)
        lines.append(f"{a:<22} {n:>5} {1000 * total[a] / max(1, n):>11.1f}  {ratios}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    import newsclean.cleaners.bench as package   # its docstring is the command's help

    ap = argparse.ArgumentParser(prog="python -m newsclean.cleaners.bench", description=package.__doc__.split("\n\n")[0])
    ap.add_argument("dataset", type=Path, nargs="+")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--extractor", action="append", choices=sorted(EXTRACTORS))
    ap.add_argument("--folds", type=int, default=0, metavar="K",
                    help="also score K site-grouped folds and print the spread of the lead over trafilatura")
    ap.add_argument("--sites", action="store_true",
                    help="also print each site's F1, newsclean's lead and its half's lead without the site")
    ap.add_argument("--boilerplate-report", action="store_true", help="list pages keeping a boilerplate line")
    ap.add_argument("--metadata-report", action="store_true",
                    help="list each page whose title, publication day or authors differ from the truth")
    ap.add_argument("--metadata-out", type=Path, metavar="FILE",
                    help="write each page's extracted title, day and authors to FILE (JSON), for --metadata-against")
    ap.add_argument("--metadata-against", type=Path, metavar="FILE",
                    help="print per half and field on how many pages the metadata changed against FILE, "
                         "made right and made wrong")
    ap.add_argument("--half", choices=("dev", "check", "all"), default="dev",
                    help="pages whose details the reports list (default: dev; the check half is for figures only)")
    ap.add_argument("--blind-classes", action="store_true",
                    help="score every page with its class and id names replaced by hash tokens (as a site built "
                         "with CSS-in-JS or hashed CSS modules serves it): how much extraction rests on the names")
    ap.add_argument("--cpu-rounds", type=int, default=0, metavar="R",
                    help="measure CPU time instead: each page to each extractor in turn, R rounds, median a page "
                         f"(extractors default: {', '.join(CPU_EXTRACTORS)})")
    args = ap.parse_args(argv)
    for dataset in args.dataset:
        if not dataset.is_dir():
            ap.error(f"{dataset}: no such dataset folder")
    before: dict[str, Any] = {}
    if args.metadata_against:
        try:
            before = json.loads(args.metadata_against.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            ap.error(f"{args.metadata_against}: unreadable metadata file: {exc}")
        if not isinstance(before, dict):
            ap.error(f"{args.metadata_against}: not a metadata file of --metadata-out")
    values: dict[str, dict[str, Any]] = {}
    for dataset in args.dataset:
        try:
            docs = load_dataset(dataset)
        except (OSError, ValueError, KeyError) as exc:   # a page its truth names is missing, a truth file is torn
            ap.error(f"{dataset}: unreadable dataset: {exc}")
        except SystemExit as exc:   # a folder of no layout the bench reads
            ap.error(str(exc.code))
        if args.limit:
            docs = docs[: args.limit]
        if args.blind_classes:
            docs = [dataclasses.replace(d, html=blind_classes(d.html)) for d in docs]
        if args.cpu_rounds > 0:
            names = list(dict.fromkeys(args.extractor or CPU_EXTRACTORS))
            print(f"== {dataset}: {len(docs)} pages, CPU time, {args.cpu_rounds} interleaved rounds, median a page")
            print("\n".join(cpu_report(cpu_times(docs, names, args.cpu_rounds))))
            continue
        scored = {name: score_pages(docs, name) for name in (args.extractor or ["trafilatura", "newsclean"])}
        sites = {d.site for d in docs}
        blinded = "class and id names blinded, " if args.blind_classes else ""
        print(f"== {dataset}: {len(docs)} pages, {blinded}{len(sites)} sites "
              f"({sum(site_half(s) == 'dev' for s in sites)} dev, {sum(site_half(s) == 'check' for s in sites)} check), "
              f"metric: {_METRIC_SAID[docs[0].metric if docs else 'shingle']}")
        print("\n".join(report(scored, args.folds)))
        if args.sites:
            print("\n".join(site_report(scored)))
        if args.folds > 1 and "newsclean" in scored and all(d.metric == "shingle" for d in docs):
            # the learned scorer is fitted to full texts: a snippet-scored set has none
            print("\n".join(learned_folds(scored["newsclean"], args.folds)))
        if args.boilerplate_report:
            for name, rows in scored.items():
                for r in rows:
                    if r.boilerplate and args.half in ("all", r.doc.half):
                        print(f"  {name}: {r.doc.id}: {r.boilerplate[:3]}")
        if args.metadata_report:
            for name, rows in scored.items():
                for doc_id, key, want, got in summarize([r for r in rows if args.half in ("all", r.doc.half)], name)["metadata_mismatches"]:
                    print(f"  {name}: {doc_id}: {key}: expected {want!r}, got {got!r}")
            for name, rows in scored.items():
                print("\n".join(metadata_classes(rows, name)))
        for name, rows in scored.items():
            values.setdefault(dataset.name, {})[name] = metadata_values(rows)
            earlier = before.get(dataset.name)
            earlier = earlier.get(name) if isinstance(earlier, dict) else None
            if args.metadata_against and isinstance(earlier, dict):
                print(f"{name} metadata against {args.metadata_against}:")
                print("\n".join(metadata_changes(rows, name, earlier)))
    if args.metadata_out:
        try:
            args.metadata_out.write_text(json.dumps(values, ensure_ascii=False), "utf-8")
        except OSError as exc:
            ap.error(f"{args.metadata_out}: cannot write the metadata file: {exc}")
    return 0
