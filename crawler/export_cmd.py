"""``newsclean export INPUT… --parquet OUT``: records to one Parquet file (see :mod:`output.parquet`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsclean.output.parquet import export_parquet
from newsclean.output.reader import JsonlReader, expand_inputs


def export_command(args: argparse.Namespace) -> int:
    """Export the records of the inputs; 1 when anything was skipped (unless ``--allow-skips``)."""
    articles, _rejects, missing = expand_inputs(args.input)   # rejects are not records: never exported
    reader = JsonlReader()
    for name in missing:
        reader.skip(name, 0, "no such file or directory")
    out = Path(args.parquet)
    count = export_parquet(articles, out, reader)
    print(f"{count} records from {len(articles)} files -> {out} ({out.stat().st_size} bytes)")
    for path, line, why in reader.skipped[:50]:
        print(f"newsclean export: skipped {path}:{line}: {why}", file=sys.stderr)
    if reader.skipped and not args.allow_skips:
        print(f"newsclean export: {len(reader.skipped)} lines or files skipped (--allow-skips to exit 0)",
              file=sys.stderr)
        return 1
    return 0
