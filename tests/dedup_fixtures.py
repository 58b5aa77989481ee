"""The dedup fixture sets (tests/fixtures/dedup) as texts, and the figures measured on them.

``python -m tests.dedup_fixtures`` prints, per threshold, the share of syndicated copies found
as duplicates of their story and the number of false merges among distinct articles.
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from newsclean.output.dedup import DedupIndex, signature

HERE = Path(__file__).parent / "fixtures" / "dedup"


@dataclass(frozen=True)
class Text:
    key: str          # story / event key
    name: str         # unique name of this text
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def _copy(story: dict, n: int, edit: dict) -> Text:
    paras = list(story["paragraphs"])
    for index, sentence in edit.get("replace", {}).items():
        paras[int(index)] = sentence
    paras = [p for i, p in enumerate(paras) if i not in set(edit.get("drop", []))]
    paras = [*edit.get("prepend", []), *paras, *edit.get("append", [])]
    return Text(story["key"], f"{story['key']}/copy{n}", edit["title"], tuple(paras))


def syndicated() -> list[tuple[Text, list[Text]]]:
    """Each wire story with its re-published copies."""
    data = json.loads((HERE / "syndicated.json").read_text("utf-8"))
    return [(Text(s["key"], f"{s['key']}/wire", s["title"], tuple(s["paragraphs"])),
             [_copy(s, n, e) for n, e in enumerate(s["copies"], 1)]) for s in data["stories"]]


def distinct() -> list[Text]:
    """Independently written articles about the same events as the wire stories."""
    data = json.loads((HERE / "distinct.json").read_text("utf-8"))
    return [Text(e["key"], f"{e['key']}/own{n}", a["title"], tuple(a["paragraphs"]))
            for e in data["events"] for n, a in enumerate(e["articles"], 1)]


@dataclass(frozen=True)
class Figures:
    threshold: float
    copies: int
    copies_found: int
    distinct_pairs: int
    false_merges: int

    @property
    def found_rate(self) -> float:
        return self.copies_found / self.copies


def measure(threshold: float) -> Figures:
    """Index each wire story, then its copies; separately, every distinct article after the
    wire story of its event: copies must match their story, distinct ones nothing."""
    stories = syndicated()
    found = copies = 0
    index = DedupIndex(None, threshold=threshold)
    for wire, its_copies in stories:
        index.add(wire.name, wire.name, signature(wire.text), root=None, run_id="m")
    for wire, its_copies in stories:
        for copy in its_copies:
            copies += 1
            match = index.find(copy.name, copy.name, signature(copy.text))
            found += match is not None and match.duplicate_of == wire.name
    index.close()
    # Distinct: every pair among the distinct articles and the wire stories of the same topics.
    texts = [w for w, _ in stories] + distinct()
    sigs = {t.name: signature(t.text) for t in texts}
    pairs = merges = 0
    for a, b in itertools.combinations(texts, 2):
        pairs += 1
        merges += sigs[a.name].jaccard(sigs[b.name]) >= threshold
    return Figures(threshold, copies, found, pairs, merges)


def main() -> int:
    print("threshold  copies found  false merges (distinct pairs)")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        f = measure(t)
        print(f"{t:9.1f}  {f.copies_found:3d}/{f.copies} ({f.found_rate:.0%})  {f.false_merges}/{f.distinct_pairs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
