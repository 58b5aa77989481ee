"""Train the line scorer (:mod:`newsclean.cleaners.linescore`) and write its model file.

    python -m newsclean.cleaners.train DATASET [DATASET ...] [--half dev] [--out PATH]

Each page of the datasets (layouts of :func:`newsclean.cleaners.bench.load_dataset`) is cleaned
with the scorer switched off and its body recorded with the features of its lines, text and
markup (:func:`newsclean.cleaners.linescore.recording`); each line is labelled by the page's truth
text (boilerplate when most of its 4-token shingles, or of its words on a line of fewer than
four, are not in the truth), and gradient-boosted trees are fitted to the lines' features. Same datasets,
same options -> the same file (sorted pages, fixed seed). ``--half dev`` (the default) trains on
the sites of the dev half only, so the check half stays a held-out judge.

Training needs scikit-learn (``pip install -e '.[train]'``); cleaning does not.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsclean.cleaners.linescore import FEATURES, MODEL_FILE, LineModel, PageFeatures, page_features, recording

_TOKENS = re.compile(r"\w+")

#: Defaults of the shipped model (chosen on the dev half's site-grouped folds).
TREES = 120
DEPTH = 3
LEARNING_RATE = 0.1
THRESHOLD = 0.5
SCOPE = "edges"


def _shingles(tokens: list[str]) -> list[tuple[str, ...]]:
    return [tuple(tokens[i:i + 4]) for i in range(len(tokens) - 3)]


def labels(lines: Sequence[str], truth: str) -> list[int]:
    """1 for a boilerplate line (most of its shingles, or words, not in ``truth``), else 0."""
    truth_tokens = _TOKENS.findall(truth.lower())
    truth_shingles, truth_words = set(_shingles(truth_tokens)), set(truth_tokens)
    out = []
    for line in lines:
        tokens = _TOKENS.findall(line.lower())
        if len(tokens) >= 4:
            grams = _shingles(tokens)
            share = sum(g in truth_shingles for g in grams) / len(grams)
        else:
            share = sum(t in truth_words for t in tokens) / len(tokens) if tokens else 0.0
        out.append(int(share < 0.5))
    return out


def page_rows(html: str, url: str | None) -> PageFeatures:
    """The body ``clean_html`` gives a page with the scorer off, with its lines' features (no
    lines when it is rejected)."""
    from newsclean.cleaners.core import CleanOptions, clean_html

    with recording() as seen:
        res = clean_html(html, url, options=CleanOptions(score_lines=False, detect_language=False))
    if not getattr(res, "text", "") or not seen:
        return page_features([])
    return seen[-1]   # the last body recorded is the one returned (a page cleaned twice: its streamed markup)


def fit(pages: Sequence[tuple[PageFeatures, str]], *, trees: int = TREES, depth: int = DEPTH,
        learning_rate: float = LEARNING_RATE, threshold: float = THRESHOLD, scope: str = SCOPE,
        meta: dict[str, Any] | None = None) -> LineModel:
    """A model fitted to ``(page features, truth)`` pages; deterministic."""
    try:
        from sklearn.ensemble import GradientBoostingClassifier
    except ImportError:
        raise SystemExit("training the line scorer needs scikit-learn: pip install -e '.[train]'") from None
    xs, ys = [], []
    for page, truth in pages:
        if page.lines:
            xs.append(page.x)
            ys.extend(labels(page.lines, truth))
    if not xs or len(set(ys)) < 2:
        raise ValueError("too little training data: need lines of both kinds")
    x, y = np.vstack(xs), np.array(ys)
    clf = GradientBoostingClassifier(n_estimators=trees, max_depth=depth, learning_rate=learning_rate,
                                     random_state=0)
    clf.fit(x, y)
    info = {"lines": int(len(y)), "boilerplate_lines": int(y.sum()), "pages": len(xs), **(meta or {})}
    return export(clf, y.mean(), threshold=threshold, scope=scope, meta=info)


def export(clf: Any, prior: float, *, threshold: float = THRESHOLD, scope: str = SCOPE,
           meta: dict[str, Any] | None = None) -> LineModel:
    """A fitted ``GradientBoostingClassifier`` (binary, log-loss) as a :class:`LineModel`;
    ``prior`` is the share of boilerplate lines it was fitted on (its initial log-odds)."""
    exported = []
    for est in clf.estimators_[:, 0]:
        t = est.tree_
        leaf = t.children_left < 0
        idx = np.arange(t.node_count)
        exported.append({"feature": np.where(leaf, -1, t.feature).tolist(),
                         "threshold": np.where(leaf, 0.0, t.threshold).tolist(),
                         "left": np.where(leaf, idx, t.children_left).tolist(),
                         "right": np.where(leaf, idx, t.children_right).tolist(),
                         "value": (clf.learning_rate * t.value[:, 0, 0]).tolist()})
    return LineModel.from_dict({"trees": exported, "depth": clf.max_depth, "base": math.log(prior / (1 - prior)),
                                "threshold_drop": threshold, "scope": scope, "meta": meta or {}})


def _f1(pages: Sequence[tuple[Sequence[str], str]]) -> float:
    from newsclean.cleaners.bench import metrics_from_tp_fp_fns, string_shingle_matching

    return metrics_from_tp_fp_fns([string_shingle_matching(truth, "\n".join(lines)) for lines, truth in pages])["f1"]


def _kept(model: LineModel, page: PageFeatures) -> list[str]:
    """The lines ``model`` keeps of a page."""
    return [s for s, d in zip(page.lines, model.mask(page)) if not d]


def _snippet_figures(pages: Sequence[Sequence[str]], snippets: Sequence[tuple[tuple[str, ...], tuple[str, ...]]]) -> tuple[int, float]:
    """Leaky pages and the share of must-have snippets found (:func:`bench.snippet_counts`) in
    ``pages``' lines."""
    from newsclean.cleaners.bench import snippet_counts

    counts = [snippet_counts("\n".join(lines), must, must_not) for lines, (must, must_not) in zip(pages, snippets)]
    return sum(c[2] for c in counts), sum(c[0] for c in counts) / max(1, sum(c[1] for c in counts))


def fold_report(pages: Sequence[tuple[PageFeatures, str, str]], folds: int,
                snippets: Sequence[tuple[tuple[str, ...], tuple[str, ...]]] | None = None, **fit_args: Any) -> list[str]:
    """The scorer on site-grouped folds of ``(page features, truth, site)`` pages (the body as the
    cleaner gives it with the scorer off, :func:`page_rows`): for each fold, a model fitted on
    the other folds' pages scores the held fold. Printed: F1 without -> with the scorer on the held
    fold and on the training folds, and the gap between the two gains (what the fit does not carry
    over); with ``snippets`` (each page's must-have and must-not snippets, WCXB's), the held
    folds' leaky pages and must-have snippets found too."""
    from newsclean.cleaners.bench import site_fold

    out = [f"learned line scorer, {folds} site-grouped folds (fitted on the other folds, scored on the held one):"]
    before: list[Sequence[str]] = []   # each held page's lines, without and with the scorer
    after: list[Sequence[str]] = []
    held_truths: list[str] = []
    held_snippets: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    train_gains = []
    marks = list(snippets) if snippets is not None else [((), ())] * len(pages)
    for k in range(folds):
        in_fold = [site_fold(site, folds) == k for _, _, site in pages]
        train = [(page, truth) for (page, truth, _), held_ in zip(pages, in_fold) if not held_]
        held = [(page, truth) for (page, truth, _), held_ in zip(pages, in_fold) if held_]
        if not held or not train:
            continue
        try:
            model = fit(train, **fit_args)
        except ValueError as exc:
            out.append(f"  fold {k}: not scored ({exc})")
            continue
        held_f = [(_kept(model, page), truth) for page, truth in held]
        train_f = [(_kept(model, page), truth) for page, truth in train]
        h0 = _f1([(page.lines, truth) for page, truth in held])
        h1, t0, t1 = _f1(held_f), _f1([(p.lines, t) for p, t in train]), _f1(train_f)
        train_gains.append(t1 - t0)
        before += [page.lines for page, _ in held]
        after += [lines for lines, _ in held_f]
        held_truths += [truth for _, truth in held]
        held_snippets += [m for m, held_ in zip(marks, in_fold) if held_]
        out.append(f"  fold {k}: held {len(held):>4} pages F1 {h0:.4f} -> {h1:.4f} ({h1 - h0:+.4f}); "
                   f"training folds F1 {t0:.4f} -> {t1:.4f} ({t1 - t0:+.4f})")
    if before:
        b, a = _f1(list(zip(before, held_truths))), _f1(list(zip(after, held_truths)))
        fitted = sum(train_gains) / len(train_gains)
        out.append(f"  all held folds: F1 {b:.4f} -> {a:.4f} ({a - b:+.4f}); mean gain on the training folds "
                   f"{fitted:+.4f}; gap {fitted - (a - b):+.4f}")
        if any(must or must_not for must, must_not in held_snippets):
            (l0, m0), (l1, m1) = _snippet_figures(before, held_snippets), _snippet_figures(after, held_snippets)
            out.append(f"  all held folds: leaky pages {l0} -> {l1} of {len(before)}; "
                       f"must-have snippets {100 * m0:.2f}% -> {100 * m1:.2f}%")
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    import json

    from newsclean.cleaners.bench import load_dataset, site_half

    ap = argparse.ArgumentParser(prog="python -m newsclean.cleaners.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset", type=Path, nargs="+")
    ap.add_argument("--half", choices=("dev", "all"), default="dev",
                    help="sites to train on (default dev: the check half stays held out)")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--trees", type=int, default=TREES)
    ap.add_argument("--depth", type=int, default=DEPTH)
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    ap.add_argument("--scope", choices=("edges", "any"), default=SCOPE)
    args = ap.parse_args(argv)
    pages = []
    for dataset in args.dataset:
        docs = [d for d in load_dataset(dataset) if args.half == "all" or site_half(d.site) == args.half]
        pages += [(page_rows(d.html, d.url), d.truth) for d in docs]
        print(f"{dataset}: {len(docs)} pages", file=sys.stderr)
    try:
        model = fit(pages, trees=args.trees, depth=args.depth, threshold=args.threshold, scope=args.scope,
                    meta={"datasets": sorted(p.name for p in args.dataset), "half": args.half})
    except ValueError as exc:
        raise SystemExit(f"newsclean.cleaners.train: {exc}") from None
    args.out.write_text(json.dumps(model.to_dict(), separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {args.out}: {len(FEATURES)} features, {model.feature.shape[0]} trees, "
          f"{model.meta['lines']} lines ({model.meta['boilerplate_lines']} boilerplate)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
