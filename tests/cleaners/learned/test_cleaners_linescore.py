"""The learned line scorer: its model file (version checked, one clear error), its mechanics
(head/tail runs only, blocks not lines, never every line, deterministic), the markup features of
a page of our own (a newsletter pitch and an author's bio inside the article's container) and
the shipped model on pages of our own."""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from newsclean.cleaners.learned import linescore, train
from newsclean.cleaners.core import CleanOptions, clean_html
from newsclean.cleaners.reading.parsing import parse
from newsclean.cleaners.learned.linescore import (FEATURES, MARKUP_FEATURES, MODEL_VERSION, LineModel, ModelError, PageFeatures,
                                          features, load_model, page_features)
from newsclean.cleaners.learned.train import labels

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "cleaners"

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
           scope: str = "edges", prose: float = 0.0) -> LineModel:
    """A one-split model: log-odds ``below`` where the feature is <= threshold, else ``above``."""
    tree = {"feature": [FEATURES.index(feature), -1, -1], "threshold": [threshold, 0.0, 0.0],
            "left": [1, 1, 2], "right": [2, 1, 2], "value": [0.0, below, above]}
    return LineModel.from_dict({"trees": [tree], "depth": 1, "base": 0.0, "threshold_drop": drop, "scope": scope,
                                "prose_threshold": prose})


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
    (tmp_path / "cut.json").write_text('{"version": 2, "tre', "utf-8")
    with pytest.raises(ModelError, match="unreadable"):
        load_model(tmp_path / "cut.json")


def test_model_file_over_other_features_or_malformed_is_refused(tmp_path: Path) -> None:
    data = linescore.shipped_model().to_dict()
    with pytest.raises(ModelError, match="trained on other features"):
        load_model(_write(tmp_path / "m.json", {**data, "features": data["features"][:-1]}))
    with pytest.raises(ModelError, match="malformed"):
        load_model(_write(tmp_path / "m.json", {k: v for k, v in data.items() if k != "depth"}))


def test_the_scorer_on_raises_a_bad_model_file_not_a_reject_a_page(tmp_path: Path, monkeypatch) -> None:
    """With the scorer on a bad file raises at the first page, not as a reject of each page; the
    options read nothing when built (the default's were built at import: tests/commands/test_cli_errors.py)."""
    monkeypatch.setattr(linescore, "MODEL_FILE", _write(tmp_path / "old.json", {"version": 0}))
    linescore.shipped_model.cache_clear()
    page = "<html><body><article><p>" + "The harbour board met on Monday. " * 20 + "</p></article></body></html>"
    try:
        for options in (CleanOptions(score_lines=True), CleanOptions()):   # on by default
            with pytest.raises(ModelError, match="has version 0"):
                clean_html(page, "https://news.example/a", options=options)
        off = clean_html(page, "https://news.example/a", options=CleanOptions(score_lines=False))
        assert "harbour board" in off.text   # off: the file is not read
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


def test_tail_scope_drops_the_tail_run_only() -> None:
    short_line = _stump("log_chars", np.log1p(60), 5.0, -5.0, scope="tail")
    lines = ["Menu", BODY[0], "A short middle line", BODY[1], "Share", "Related"]
    assert short_line.filter(lines) == (lines[:4], len("Share") + len("Related"))
    assert short_line.filter(lines[:4]) == (lines[:4], 0)   # nothing at the tail: nothing goes


def test_a_block_of_prose_goes_only_over_the_prose_threshold() -> None:
    """A block holding a paragraph of prose (200 characters or more, ending like a sentence: the
    article's last paragraph is one, a pitch rarely) needs the stronger evidence to go."""
    assert len(BODY[2]) >= 200 and len(BODY[0]) < 200
    late = _stump("rel_pos", 0.3, -5.0, 1.0, drop=0.6, scope="tail")   # P = .73 past the first third
    lines = [BODY[0], BODY[1], BODY[2], "Sign up now", "Share"]
    assert late.filter(lines)[0] == lines[:2]                            # no prose threshold: over .6
    guarded = dataclasses.replace(late, prose_threshold=0.8)
    assert guarded.filter(lines)[0] == lines[:3]                         # the walk stops at the prose
    assert LineModel.from_dict(guarded.to_dict()).filter(lines)[0] == lines[:3]   # the file keeps it
    assert dataclasses.replace(late, prose_threshold=0.7).filter(lines)[0] == lines[:2]
    # a short last paragraph is no paragraph of prose: it goes with the pitch
    assert guarded.filter([BODY[0], BODY[1], BODY[4], "Sign up now", "Share"])[0] == [BODY[0], BODY[1]]


def test_edge_runs_are_the_head_and_tail_runs_over_the_threshold() -> None:
    """Lines read without a tree are blocks of one line each: the head and tail runs over the
    threshold go, whatever the page's length."""
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


def test_never_drops_most_of_the_characters() -> None:
    """A tail run holding more than half of the body's characters is not dropped (a page unlike
    any the trees were fitted on), by the eager mask and the lazy tail walk alike; a run of less
    is."""
    late = _stump("rel_pos", 0.3, -5.0, 5.0, scope="tail")   # everything past the first third goes
    most = [BODY[0], BODY[1], BODY[2], BODY[3]]               # the last three: over half of it
    assert sum(map(len, most[1:])) > sum(map(len, most)) / 2
    assert late.filter(most) == (most, 0)
    assert late.tail_mask(linescore._Page(most, None)) == [False] * 4
    last = _stump("rel_pos", 0.7, -5.0, 5.0, scope="tail")   # the last third goes
    less = BODY[:4] + ["Sign up now", "Share"]
    assert last.filter(less) == (BODY[:4], len("Sign up now") + len("Share"))   # under half: it goes
    assert last.tail_mask(linescore._Page(less, None)) == [False] * 4 + [True] * 2


def test_features_hold_for_any_page_shape() -> None:
    for lines in ([], [""], ["x"], ["短い", "これは日本語の文章です。"], BODY):
        x = features(lines)
        assert x.shape == (len(lines), len(FEATURES)) and np.isfinite(x).all()


def test_labels_follow_the_truth() -> None:
    truth = "\n".join(BODY)
    assert labels(BODY + TAILS["related"] + ["Pier"], truth) == [0] * len(BODY) + [1] * 3 + [0]


# -- the shipped model on a page of our own ------------------------------------------------------
def _long_read(paragraphs: int) -> list[str]:
    """``paragraphs`` distinct paragraphs of prose, two sentences each (a long read, a transcript)."""
    who = ["The mayor", "Residents of the north side", "The council's finance chair", "A county spokeswoman",
           "Teachers at the high school", "The state auditor", "Local shop owners", "Several neighbours"]
    said = ["said on Tuesday that", "argued at the meeting that", "told reporters that", "wrote in a letter that",
            "warned last week that", "pointed out that"]
    what = ["the bridge repairs would cost more than expected", "the library should stay open on Sundays",
            "the tax increase was needed to fix the roads", "the plan had not been shared with the public",
            "water rates would rise by four percent next year", "the park could be finished before the summer"]
    sentences = [f"{a} {b} {c}" for a, b, c in itertools.product(who, said, what)]
    return [f"{sentences[k % len(sentences)]}, paragraph {k + 1} of the hearing's record. "
            f"{sentences[(7 * k + 3) % len(sentences)]}." for k in range(paragraphs)]


@pytest.mark.parametrize("paragraphs", [40, 600])
def test_the_shipped_model_keeps_every_paragraph_of_a_long_read(paragraphs: int) -> None:
    """A body of 600 paragraphs (more lines than any page the trees were fitted on) lost 80% of
    its text to the scorer before MOST_DROPPED; it keeps every one, as a body of 40 does."""
    body = _long_read(paragraphs)
    html = ("<html><head><title>The hearing's record</title></head><body><article><h1>The hearing's record</h1>"
            + "".join(f"<p>{p}</p>" for p in body) + "</article></body></html>")
    result = clean_html(html, "https://www.example.com/news/hearing-record")
    assert result.text.split("\n")[-paragraphs:] == body
    assert "line_scorer" not in result.removed


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

    from newsclean.cleaners.learned.train import export, fit

    pages = [(page_features(BODY + tail), "\n".join(BODY)) for tail in TAILS.values()]
    x = np.vstack([page.x for page, _ in pages])
    y = np.concatenate([labels(page.lines, truth) for page, truth in pages])
    clf = GradientBoostingClassifier(n_estimators=10, max_depth=2, random_state=0).fit(x, y)
    model = export(clf, y.mean())
    assert np.allclose(model.probabilities(x), clf.predict_proba(x)[:, 1])
    assert fit(pages, trees=10, depth=2).to_dict() == fit(pages, trees=10, depth=2).to_dict()   # same data, same file
    p = model.probabilities(features(BODY + TAILS["prev_next"]))
    assert (p[-2:] > p[:len(BODY)].max()).all()    # fitted on its own pages, it tells them apart


def test_fold_report_fits_on_other_sites_and_prints_the_gap() -> None:
    from newsclean.cleaners.bench import site_fold
    from newsclean.cleaners.learned.train import THRESHOLD, fold_report

    sites = [f"site{i}.example" for i in range(12)]
    assert {site_fold(s, 2) for s in sites} == {0, 1}
    tails = list(TAILS.values())
    pages = [(page_features(BODY + tails[i % len(tails)]), "\n".join(BODY), site) for i, site in enumerate(sites)]
    out = fold_report(pages, 2, trees=5, depth=2)
    assert out[0].startswith("learned line scorer, 2 site-grouped folds")
    assert [line.split(":")[0].strip() for line in out[1:]] == ["fold 0", "fold 1", "all held folds"]
    assert "training folds F1" in out[1] and out[-1].split("gap ")[1].startswith(("+", "-"))
    # with each page's snippets (WCXB's must-have and must-not), the held folds' leaky pages too
    marks = [(("oak piles had split",), (tail[0],)) for tail in (tails[i % len(tails)] for i in range(len(sites)))]
    with_snippets = fold_report(pages, 2, snippets=marks, trees=5, depth=2)
    assert with_snippets[:-2] == out
    assert with_snippets[-2].startswith(f"  all held folds: leaky pages {len(sites)} -> ")
    assert f"of {len(sites)}; must-have snippets 100.00% -> 100.00%" in with_snippets[-2]
    # where the kept must-not snippets sit: every one in the tail run after the article
    assert with_snippets[-1] == (f"  kept must-not snippets (scorer off): {len(sites)} at the tail, 0 at the head, "
                                 f"0 behind article text; leaky pages all at an end {len(sites)} of {len(sites)}")
    # the trade-off curve: the same fold models with other drop thresholds, one line each; at
    # the models' own threshold the figures above, at 1.0 nothing dropped
    curve = fold_report(pages, 2, snippets=marks, thresholds=(THRESHOLD, 1.0), trees=5, depth=2)
    assert curve[:-2] == with_snippets
    leaky_after = with_snippets[-2].split(" -> ")[1].split(" of")[0]
    held_f1 = out[-1].split("F1 ")[1].split(" (")[0]   # "off -> on"
    assert curve[-2].startswith(f"  threshold {THRESHOLD:.2f}: held F1 {held_f1} (")
    assert f"; leaky pages {len(sites)} -> {leaky_after}; must-have 100.00% -> 100.00%" in curve[-2]
    assert curve[-1].startswith("  threshold 1.00: held F1 ") and "(+0.0000), gap " in curve[-1]
    assert curve[-1].endswith(f"; leaky pages {len(sites)} -> {len(sites)}; must-have 100.00% -> 100.00%")
    # one site only: no fold has both training and held pages: nothing scored, nothing raised
    assert fold_report(pages[:1] * 3, 2) == out[:1]
    # training pages whose lines are all article text: that fold says why it is not scored
    clean = [(page_features(BODY), "\n".join(BODY), site) for site in sites]
    assert all("not scored (too little training data" in line for line in fold_report(clean, 2)[1:])


def test_bench_folds_fit_the_fold_models_with_the_shipped_models_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    # bench --folds's "all held folds" lines are the scorer the cleaner runs: the fold models drop
    # at the model file's thresholds, not at train.THRESHOLD as imported (the curve's lines name theirs)
    from newsclean.cleaners.bench import scoring
    from newsclean.cleaners.bench.datasets import Doc

    assert train.shipped_fit_args() == {"threshold": linescore.shipped_model().threshold_drop,
                                        "prose_threshold": linescore.shipped_model().prose_threshold,
                                        "scope": linescore.shipped_model().scope}
    tails = list(TAILS.values())
    bodies = {f"<p>page {i}</p>": BODY + tails[i % len(tails)] for i in range(12)}
    monkeypatch.setattr(train, "page_rows", lambda html, url: page_features(bodies[html]))
    rows = [scoring.Scored(Doc(str(i), html, None, "\n".join(BODY), site=f"site{i}.example",
                               must=("oak piles had split",), must_not=(bodies[html][-1],)), (0, 0, 0), 0.0, [])
            for i, html in enumerate(bodies)]
    # a shipped model that drops nothing (no block's mean probability is over 1.0)
    never = dataclasses.replace(linescore.shipped_model(), threshold_drop=1.0, prose_threshold=1.0)
    monkeypatch.setattr(linescore, "shipped_model", lambda: never)
    out = scoring.learned_folds(rows, 2)
    assert out[0].endswith("drop threshold 1.00):")
    held = [line for line in out if line.startswith("  all held folds: ")]
    assert "(+0.0000)" in held[0] and held[1].startswith("  all held folds: leaky pages 12 -> 12 of 12")
    # the curve's lines, at their own thresholds, drop the tails these models were fitted to find
    assert any(line.startswith(f"  threshold {train.THRESHOLD:.2f}: ") and "leaky pages 12 -> 0" in line for line in out)


def test_leak_positions_tell_the_ends_from_the_middle() -> None:
    """A kept must-not snippet is at the tail (or the head) when no article line of another block
    lies between it and that end, else behind article text: what an edge scorer cannot reach."""
    from newsclean.cleaners.learned.train import leak_positions

    truth = "\n".join(BODY)
    lines = ["Stay connected with me!", *BODY[:2], "Sign up for the weekly letter", *BODY[2:], *TAILS["bio"]]
    leaky = (page_features(lines), truth, ("Stay connected", "the WEEKLY letter", "Mara covers the coast", "absent"))
    at_tail = (page_features(BODY + TAILS["newsletter"]), truth, ("sign up now",))
    clean = (page_features(BODY), truth, ("sign up now",))
    assert leak_positions([leaky]) == {"tail": 1, "head": 1, "middle": 1, "pages": 1, "edge_pages": 0}
    assert leak_positions([leaky, at_tail, clean]) == {"tail": 2, "head": 1, "middle": 1, "pages": 2, "edge_pages": 1}
    # a snippet in the article's own block (the last paragraph's wrapper) is at the tail all the same
    one_block = PageFeatures(BODY + ["Sign Up Now"], features(BODY + ["Sign Up Now"]), [0, 1, 2, 3, 4, 4])
    assert leak_positions([(one_block, truth, ("sign up now",))])["tail"] == 1


# -- markup: a page of our own with a pitch and a bio inside the article's container -------------
PITCH_URL = "https://fieldnotes.example/p/river-survey"


def _pitch_page() -> tuple[list[str], object]:
    """The body the cleaner gives the page with the scorer off, and the tree it was read from."""
    html = (FIXTURES / "pitch_inside_body.html").read_text("utf-8")
    with linescore.recording() as seen:
        res = clean_html(html, PITCH_URL, options=CleanOptions(score_lines=False))
    assert res.text == "\n".join(seen[-1].lines)   # the recorded body is the one returned
    return seen[-1].lines, parse(html)


def _markup(x: np.ndarray, name: str) -> np.ndarray:
    return x[:, FEATURES.index(name)]


def test_markup_features_place_the_pitch_and_the_bio_inside_the_container() -> None:
    lines, tree = _pitch_page()
    page = page_features(lines, tree)
    pitch = [i for i, s in enumerate(lines) if s in ("The Fieldnotes Letter",) or s.startswith("Thanks for reading")]
    bio = [i for i, s in enumerate(lines) if s.startswith("Ines Harrow")]
    assert len(pitch) == 2 and len(bio) == 1
    article = [i for i in range(len(lines)) if i not in pitch + bio]
    x = page.x
    assert (_markup(x, "placed") == 1).all() and (_markup(x, "in_box") == 1).all()
    # the article's paragraphs are of one kind (a <p> in the body's <div>), the pitch and the bio not
    assert (_markup(x, "same_kind")[article] == 1).all() and (_markup(x, "same_kind")[pitch + bio] == 0).all()
    assert (_markup(x, "branch_share")[pitch + bio] < 0.2).all() and (_markup(x, "branch_share")[article] > 0.7).all()
    assert _markup(x, "tag_heading")[pitch[0]] == 1 and _markup(x, "heading_short_after")[pitch[0]] == 0
    # the pitch's heading and its paragraph are one block (one wrapper under the container)
    assert page.groups[pitch[0]] == page.groups[pitch[1]] and len(set(page.groups)) == len(lines) - 1
    assert _markup(x, "block_last")[bio[0]] == 1 and _markup(x, "block_lines")[pitch[0]] == 2
    # read without the tree: nothing placed, each line a block of its own
    bare = page_features(lines)
    assert (_markup(bare.x, "placed") == 0).all() and bare.groups == list(range(len(lines)))
    text = len(linescore.TEXT_FEATURES)
    assert np.array_equal(bare.x[:, :text], x[:, :text])


def test_class_cues_are_generic_tokens_of_the_markup() -> None:
    html = ("<html><body><div class='post'><p>" + BODY[0] + "</p><p>" + BODY[1] + "</p>"
            "<div class='c-newsletterSignup'><p>Get the weekly letter</p></div>"
            "<div id='about-the-author'><p>Mara writes about the coast.</p></div>"
            "<div class='adaptive-layout'><p>" + BODY[2] + "</p></div></div></body></html>")
    lines = [BODY[0], BODY[1], "Get the weekly letter", "Mara writes about the coast.", BODY[2]]
    x = page_features(lines, parse(html)).x
    assert _markup(x, "cls_promo").tolist() == [0, 0, 1, 0, 0]    # camelCase split, a cue inside a token
    assert _markup(x, "cls_author").tolist() == [0, 0, 0, 1, 0]   # id attributes too
    assert _markup(x, "cls_ad").tolist() == [0] * 5                 # "adaptive" is no "ad"


def test_a_block_scorer_drops_the_pitch_and_the_bio_whole_when_on(monkeypatch) -> None:
    """Blocks, not lines: a model that flags lines of a kind few of the body's lines share drops
    the pitch (a heading and a paragraph in one wrapper, mid-body) and the bio; with scope
    "edges" only the bio at the tail; the article's paragraphs stay."""
    lines, tree = _pitch_page()
    rare = _stump("branch_share", 0.3, 5.0, -5.0, scope="any")
    kept, removed = rare.filter(lines, tree)
    assert [s for s in lines if s not in kept] == [lines[2], lines[3], lines[-1]]
    assert removed == len(lines[2]) + len(lines[3]) + len(lines[-1])
    edges = _stump("branch_share", 0.3, 5.0, -5.0)
    assert edges.filter(lines, tree)[0] == lines[:-1]
    # switched on in clean_html, the same model does the same (the markup read from the cleaner's tree)
    monkeypatch.setattr(linescore, "shipped_model", lambda: rare)
    html = (FIXTURES / "pitch_inside_body.html").read_text("utf-8")
    on = clean_html(html, PITCH_URL, options=CleanOptions(score_lines=True))
    assert on.text == "\n".join(kept) and on.removed["line_scorer"] == removed
    assert clean_html(html, PITCH_URL, options=CleanOptions(score_lines=True)).text == on.text   # deterministic


def test_a_block_goes_by_its_lines_mean_not_by_one_line() -> None:
    """A block's lines are dropped together when their mean probability (by characters) is over
    the threshold: one flagged short line in a block of prose does not take the block."""
    html = ("<html><body><div class='post'><p>" + BODY[0] + "</p><p>" + BODY[1] + "</p>"
            "<section class='x'><h3>Note</h3><p>" + BODY[2] + "</p></section></div></body></html>")
    lines = [BODY[0], BODY[1], "Note", BODY[2]]
    short_line = _stump("log_chars", np.log1p(60), 5.0, -5.0, scope="any")
    page = page_features(lines, parse(html))
    assert page.groups == [0, 1, 2, 2]
    assert short_line.mask(page) == [False] * 4
    assert short_line.drop_mask(lines) == [False, False, True, False]   # without the tree: lines


# -- a pitch and a bio after the article's last paragraph, plain <p>s in its container ------------
TIDE_URL = "https://tidewater.example/notes/eelgrass-count"
LAST_PARAGRAPH = "The next count is in September."


def _tide_page(with_pitch: bool) -> str:
    html = (FIXTURES / "tail_pitch_bio.html").read_text("utf-8")
    if not with_pitch:
        html = html.split("<!-- pitch -->")[0] + html.split("<!-- /pitch -->")[1]
    return html


def test_a_tail_scorer_drops_the_pitch_and_the_bio_and_stops_at_the_short_last_paragraph(monkeypatch) -> None:
    """The shipped settings (scope "tail", a block of prose needs more) on a page of our own: a
    model that gives the body's last three lines P = .73 drops the heading, the pitch and the bio
    that follow the article, and the walk stops at the article's short last paragraph. On the page
    without them it takes that paragraph (flagged alike) but stops at the prose above it."""
    shipped = linescore.shipped_model()
    # the model file carries the settings train.py fits with; the stump's P = .73 drops a short
    # line (over the threshold) but not a block of prose (under its threshold)
    assert (shipped.scope, shipped.threshold_drop, shipped.prose_threshold) == (train.SCOPE, train.THRESHOLD,
                                                                               train.PROSE_THRESHOLD)
    assert shipped.scope == "tail" and shipped.threshold_drop < 0.73 < shipped.prose_threshold
    last_three = dataclasses.replace(_stump("from_end", 2.0, 1.0, -5.0), scope=shipped.scope,
                                     threshold_drop=shipped.threshold_drop, prose_threshold=shipped.prose_threshold)
    monkeypatch.setattr(linescore, "shipped_model", lambda: last_three)
    off = clean_html(_tide_page(True), TIDE_URL, options=CleanOptions(score_lines=False))
    on = clean_html(_tide_page(True), TIDE_URL, options=CleanOptions(score_lines=True))
    lines = off.text.split("\n")
    assert lines[-3:] == ["Enjoyed this field note?", lines[-2], lines[-1]] and lines[-1].startswith("Jonas Ebbe is")
    assert on.text.split("\n") == lines[:-3] and on.text.endswith(LAST_PARAGRAPH)
    assert on.removed["line_scorer"] == sum(map(len, lines[-3:]))
    short = clean_html(_tide_page(False), TIDE_URL, options=CleanOptions(score_lines=True))
    assert short.text.split("\n") == lines[:4] and len(lines[3]) >= 200


@pytest.mark.parametrize("with_pitch", [True, False])
def test_the_shipped_model_keeps_the_articles_short_last_paragraph(with_pitch: bool) -> None:
    """Switched on, the shipped model takes no line of the article, its short last paragraph
    included, with or without the pitch and the bio after it. (It leaves the pitch and the bio,
    plain <p>s of the body's own kind: see docs/quality.md on what it does not reach.)"""
    off = clean_html(_tide_page(with_pitch), TIDE_URL, options=CleanOptions(score_lines=False))
    on = clean_html(_tide_page(with_pitch), TIDE_URL, options=CleanOptions(score_lines=True))
    article = off.text.split(LAST_PARAGRAPH)[0] + LAST_PARAGRAPH
    assert on.text.startswith(article)


# -- structural evidence (model version 4): a newsletter pitch after an <hr> ---------------------
LEDGER_URL = "https://harbourledger.example/islands/last-ferry"
FERRY_LAST = "The ferry's last crossing leaves the island at 4 pm on October 25."


def _ledger() -> tuple[str, PageFeatures]:
    """Our page whose article ends with a short paragraph, an <hr> and a pitch for the site's
    letter with a sign-up link and a social profile's; the body the cleaner gives it (scorer off)
    with its features."""
    html = (FIXTURES / "structural_tail.html").read_text("utf-8")
    with linescore.recording() as seen:
        res = clean_html(html, LEDGER_URL, options=CleanOptions(score_lines=False))
    assert res.text == "\n".join(seen[-1].lines)
    return html, seen[-1]


def _evidence(page: PageFeatures, name: str) -> list[float]:
    return page.x[:, FEATURES.index(name)].tolist()


def test_structural_evidence_of_a_pitch_after_a_rule() -> None:
    _, page = _ledger()
    assert page.lines[-2] == FERRY_LAST and page.lines[-1].startswith("Like reading the Harbour Ledger?")
    n = len(page.lines)
    pitch = [0.0] * (n - 1) + [1.0]
    assert _evidence(page, "break_before") == pitch                        # the <hr> right before it
    assert _evidence(page, "breaks_after") == [1.0] * (n - 1) + [0.0]      # the article's lines come before a rule
    assert _evidence(page, "breaks_before") == pitch
    assert _evidence(page, "href_signup") == pitch                         # /newsletter/signup
    assert _evidence(page, "href_social") == pitch                         # instagram.com
    assert _evidence(page, "href_external") == [0.0] * (n - 1) + [0.5]     # one of its two links leaves the site
    assert _evidence(page, "names_site") == pitch                          # "Harbour Ledger" of harbourledger.example
    assert set(_evidence(page, "repeated")) == {0.0} and set(_evidence(page, "italic")) == {0.0}
    # read without the tree: nothing placed, only what the text and the metadata say
    bare = page_features(page.lines, None, "harbourledger.example")
    assert _evidence(bare, "break_before") == [0.0] * n and _evidence(bare, "names_site") == pitch
    assert _evidence(bare, "since_heading") == [-1.0] * n


def test_a_line_naming_the_pages_author() -> None:
    lines = [BODY[0], BODY[1], "Mara Lindqvist covers the coast towns.", "Follow Lindqvist on the harbour blog"]
    page = page_features(lines, None, "coastline.example", ["Mara Lindqvist"])
    assert _evidence(page, "names_author") == [0.0, 0.0, 1.0, 1.0]
    assert _evidence(page, "starts_author") == [0.0, 0.0, 1.0, 0.0]
    assert _evidence(page_features(lines), "names_author") == [0.0] * 4   # no authors known: no evidence


def test_a_line_the_page_shows_elsewhere_is_counted_once_per_place() -> None:
    html = ("<html><body><div class='post'><ul><li><p>" + BODY[0] + "</p></li></ul><p>" + BODY[1] + "</p>"
            "<p>Get the weekly letter every Friday</p></div>"
            "<aside><p>Get the weekly letter every Friday</p></aside></body></html>")
    lines = ["- " + BODY[0], BODY[1], "Get the weekly letter every Friday"]
    page = page_features(lines, parse(html))
    # a list item's paragraph opens alike, nested: one place; the pitch is shown in the aside too
    assert _evidence(page, "repeated") == [0.0, 0.0, 1.0]
    assert _evidence(page, "aside_any") == [0.0, 0.0, 0.0]   # the body's copy is placed, not the aside's


def test_a_tail_model_over_the_evidence_drops_the_pitch_and_keeps_the_last_paragraph(monkeypatch) -> None:
    """Switched on in clean_html, a model reading the evidence (here: a rule right before the
    line) takes the pitch after the <hr> and stops at the article's short last paragraph."""
    html, page = _ledger()
    after_rule = dataclasses.replace(_stump("break_before", 0.5, -5.0, 5.0), scope=train.SCOPE,
                                     threshold_drop=train.THRESHOLD, prose_threshold=train.PROSE_THRESHOLD)
    monkeypatch.setattr(linescore, "shipped_model", lambda: after_rule)
    on = clean_html(html, LEDGER_URL, options=CleanOptions(score_lines=True))
    assert on.text.split("\n") == page.lines[:-1] and on.text.endswith(FERRY_LAST)
    assert on.removed["line_scorer"] == len(page.lines[-1])


def test_a_model_file_of_the_features_before_the_evidence_is_refused(tmp_path: Path) -> None:
    """A version 3 file (text and markup features only) gives one clear error naming both versions."""
    data = linescore.shipped_model().to_dict()
    old = {**data, "version": 3, "features": list(linescore.TEXT_FEATURES + MARKUP_FEATURES)}
    with pytest.raises(ModelError, match=f"has version 3, this newsclean reads {MODEL_VERSION}; rebuild it with"):
        load_model(_write(tmp_path / "v3.json", old))
    with pytest.raises(ModelError, match="trained on other features"):
        load_model(_write(tmp_path / "v4.json", {**old, "version": MODEL_VERSION}))


def test_the_shipped_model_keeps_the_last_paragraph_before_a_rule() -> None:
    """Switched on, the shipped model takes no line of the article above the <hr>. (It gives the
    pitch after it P = .25, under its threshold: WCXB's truth keeps such a closing pitch about as
    often as it marks it; see docs/quality.md.)"""
    html, page = _ledger()
    on = clean_html(html, LEDGER_URL, options=CleanOptions(score_lines=True))
    assert on.text.split("\n")[:len(page.lines) - 1] == page.lines[:-1]


def test_evidence_reads_any_lxml_tree() -> None:
    """The features read a tree of plain lxml elements as well as the cleaner's lxml.html one
    (italics measured by their text, not by lxml.html's text_content)."""
    import lxml.etree as etree

    tree = etree.fromstring("<html><body><div><p>" + BODY[0] + "</p><p>" + BODY[1] + "</p>"
                            "<p><em>Photo courtesy of the Saltwick harbour trust</em></p></div></body></html>")
    lines = [BODY[0], BODY[1], "Photo courtesy of the Saltwick harbour trust"]
    assert _evidence(page_features(lines, tree), "italic") == [0.0, 0.0, 1.0]


def test_evidence_of_a_deeply_nested_line() -> None:
    """The aside above a line is looked for by a walk: a line nested deeper than Python's
    recursion limit is read like any other (inside an <aside>, outside it)."""
    import lxml.etree as etree

    depth = 1500
    html = ("<html><body><div><p>" + BODY[0] + "</p><p>" + BODY[1] + "</p></div><aside>" + "<div>" * depth
            + "<p>Follow the harbour trust for more news</p>" + "</div>" * depth + "</aside></body></html>")
    tree = etree.fromstring(html, etree.XMLParser(huge_tree=True))
    lines = [BODY[0], BODY[1], "Follow the harbour trust for more news"]
    assert _evidence(page_features(lines, tree), "aside_any") == [0.0, 0.0, 1.0]


# -- the tail walk reads the features of the blocks it visits only -------------------------------
def _our_pages() -> list[tuple[list[str], object, str]]:
    """Bodies the cleaner gives our fixture pages (scorer off), with their trees and hosts."""
    out = []
    for name, url in (("pitch_inside_body.html", PITCH_URL), ("structural_tail.html", LEDGER_URL),
                      ("tail_pitch_bio.html", TIDE_URL), ("tail_leaks.html", "https://coastline.example/towns/pier")):
        html = (FIXTURES / name).read_text("utf-8")
        with linescore.recording() as seen:
            clean_html(html, url, options=CleanOptions(score_lines=False))
        out.append((seen[-1].lines, parse(html), url.split("/")[2]))
    return out


@pytest.mark.parametrize("feature", ["from_end", "branch_share", "break_before", "names_site", "log_chars"])
def test_the_tail_walk_drops_what_the_page_matrix_drops(feature: str) -> None:
    """The lazy walk (:meth:`LineModel.tail_mask`) and the mask over every line's features give
    the same lines on every page, whichever feature the trees read, dropping or not."""
    for lines, tree, site in _our_pages():
        for below, above in ((5.0, -5.0), (-5.0, 5.0), (5.0, 5.0)):
            model = dataclasses.replace(_stump(feature, 1.5, below, above, scope="tail"),
                                        threshold_drop=train.THRESHOLD, prose_threshold=train.PROSE_THRESHOLD)
            eager = model.mask(page_features(lines, tree, site, ["Mara Lindqvist"]))
            assert model.tail_mask(linescore._Page(lines, tree, site, ["Mara Lindqvist"])) == eager
    # other scopes read every line as before
    lines, tree, site = _our_pages()[0]
    edges = _stump("branch_share", 0.3, 5.0, -5.0, scope="any")
    assert edges.tail_mask(linescore._Page(lines, tree, site)) == edges.mask(page_features(lines, tree, site))


def test_the_tail_walk_reads_the_last_blocks_only(monkeypatch) -> None:
    """Where the last block stays, only its lines' features are read; where it goes, the walk
    reads the block before it too, and stops at the first block that stays."""
    lines, tree, site = _our_pages()[1]   # the ledger: its pitch after an <hr> is the last block
    read: list[int] = []
    row = linescore._Page.row
    monkeypatch.setattr(linescore._Page, "row", lambda self, k: read.append(k) or row(self, k))
    keep = _stump("break_before", 0.5, -5.0, -5.0, scope="tail")
    assert keep.tail_mask(linescore._Page(lines, tree, site)) == [False] * len(lines)
    assert read == [len(lines) - 1]
    read.clear()
    after_rule = _stump("break_before", 0.5, -5.0, 5.0, scope="tail")
    assert after_rule.tail_mask(linescore._Page(lines, tree, site)) == [False] * (len(lines) - 1) + [True]
    assert read == [len(lines) - 1, len(lines) - 2]


def test_a_line_names_the_author_by_a_surname_as_a_word() -> None:
    """A surname counts where it stands as a word (as a regular expression's word boundaries
    read it), in any script."""
    from newsclean.cleaners.learned.linescore import _has_word

    assert _has_word("Follow Lindqvist on the blog", "Lindqvist")
    assert not _has_word("Follow Lindqvists on the blog", "Lindqvist")
    assert _has_word("(Lindqvist)", "Lindqvist") and _has_word("Lindqvist", "Lindqvist")
    assert not _has_word("Ålindqvist_x", "lindqvist") and not _has_word("x_lindqvist", "lindqvist")
    assert _has_word("Lindqvist-Berg, Lindqvist", "Lindqvist")   # a later match counts
    assert _has_word("Texte de Müller.", "Müller") and not _has_word("Müllerin", "Müller")


# -- the tail walk passes a doubted label before sure boilerplate ---------------------------------
def _by_place(last: float, before: float) -> LineModel:
    """A tail model by a line's place alone: the last line ``last`` (a probability), the one before
    it ``before``, every other line .007; thresholds as shipped (.7, prose .8)."""
    logit = lambda q: float(np.log(q / (1 - q)))   # noqa: E731
    at = FEATURES.index("from_end")
    tree = {"feature": [at, -1, at, -1, -1], "threshold": [0.5, 0.0, 1.5, 0.0, 0.0],
            "left": [1, 1, 3, 3, 4], "right": [2, 1, 4, 3, 4], "value": [0.0, logit(last), 0.0, logit(before), -5.0]}
    return LineModel.from_dict({"trees": [tree], "depth": 2, "base": 0.0, "threshold_drop": train.THRESHOLD,
                                "prose_threshold": train.PROSE_THRESHOLD, "scope": "tail"})


def test_the_tail_walk_passes_a_doubted_label_to_the_sure_boilerplate_before_it() -> None:
    """A short last block the model doubts (over .5, under the .7 it drops at) stopped the walk
    and kept the sure boilerplate before it (a contact line, a pin image's credit): both go. Not
    where the block before it is less than sure (.9), nor where the last block is prose or likely
    the article's."""
    lines = [BODY[0], BODY[1], "Phone number: 01632 960 123", "BOOK YOUR FIRST LESSON"]
    assert _by_place(0.6, 0.95).filter(lines)[0] == lines[:2]
    assert _by_place(0.6, 0.85).filter(lines)[0] == lines                 # the line before is not sure
    assert _by_place(0.45, 0.95).filter(lines)[0] == lines                # the last line is not doubted
    assert _by_place(0.6, 0.95).filter(lines[:2] + [lines[2], BODY[2]])[0] == lines[:2] + [lines[2], BODY[2]]  # prose
    assert _by_place(0.6, 0.95).filter(lines[2:])[0] == lines[2:]         # never every line
    # after the pair the walk goes on as before: it stops at the first block that stays
    tail = [BODY[0], "Sign up for the letter", "Phone number: 01632 960 123", "BOOK YOUR FIRST LESSON"]
    assert _by_place(0.6, 0.95).filter(tail)[0] == tail[:2]


def test_the_tail_walk_passes_the_label_on_a_page_of_our_own(monkeypatch) -> None:
    """On a page (tests/fixtures/cleaners/tail_label_after_contact.html) the lazy walk and the
    mask over every line drop the contact line and the label after it together; without the pass
    both stay (the label stops the walk)."""
    html = (FIXTURES / "tail_label_after_contact.html").read_text("utf-8")
    url = "https://harbourmusic.example/blog/weekly-lessons/"
    model = _by_place(0.6, 0.95)
    monkeypatch.setattr(linescore, "shipped_model", lambda: model)
    text = clean_html(html, url).text
    assert text.endswith("regular lessons make the first year easier.")
    with linescore.recording() as seen:
        clean_html(html, url)
    assert model.mask(seen[-1])[-2:] == [True, True]
    monkeypatch.setattr(linescore, "PASS_DOUBT", 1.0)
    assert clean_html(html, url).text.endswith("Phone number: 01632 960 123\nBOOK YOUR FIRST LESSON")


def test_training_refuses_a_set_scored_by_snippets(tmp_path):
    # trafilatura-eval's layout has no full text: every line would be labelled boilerplate
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "a.html").write_text("<p>Der Stadtrat tagt am Montag.</p>", "utf-8")
    (tmp_path / "evaldata.json").write_text(json.dumps(
        {"https://a.example/x": {"file": "a.html", "with": ["Stadtrat"], "without": []}}), "utf-8")
    out = tmp_path / "model.json"
    with pytest.raises(SystemExit, match="scored by snippets"):
        train.main([str(tmp_path), "--half", "all", "--out", str(out)])
    assert not out.exists()
