"""The learned line scorer: its model file (version checked, one clear error), its mechanics
(head/tail runs only, never every line, deterministic) and the shipped model on a page of our own."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsclean.cleaners import linescore
from newsclean.cleaners.core import CleanOptions, clean_html
from newsclean.cleaners.linescore import FEATURES, MODEL_VERSION, LineModel, ModelError, features, load_model
from newsclean.cleaners.train import labels

FIXTURES = Path(__file__).parent / "fixtures" / "cleaners"

BODY = [
    "The wooden pier of Saltwick, battered by three storms in January, will be rebuilt by the end of the summer, "
    "the town council decided on Tuesday evening after a debate that lasted almost four hours.",
    "Engineers who inspected the structure in February found that more than half of the oak piles had split below "
    "the waterline. Repairing them one by one would have cost nearly as much as replacing the whole deck.",
    "The new pier will rest on steel piles wrapped in timber, a method the council chose because it keeps the look "
    "that visitors photograph while lasting about twice as long as oak alone in the cold water of the bay.",
    "Fishermen who moor their boats along the pier asked for a lower landing stage at the seaward end. The council "
    "agreed to add one, paid for by the harbour fund rather than by the town budget.",
    "Work starts in April. The pier stays open to walkers on weekends.",   # a short real last paragraph
]
TAILS = {
    "newsletter": ["Get the Coastline Weekly newsletter every Friday", "Sign Up Now"],
    "related": ["More From Towns", "Ferry Timetable Changes For The Spring", "New Lifeboat Station Opens In Eastholm"],
    "prev_next": ["« Previous: Lighthouse Keeper Retires After 40 Years", "Next: Storm Damage Costs Counted »"],
    "bio": ["Mara Lindqvist | Staff Writer", "Mara covers the coast towns for Coastline Weekly. Follow her @maralind"],
}


def _stump(feature: str, threshold: float, below: float, above: float, *, drop: float = 0.5,
           scope: str = "edges") -> LineModel:
    """A one-split model: log-odds ``below`` where the feature is <= threshold, else ``above``."""
    tree = {"feature": [FEATURES.index(feature), -1, -1], "threshold": [threshold, 0.0, 0.0],
            "left": [1, 1, 2], "right": [2, 1, 2], "value": [0.0, below, above]}
    return LineModel.from_dict({"trees": [tree], "depth": 1, "base": 0.0, "threshold_drop": drop, "scope": scope})


# -- the model file ------------------------------------------------------------------------------
def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), "utf-8")
    return path


def test_missing_model_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"line model .*none\.json is missing; rebuild it with: python -m newsclean"):
        load_model(tmp_path / "none.json")


def test_model_file_of_another_version_is_refused(tmp_path: Path) -> None:
    data = linescore.shipped_model().to_dict()
    data["version"] = MODEL_VERSION + 1
    with pytest.raises(ModelError, match=f"has version {MODEL_VERSION + 1}, this newsclean reads {MODEL_VERSION}"):
        load_model(_write(tmp_path / "m.json", data))
    with pytest.raises(ModelError, match="has version None"):
        load_model(_write(tmp_path / "m.json", ["not", "a", "model"]))
    (tmp_path / "cut.json").write_text('{"version": 1, "tre', "utf-8")
    with pytest.raises(ModelError, match="unreadable"):
        load_model(tmp_path / "cut.json")


def test_model_file_over_other_features_or_malformed_is_refused(tmp_path: Path) -> None:
    data = linescore.shipped_model().to_dict()
    with pytest.raises(ModelError, match="trained on other features"):
        load_model(_write(tmp_path / "m.json", {**data, "features": data["features"][:-1]}))
    with pytest.raises(ModelError, match="malformed"):
        load_model(_write(tmp_path / "m.json", {k: v for k, v in data.items() if k != "depth"}))


def test_switching_the_scorer_on_reads_the_model_at_start(tmp_path: Path, monkeypatch) -> None:
    """CleanOptions(score_lines=True) fails at once on a bad file: not page by page later."""
    monkeypatch.setattr(linescore, "MODEL_FILE", _write(tmp_path / "old.json", {"version": 0}))
    linescore.shipped_model.cache_clear()
    try:
        with pytest.raises(ModelError, match="has version 0"):
            CleanOptions(score_lines=True)
        CleanOptions()   # off (the default): the file is not read
    finally:
        linescore.shipped_model.cache_clear()


def test_shipped_model_round_trips() -> None:
    model = linescore.shipped_model()
    again = LineModel.from_dict(json.loads(json.dumps(model.to_dict())))
    x = features(BODY + TAILS["related"])
    assert np.array_equal(model.probabilities(x), again.probabilities(x))
    assert model.meta["half"] == "dev"   # the check half of the sites stays held out


# -- mechanics -----------------------------------------------------------------------------------
def test_edges_scope_drops_head_and_tail_runs_never_the_middle() -> None:
    short_line = _stump("log_chars", np.log1p(60), 5.0, -5.0)   # "every short line is boilerplate"
    lines = ["Menu", BODY[0], "A short middle line", BODY[1], "Share", "Related"]
    kept, removed = short_line.filter(lines)
    assert kept == [BODY[0], "A short middle line", BODY[1]]
    assert removed == len("Menu") + len("Share") + len("Related")
    anywhere = _stump("log_chars", np.log1p(60), 5.0, -5.0, scope="any")
    assert anywhere.filter(lines)[0] == [BODY[0], BODY[1]]


def test_edge_runs_scored_from_the_ends_equal_scoring_every_line() -> None:
    """The head and tail are scored a few lines at a time, walking inward: runs longer than one
    such step and pages of any length give what scoring every line gives."""
    short_line = _stump("log_chars", np.log1p(60), 5.0, -5.0)
    tail = [f"Teaser {i}" for i in range(9)]
    for lines in (tail[:3] + BODY + tail, BODY + tail[:5], BODY[:1] + tail[:1], tail[:2] + BODY[:1] + tail[:2] + BODY):
        p = short_line.probabilities(features(lines))
        n = len(lines)
        head = next(i for i in range(n) if p[i] <= 0.5)
        end = next(i for i in range(n) if p[n - 1 - i] <= 0.5)
        assert short_line.drop_mask(lines) == [i < head or i >= n - end for i in range(n)]


def test_never_drops_every_line() -> None:
    everything = _stump("log_chars", 100.0, 5.0, 5.0)
    assert everything.filter(["One line", "Two lines"]) == (["One line", "Two lines"], 0)
    assert everything.filter([]) == ([], 0)


def test_features_hold_for_any_page_shape() -> None:
    for lines in ([], [""], ["x"], ["短い", "これは日本語の文章です。"], BODY):
        x = features(lines)
        assert x.shape == (len(lines), len(FEATURES)) and np.isfinite(x).all()


def test_labels_follow_the_truth() -> None:
    truth = "\n".join(BODY)
    assert labels(BODY + TAILS["related"] + ["Pier"], truth) == [0] * len(BODY) + [1] * 3 + [0]


# -- the shipped model on a page of our own ------------------------------------------------------
@pytest.mark.parametrize("tail", sorted(TAILS))
def test_shipped_model_keeps_the_article_and_its_short_last_paragraph(tail: str) -> None:
    """Conservative: whatever it does with the tail, no paragraph of the article goes. (What it
    removes of these tails is measured, not promised: see docs on the learned line scorer.)"""
    kept, _ = linescore.shipped_model().filter(BODY + TAILS[tail])
    assert kept[:len(BODY)] == BODY


def test_clean_html_with_the_scorer_is_deterministic() -> None:
    html = (FIXTURES / "tail_leaks.html").read_text("utf-8")
    on = CleanOptions(score_lines=True)
    first = clean_html(html, "https://coastline.example/towns/pier", options=on)
    again = clean_html(html, "https://coastline.example/towns/pier", options=on)
    assert first.text == again.text and first.removed == again.removed
    assert first.text.endswith("Work starts in April. The pier stays open to walkers on weekends.")


def test_fit_exports_what_scikit_learn_predicts() -> None:
    from sklearn.ensemble import GradientBoostingClassifier

    from newsclean.cleaners.train import export, fit

    pages = [(BODY + tail, "\n".join(BODY)) for tail in TAILS.values()]
    x = np.vstack([features(lines) for lines, _ in pages])
    y = np.concatenate([labels(lines, truth) for lines, truth in pages])
    clf = GradientBoostingClassifier(n_estimators=10, max_depth=2, random_state=0).fit(x, y)
    model = export(clf, y.mean())
    assert np.allclose(model.probabilities(x), clf.predict_proba(x)[:, 1])
    assert fit(pages, trees=10, depth=2).to_dict() == fit(pages, trees=10, depth=2).to_dict()   # same data, same file
    p = model.probabilities(features(BODY + TAILS["prev_next"]))
    assert (p[-2:] > p[:len(BODY)].max()).all()    # fitted on its own pages, it tells them apart


def test_fold_report_fits_on_other_sites_and_prints_the_gap() -> None:
    from newsclean.cleaners.bench import site_fold
    from newsclean.cleaners.train import fold_report

    sites = [f"site{i}.example" for i in range(12)]
    assert {site_fold(s, 2) for s in sites} == {0, 1}
    tails = list(TAILS.values())
    pages = [(BODY + tails[i % len(tails)], "\n".join(BODY), site) for i, site in enumerate(sites)]
    out = fold_report(pages, 2, trees=5, depth=2)
    assert out[0].startswith("learned line scorer, 2 site-grouped folds")
    assert [line.split(":")[0].strip() for line in out[1:]] == ["fold 0", "fold 1", "all held folds"]
    assert "training folds F1" in out[1] and out[-1].split("gap ")[1].startswith(("+", "-"))
    # one site only: no fold has both training and held pages: nothing scored, nothing raised
    assert fold_report(pages[:1] * 3, 2) == out[:1]
    # training pages whose lines are all article text: that fold says why it is not scored
    clean = [(BODY, "\n".join(BODY), site) for site in sites]
    assert all("not scored (too little training data" in line for line in fold_report(clean, 2)[1:])
