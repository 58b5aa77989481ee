"""End to end over real crawls (local HTTP server): compressed parts, the language filter,
``newsclean stats`` and ``newsclean export`` on what the crawl wrote."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import orjson
import pandas as pd
import pyarrow.json as pa_json
import pyarrow.parquet as pq
import pytest

from newsclean.output import JsonlReader, find_parts, validate_record
from newsclean.output.parquet import record_from_row

from ..conftest import read_parts, run_newsclean

Run = tuple[subprocess.CompletedProcess[str], Path]


def records_of(out: Path, kind: str = "articles") -> list[dict]:
    reader = JsonlReader()
    records = list(reader.iter_records(find_parts(out, kind)))
    assert reader.skipped == []
    return records


def manifest_of(out: Path) -> dict:
    (path,) = (out / "manifests").glob("*.json")
    return orjson.loads(path.read_bytes())


@pytest.fixture(scope="module")
def plain_demo(tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("plain") / "out"
    return run_newsclean("demo", "--out", str(out)), out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ZSTD_ARGS = ("-s", "NEWSCLEAN_OUTPUT_COMPRESSION=zstd")


@pytest.fixture(scope="module")
def zstd_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path, str]:
    out = tmp_path_factory.mktemp("zstd") / "out"
    port = str(free_port())   # fixed: a second run must see the same URLs
    return run_newsclean("demo", "--out", str(out), "--port", port, *ZSTD_ARGS), out, port


# ------------------------------------------------------------------ loading the JSONL as researchers do

def test_demo_parts_load_in_pandas_and_pyarrow(plain_demo: Run) -> None:
    proc, out = plain_demo
    assert proc.returncode == 0, proc.stderr[-3000:]
    parts = find_parts(out)
    records = read_parts(out)
    assert parts and len(records) >= 24
    loaded = pd.concat([pd.read_json(p, lines=True) for p in parts])
    assert sorted(loaded["id"]) == sorted(r["id"] for r in records)
    assert sorted(loaded["word_count"]) == sorted(r["word_count"] for r in records)
    tables = [pa_json.read_json(p) for p in parts]
    assert sum(t.num_rows for t in tables) == len(records)
    assert sorted(tables[0].column("content_hash").to_pylist()) == sorted(r["content_hash"] for r in records[:tables[0].num_rows])


def test_zstd_crawl_writes_the_same_records(plain_demo: Run, zstd_demo: tuple[subprocess.CompletedProcess[str], Path, str]) -> None:
    proc, out, port = zstd_demo
    assert proc.returncode == 0, proc.stderr[-3000:]
    parts = find_parts(out)
    assert parts and all(p.name.endswith(".jsonl.zst") for p in parts)
    assert not list(out.rglob(".part-*"))
    # Each demo serves on its own port: compare by path, without what the port and the run change.
    got = {urlsplit(r["canonical_url"]).path: r for r in records_of(out)}
    want = {urlsplit(r["canonical_url"]).path: r for r in read_parts(plain_demo[1])}
    assert sorted(got) == sorted(want)
    varying = ("id", "url", "canonical_url", "run_id", "fetched_at")
    for path, rec in got.items():
        validate_record(rec)
        assert {k: v for k, v in rec.items() if k not in varying} == \
               {k: v for k, v in want[path].items() if k not in varying}
    # The article store staged the compressed part names: a second run finds nothing new to write.
    again = run_newsclean("demo", "--out", str(out), "--port", port, *ZSTD_ARGS)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(records_of(out)) == len(got)


# ------------------------------------------------------------------ stats and export over a crawl

def test_stats_over_the_crawl_output(plain_demo: Run) -> None:
    _, out = plain_demo
    records = read_parts(out)
    proc = run_newsclean("stats", str(out), "--json")
    assert proc.returncode == 0, proc.stderr
    stats = orjson.loads(proc.stdout)
    assert stats["records"] == len(records)
    assert stats["sites"] == {"demo": len(records)}
    assert sum(stats["months"].values()) == len(records)
    assert stats["languages"] == dict(pd.Series([r["language"] or "unknown" for r in records]).value_counts())
    assert stats["word_count"]["max"] == max(r["word_count"] for r in records)
    assert stats["coverage"]["title"] == round(sum(bool(r["title"]) for r in records) / len(records), 4)
    text = run_newsclean("stats", str(out))
    assert text.returncode == 0 and "field coverage" in text.stdout and "demo" in text.stdout


def test_stats_names_bad_lines_and_fails_unless_allowed(plain_demo: Run, tmp_path: Path) -> None:
    _, out = plain_demo
    bad = tmp_path / "bad.jsonl"
    part = find_parts(out)[0]
    lines = part.read_bytes().splitlines()
    bad.write_bytes(lines[0] + b"\n" + lines[1][: len(lines[1]) // 2] + b"\n")   # a line cut in half
    proc = run_newsclean("stats", str(out), str(bad))
    assert proc.returncode == 1
    assert f"{bad}:2: bad JSON" in proc.stderr
    assert "Traceback" not in proc.stderr
    allowed = run_newsclean("stats", str(out), str(bad), "--allow-skips", "--json")
    assert allowed.returncode == 0
    assert orjson.loads(allowed.stdout)["records"] == len(read_parts(out)) + 1


def test_export_parquet_round_trips_the_crawl(plain_demo: Run, tmp_path: Path) -> None:
    _, out = plain_demo
    target = tmp_path / "corpus.parquet"
    proc = run_newsclean("export", str(out), "--parquet", str(target))
    assert proc.returncode == 0, proc.stderr
    records = read_parts(out)
    table = pq.read_table(target)
    assert table.num_rows == len(records)
    assert [record_from_row(r) for r in table.to_pylist()] == records
    assert pd.read_parquet(target)["id"].tolist() == [r["id"] for r in records]


# ------------------------------------------------------------------ language filter, gzip parts

STORY = {
    "en": ("The harbour authority said on Tuesday that the new container berth would open in the spring, two "
           "months later than planned, after engineers found soft clay beneath the quay wall.",
           "Shipping lines had been told to expect the delay, a spokesperson said, and the older berths would "
           "stay open around the clock until the new one was ready for the larger vessels."),
    "de": ("Die Hafenbehörde teilte am Dienstag mit, der neue Containerliegeplatz werde im Frühjahr öffnen, zwei "
           "Monate später als geplant, nachdem Ingenieure weichen Ton unter der Kaimauer gefunden hatten.",
           "Die Reedereien seien auf die Verzögerung vorbereitet worden, sagte eine Sprecherin, und die älteren "
           "Liegeplätze blieben rund um die Uhr geöffnet, bis der neue für die größeren Schiffe bereit sei."),
}


def article(title: str, lang: str, declared: str | None, extra: str) -> bytes:
    attr = f' lang="{declared}"' if declared else ""
    paras = "".join(f"<p>{p}</p>" for p in (*STORY[lang], extra))
    return (f'<!doctype html><html{attr}><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<nav><a href="/">Home</a></nav><article><h1>{title}</h1><p class="byline">By Test Writer</p>'
            f"{paras}</article></body></html>").encode()


def test_language_filter_rejects_other_languages_end_to_end(site_server, tmp_path: Path) -> None:
    server, root = site_server
    base = server.base_url
    pages = {
        "/2026/02/01/berth-delayed/": article("Berth delayed", "en", "en", "Traders were relieved."),
        "/2026/02/02/berth-costs/": article("Berth costs rise", "en", None, "Costs rose by a tenth."),
        "/2026/02/03/liegeplatz-verspaetet/": article("Liegeplatz verspätet", "de", "de", "Händler waren erleichtert."),
        # A template that declares English on a German article: the text decides.
        "/2026/02/04/liegeplatz-kosten/": article("Kosten steigen", "de", "en", "Die Kosten stiegen um ein Zehntel."),
        "/2026/02/05/brief/": b'<!doctype html><html lang="en"><body><article><h1>Brief</h1><p>Short.</p></article></body></html>',
    }
    for path, body in pages.items():
        target = root / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True)
        target.write_bytes(body)
    urls = "".join(f"<url><loc>{base}{path}</loc></url>" for path in pages)
    (root / "sitemap.xml").write_text(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
    (root / "robots.txt").write_text(f"User-agent: *\nSitemap: {base}/sitemap.xml\n")

    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", base + "/", "--out", str(out), "-s", "NEWSCLEAN_LANGUAGES=en,ur",
                         "-s", "NEWSCLEAN_OUTPUT_COMPRESSION=gzip", "-s", "AUTOTHROTTLE_ENABLED=False")
    assert proc.returncode == 0, proc.stderr[-3000:]
    parts = find_parts(out) + find_parts(out, "rejects")
    assert parts and all(p.name.endswith(".jsonl.gz") for p in parts)

    records = records_of(out)
    assert sorted(r["url"].removeprefix(base) for r in records) == ["/2026/02/01/berth-delayed/",
                                                                    "/2026/02/02/berth-costs/"]
    assert {r["language"] for r in records} == {"en"}               # the undeclared one identified
    rejects = {r["url"].removeprefix(base): r for r in records_of(out, "rejects")}
    assert {u: r["reason"] for u, r in rejects.items()} == {
        "/2026/02/03/liegeplatz-verspaetet/": "language", "/2026/02/04/liegeplatz-kosten/": "language",
        "/2026/02/05/brief/": "too_short"}
    assert "de not in NEWSCLEAN_LANGUAGES ['en', 'ur']" in rejects["/2026/02/04/liegeplatz-kosten/"]["detail"]
    assert manifest_of(out)["counts"]["newsclean/clean/dropped/language"] == 2

    # pandas reads the gzip parts directly (compression inferred from the name).
    loaded = pd.concat([pd.read_json(p, lines=True) for p in find_parts(out)])
    assert sorted(loaded["url"]) == sorted(r["url"] for r in records)

    stats = orjson.loads(run_newsclean("stats", str(out), "--json").stdout)
    assert (stats["records"], stats["rejects"]) == (2, 3)
    assert stats["reject_reasons"] == {"language": 2, "too_short": 1}
    assert stats["reject_rate"] == 0.6 and stats["languages"] == {"en": 2}


@pytest.mark.parametrize("setting,message", [
    ("NEWSCLEAN_OUTPUT_COMPRESSION=bz2", 'NEWSCLEAN_OUTPUT_COMPRESSION must be one of "", "gzip", "zstd", got \'bz2\''),
    ("NEWSCLEAN_LANGUAGES=en,english", "NEWSCLEAN_LANGUAGES takes ISO 639-1 codes like en, ur; got 'english'"),
])
def test_bad_output_settings_are_one_line_usage_errors(tmp_path: Path, setting: str, message: str) -> None:
    proc = run_newsclean("crawl", "--url", f"http://127.0.0.1:{free_port()}/", "--out", str(tmp_path / "out"),
                         "-s", setting)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"newsclean: error: {message}"
