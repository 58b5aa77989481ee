"""``newsclean stats``: what is in a corpus, by site, language and month."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from output import JsonlReader


def corpus_stats(paths: list[Path]) -> dict[str, Any]:
    reader = JsonlReader()
    by_site: Counter[str] = Counter()
    by_lang: Counter[str] = Counter()
    by_month: Counter[str] = Counter()
    words: list[int] = []
    dupes = 0
    for rec in reader.iter_records(paths):
        by_site[rec.get("site") or "?"] += 1
        by_lang[rec.get("language") or "?"] += 1
        by_month[(rec.get("published") or "?")[:7]] += 1
        words.append(int(rec.get("word_count") or 0))
        dupes += bool(rec.get("duplicate_of"))
    words.sort()
    q = (lambda f: words[min(len(words) - 1, int(f * len(words)))] if words else 0)
    return {"records": len(words), "sites": dict(by_site.most_common()), "languages": dict(by_lang.most_common()),
            "months": dict(sorted(by_month.items())), "duplicates": dupes,
            "word_count": {"min": q(0), "median": q(0.5), "p90": q(0.9), "max": words[-1] if words else 0},
            "skipped_lines": [f"{p}:{n}: {e}" for p, n, e in reader.skipped]}


def stats_command(args: argparse.Namespace) -> int:
    paths: list[Path] = []
    for f in args.files:
        p = Path(f)
        paths += sorted(x for x in p.rglob("*.jsonl*") if not x.name.startswith(".")) if p.is_dir() else [p]
    stats = corpus_stats(paths)
    if args.json:
        print(orjson.dumps(stats, option=orjson.OPT_INDENT_2).decode())
    else:
        print(f"records: {stats['records']}  duplicates: {stats['duplicates']}  word count median {stats['word_count']['median']}")
        for title in ("sites", "languages", "months"):
            print(f"{title}:")
            for k, v in stats[title].items():
                print(f"  {k:20} {v}")
        for line in stats["skipped_lines"]:
            print(f"skipped {line}")
    return 1 if stats["skipped_lines"] else 0
