"""A learned line scorer: the probability that a line of the extracted body is boilerplate.

One general mechanism for what leaks at the edges of a body (calls to action, newsletter and
share prompts, previous/next links, related lists, author bios, disclosures): each line gets
features that hold on any site and in any language (its position, its length against the page's
other lines, how it ends, its share of capitalised words, digits and separators, its neighbours
and the run of short lines it sits in), and small gradient-boosted trees, trained on the dev sets
with site-grouped folds (:mod:`newsclean.cleaners.train`), turn them into a probability.

The trees ship as a small JSON file in the package (``line_model.json``) with a version field:
a missing file, or one of another version, is one :class:`ModelError` when the cleaners are
switched on, never a silent fallback. Inference is numpy over all trees at once, a few lines at a
time from the head and the tail inward (only the edge runs can be dropped): no randomness, the
same lines give the same result.
"""

from __future__ import annotations

import functools
import json
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: The model file format; a file of another version is refused (its features may differ).
MODEL_VERSION = 1
MODEL_FILE = Path(__file__).with_name("line_model.json")

#: The features, in the order the model reads them (the file names them; a mismatch is refused).
FEATURES = (
    "rel_pos", "from_start", "from_end", "lines", "log_chars", "words", "to_median", "char_pos",
    "chars_after", "end_sentence", "end_colon", "title_case", "upper", "digits", "separators",
    "link_marks", "non_word", "prev_chars", "next_chars", "short_run", "long_after", "long_before",
    "bullet",
)

_WORDS = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?。！？…\"'”’»)]\s*$")
_SEPARATORS = re.compile(r"[|»«·•→←›‹/]")
_LINK_MARKS = re.compile(r"https?://|www\.|@\w|#\w")
_BULLET = re.compile(r"^\W")
#: A line this long or longer counts as a paragraph of prose for the neighbourhood features.
LONG_CHARS = 150
SHORT_CHARS = 60


class ModelError(RuntimeError):
    """The line model file is missing, unreadable or of another version."""


def _log(n: float) -> float:
    return math.log1p(max(0.0, n))


class _Page:
    """What every line's features share: the page's lengths, its long prose lines, the runs of
    short lines. Cheap (a few passes over the lengths); a line's own features are computed only
    for the lines asked for (with scope "edges", the few at the head and the tail)."""

    def __init__(self, lines: Sequence[str]) -> None:
        n = len(lines)
        self.lines, self.n = lines, n
        self.lengths = lengths = [len(s) for s in lines]
        self.total = sum(lengths) or 1
        self.median = statistics.median(lengths) if lengths else 1
        long_ = [c >= LONG_CHARS and bool(_SENTENCE_END.search(s)) for s, c in zip(lines, lengths)]
        # each line's run of short lines (0 for a line that is not short)
        self.run = run = [0] * n
        i = 0
        while i < n:
            j = i
            while j < n and lengths[j] < SHORT_CHARS:
                j += 1
            for k in range(i, j):
                run[k] = j - i
            i = j + 1 if j == i else j
        # long prose lines before and after each line, characters before it
        self.long_before, self.long_after, self.chars_before = [0] * n, [0] * n, [0] * n
        before = chars = 0
        for k in range(n):
            self.long_before[k], self.chars_before[k] = before, chars
            before += long_[k]
            chars += lengths[k]
        for k in range(n):
            self.long_after[k] = before - self.long_before[k] - long_[k]

    def row(self, k: int) -> tuple[float, ...]:
        s, c, n = self.lines[k], self.lengths[k], self.n
        words = _WORDS.findall(s)
        alpha = [w for w in words if w[0].isalpha()]
        caps = sum(1 for w in alpha if w[0].isupper())
        upper = sum(1 for w in alpha if len(w) > 1 and w.isupper())
        digits = sum(ch.isdigit() for ch in s)
        word_chars = sum(len(w) for w in words)
        before = self.chars_before[k]
        return (
            k / (n - 1) if n > 1 else 0.0, min(k, 20), min(n - 1 - k, 20), _log(n), _log(c), _log(len(words)),
            math.log((c + 1) / (self.median + 1)), before / self.total, (self.total - before - c) / self.total,
            float(bool(_SENTENCE_END.search(s))), float(s.endswith(":")),
            caps / len(alpha) if alpha else 0.0, upper / len(alpha) if alpha else 0.0, digits / c if c else 0.0,
            len(_SEPARATORS.findall(s)), float(bool(_LINK_MARKS.search(s))), 1 - word_chars / c if c else 0.0,
            _log(self.lengths[k - 1]) if k else -1.0, _log(self.lengths[k + 1]) if k + 1 < n else -1.0,
            min(self.run[k], 20), min(self.long_after[k], 20), min(self.long_before[k], 20),
            float(bool(_BULLET.match(s))),
        )

    def rows(self, ks: Sequence[int]) -> np.ndarray:
        return np.array([self.row(k) for k in ks], dtype=np.float64).reshape(len(ks), len(FEATURES))


def features(lines: Sequence[str]) -> np.ndarray:
    """One row of :data:`FEATURES` per line (float64, shape ``(len(lines), len(FEATURES))``)."""
    return _Page(lines).rows(range(len(lines)))


#: Lines scored at a time while walking in from the head or the tail (scope "edges").
_EDGE_CHUNK = 4


@dataclass(frozen=True)
class LineModel:
    """Gradient-boosted regression trees over :data:`FEATURES` (log-odds of boilerplate), padded to
    one depth so that every tree is evaluated at once: node arrays of shape ``(trees, nodes)``.
    A leaf points to itself, so walking ``depth`` steps from the root ends on a leaf."""

    feature: np.ndarray     # int, -1 at a leaf
    threshold: np.ndarray   # go left when x <= threshold
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray       # a leaf's contribution (learning rate applied)
    depth: int
    base: float             # the initial log-odds
    threshold_drop: float   # a line is dropped above this probability ...
    scope: str              # ... where the scope allows: "edges" (head/tail runs) or "any"
    meta: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LineModel:
        trees = data["trees"]
        width = max(len(t["feature"]) for t in trees) if trees else 1
        arrays: dict[str, np.ndarray] = {}
        for key, fill, dtype in (("feature", -1, np.int64), ("threshold", 0.0, np.float64),
                                 ("left", 0, np.int64), ("right", 0, np.int64), ("value", 0.0, np.float64)):
            arr = np.full((len(trees), width), fill, dtype=dtype)
            for t, tree in enumerate(trees):
                arr[t, :len(tree[key])] = tree[key]
            arrays[key] = arr
        return cls(**arrays, depth=int(data["depth"]), base=float(data["base"]),
                   threshold_drop=float(data["threshold_drop"]), scope=str(data["scope"]),
                   meta=dict(data.get("meta") or {}))

    def to_dict(self) -> dict[str, Any]:
        trees = []
        for t in range(self.feature.shape[0]):
            trees.append({key: getattr(self, key)[t].tolist()
                          for key in ("feature", "threshold", "left", "right", "value")})
        return {"version": MODEL_VERSION, "features": list(FEATURES), "depth": self.depth, "base": self.base,
                "threshold_drop": self.threshold_drop, "scope": self.scope, "meta": self.meta, "trees": trees}

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """P(boilerplate) of each row of a feature matrix."""
        if x.shape[0] == 0:
            return np.zeros(0)
        trees = np.arange(self.feature.shape[0])[:, None]
        rows = np.arange(x.shape[0])[None, :]
        node = np.zeros((self.feature.shape[0], x.shape[0]), dtype=np.int64)
        for _ in range(self.depth):
            f = self.feature[trees, node]
            go_left = x[rows, np.maximum(f, 0)] <= self.threshold[trees, node]
            node = np.where(f < 0, node, np.where(go_left, self.left[trees, node], self.right[trees, node]))
        score = self.base + self.value[trees, node].sum(axis=0)
        return 1.0 / (1.0 + np.exp(-score))

    def drop_mask(self, lines: Sequence[str]) -> list[bool]:
        """Which lines to drop: over ``threshold_drop``; with scope "edges" only in the unbroken
        runs of such lines at the head and the tail (never a line in the middle of the article),
        and never every line."""
        if not lines:
            return []
        page = _Page(lines)
        if self.scope == "edges":
            over = self._edge_runs(page)
        else:
            over = [bool(p > self.threshold_drop) for p in self.probabilities(page.rows(range(len(lines))))]
        if all(over):
            return [False] * len(lines)
        return over

    def _edge_runs(self, page: _Page) -> list[bool]:
        """The head and tail runs of lines over the threshold, scoring a few lines at a time
        from each end inward (the same result as scoring every line, at a fraction of the cost)."""
        n = page.n
        over = [False] * n
        for order in (range(n), range(n - 1, -1, -1)):
            todo = list(order)
            while todo:
                chunk, todo = todo[:_EDGE_CHUNK], todo[_EDGE_CHUNK:]
                p = self.probabilities(page.rows(chunk))
                for k, pk in zip(chunk, p):
                    if pk <= self.threshold_drop:
                        todo = []
                        break
                    over[k] = True
                else:
                    continue
                break
        return over

    def filter(self, lines: list[str]) -> tuple[list[str], int]:
        """The kept lines and the characters dropped."""
        mask = self.drop_mask(lines)
        return [s for s, d in zip(lines, mask) if not d], sum(len(s) for s, d in zip(lines, mask) if d)


def load_model(path: Path) -> LineModel:
    """The model in ``path``; :class:`ModelError` (one line: what and how to rebuild) when it is
    missing, not a model file, of another version or over other features."""
    rebuild = "rebuild it with: python -m newsclean.cleaners.train"
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ModelError(f"line model {path} is missing; {rebuild}") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"line model {path} is unreadable ({type(exc).__name__}); {rebuild}") from None
    if not isinstance(data, dict) or data.get("version") != MODEL_VERSION:
        got = data.get("version") if isinstance(data, dict) else None
        raise ModelError(f"line model {path} has version {got!r}, this newsclean reads {MODEL_VERSION}; {rebuild}")
    if data.get("features") != list(FEATURES):
        raise ModelError(f"line model {path} was trained on other features; {rebuild}")
    try:
        return LineModel.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"line model {path} is malformed ({type(exc).__name__}: {exc}); {rebuild}") from None


@functools.cache
def shipped_model() -> LineModel:
    """The package's model (:data:`MODEL_FILE`), read once per process."""
    return load_model(MODEL_FILE)
