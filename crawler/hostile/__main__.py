"""``python -m newsclean.crawler.hostile [CASE...] [--fast] [--list]``: see the package docstring."""

from __future__ import annotations

import argparse
import sys

from newsclean.crawler.hostile import load_cases, run_cases, table


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m newsclean.crawler.hostile",
                                description="Run newsclean against misbehaving servers on 127.0.0.1.")
    p.add_argument("cases", nargs="*", metavar="CASE", help="cases to run (default: all)")
    p.add_argument("--fast", action="store_true", help="skip the slow cases")
    p.add_argument("--list", action="store_true", help="list the cases and exit")
    args = p.parse_args(argv)
    cases = load_cases()
    if args.list:
        for c in cases.values():
            print(f"{c.name:28} {'slow' if c.slow else 'fast'}  bound {c.bound:4.0f}s  {c.doc}")
        return 0
    unknown = [n for n in args.cases if n not in cases]
    if unknown:
        print(f"hostile: unknown case {unknown[0]!r}; see --list", file=sys.stderr)
        return 2

    def progress(result: object) -> None:
        print(f"  ran {result.name}: {'held' if result.held else 'NOT held'}", file=sys.stderr, flush=True)  # type: ignore[attr-defined]

    results = run_cases(args.cases or None, fast=args.fast, report=progress)
    print(table(results))
    return 0 if all(r.held for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
