"""``newsclean stats FILE…``: what is in a corpus (the counting lives in :mod:`output.stats`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from newsclean.output.reader import JSONL_SUFFIXES, JsonlReader, copies_said, expand_inputs, is_output_dir
from newsclean.output.stats import corpus_stats, counted, format_stats


def stats_command(args: argparse.Namespace) -> int:
    """Print the stats of the inputs; 1 when anything was skipped (unless ``--allow-skips``)."""
    from newsclean.crawler.commands.cli import check_inputs_exist, check_not_output_folders, open_stdin, written_now

    check_inputs_exist(args.files)
    check_not_output_folders(args.files, read=("articles", "rejects"))
    open_stdin(args.files, "JSONL records or rejects")
    copies: list[tuple[Path, Path]] = []
    articles, rejects, missing = expand_inputs(args.files, copies)
    reader = JsonlReader()
    for name in missing:
        reader.skip(name, 0, "no such file or directory")
    # a directory of HTML pages or a typo'd subfolder printed a table of zeros and exited 0
    for name in empty_directories(args.files):
        reader.skip(name, 0, written_now(name) or NO_JSONL_IN_IT)
    # 'stats notes.txt' on an empty file was a corpus of 0 records, exit 0: most often the wrong
    # file named (an empty .jsonl is a run that wrote nothing, counted as such)
    articles = skip_empty_strangers(args.files, articles, reader)
    stats = corpus_stats(articles, rejects, reader)
    if args.json:
        print(orjson.dumps(stats, option=orjson.OPT_INDENT_2).decode())
    else:
        print(format_stats(stats, skipped=reader.report(most=20)))
    for line in reader.report():
        print(f"newsclean stats: skipped {line}", file=sys.stderr)
    if copies:   # `stats OUT OUT_COPY` counted each record twice
        print(f"newsclean stats: {copies_said(copies)}", file=sys.stderr)
    if stats["skipped"] and not args.allow_skips:
        print(f"newsclean stats: {counted(stats['skipped'], 'line or file', 'lines or files')} skipped "
              "(--allow-skips to exit 0)", file=sys.stderr)
        return 1
    return 0


#: What is said of a directory named that holds nothing of a corpus (:func:`empty_directories`).
NO_JSONL_IN_IT = f"no JSONL file in it ({', '.join(JSONL_SUFFIXES)}) and not an output directory"


def skip_empty_strangers(names: list[str], articles: list[Path], reader: JsonlReader) -> list[Path]:
    """``articles`` without the empty files named that are not named as JSONL, each noted in
    ``reader`` as skipped: nothing says they are records (``stats notes.txt``, ``export notes.txt``)."""
    strangers = empty_strangers(names)
    for name in strangers:
        reader.skip(name, 0, f"an empty file, not named as JSONL ({', '.join(JSONL_SUFFIXES)}): not a records file")
    return [a for a in articles if a not in {Path(name) for name in strangers}]


def empty_directories(names: list[str]) -> list[str]:
    """The directories named that are no output directory (none of articles/, rejects/, a manifest)
    and hold no JSONL file: nothing of a corpus can be in them. An output directory with no part yet
    (its runs wrote nothing: a manifest alone) is a corpus of nothing, counted as such."""
    return [name for name in names if name != "-" and Path(name).is_dir()
            and not is_output_dir(name) and expand_inputs([name]) == ([], [], [])]


def empty_strangers(names: list[str]) -> list[str]:
    """The files named that are empty and not named as JSONL: nothing says they are records."""
    return [name for name in names if name != "-" and Path(name).is_file()
            and not name.endswith(JSONL_SUFFIXES) and Path(name).stat().st_size == 0]
