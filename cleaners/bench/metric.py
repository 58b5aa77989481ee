"""The bench's measures: the Scrapinghub article-extraction benchmark's metric (4-token shingle
multisets, ported from its ``evaluate.py``, MIT licence: text tokenized as ``\\w+`` runs,
per-document precision and recall averaged, F1 from the two means), WCXB's must-have and
must-not snippets, and the boilerplate lines ``--boilerplate-report`` counts."""

from __future__ import annotations

import re
import statistics
from collections import Counter

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)

#: Boilerplate lines counted by ``--boilerplate-report`` (a whole line that starts like one).
BOILERPLATE_LINE = re.compile(
    r"(?im)^\s*(must read|also read|read more|related( articles| posts)?:?|e-?paper\S*|epaper_\S+|"
    r"sign up|subscribe|newsletter|advertisement|follow us|click here|share (this|on)|"
    r"all rights reserved|copyright\b|the post .* appeared first on).*$")


def shingles(text: str, n: int = 4) -> Counter:
    """The multiset of ``text``'s runs of ``n`` tokens (the scorer's, and the crawl bench's page match)."""
    tokens = _TOKEN_RE.findall(text or "")
    out = [tuple(tokens[i:i + n]) for i in range(0, max(1, len(tokens) - n + 1))]
    return Counter(s for s in out if s)


def string_shingle_matching(true: str, pred: str, ngram_n: int = 4) -> tuple[float, float, float]:
    """Normalized (tp, fp, fn) of two texts' 4-token shingle multisets."""
    t, p = shingles(true, ngram_n), shingles(pred, ngram_n)
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



def snippet_words(text: str) -> str:
    """``text`` as WCXB's snippets are found in it: its words, lowercased, one space apart."""
    return " ".join(_TOKEN_RE.findall((text or "").lower()))


def snippet_counts(text: str, must: tuple[str, ...], must_not: tuple[str, ...]) -> tuple[int, int, bool]:
    """Must-have snippets found, must-have snippets, and whether a must-not snippet appears (a
    leaky page), as WCXB counts them (``../shared/bench/wcxb_extra.py``: words, case and
    punctuation ignored)."""
    words = snippet_words(text)
    want = [w for w in map(snippet_words, must) if w]
    return sum(w in words for w in want), len(want), any(w in words for w in map(snippet_words, must_not) if w)



_SPACES = re.compile(r"\s+")


def _ws_norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def trafilatura_snippet_counts(text: str, with_: tuple[str, ...],
                               without: tuple[str, ...]) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page by trafilatura-eval's snippets, as its ``eval_common.py``
    counts them (``../shared/bench/score.py``'s ``snippet_counts``): a snippet is found when its
    whitespace-normalized text is a substring of the page's (case and punctuation count, unlike
    :func:`snippet_counts`'s WCXB way); a must-have found is tp, missed fn; a must-not found is fp,
    absent tn."""
    found = _ws_norm(text or "")
    tp = sum(_ws_norm(w) in found for w in with_)
    fp = sum(_ws_norm(w) in found for w in without)
    return tp, fp, len(with_) - tp, len(without) - fp


def snippet_prf(counts: list[tuple[int, int, int, int]]) -> dict[str, float]:
    """Precision, recall and F1 micro-averaged over every snippet of the pages (trafilatura's
    ``ConfusionMatrix.scores``, score.py's ``snippet_summary``), with the summed counts."""
    tp, fp, fn, tn = (sum(c[i] for c in counts) for i in range(4))
    return {"precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0,
            "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0, "tp": tp, "fp": fp, "fn": fn, "tn": tn}
