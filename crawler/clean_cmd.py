"""``newsclean clean``: run the current cleaners over stored pages or extracted text.

Inputs: HTML files or directories of them (``*.html``, ``*.htm``, optionally ``.gz``), or JSONL
whose lines carry ``html`` (and ``url``), or — with ``--text`` — JSONL whose lines carry
``text``. Bad lines are counted, reported with file and line number, and skipped.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from cleaners import Article, SiteRules, clean_html, clean_text
from crawler.sites import Site, load_registry
from output import build_record, build_reject, canonicalize_url, new_run_id


def _rules_for(url: str | None, site_name: str | None, registry: dict[str, Site]) -> tuple[str, SiteRules]:
    if site_name:
        site = registry[site_name]
        return site.name, site.rules
    host = (urlsplit(url or "").hostname or "").lower()
    for site in registry.values():
        if any(host == d or host.endswith("." + d) for d in site.domains):
            return site.name, site.rules
    return (host.removeprefix("www.") or "generic"), SiteRules(name="generic")


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _inputs(paths: list[str], skipped: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, {"html"|"text": ..., "url": ...}) for every input document."""
    for name in paths:
        p = Path(name)
        files = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for f in files:
            if ".jsonl" in f.suffixes or f.suffix == ".json":
                try:
                    lines = _read(f).splitlines()
                except (OSError, EOFError) as exc:
                    skipped.append(f"{f}: cannot read: {exc}")
                    continue
                for i, line in enumerate(lines, 1):
                    if not line.strip():
                        continue
                    try:
                        obj = orjson.loads(line)
                        if not isinstance(obj, dict):
                            raise ValueError("not a JSON object")
                    except ValueError as exc:
                        skipped.append(f"{f}:{i}: not a JSON object: {exc}")
                        continue
                    yield f"{f}:{i}", obj
            elif any(s in (".html", ".htm") for s in f.suffixes):
                try:
                    yield str(f), {"html": _read(f), "url": None}
                except (OSError, EOFError) as exc:
                    skipped.append(f"{f}: cannot read: {exc}")


def clean_command(args: argparse.Namespace) -> int:
    registry = load_registry()
    if args.site and args.site not in registry:
        from crawler.cli import UsageError

        raise UsageError(f"unknown site {args.site!r}; known sites: {', '.join(sorted(registry))}")
    run_id = new_run_id()
    skipped: list[str] = []
    written = rejected = 0
    out_path = Path(args.output)
    tmp = out_path.with_name(f".{out_path.name}.tmp")
    with tmp.open("wb") as out:
        for where, doc in _inputs(args.input, skipped):
            url = doc.get("url") or None
            site_name, rules = _rules_for(url, args.site, registry)
            if args.text:
                if not isinstance(doc.get("text"), str):
                    skipped.append(f"{where}: no text field")
                    continue
                out.write(orjson.dumps({**doc, "text": clean_text(doc["text"], site_name, rules=rules)}) + b"\n")
                written += 1
                continue
            html = doc.get("html")
            if not isinstance(html, (str, bytes)):
                skipped.append(f"{where}: no html field")
                continue
            now = datetime.now(timezone.utc)
            result = clean_html(html, url, rules)
            page_url = url or result.url or Path(where).as_uri()
            if isinstance(result, Article):
                record = build_record(result, url=page_url, site=site_name, fetched_at=now, run_id=run_id,
                                      canonical_url=canonicalize_url(page_url, result.canonical_url))
                written += 1
            else:
                record = build_reject(url=page_url, site=site_name, reason=result.reason, detail=result.detail,
                                      fetched_at=now, run_id=run_id)
                rejected += 1
                continue
            out.write(orjson.dumps(record) + b"\n")
        out.flush()
    tmp.replace(out_path)
    for line in skipped:
        print(f"skipped {line}", file=sys.stderr)
    print(f"{written} written, {rejected} rejected, {len(skipped)} skipped -> {out_path}")
    return 1 if skipped else 0
