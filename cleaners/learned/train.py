"""Train the line scorer (:mod:`newsclean.cleaners.learned.linescore`) and write its model file.

    python -m newsclean.cleaners.learned.train DATASET [DATASET ...] [--half dev] [--out PATH]

Each page of the datasets (layouts of :func:`newsclean.cleaners.bench.load_dataset`) is cleaned
with the scorer switched off and its body recorded with the features of its lines, text and
markup (:func:`newsclean.cleaners.learned.linescore.recording`); each line is labelled by the page's truth
text (boilerplate when most of its 4-token shingles, or of its words on a line of fewer than
four, are not in the truth), and gradient-boosted trees are fitted to the lines' features. Same datasets,
same options -> the same file (sorted pages, fixed seed). ``--half dev`` (the default) trains on
the sites of the dev half only, so the check half stays a held-out judge.

Training needs scikit-learn (``pip install -e '.[train]'``); cleaning does not.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsclean.cleaners.learned.linescore import FEATURES, MODEL_FILE, LineModel, PageFeatures, page_features, recording

_TOKENS = re.compile(r"\w+")

#: Defaults of the shipped model (chosen on the dev half's site-grouped folds).
TREES = 120
DEPTH = 3
LEARNING_RATE = 0.1
THRESHOLD = 0.7
#: A block holding a paragraph of prose (linescore.LineModel.mask) goes only over this.
PROSE_THRESHOLD = 0.8
#: The drop thresholds whose held-fold figures ``bench --folds`` prints (the trade-off curve).
CURVE = (0.5, 0.6, 0.7, 0.8, 0.9)
SCOPE = "tail"


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
        prose_threshold: float = PROSE_THRESHOLD, meta: dict[str, Any] | None = None) -> LineModel:
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
    return export(clf, y.mean(), threshold=threshold, scope=scope, prose_threshold=prose_threshold, meta=info)


def export(clf: Any, prior: float, *, threshold: float = THRESHOLD, scope: str = SCOPE,
           prose_threshold: float = PROSE_THRESHOLD, meta: dict[str, Any] | None = None) -> LineModel:
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
                                "threshold_drop": threshold, "prose_threshold": prose_threshold, "scope": scope,
                                "meta": meta or {}})


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


def leak_positions(pages: Sequence[tuple[PageFeatures, str, Sequence[str]]]) -> dict[str, int]:
    """Where the must-not snippets kept in bodies sit, for ``(page features, truth, must-not
    snippets)`` pages: ``tail`` or ``head`` when no article line (by the truth, :func:`labels`) of
    another block lies between the snippet's line and that end of the body (what a scorer walking
    inward from the ends can reach without taking article text), else ``middle``; ``pages`` the
    leaky pages and ``edge_pages`` those whose every kept snippet is at an end."""
    from newsclean.cleaners.bench import snippet_words

    out = {"tail": 0, "head": 0, "middle": 0, "pages": 0, "edge_pages": 0}
    for page, truth, must_not in pages:
        starts: list[int] = []   # each line's first word in the body's words
        words: list[str] = []
        for line in page.lines:
            starts.append(len(words))
            words += snippet_words(line).split()
        body = " ".join(words)
        article = [not bad for bad in labels(page.lines, truth)]
        at_ends = []
        for snippet in filter(None, map(snippet_words, must_not)):
            i = body.find(snippet)   # as bench.snippet_counts finds it
            if i < 0:
                continue
            word = body[:i].count(" ")
            k = max(j for j, start in enumerate(starts) if start <= word)
            others = [j for j in range(len(page.lines)) if article[j] and page.groups[j] != page.groups[k]]
            where = "tail" if not any(j > k for j in others) else "head" if not any(j < k for j in others) else "middle"
            out[where] += 1
            at_ends.append(where != "middle")
        if at_ends:
            out["pages"] += 1
            out["edge_pages"] += all(at_ends)
    return out


def shipped_fit_args() -> dict[str, Any]:
    """The drop thresholds and scope of the shipped model (its file, not this module's defaults):
    what ``bench --folds`` fits its fold models with, so that its "all held folds" figures are
    those of the scorer the cleaner runs, as its curve's line at that threshold."""
    from newsclean.cleaners.learned.linescore import shipped_model

    model = shipped_model()
    return {"threshold": model.threshold_drop, "prose_threshold": model.prose_threshold, "scope": model.scope}


def fold_report(pages: Sequence[tuple[PageFeatures, str, str]], folds: int,
                snippets: Sequence[tuple[tuple[str, ...], tuple[str, ...]]] | None = None,
                thresholds: Sequence[float] = (), **fit_args: Any) -> list[str]:
    """The scorer on site-grouped folds of ``(page features, truth, site)`` pages (the body as the
    cleaner gives it with the scorer off, :func:`page_rows`): for each fold, a model fitted on
    the other folds' pages scores the held fold. Printed: F1 without -> with the scorer on the held
    fold and on the training folds, and the gap between the two gains (what the fit does not carry
    over); with ``snippets`` (each page's must-have and must-not snippets, WCXB's), the held
    folds' leaky pages and must-have snippets found too, and where the kept must-not snippets sit
    in the bodies (:func:`leak_positions`); with ``thresholds``, the same models with each of
    those drop thresholds: the trade-off between leaks and article text on the held folds. The
    fold models' own drop threshold (``fit_args``' ``threshold``, else :data:`THRESHOLD`) is named
    in the first line: the "all held folds" lines are at it."""
    from newsclean.cleaners.bench import site_fold

    own = float(fit_args.get("threshold", THRESHOLD))
    out = [f"learned line scorer, {folds} site-grouped folds (fitted on the other folds, scored on the held one; "
           f"drop threshold {own:.2f}):"]
    marks = list(snippets) if snippets is not None else [((), ())] * len(pages)
    models: list[tuple[LineModel, list[int], list[int]]] = []   # per fold: its model, held and training pages
    for k in range(folds):
        held = [i for i, (_, _, site) in enumerate(pages) if site_fold(site, folds) == k]
        train = [i for i, (_, _, site) in enumerate(pages) if site_fold(site, folds) != k]
        if not held or not train:
            continue
        try:
            models.append((fit([pages[i][:2] for i in train], **fit_args), held, train))
        except ValueError as exc:
            out.append(f"  fold {k}: not scored ({exc})")

    def scored(threshold: float | None, per_fold: list[str] | None) -> tuple[float, float, float, list[list[str]], list[int]]:
        """Held F1 off and on, the mean gain on the training folds, the held pages' lines on, the pages."""
        after: list[list[str]] = []
        held_all: list[int] = []
        gains = []
        for model, held, train in models:
            if threshold is not None:
                model = dataclasses.replace(model, threshold_drop=threshold)
            held_f = [(_kept(model, pages[i][0]), pages[i][1]) for i in held]
            h0 = _f1([(pages[i][0].lines, pages[i][1]) for i in held])
            h1 = _f1(held_f)
            t0 = _f1([(pages[i][0].lines, pages[i][1]) for i in train])
            t1 = _f1([(_kept(model, pages[i][0]), pages[i][1]) for i in train])
            gains.append(t1 - t0)
            after += [lines for lines, _ in held_f]
            held_all += held
            if per_fold is not None:
                per_fold.append(f"  fold {site_fold(pages[held[0]][2], folds)}: held {len(held):>4} pages F1 {h0:.4f} -> "
                                f"{h1:.4f} ({h1 - h0:+.4f}); training folds F1 {t0:.4f} -> {t1:.4f} ({t1 - t0:+.4f})")
        b = _f1([(pages[i][0].lines, pages[i][1]) for i in held_all])
        a = _f1([(lines, pages[i][1]) for lines, i in zip(after, held_all)])
        return b, a, sum(gains) / len(gains), after, held_all

    if not models:
        return out
    fold_lines: list[str] = []
    b, a, fitted, after, held_all = scored(None, fold_lines)
    out = out[:1] + sorted(out[1:] + fold_lines, key=lambda line: int(line.split(":")[0].split()[-1]))
    out.append(f"  all held folds: F1 {b:.4f} -> {a:.4f} ({a - b:+.4f}); mean gain on the training folds "
               f"{fitted:+.4f}; gap {fitted - (a - b):+.4f}")
    held_snippets = [marks[i] for i in held_all]
    with_snippets = any(must or must_not for must, must_not in held_snippets)
    before = [pages[i][0].lines for i in held_all]
    if with_snippets:
        (l0, m0), (l1, m1) = _snippet_figures(before, held_snippets), _snippet_figures(after, held_snippets)
        out.append(f"  all held folds: leaky pages {l0} -> {l1} of {len(before)}; "
                   f"must-have snippets {100 * m0:.2f}% -> {100 * m1:.2f}%")
        at = leak_positions([(pages[i][0], pages[i][1], marks[i][1]) for i in held_all])
        out.append(f"  kept must-not snippets (scorer off): {at['tail']} at the tail, {at['head']} at the head, "
                   f"{at['middle']} behind article text; leaky pages all at an end {at['edge_pages']} of {at['pages']}")
    for threshold in thresholds:
        b, a, fitted, after, _ = scored(threshold, None)
        line = f"  threshold {threshold:.2f}: held F1 {b:.4f} -> {a:.4f} ({a - b:+.4f}), gap {fitted - (a - b):+.4f}"
        if with_snippets:
            (l0, m0), (l1, m1) = _snippet_figures(before, held_snippets), _snippet_figures(after, held_snippets)
            line += f"; leaky pages {l0} -> {l1}; must-have {100 * m0:.2f}% -> {100 * m1:.2f}%"
        out.append(line)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    import json

    from newsclean.cleaners.bench import load_dataset, site_half

    ap = argparse.ArgumentParser(prog="python -m newsclean.cleaners.learned.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset", type=Path, nargs="+")
    ap.add_argument("--half", choices=("dev", "all"), default="dev",
                    help="sites to train on (default dev: the check half stays held out)")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--trees", type=int, default=TREES)
    ap.add_argument("--depth", type=int, default=DEPTH)
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    ap.add_argument("--prose-threshold", type=float, default=PROSE_THRESHOLD)
    ap.add_argument("--scope", choices=("tail", "edges", "any"), default=SCOPE)
    args = ap.parse_args(argv)
    pages = []
    for dataset in args.dataset:
        docs = [d for d in load_dataset(dataset) if args.half == "all" or site_half(d.site) == args.half]
        if any(d.metric != "shingle" for d in docs):  # labels come from a full text: snippets give none
            raise SystemExit(f"newsclean.cleaners.learned.train: {dataset} is scored by snippets, "
                             "not a full text: the scorer learns lines from a full-text truth")
        pages += [(page_rows(d.html, d.url), d.truth) for d in docs]
        print(f"{dataset}: {len(docs)} pages", file=sys.stderr)
    try:
        model = fit(pages, trees=args.trees, depth=args.depth, threshold=args.threshold, scope=args.scope,
                    prose_threshold=args.prose_threshold,
                    meta={"datasets": sorted(p.name for p in args.dataset), "half": args.half})
    except ValueError as exc:
        raise SystemExit(f"newsclean.cleaners.learned.train: {exc}") from None
    args.out.write_text(json.dumps(model.to_dict(), separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {args.out}: {len(FEATURES)} features, {model.feature.shape[0]} trees, "
          f"{model.meta['lines']} lines ({model.meta['boilerplate_lines']} boilerplate)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
