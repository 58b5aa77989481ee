"""Outputs of ``newsclean clean`` and ``export``: never lost, never torn, always valid records.

An output appears whole or not at all; an output that is also an input is refused; a run that
read nothing (or wrote no record) leaves the output as it was and exits non-zero (export of a finished
run that wrote no article: an empty Parquet file, exit 0); ``-`` is
standard input and output; every record written validates against ``output/record.schema.json``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pyarrow.parquet as pq

from newsclean.crawler.commands.demo import DEMO_SITE
from newsclean.output import validate_record, validate_reject
from newsclean.output.parquet import record_from_row

from ..conftest import REPO, call_newsclean, run_newsclean

OLD = b'{"kept": "an earlier corpus"}\n' * 26
OLD_PARQUET = b"PAR1" + OLD   # an earlier export (a file that is no Parquet file is not replaced: test_output_mistakes)


def _pages(tmp_path: Path, n: int = 4) -> Path:
    """``n`` article pages of the demo site, saved as HTML files (no URL but their path)."""
    pages = tmp_path / "pages"
    for src in sorted(DEMO_SITE.glob("stories/2026/*/index.html"))[:n]:
        dest = pages / src.parent.name / "index.html"
        dest.parent.mkdir(parents=True)
        shutil.copy(src, dest)
    return pages


def _lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def _stdin_run(data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.cli", *args], cwd=REPO, input=data,
                          capture_output=True, timeout=300)


def test_a_run_that_reads_nothing_leaves_the_outputs_alone(tmp_path: Path) -> None:
    corpus, rejects, parquet = tmp_path / "corpus.jsonl", tmp_path / "rejects.jsonl", tmp_path / "x.parquet"
    for f in (corpus, rejects):
        f.write_bytes(OLD)
    parquet.write_bytes(OLD_PARQUET)
    empty = tmp_path / "empty"      # an input that holds nothing (a missing one is a usage error, below)
    empty.mkdir()
    proc = run_newsclean("clean", str(empty), "-o", str(corpus), "--rejects", str(rejects))
    assert proc.returncode == 1, proc.stderr
    assert corpus.read_bytes() == OLD and rejects.read_bytes() == OLD
    assert "no pages read" in proc.stderr
    proc = run_newsclean("export", str(empty), "--parquet", str(parquet))
    assert proc.returncode == 1, proc.stderr
    assert parquet.read_bytes() == OLD_PARQUET
    assert "no records read" in proc.stderr
    for args in (["clean", str(tmp_path / "MISSING"), "-o", str(corpus), "--rejects", str(rejects)],
                 ["export", str(tmp_path / "MISSING"), "--parquet", str(parquet)]):
        proc = run_newsclean(*args)
        assert proc.returncode == 2 and "no such file or directory" in proc.stderr, proc.stderr
    assert corpus.read_bytes() == OLD and rejects.read_bytes() == OLD and parquet.read_bytes() == OLD_PARQUET
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_finished_run_that_wrote_no_article_exports_an_empty_parquet(tmp_path: Path) -> None:
    # before: 'failed: no records read', exit 1 (and stats: 'not an output directory'), so a crontab's
    # 'newsclean crawl ... && newsclean export OUT ...' failed on a quiet day
    from ..e2e.test_e2e_bad_input import free_port

    out, parquet = tmp_path / "out", tmp_path / "corpus.parquet"
    proc = run_newsclean("crawl", "--url", f"http://127.0.0.1:{free_port()}/", "--out", str(out), "-s", "RETRY_TIMES=0")
    assert list((out / "manifests").glob("*.json")) and not (out / "articles").exists(), proc.stderr
    proc = run_newsclean("export", str(out), "--parquet", str(parquet))
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert "0 records" in proc.stdout and "wrote no article" in proc.stdout, proc.stdout
    table = pq.read_table(parquet)
    assert table.num_rows == 0 and table.schema.names[:3] == ["schema_version", "id", "url"]
    proc = run_newsclean("stats", str(out))
    assert proc.returncode == 0 and "records: 0" in proc.stdout, proc.stderr
    # a folder with no manifest (a wrong path) stays an error, the output left alone
    parquet.write_bytes(OLD_PARQUET)
    (tmp_path / "notes").mkdir()
    proc = run_newsclean("export", str(tmp_path / "notes"), "--parquet", str(parquet))
    assert proc.returncode == 1 and "no records read" in proc.stderr, proc.stderr
    proc = call_newsclean("export", str(out / "state"), "--parquet", str(parquet))   # its output directory named
    assert proc.returncode == 2 and proc.stderr.endswith(f"which holds no records; name {out}\n"), proc.stderr
    assert parquet.read_bytes() == OLD_PARQUET


def test_a_parquet_file_named_as_jsonl_is_refused(tmp_path: Path) -> None:
    # before: written, Parquet bytes under a .jsonl name, that pandas.read_json, stats and clean then
    # read as bad JSON (an earlier corpus.jsonl replaced by them)
    part = tmp_path / "part.jsonl"
    part.write_bytes(OLD)
    for name in ("corpus.jsonl", "corpus.JSONL.gz"):   # an input too: 'is also an input', above
        proc = call_newsclean("export", str(part), "--parquet", str(tmp_path / name))
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "name it .parquet" in proc.stderr, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part.jsonl"] and part.read_bytes() == OLD


def test_an_output_that_is_also_an_input_is_refused(tmp_path: Path) -> None:
    pages = _pages(tmp_path, 2)
    corpus = tmp_path / "corpus.jsonl"
    proc = run_newsclean("clean", str(pages), "-o", str(corpus), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    before = corpus.read_bytes()
    for args in (["clean", str(corpus), "-o", str(corpus)],
                 ["clean", "--text", str(corpus), "-o", str(tmp_path / "." / "corpus.jsonl")],
                 ["clean", str(tmp_path), "-o", str(tmp_path / "t.jsonl"), "--rejects", str(corpus)],
                 ["export", str(corpus), "--parquet", str(corpus)]):
        proc = call_newsclean(*args)     # refused before anything is read: no process needed
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1 and "is also an input" in proc.stderr, proc.stderr
        assert corpus.read_bytes() == before


def test_dash_is_stdin_and_stdout(tmp_path: Path) -> None:
    pages = sorted(DEMO_SITE.glob("stories/2026/*/index.html"))[:2]
    lines = b"".join(orjson.dumps({"html": p.read_text(), "url": f"https://example.org/{p.parent.name}/"}) + b"\n"
                     for p in pages)
    proc = _stdin_run(lines, "clean", "-", "-o", "-", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    records = [orjson.loads(line) for line in proc.stdout.splitlines()]   # stdout holds only records
    assert [r["url"] for r in records] == [f"https://example.org/{p.parent.name}/" for p in pages]
    for rec in records:
        validate_record(rec)
    proc = _stdin_run(b"".join(orjson.dumps(r) + b"\n" for r in records), "stats", "-", "--json")
    assert proc.returncode == 0 and orjson.loads(proc.stdout)["records"] == 2, proc.stderr
    proc = _stdin_run(b"".join(orjson.dumps(r) + b"\n" for r in records), "export", "-", "--parquet", "-")
    assert proc.returncode == 0, proc.stderr
    (tmp_path / "x.parquet").write_bytes(proc.stdout)
    assert [record_from_row(r) for r in pq.read_table(tmp_path / "x.parquet").to_pylist()] == records


def test_rejects_to_standard_output_hold_only_rejects(tmp_path: Path) -> None:
    # before: 'clean -o FILE --rejects -' printed its summary line among the rejects on stdout
    pages = _pages(tmp_path, 2)
    (pages / "short.html").write_text("<html><body><p>Too short.</p></body></html>")
    proc = run_newsclean("clean", str(pages), "-o", str(tmp_path / "c.jsonl"), "--rejects", "-", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    rejects = [orjson.loads(line) for line in proc.stdout.splitlines()]
    assert [r["reason"] for r in rejects] == ["too_short"]
    for rej in rejects:
        validate_reject(rej)
    assert "2 written, 1 rejected" in proc.stderr


def test_standard_output_named_by_its_file_is_standard_output(tmp_path: Path) -> None:
    # before: '--parquet /dev/stdout > c.parquet' put the summary line after the Parquet footer (a
    # file that did not read), and '-o /dev/stdout' the records and the summary in one stream
    from ..output.test_corpus_output import make_record

    corpus = tmp_path / "c.jsonl"
    records = [make_record(i) for i in range(3)]
    corpus.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    for name in ("/dev/stdout", "/dev/fd/1"):
        with open(tmp_path / "x.parquet", "wb") as sink:
            proc = subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.cli", "export", str(corpus),
                                   "--parquet", name], stdout=sink, stderr=subprocess.PIPE, text=True, cwd=REPO)
        assert proc.returncode == 0 and "3 records from 1 file -> -" in proc.stderr, proc.stderr
        assert [record_from_row(r) for r in pq.read_table(tmp_path / "x.parquet").to_pylist()] == records


def test_clean_on_html_files_writes_valid_records(tmp_path: Path) -> None:
    pages = _pages(tmp_path)
    proc = run_newsclean("clean", str(pages), "-o", str(tmp_path / "c.jsonl"), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    records = _lines(tmp_path / "c.jsonl")
    assert len(records) == 4
    for rec in records:
        validate_record(rec)            # domain was "" for file:// URLs
    assert {r["domain"] for r in records} == {"localhost"}
    proc = run_newsclean("export", str(tmp_path / "c.jsonl"), "--parquet", str(tmp_path / "c.parquet"))
    assert proc.returncode == 0, proc.stderr
    rows = pq.read_table(tmp_path / "c.parquet").to_pylist()
    assert [record_from_row(r) for r in rows] == records


def test_clean_text_makes_records_and_obeys_the_options(tmp_path: Path) -> None:
    body = ("The harbour board met on Tuesday to discuss the new breakwater, which engineers say will "
            "protect the fishing fleet from winter storms for the next fifty years.\n") * 3
    french = ("Le conseil du port s'est réuni mardi pour discuter de la nouvelle digue, qui selon les "
              "ingénieurs protégera la flotte de pêche des tempêtes d'hiver pendant cinquante ans.\n") * 3
    lines = [{"url": "https://news.example/a/", "text": body + "Subscribe to our newsletter", "title": "Breakwater",
              "published": "2026-01-02", "authors": ["A. Writer"]},
             {"url": "https://news.example/b/", "text": body, "published": "last Tuesday"},
             {"url": "https://news.example/c/", "text": french},
             {"url": "https://news.example/d/", "text": "Too short."}]
    src = tmp_path / "extracted.jsonl"
    src.write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    out, rej = tmp_path / "clean.jsonl", tmp_path / "rejects.jsonl"
    proc = run_newsclean("clean", "--text", str(src), "-o", str(out), "--rejects", str(rej),
                         "--languages", "en", "--duplicates", "drop")
    assert proc.returncode == 0, proc.stderr
    records = _lines(out)
    for rec in records:
        validate_record(rec)
    assert [r["url"] for r in records] == ["https://news.example/a/"]
    assert records[0]["title"] == "Breakwater" and records[0]["published"] == "2026-01-02"
    assert records[0]["authors"] == ["A. Writer"] and records[0]["language"] == "en"
    assert "newsletter" not in records[0]["text"]
    rejects = _lines(rej)
    for r in rejects:
        validate_reject(r)
    assert [(r["url"], r["reason"]) for r in rejects] == [
        ("https://news.example/b/", "duplicate"), ("https://news.example/c/", "language"),
        ("https://news.example/d/", "too_short")]


def test_clean_exits_non_zero_when_every_page_failed(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(3):
        (pages / f"{i}.html").write_text(f"<html><body><p>menu {i}</p></body></html>")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(OLD)
    proc = run_newsclean("clean", str(pages), "-o", str(corpus), "--rejects", str(tmp_path / "r.jsonl"),
                         "--workers", "1")
    assert proc.returncode == 1, proc.stderr
    assert "every page was rejected" in proc.stderr
    assert corpus.read_bytes() == OLD
    assert len(_lines(tmp_path / "r.jsonl")) == 3


def test_a_binary_file_is_one_skip_line_with_its_count_and_first_lines(tmp_path: Path) -> None:
    # `newsclean stats` (and export) on a binary file printed a skip line for each of its first 50
    # lines (of 785 for 200 KB of random bytes): one line now says how many and where they begin.
    import random

    from ..output.test_corpus_output import make_record

    noise = tmp_path / "noise.jsonl"
    noise.write_bytes(random.Random(7).randbytes(200_000))
    mixed = tmp_path / "mixed.jsonl"   # a few bad lines in a good file are still said one by one
    mixed.write_bytes(orjson.dumps(make_record(1)) + b"\nnot json\n" + orjson.dumps(make_record(2)) + b"\n")
    skipped = sum(1 for line in noise.read_bytes().split(b"\n") if line.strip())   # each line is bad
    for command in ("stats", "export"):
        args = [command, str(noise), str(mixed)] + (["--parquet", str(tmp_path / "x.parquet")] if command == "export" else [])
        proc = run_newsclean(*args)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
        said = [line for line in proc.stderr.splitlines() if f"newsclean {command}: skipped" in line]
        assert len(said) == 2, proc.stderr[-3000:]
        assert said[0].startswith(f"newsclean {command}: skipped {skipped} lines of {noise} (lines 1, 2, 3, 4, 5, ...):"), said
        assert said[1].startswith(f"newsclean {command}: skipped {mixed}:2: bad JSON"), said
    proc = run_newsclean("stats", str(noise), "--allow-skips")
    assert proc.returncode == 0, proc.stderr[-2000:]
    # the table on stdout says it so too (it listed the first 20 lines, then '... 762 more')
    table = proc.stdout[proc.stdout.index("\nskipped: "):].strip().splitlines()
    assert len(table) == 2 and table[0] == f"skipped: {skipped} (unreadable or not records)", table
    assert table[1].startswith(f"  {skipped} lines of {noise} (lines 1, 2, 3, 4, 5, ...): the first: bad JSON"), table
