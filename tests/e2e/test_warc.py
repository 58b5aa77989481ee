"""The raw WARC archive and re-cleaning it: ``newsclean crawl --warc`` then ``newsclean clean``.

A real crawl of the bundled demo site over HTTP on 127.0.0.1 writes the archive; re-cleaning it
must give the crawl's records. Damaged archives and inputs are built here from good WARC bytes
that the tests write themselves.
"""

from __future__ import annotations

import fcntl
import gzip
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import orjson
import pytest
from warcio.archiveiterator import ArchiveIterator

from newsclean.crawler.commands.demo import DEMO_SITE, DemoServer
from newsclean.crawler.components.warc import Exchange, WarcFileWriter, WarcProblem, WarcResponse, iter_warc
from newsclean.output import validate_record

from ..conftest import REPO, read_parts, read_terminal, run_newsclean

# Fields a re-clean may change: it is another run, and it takes the time of the fetch from
# WARC-Date (when the request went out) where the crawl took it when the page was parsed.
VOLATILE = {"run_id", "fetched_at"}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.CompletedProcess[str], Path, DemoServer]]:
    out = tmp_path_factory.mktemp("warc") / "out"
    with DemoServer(DEMO_SITE) as server:
        proc = run_newsclean("crawl", "--url", server.base_url + "/", "--out", str(out), "--warc",
                             "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0")
        yield proc, out, server


def warc_file(out: Path) -> Path:
    files = sorted((out / "warc").iterdir())
    assert len(files) == 1, files
    return files[0]


def manifest(out: Path) -> dict:
    (path,) = (out / "manifests").glob("*.json")
    return orjson.loads(path.read_bytes())


def load(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_crawl_writes_every_exchange_to_one_warc(crawl) -> None:
    proc, out, server = crawl
    assert proc.returncode == 0, proc.stderr[-3000:]
    path = warc_file(out)
    assert path.name.endswith(".warc.gz")          # renamed from .open when the crawl ended
    m = manifest(out)
    assert path.name.startswith(m["run_id"])
    assert f"warc/{path.name}" in m["files"]
    types: list[str] = []
    responses: dict[str, str] = {}
    requests: dict[str, str] = {}
    kinds: dict[str, str | None] = {}
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            types.append(rec.rec_type)
            h = rec.rec_headers
            if rec.rec_type == "warcinfo":
                info = rec.content_stream().read().decode()
                assert re.search(r"^software: newsclean/\S+", info, re.M), info
                assert m["run_id"] in info
            elif rec.rec_type == "response":
                responses[h.get_header("WARC-Record-ID")] = h.get_header("WARC-Target-URI")
                kinds[h.get_header("WARC-Target-URI")] = h.get_header("Newsclean-Kind")
                assert rec.http_headers.get_statuscode() == "200"
                assert rec.http_headers.get_header("Content-Type")
                datetime.fromisoformat(h.get_header("WARC-Date").replace("Z", "+00:00"))
            elif rec.rec_type == "request":
                requests[h.get_header("WARC-Concurrent-To")] = h.get_header("WARC-Target-URI")
                assert rec.http_headers.protocol == "GET"
                assert rec.http_headers.get_header("User-Agent", "").startswith("newsclean")
    assert types[0] == "warcinfo"
    assert requests == responses                    # every response has its request, same URI
    # Every answer the server gave is archived once: robots.txt (fetched once, serving Scrapy's
    # middleware and the spider), sitemaps, feeds, sections, articles.
    served = Counter(h.path for h in server.hits)
    archived = Counter(re.sub(r"^https?://[^/]+", "", u) for u in responses.values())
    assert archived == served
    assert served["/robots.txt"] == 1
    # Every response says what the crawl did with it, robots.txt (the middleware's fetch) too.
    assert {u for u, kind in kinds.items() if not kind} == set()
    assert {kind for u, kind in kinds.items() if u.endswith("/robots.txt")} == {"robots"}
    assert m["counts"]["newsclean/warc/records"] == len(types)
    assert m["counts"]["newsclean/warc/bytes"] == path.stat().st_size


def test_reclean_gives_the_crawls_records(crawl, tmp_path: Path) -> None:
    _, out, _ = crawl
    crawled = {r["id"]: r for r in read_parts(out)}
    crawl_rejects = sorted((r["url"], r["reason"], r["detail"]) for r in read_parts(out, "rejects"))
    assert len(crawled) >= 20
    dest, rejects = tmp_path / "re.jsonl", tmp_path / "rejects.jsonl"
    proc = run_newsclean("clean", str(warc_file(out)), "-o", str(dest), "--rejects", str(rejects), "--workers", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert re.search(rf"^{len(crawled)} written, {len(crawl_rejects)} rejected, 0 skipped, \d+ not cleaned .*pages/s",
                     proc.stdout, re.M), proc.stdout
    assert sorted((r["url"], r["reason"], r["detail"]) for r in load(rejects)) == crawl_rejects
    recleaned = {r["id"]: r for r in load(dest)}
    assert recleaned.keys() == crawled.keys()
    for rid, rec in recleaned.items():
        validate_record(rec)
        old = crawled[rid]
        assert {k: v for k, v in rec.items() if k not in VOLATILE} == {k: v for k, v in old.items() if k not in VOLATILE}
        assert rec["run_id"] != old["run_id"]
        # WARC-Date is when the request went out: before the crawl parsed the page, not long before.
        fetched, parsed = (datetime.fromisoformat(r["fetched_at"].replace("Z", "+00:00")) for r in (rec, old))
        assert 0 <= (parsed - fetched).total_seconds() < 30


def test_one_worker_and_a_pool_give_the_same_records(crawl, tmp_path: Path) -> None:
    _, out, _ = crawl
    results = []
    for n in ("1", "2"):
        dest = tmp_path / f"w{n}.jsonl"
        proc = run_newsclean("clean", str(out / "warc"), "-o", str(dest), "--workers", n)
        assert proc.returncode == 0, proc.stderr[-3000:]
        results.append([{k: v for k, v in r.items() if k != "run_id"} for r in load(dest)])
    assert results[0] == results[1]          # same records in the same (input) order


def test_an_output_directory_named_whole_gives_the_pages_its_warc_kept(crawl, tmp_path: Path) -> None:
    # before: its records, manifest and state were read as pages: every record a skipped line ('no
    # html field'), the manifest's lines bad JSON, the templates 'no html field', exit 1, nothing written
    _, out, _ = crawl
    proc = run_newsclean("clean", str(out), "-o", str(tmp_path / "c.jsonl"), "--workers", "1")
    assert proc.returncode == 0 and "skipped" not in proc.stderr, proc.stderr[-3000:]
    assert sorted(r["id"] for r in load(tmp_path / "c.jsonl")) == sorted(r["id"] for r in read_parts(out))
    (out / "warc").rename(tmp_path / "kept")   # a crawl without --warc: one line saying so
    try:
        proc = run_newsclean("clean", str(out), "-o", str(tmp_path / "d.jsonl"), "--workers", "1")
    finally:
        (tmp_path / "kept").rename(out / "warc")
    assert proc.returncode == 1 and proc.stderr.splitlines()[0] == (
        f"newsclean: skipped {out}: a newsclean output directory with no warc/: its records are cleaned already "
        f"(stats and export read them); a crawl with --warc keeps its pages in {out / 'warc'} to clean again"), proc.stderr


# -- bad input ---------------------------------------------------------------------------------

WORDS = ("the harbour council met on tuesday to weigh a plan for new ferry berths while fishermen "
         "asked for a longer season and the mayor promised a public hearing before any vote").split()


def article(i: int) -> bytes:
    paras = "".join(f"<p>{' '.join(WORDS[(i + j) % len(WORDS):] + WORDS[:(i + j) % len(WORDS)])} ({i}.{j})</p>"
                    for j in range(6))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Harbour story {i}</title></head>"
            f"<body><article><h1>Harbour story {i}</h1>{paras}</article></body></html>").encode()


def good_warc(path: Path, n: int = 4, *, site: str | None = None, bodies: list[bytes] | None = None) -> Path:
    """A WARC of ``n`` article pages (or of ``bodies``), written the way a crawl writes it."""
    writer = WarcFileWriter(path, software="newsclean/test", run_id="test")
    bodies = bodies or [article(i) for i in range(n)]
    for i, body in enumerate(bodies):
        writer.add(Exchange(url=f"http://news.test/story-{i}/", method="GET", request_headers=[("User-Agent", "t")],
                            request_body=b"", protocol="HTTP/1.1", status=200,
                            response_headers=[("Content-Type", "text/html; charset=utf-8")], body=body,
                            fetched_at=datetime(2026, 1, 2, 3, 4, i % 60, tzinfo=timezone.utc), site=site, kind="article"))
    writer.close()
    return path


def response_members(data: bytes) -> list[int]:
    """Offsets of the gzip members holding response records (newsclean writes one per record)."""
    out, pos = [], 0
    while pos < len(data):
        d = zlib.decompressobj(wbits=31)
        if b"WARC-Type: response" in d.decompress(data[pos:])[:600]:
            out.append(pos)
        pos = len(data) - len(d.unused_data)
    return out


def clean(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], list[dict]]:
    out = Path(str(args[args.index("-o") + 1]))
    proc = run_newsclean("clean", *map(str, args))
    return proc, load(out) if out.exists() else []


def test_good_warc_reads_whole(tmp_path: Path) -> None:
    items = list(iter_warc(good_warc(tmp_path / "good.warc.gz")))
    assert [type(i) for i in items] == [WarcResponse] * 4
    assert items[2].fetched_at == datetime(2026, 1, 2, 3, 4, 2, tzinfo=timezone.utc)
    assert items[2].body == article(2)


def test_gzip_member_cut_short_is_reported_and_the_rest_kept(tmp_path: Path) -> None:
    data = good_warc(tmp_path / "good.warc.gz").read_bytes()
    last = response_members(data)[-1]
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[:last + 150])        # a crawl killed while writing the last page
    proc, records = clean(cut, "-o", tmp_path / "o.jsonl", "--workers", "1")
    assert proc.returncode == 1
    assert f"skipped {cut}@{last}: gzip member cut short" in proc.stderr
    assert sorted(r["title"] for r in records) == [f"Harbour story {i}" for i in range(3)]
    assert "3 written, 0 rejected, 1 skipped" in proc.stdout
    proc, _ = clean(cut, "-o", tmp_path / "o2.jsonl", "--workers", "1", "--allow-skips")
    assert proc.returncode == 0


def test_corrupt_record_in_the_middle_is_skipped(tmp_path: Path) -> None:
    data = bytearray(good_warc(tmp_path / "good.warc.gz").read_bytes())
    second = response_members(bytes(data))[1]
    data[second + 60:second + 90] = b"\xff" * 30          # damage inside the compressed record
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(bytes(data))
    proc, records = clean(bad, "-o", tmp_path / "o.jsonl", "--workers", "2")
    assert proc.returncode == 1
    assert re.search(rf"skipped {re.escape(str(bad))}@{second}: corrupt gzip member", proc.stderr), proc.stderr
    assert [r["title"] for r in records] == ["Harbour story 0", "Harbour story 2", "Harbour story 3"]


def test_truncated_uncompressed_warc(tmp_path: Path) -> None:
    raw = gzip.decompress(good_warc(tmp_path / "good.warc.gz").read_bytes())
    cut_at = raw.rindex(b"WARC/1.1\r\nWARC-Date") + 40          # inside the last record's WARC headers
    warc = tmp_path / "cut.warc"
    warc.write_bytes(raw[:cut_at])
    items = list(iter_warc(warc))
    assert [type(i) for i in items] == [WarcResponse] * 4 + [WarcProblem]
    assert items[-1].offset == raw.rindex(b"WARC/1.1\r\nWARC-Date")
    # A broken record header in the middle: reported there, reading resumes at the next record.
    first = raw.index(b"WARC/1.1\r\nWARC-Date")
    broken = tmp_path / "broken.warc"
    broken.write_bytes(raw[:first] + b"WARX" + raw[first + 4:])
    proc, records = clean(broken, "-o", tmp_path / "o.jsonl", "--workers", "1")
    assert proc.returncode == 1
    assert f"skipped {broken}@{first}: ArchiveLoadFailed" in proc.stderr
    assert [r["title"] for r in records] == [f"Harbour story {i}" for i in (1, 2, 3)]


def test_fetched_at_and_url_come_from_the_warc(tmp_path: Path) -> None:
    warc = good_warc(tmp_path / "g.warc.gz")
    proc, records = clean(warc, "-o", tmp_path / "o.jsonl", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert [r["fetched_at"] for r in records] == [f"2026-01-02T03:04:0{i}Z" for i in range(4)]
    assert [r["url"] for r in records] == [f"http://news.test/story-{i}/" for i in range(4)]
    assert {r["site"] for r in records} == {"news.test"}   # no Newsclean-Site: named after the host


def test_jsonl_lines_that_are_not_json_and_unreadable_files(tmp_path: Path) -> None:
    lines = [orjson.dumps({"html": article(0).decode(), "url": "http://news.test/a/"}),
             b'{"html": "<p>cut off',
             b"[1, 2]",
             orjson.dumps({"html": article(1).decode(), "url": "http://news.test/b/",
                           "fetched_at": "2026-03-04T05:06:07+00:00"})]
    jsonl = tmp_path / "pages.jsonl"
    jsonl.write_bytes(b"\n".join(lines) + b"\n")
    bad_gz = tmp_path / "page.html.gz"
    bad_gz.write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    proc, records = clean(jsonl, bad_gz, "-o", tmp_path / "o.jsonl", "--workers", "1")
    assert proc.returncode == 1
    assert f"skipped {jsonl}:2: bad JSON" in proc.stderr
    assert f"skipped {jsonl}:3: not an object" in proc.stderr
    assert f"skipped {bad_gz}: cannot read" in proc.stderr
    assert "2 written, 0 rejected, 3 skipped" in proc.stdout
    assert [r["url"] for r in records] == ["http://news.test/a/", "http://news.test/b/"]
    assert records[1]["fetched_at"] == "2026-03-04T05:06:07Z"


def test_records_given_to_clean_are_one_line_saying_what_reads_them(tmp_path: Path) -> None:
    # A crawl's OUT given whole: before, a line for each record ("no 'html' field"), 50 of them
    # said, and nothing on what would read them
    records = tmp_path / "part.jsonl"
    records.write_bytes(b"".join(orjson.dumps({"url": f"http://news.test/{i}/", "text": "A story."}) + b"\n"
                                 for i in range(8)))
    jsonl = tmp_path / "pages.jsonl"
    jsonl.write_bytes(orjson.dumps({"html": article(0).decode(), "url": "http://news.test/a/"}) + b"\n" + b"[1]\n")
    proc, written = clean(records, jsonl, "-o", tmp_path / "o.jsonl", "--workers", "1")
    assert proc.returncode == 1 and len(written) == 1
    skipped = [line for line in proc.stderr.splitlines() if line.startswith("newsclean: skipped")]
    assert skipped == [f"newsclean: skipped 8 lines of {records} (lines 1, 2, 3, 4, 5, ...): the first: no 'html' "
                       "field, a 'text' one: --text cleans text, a crawl's pages are in its WARC (OUT/warc/, crawl --warc)",
                       f"newsclean: skipped {jsonl}:2: not an object: list"], proc.stderr
    assert "1 written, 0 rejected, 9 skipped" in proc.stdout
    assert "newsclean: 9 inputs skipped" in proc.stderr


def test_output_is_replaced_only_when_complete(tmp_path: Path) -> None:
    dest = tmp_path / "o.jsonl"
    dest.write_bytes(b"old\n")
    (tmp_path / "nothing-here").mkdir()
    proc = run_newsclean("clean", str(tmp_path / "nothing-here"), "-o", str(dest), "--rejects", str(tmp_path / "r.jsonl"))
    assert proc.returncode == 1
    assert dest.read_bytes() == b"old\n"        # a run that read nothing leaves it as it was
    assert not list(tmp_path.glob(".*.tmp"))


def test_copies_in_the_input_are_marked_or_dropped(tmp_path: Path) -> None:
    copy = article(1).replace(b"Harbour story 1</h1>", b"Harbour story 1</h1><p>From our wire partners.</p>")
    warc = good_warc(tmp_path / "dup.warc.gz", bodies=[article(0), article(1), copy, article(1)])
    proc, records = clean(warc, "-o", tmp_path / "keep.jsonl", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    ids = [r["id"] for r in records]
    assert [r["duplicate_of"] for r in records] == [None, None, ids[1], ids[1]]   # near, then exact copy
    proc, records = clean(warc, "-o", tmp_path / "drop.jsonl", "--rejects", tmp_path / "rej.jsonl",
                          "--workers", "1", "--duplicates", "drop")
    assert proc.returncode == 0, proc.stderr
    assert [r["url"] for r in records] == ["http://news.test/story-0/", "http://news.test/story-1/"]
    rejects = load(tmp_path / "rej.jsonl")
    assert [(r["url"], r["reason"]) for r in rejects] == [("http://news.test/story-2/", "duplicate"),
                                                          ("http://news.test/story-3/", "duplicate")]
    assert "near copy of" in rejects[0]["detail"] and "exact copy of" in rejects[1]["detail"]


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    warc = good_warc(tmp_path / "g.warc.gz")
    proc, _ = clean(warc, "-o", tmp_path / "piped.jsonl", "--workers", "1")
    assert proc.returncode == 0 and "\r" not in proc.stderr and "pages/s]" not in proc.stderr
    primary, secondary = pty.openpty()      # stderr on a terminal, as when run by hand
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))   # 120 columns
    child = subprocess.Popen([sys.executable, "-m", "newsclean.crawler.commands.cli", "clean", str(warc), "-o", str(tmp_path / "tty.jsonl"),
                              "--workers", "1"], cwd=REPO, stdout=subprocess.PIPE, stderr=secondary)
    os.close(secondary)
    shown = read_terminal(primary)
    assert child.wait(timeout=120) == 0
    assert b"1/1" in shown and b"pages=4" in shown and b"written=4" in shown, shown


#: ``clean`` with a SIGTERM landing in a ``__del__`` before the pages are cleaned: Python prints
#: the handler's KeyboardInterrupt there and drops it (as it does in the pool's weakref callbacks).
SIGTERM_PYTHON_DROPS = """
import os, signal, sys
from newsclean.crawler.commands import clean, cli
cleaned = clean._clean_pages
def after_a_dropped_sigterm(*args, **kwargs):
    class Dropper:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(200_000):   # the handler runs in this loop, inside __del__
                pass
    Dropper()
    return cleaned(*args, **kwargs)
clean._clean_pages = after_a_dropped_sigterm
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_sigterm_python_drops_in_a_finalizer_still_ends_the_run(tmp_path: Path) -> None:
    # It happened under load in the test below: the run wrote every record and exited 0.
    warc = good_warc(tmp_path / "g.warc.gz", n=3)
    dest = tmp_path / "o.jsonl"
    done = subprocess.run([sys.executable, "-c", SIGTERM_PYTHON_DROPS, "clean", str(warc), "-o", str(dest), "--workers", "1"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert "Exception ignored" in done.stderr and "KeyboardInterrupt" in done.stderr, done.stderr[-2000:]
    assert done.returncode == 130, done.stderr[-2000:]
    assert "interrupted" in done.stderr
    assert not dest.exists() and not list(tmp_path.glob(".o.jsonl.*.tmp"))   # AtomicFile: .o.jsonl.<host>.<pid>-<token>.tmp


def test_sigterm_leaves_no_temporary_output(tmp_path: Path) -> None:
    warc = good_warc(tmp_path / "g.warc.gz", bodies=[article(i % 4) for i in range(400)])
    dest = tmp_path / "o.jsonl"
    child = subprocess.Popen([sys.executable, "-m", "newsclean.crawler.commands.cli", "clean", str(warc), "-o", str(dest), "--workers", "2"],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # AtomicFile writes under .o.jsonl.<host>.<pid>-<token>.tmp (each writer its own name).
    def written() -> bool:
        for t in tmp_path.glob(".o.jsonl.*.tmp"):
            try:
                if t.stat().st_size:
                    return True
            except FileNotFoundError:   # committed between the listing and the look
                pass
        return False

    # Until it is writing, however long a loaded machine takes to get there: a signal that came
    # before the command had set up its handlers would test nothing (and failed under load).
    deadline = time.monotonic() + 600
    while not written():
        assert child.poll() is None, f"the command ended before it wrote anything: {child.communicate()[1][-2000:]}"
        assert time.monotonic() < deadline, "the command wrote nothing in 600 s"
        time.sleep(0.05)
    child.terminate()
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert "interrupted" in err
    assert not list(tmp_path.glob(".o.jsonl.*.tmp")) and not dest.exists()
