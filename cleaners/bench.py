"""Benchmark newsclean beside plain trafilatura on an annotated dataset, with the same metric as
the Scrapinghub article-extraction benchmark.

    python -m newsclean.cleaners.bench DATASET [--limit N] [--extractor newsclean --extractor trafilatura]
                                     [--boilerplate-report] [--metadata-report]

Layouts: Scrapinghub (``ground-truth.json`` + ``html/<id>.html[.gz]``) and Fundus
(``<cc>/<Publisher>_<date>.html.gz`` + ``<cc>/<Publisher>.json`` + ``<cc>/meta.info``).

The metric (``string_shingle_matching`` and the mean-of-documents P/R/F1) is ported from
scrapinghub/article-extraction-benchmark ``evaluate.py`` (MIT licence): text is tokenized as
``\\w+`` runs and compared as multisets of 4-token shingles; per-document precision and recall
are averaged; F1 is computed from the two means.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)

#: Boilerplate lines counted by ``--boilerplate-report`` (a whole line that starts like one).
BOILERPLATE_LINE = re.compile(
    r"(?im)^\s*(must read|also read|read more|related( articles| posts)?:?|e-?paper\S*|epaper_\S+|"
    r"sign up|subscribe|newsletter|advertisement|follow us|click here|share (this|on)|"
    r"all rights reserved|copyright\b|the post .* appeared first on).*$")


# -- metric (ported from scrapinghub/article-extraction-benchmark evaluate.py, MIT) -------------
def _shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN_RE.findall(text or "")
    out = [tuple(tokens[i:i + n]) for i in range(0, max(1, len(tokens) - n + 1))]
    return Counter(s for s in out if s)


def string_shingle_matching(true: str, pred: str, ngram_n: int = 4) -> tuple[float, float, float]:
    """Normalized (tp, fp, fn) of two texts' 4-token shingle multisets."""
    t, p = _shingles(true, ngram_n), _shingles(pred, ngram_n)
    tp = fp = fn = 0.0
    for key in set(t) | set(p):
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics_from_tp_fp_fns(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    """Mean precision and recall over documents, F1 of the two means."""
    p = statistics.mean([precision_score(*r) for r in rows if r[0] + r[1] > 0] or [0.0])
    r = statistics.mean([recall_score(*x) for x in rows if x[0] + x[2] > 0] or [0.0])
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def shingle_prf(truth: str, pred: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of one document."""
    tp, fp, fn = string_shingle_matching(truth, pred)
    p, r = precision_score(tp, fp, fn), recall_score(tp, fp, fn)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def boilerplate_lines(text: str, truth: str = "") -> list[str]:
    """Boilerplate-looking lines of ``text`` that the truth does not contain."""
    tl = truth.lower()
    return [m.group(0).strip() for m in BOILERPLATE_LINE.finditer(text or "")
            if m.group(0).strip().lower()[:40] not in tl]


# -- datasets -------------------------------------------------------------------------------------
@dataclass
class Doc:
    """One annotated page."""

    id: str
    html: str
    url: str | None
    truth: str
    expected: dict[str, Any] = field(default_factory=dict)  # title, authors, publishing_date (Fundus)


def _fundus_body(body: dict[str, Any]) -> str:
    parts = list(body.get("summary") or [])
    for sec in body.get("sections") or []:
        parts.extend(sec.get("headline") or [])
        parts.extend(sec.get("paragraphs") or [])
    return "\n\n".join(parts)


def load_dataset(root: Path) -> list[Doc]:
    """Docs of a Scrapinghub- or Fundus-layout dataset, in a stable order."""
    if (root / "ground-truth.json").exists():
        gt = json.loads((root / "ground-truth.json").read_text("utf-8"))
        docs = []
        for key in sorted(gt):
            path = root / "html" / f"{key}.html.gz"
            html = gzip.open(path, "rt", encoding="utf-8").read() if path.exists() else \
                (root / "html" / f"{key}.html").read_text("utf-8")
            docs.append(Doc(key, html, gt[key].get("url"), gt[key].get("articleBody") or ""))
        return docs
    vmap_path = root / "_version_map.json"
    vmap = json.loads(vmap_path.read_text("utf-8")) if vmap_path.exists() else {}
    docs = []
    for group in sorted(p for p in root.iterdir() if p.is_dir() and (p / "meta.info").exists()):
        meta = json.loads((group / "meta.info").read_text("utf-8"))
        by_pub: dict[str, list[Path]] = {}
        for path in group.glob("*.html.gz"):
            by_pub.setdefault(path.name.rsplit(".html.gz")[0].split("_", 1)[0], []).append(path)
        for pub, paths in sorted(by_pub.items()):
            exp_path = group / f"{pub}.json"
            if not exp_path.exists():
                continue
            expect = json.loads(exp_path.read_text("utf-8"))
            paths.sort(key=lambda p: meta[p.name]["crawl_date"])
            vkey = lambda n: [int(x) for x in re.findall(r"\d+", n)]  # noqa: E731
            fallback = dict(zip([p.name for p in paths], sorted(expect, key=vkey)))
            for path in paths:
                rel = str(path.relative_to(root))
                version = vmap.get(rel, {}).get("version") or fallback.get(path.name)
                if version not in expect or "body" not in expect[version]:
                    continue
                exp = expect[version]
                html = gzip.decompress(path.read_bytes()).decode("utf-8")
                docs.append(Doc(rel, html, meta[path.name]["url"], _fundus_body(exp["body"]),
                                {k: exp.get(k) for k in ("title", "authors", "publishing_date")}))
    if not docs:
        raise SystemExit(f"{root}: neither a Scrapinghub nor a Fundus layout")
    return docs


# -- extractors -----------------------------------------------------------------------------------
def _newsclean() -> Callable[[str, str | None], Any]:
    from newsclean.cleaners.core import clean_html
    return clean_html


def _trafilatura() -> Callable[[str, str | None], Any]:
    import trafilatura
    return lambda html, url: trafilatura.extract(html, url=url, include_comments=False, deduplicate=False) or ""


EXTRACTORS: dict[str, Callable[[], Callable[[str, str | None], Any]]] = {
    "newsclean": _newsclean, "trafilatura": _trafilatura}


#: Invisible format characters (soft hyphen, zero-width space, word joiner, BOM, direction marks):
#: a title that differs from the truth only in these reads the same.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff\u200e\u200f"))


def _norm_title(s: str | None) -> str:
    # "Exact" up to Unicode composition (NFC), whitespace runs and invisible characters; case,
    # quotes and punctuation must match.
    return " ".join(unicodedata.normalize("NFC", (s or "").translate(_INVISIBLE)).split())


def _norm_authors(a: list[str] | None) -> list[str]:
    return sorted(_norm_title(x) for x in (a or []))


def run(docs: list[Doc], name: str) -> dict[str, Any]:
    """Score one extractor: P/R/F1, docs/s (CPU time), boilerplate pages, metadata exactness."""
    fn = EXTRACTORS[name]()
    rows, boiler, meta_ok, meta_n = [], [], Counter(), 0
    meta_miss: list[tuple[str, str, Any, Any]] = []  # (doc id, field, expected, got)
    cpu = 0.0
    for d in docs:
        t0 = time.process_time()
        res = fn(d.html, d.url)
        cpu += time.process_time() - t0
        text = res if isinstance(res, str) else getattr(res, "text", "")
        rows.append(string_shingle_matching(d.truth, text))
        bl = boilerplate_lines(text, d.truth)
        if bl:
            boiler.append((d.id, bl[:3]))
        if d.expected and not isinstance(res, str):
            meta_n += 1
            exp = d.expected
            title, authors = getattr(res, "title", None), getattr(res, "authors", None)
            pub = (getattr(res, "published", None) or "")[:10]
            ok = {"title": _norm_title(title) == _norm_title(exp.get("title")),
                  "authors": _norm_authors(authors) == _norm_authors(exp.get("authors")),
                  "day": bool(exp.get("publishing_date")) and pub == str(exp["publishing_date"])[:10]}
            got = {"title": title, "authors": authors, "day": pub or None}
            want = {"title": exp.get("title"), "authors": exp.get("authors"), "day": exp.get("publishing_date")}
            for key, good in ok.items():
                meta_ok[key] += good
                if not good:
                    meta_miss.append((d.id, key, want[key], got[key]))
    out = metrics_from_tp_fp_fns(rows)
    out.update(name=name, docs=len(docs), cpu=cpu, docs_per_s=len(docs) / cpu if cpu else 0.0,
               boilerplate_pages=len(boiler), boilerplate_examples=boiler[:20], metadata_mismatches=meta_miss)
    if meta_n:
        out.update({f"{k}_exact": meta_ok[k] / meta_n for k in ("title", "day", "authors")})
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(prog="python -m newsclean.cleaners.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset", type=Path)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--extractor", action="append", choices=sorted(EXTRACTORS))
    ap.add_argument("--boilerplate-report", action="store_true", help="list pages keeping a boilerplate line")
    ap.add_argument("--metadata-report", action="store_true",
                    help="list each page whose title, publication day or authors differ from the truth")
    args = ap.parse_args(argv)
    docs = load_dataset(args.dataset)
    if args.limit:
        docs = docs[: args.limit]
    results = [run(docs, name) for name in (args.extractor or ["trafilatura", "newsclean"])]
    base_cpu = next((r["cpu"] for r in results if r["name"] == "trafilatura"), None)
    print(f"{'extractor':<12} {'P':>6} {'R':>6} {'F1':>6} {'docs/s':>7} {'cpu×':>5} {'boiler':>6}  meta(title/day/authors)")
    for r in results:
        ratio = r["cpu"] / base_cpu if base_cpu else float("nan")
        meta = " / ".join(f"{r[k]:.3f}" for k in ("title_exact", "day_exact", "authors_exact") if k in r)
        print(f"{r['name']:<12} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {r['docs_per_s']:7.1f} "
              f"{ratio:5.2f} {r['boilerplate_pages'] / max(1, r['docs']):6.1%}  {meta}")
    if args.boilerplate_report:
        for r in results:
            for doc_id, lines in r["boilerplate_examples"]:
                print(f"  {r['name']}: {doc_id}: {lines}")
    if args.metadata_report:
        for r in results:
            for doc_id, key, want, got in r.get("metadata_mismatches", []):
                print(f"  {r['name']}: {doc_id}: {key}: expected {want!r}, got {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
