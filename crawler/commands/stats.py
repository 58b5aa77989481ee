"""``newsclean stats FILE…``: what is in a corpus (the counting lives in :mod:`output.stats`)."""

from __future__ import annotations

import argparse
import sys

import orjson

from newsclean.output.reader import JsonlReader, expand_inputs
from newsclean.output.stats import corpus_stats, format_stats


def stats_command(args: argparse.Namespace) -> int:
    """Print the stats of the inputs; 1 when anything was skipped (unless ``--allow-skips``)."""
    from newsclean.crawler.commands.cli import check_inputs_exist

    check_inputs_exist(args.files)
    articles, rejects, missing = expand_inputs(args.files)
    reader = JsonlReader()
    for name in missing:
        reader.skip(name, 0, "no such file or directory")
    stats = corpus_stats(articles, rejects, reader)
    if args.json:
        print(orjson.dumps(stats, option=orjson.OPT_INDENT_2).decode())
    else:
        print(format_stats(stats, skipped=reader.report(most=20)))
    for line in reader.report():
        print(f"newsclean stats: skipped {line}", file=sys.stderr)
    if stats["skipped"] and not args.allow_skips:
        print(f"newsclean stats: {stats['skipped']} lines or files skipped (--allow-skips to exit 0)", file=sys.stderr)
        return 1
    return 0
