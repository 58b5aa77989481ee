"""``newsclean export INPUT… --parquet OUT``: records to one Parquet file (see :mod:`output.parquet`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsclean.output import STDIO, AtomicFile, OutputError
from newsclean.crawler.commands.stats import NO_JSONL_IN_IT, empty_directories, skip_empty_strangers
from newsclean.output.parquet import export_parquet
from newsclean.output.reader import (JSONL_SUFFIXES, PARQUET_MAGIC, JsonlReader, copies_said, expand_inputs, folder_of,
                                     is_one_of, output_dir_around, run_manifests)
from newsclean.output.stats import counted


def export_command(args: argparse.Namespace) -> int:
    """Export the records of the inputs; 1 when anything was skipped (unless ``--allow-skips``)
    or when no record was read (the output is then left as it was), unless every input is a
    finished run's output directory: a quiet day's runs wrote no article, and the export is an
    empty Parquet file of the schema, exit 0 (``crawl ... && export ...`` in a crontab)."""
    from newsclean.crawler.commands.cli import (OUTPUT_DIRS, UsageError, check_inputs_exist, check_not_output_folders,
                                                open_stdin, output_file_dir, written_now)

    target = args.parquet
    if target == STDIO and _is_terminal(sys.stdout):
        # Parquet is binary: a terminal showed its bytes (and its escapes could reset the terminal)
        raise UsageError("--parquet -: standard output is a terminal; redirect it (> corpus.parquet) "
                         "or pipe it into a program that reads Parquet")
    check_inputs_exist(args.input)
    check_not_output_folders(args.input, read=("articles",))
    copies: list[tuple[Path, Path]] = []
    articles, _rejects, missing = expand_inputs(args.input, copies)   # rejects are not records: never exported
    if target != STDIO:
        if Path(target).is_dir():
            raise UsageError(f"{target} is a directory: name the Parquet file")
        if is_one_of(target, articles):
            raise UsageError(f"{target} is also an input: write the export to another file")
        if target.lower().endswith(JSONL_SUFFIXES):   # pandas.read_json, stats and clean then read it as bad JSONL
            raise UsageError(f"--parquet {target}: a name of JSONL for a Parquet file; name it .parquet "
                             "(the records are JSONL already, in the inputs)")
        if (around := output_dir_around(target, OUTPUT_DIRS)) is not None:
            # a Parquet file among a corpus's parts (or its manifests, state, WARCs): a tool reading the
            # folder whole (pandas.read_parquet, datasets) met it there, and the next export wrote it again
            raise UsageError(f"--parquet {target}: {folder_of(*around, target)}, which newsclean writes; "
                             f"name a file outside its folders (such as {around[0] / 'corpus.parquet'})")
        if not _parquet_or_new(target):   # a user's CSV named by mistake was replaced by the export
            raise UsageError(f"--parquet {target}: a file that is no Parquet file is there, which the export "
                             "would replace; name another file (or move that one away first)")
    reader = JsonlReader()
    for name in missing:
        reader.skip(name, 0, "no such file or directory")
    # said as stats says them: 'no records read' alone named neither (a run writing one now is said below)
    for name in empty_directories(args.input):
        if not written_now(name):
            reader.skip(name, 0, NO_JSONL_IN_IT)
    articles = skip_empty_strangers(args.input, articles, reader)
    if target != STDIO:
        output_file_dir(target, create=True)
    open_stdin(args.input, "JSONL records")
    out = AtomicFile(target, spool=True)   # Parquet is valid only whole: stdout gets it at the end
    try:
        try:
            count = export_parquet(articles, out.fh, reader)
        except OutputError:
            raise
        except OSError as exc:   # pyarrow writes out.fh itself: its ENOSPC names no file
            raise out.error(exc) from exc
        quiet_runs = not count and not reader.skipped and _all_finished_runs(args.input)
        out.commit() if count or quiet_runs else out.discard()
    except BaseException:
        out.discard()
        raise
    for line in reader.report():
        print(f"newsclean export: skipped {line}", file=sys.stderr)
    if copies:   # `export OUT OUT_COPY` wrote each record twice, without a word
        print(f"newsclean export: {copies_said(copies)}", file=sys.stderr)
    if quiet_runs:
        size = f" ({Path(target).stat().st_size} bytes)" if target != STDIO else ""
        print(f"0 records -> {target}{size}: an empty export (the schema, no row); the runs of "
              f"{', '.join(args.input)} wrote no article", file=sys.stderr if target == STDIO else sys.stdout)
        return 0
    if not count:
        now = "".join(f"; {name}: {said}" for name in args.input if (said := written_now(name)))
        print(f"newsclean export: failed: no records read from the inputs; {target} not written{now}", file=sys.stderr)
        return 1
    size = f" ({Path(target).stat().st_size} bytes)" if target != STDIO else ""
    print(f"{counted(count, 'record')} from {counted(len(articles), 'file')} -> {target}{size}",
          file=sys.stderr if target == STDIO else sys.stdout)
    if reader.skipped and not args.allow_skips:
        print(f"newsclean export: {counted(len(reader.skipped), 'line or file', 'lines or files')} skipped "
              "(--allow-skips to exit 0)", file=sys.stderr)
        return 1
    return 0


def _all_finished_runs(inputs: list[str]) -> bool:
    """Whether every input is an output directory holding a run's manifest: a run that ended (a
    wrong path, an empty folder or a file holds none, and exporting nothing from it stays an error)."""
    return bool(inputs) and all(name != STDIO and Path(name).is_dir() and run_manifests(name) for name in inputs)


def _parquet_or_new(target: str) -> bool:
    """Whether an export may be written to ``target``: nothing there, an empty file, a device or a
    pipe (written into, never replaced), or a Parquet file (an earlier export, replaced)."""
    path = Path(target)
    if not path.is_file():
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError:
        return True   # unreadable: the write says what is wrong
    return head in (b"", PARQUET_MAGIC)


def _is_terminal(stream: object) -> bool:
    """Whether ``stream`` is a terminal (a closed or missing standard output is not)."""
    try:
        return bool(stream.isatty())   # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False
