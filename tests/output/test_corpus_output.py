"""Compressed part files, corpus stats and the Parquet export, on records built here."""

from __future__ import annotations

import gzip
from datetime import datetime, timezone
from pathlib import Path

import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq
import pytest

from newsclean.cleaners import Article
from newsclean.output import JsonlReader, PartWriter, build_record, build_reject, find_parts, validate_record
from newsclean.output.parquet import RECORD_ARROW_SCHEMA, arrow_schema, export_parquet, record_from_row
from newsclean.output.reader import expand_inputs, open_jsonl
from newsclean.output.schema import RECORD_SCHEMA
from newsclean.output.stats import corpus_stats, format_stats

FETCHED = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=timezone.utc)


def make_record(n: int, *, words: int = 120, language: str | None = "en", published: str | None = "2026-02-10",
                authors: tuple[str, ...] = ("Ama Owusu",), tags: tuple[str, ...] = (), title: str | None = "Title",
                text: str | None = None, duplicate_of: str | None = None, site: str = "alpha") -> dict:
    article = Article(url=f"https://alpha.example/story-{n}", text=text or " ".join(["word"] * words), title=title,
                      authors=list(authors), published=published, language=language, tags=list(tags),
                      method="trafilatura", removed={"prune_widgets": 10 * n}, date_sources={"published": "json-ld"}
                      if published else {})
    rec = build_record(article, url=f"https://alpha.example/story-{n}", site=site, fetched_at=FETCHED,
                       run_id="run-1", duplicate_of=duplicate_of)
    validate_record(rec)
    return rec


def odd_records() -> list[dict]:
    """Nulls everywhere they are allowed, empty lists, and text outside ASCII."""
    return [
        make_record(1),
        make_record(2, language=None, published=None, authors=(), tags=(), title=None),
        make_record(3, text="Zürich: «Ça va?» — 東京の記者\n\u0627\u0631\u062f\u0648 \U0001F4F0 line two",
                    tags=("politik", "日本"), language="de"),
        make_record(4, duplicate_of=make_record(1)["id"], words=3000, site="beta"),
    ]


# ------------------------------------------------------------------ compressed parts

@pytest.mark.parametrize("compress,suffix", [("", ".jsonl"), ("gzip", ".jsonl.gz"), ("zstd", ".jsonl.zst")])
def test_compressed_parts_commit_atomically_and_read_back(tmp_path: Path, compress: str, suffix: str) -> None:
    records = odd_records()
    writer = PartWriter(tmp_path, "run-1", compress=compress, max_records=3)
    target = writer.target({"site": "alpha"})
    assert target.name.endswith(suffix)
    for rec in records[:2]:
        writer.write(rec, {"site": "alpha"})
    # Open part: only the hidden temp file exists; no reader sees it.
    assert find_parts(tmp_path) == []
    assert [p.name for p in (tmp_path / "articles" / "site=alpha").iterdir()] == [f".{target.name}.tmp"]
    for rec in records[2:]:
        writer.write(rec, {"site": "alpha"})
    committed = writer.close()
    assert committed[0].path == target                        # the path staged in the article store
    assert [p.name.endswith(suffix) for p in find_parts(tmp_path)] == [True, True]
    reader = JsonlReader()
    assert list(reader.iter_records(find_parts(tmp_path))) == records
    assert reader.skipped == []


def test_gzip_parts_are_plain_gzip_and_deterministic(tmp_path: Path) -> None:
    for run in ("a", "b"):
        with PartWriter(tmp_path / run, "run-1", compress="gzip") as writer:
            for rec in odd_records():
                writer.write(rec)
    a, b = find_parts(tmp_path / "a")[0], find_parts(tmp_path / "b")[0]
    assert a.read_bytes() == b.read_bytes()                  # no timestamp in the gzip header
    lines = gzip.decompress(a.read_bytes()).splitlines()
    assert [orjson.loads(line) for line in lines] == odd_records()


def test_unknown_compression_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown compression 'bz2'"):
        PartWriter(tmp_path, "run-1", compress="bz2")


@pytest.mark.parametrize("compress", ["gzip", "zstd"])
def test_cut_compressed_part_is_a_reported_skip(tmp_path: Path, compress: str) -> None:
    with PartWriter(tmp_path, "run-1", compress=compress) as writer:
        for n in range(40):
            writer.write(make_record(n, words=50 + n))
    part = find_parts(tmp_path)[0]
    with PartWriter(tmp_path / "good", "run-2", compress=compress) as writer:
        writer.write(make_record(99))
    part.write_bytes(part.read_bytes()[:-12])               # the end of the stream is gone
    reader = JsonlReader()
    got = list(reader.iter_records([part, *find_parts(tmp_path / "good")]))
    assert got[-1]["id"] == make_record(99)["id"]            # the next file is still read
    assert len(got) < 41
    ((path, line, why),) = reader.skipped
    assert path == str(part) and line >= 1 and "cannot read further" in why and "EOFError" in why


def test_damaged_zstd_is_a_reported_skip(tmp_path: Path) -> None:
    with PartWriter(tmp_path, "run-1", compress="zstd") as writer:
        for n in range(5):
            writer.write(make_record(n))
    part = find_parts(tmp_path)[0]
    data = bytearray(part.read_bytes())
    data[8:40] = b"\xff" * 32
    part.write_bytes(bytes(data))
    reader = JsonlReader()
    list(reader.iter_records([part]))
    assert len(reader.skipped) == 1 and "damaged zstd data" in reader.skipped[0][2]


def test_open_jsonl_goes_by_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "renamed.jsonl"                        # gzip inside, plain name
    path.write_bytes(gzip.compress(b'{"a": 1}\n'))
    with open_jsonl(path) as fh:
        assert fh.read() == b'{"a": 1}\n'


# ------------------------------------------------------------------ stats

def write_corpus(root: Path) -> None:
    with PartWriter(root, "run-1", kind="articles", compress="gzip") as writer:
        for rec in odd_records():
            writer.write(rec, {"site": rec["site"]})
    with PartWriter(root, "run-1", kind="rejects") as writer:
        for reason in ("too_short", "too_short", "language"):
            writer.write(build_reject(url="https://alpha.example/x", site="alpha", reason=reason, detail="",
                                      fetched_at=FETCHED, run_id="run-1"), {"site": "alpha"})


def test_stats_of_an_output_directory(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    articles, rejects, missing = expand_inputs([tmp_path])
    assert (len(articles), len(rejects), missing) == (2, 1, [])
    stats = corpus_stats(articles, rejects)
    assert stats["records"] == 4 and stats["rejects"] == 3
    assert stats["sites"] == {"alpha": 3, "beta": 1}
    assert stats["languages"] == {"en": 2, "unknown": 1, "de": 1}
    assert stats["months"] == {"2026-02": 3, "2026-03": 1}              # one by fetched_at
    assert stats["month_source"] == {"published": 3, "fetched_at": 1}
    assert stats["duplicates"] == 1 and stats["duplicate_rate"] == 0.25
    assert stats["reject_rate"] == round(3 / 7, 4)
    assert stats["reject_reasons"] == {"too_short": 2, "language": 1}
    assert stats["coverage"]["title"] == 0.75 and stats["coverage"]["tags"] == 0.25
    assert stats["coverage"]["authors"] == 0.75 and stats["coverage"]["modified"] == 0.0
    wc = stats["word_count"]
    assert (wc["min"], wc["max"]) == (min(r["word_count"] for r in odd_records()), 3000)
    assert sum(wc["histogram"].values()) == 4 and wc["histogram"]["2000+"] == 1
    assert stats["skipped"] == 0
    text = format_stats(stats)
    assert "rejects by reason" in text and "too_short" in text and "by fetched_at for 1 record without" in text


def test_stats_report_bad_lines_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = [orjson.dumps(r) for r in odd_records()[:2]]
    path.write_bytes(b"\n".join([good[0], b'{"truncated": ', b"[1, 2]", b'{"neither": true}', good[1]]) + b"\n")
    stats = corpus_stats([path])
    assert stats["records"] == 2
    assert [line.split(": ")[0] for line in stats["skipped_lines"]] == [f"{path}:2", f"{path}:3", f"{path}:4"]


# ------------------------------------------------------------------ parquet

def test_arrow_schema_has_the_json_schema_fields_in_order() -> None:
    schema = arrow_schema()
    assert schema.names == list(RECORD_SCHEMA["properties"])
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("word_count").type == pa.int64()
    assert schema.field("fetched_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("published").type == pa.string()               # offsets kept as written
    nullable = {f.name for f in schema if f.nullable}
    json_nullable = {name for name, spec in RECORD_SCHEMA["properties"].items() if "null" in orjson.dumps(spec).decode()}
    assert nullable == json_nullable
    assert pa.types.is_struct(schema.field("cleaning").type)


def test_arrow_schema_follows_a_changed_json_schema() -> None:
    changed = orjson.loads(orjson.dumps(RECORD_SCHEMA))
    changed["properties"]["paywalled"] = {"type": ["boolean", "null"]}
    assert arrow_schema(changed).field("paywalled").type == pa.bool_()
    changed["properties"]["odd"] = {"type": ["string", "integer"]}
    with pytest.raises(ValueError, match="odd: cannot map"):
        arrow_schema(changed)


def test_parquet_round_trips_records(tmp_path: Path) -> None:
    write_corpus(tmp_path / "out")
    articles, _, _ = expand_inputs([tmp_path / "out"])
    reader = JsonlReader()
    out = tmp_path / "corpus.parquet"
    assert export_parquet(articles, out, reader) == 4
    assert reader.skipped == []
    table = pq.read_table(out)
    assert table.schema.equals(RECORD_ARROW_SCHEMA, check_metadata=False)
    assert [record_from_row(row) for row in table.to_pylist()] == list(JsonlReader().iter_records(articles))
    assert list(tmp_path.glob(".*.tmp")) == []


def test_parquet_export_skips_what_does_not_fit(tmp_path: Path) -> None:
    good = odd_records()
    wrong_type = dict(good[1], word_count="many")
    extra_field = dict(good[2], html="<p>")
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in [good[0], wrong_type, extra_field, good[3]]) + b"\nnot json\n")
    reader = JsonlReader()
    assert export_parquet([path], tmp_path / "out.parquet", reader) == 2
    assert [(line, why.split(":")[0]) for _, line, why in reader.skipped] == [
        (3, "fields not in the record schema"), (5, "bad JSON"), (2, "does not fit the record schema")]


def test_jsonl_with_nulls_and_unicode_loads_in_pandas_and_pyarrow(tmp_path: Path) -> None:
    with PartWriter(tmp_path, "run-1", compress="gzip") as writer:
        for rec in odd_records():
            writer.write(rec)
    with PartWriter(tmp_path, "run-1") as writer:
        for rec in odd_records():
            writer.write(rec)
    parts = find_parts(tmp_path)
    assert len(parts) == 2   # the gzip part and the plain one: a loop over none checked nothing
    for part in parts:
        df = pd.read_json(part, lines=True)
        assert list(df["id"]) == [r["id"] for r in odd_records()]
        assert df["text"][2] == odd_records()[2]["text"]
        table = pa_json.read_json(part)
        assert table.column("authors").to_pylist()[1] == []
        assert table.column("title").to_pylist()[1] is None


def test_text_table_lists_every_month_but_only_the_top_sites() -> None:
    from newsclean.output.stats import CorpusStats

    stats = CorpusStats()
    for year in (2024, 2025):
        for month in range(1, 13):
            stats.add_record({"site": f"site-{year}-{month}", "published": f"{year}-{month:02d}-01", "text": "a b",
                              "word_count": 2})
    text = format_stats(stats.to_dict(), top=20)
    assert all(f"{y}-{m:02d}" in text for y in (2024, 2025) for m in range(1, 13))
    assert "(4 more)" in text and "site-2025-12" not in text


def test_a_parquet_file_given_as_jsonl_is_one_skip_saying_so(tmp_path: Path) -> None:
    # `newsclean stats corpus.parquet` (export's output given back): before, each of its lines
    # a "bad JSON: str is not valid UTF-8" skip, 98 of them for the demo's export
    from newsclean.output.reader import JsonlReader

    path = tmp_path / "corpus.parquet"
    pq.write_table(pa.table({"text": ["x" * 200] * 500, "n": list(range(500))}), path)
    reader = JsonlReader()
    assert list(reader.iter_records([path])) == []
    assert reader.skipped == [(str(path), 0, "a Parquet file, not JSONL (pandas.read_parquet reads it)")]


def test_committed_parts_of_a_path_that_is_no_output_directory(tmp_path: Path) -> None:
    # before (find_parts, or the README's glob): no part, a corpus of nothing, for a mistyped path
    # or one of the output directory's folders named in its place
    from newsclean.output import committed_parts

    writer = PartWriter(tmp_path / "out", "run-1")
    writer.write(odd_records()[0], {"site": "alpha"})
    (part,) = [c.path for c in writer.close()]
    assert committed_parts(tmp_path / "out") == [part]
    with pytest.raises(FileNotFoundError, match="no such output directory"):
        committed_parts(tmp_path / "otu")
    with pytest.raises(ValueError, match=f"the articles/ folder of the output directory {tmp_path / 'out'}; name"):
        committed_parts(tmp_path / "out" / "articles")
    with pytest.raises(ValueError, match="not a newsclean output directory"):
        committed_parts(tmp_path)


def _reference_rejects(events: list[tuple[str, str, str, str]]) -> dict[str, int]:
    """What a walk's rejects come to, the plain way (every reject kept by URL): a reject of a page
    a record fetched later holds is counted as written."""
    kept: dict[str, list[tuple[str, str]]] = {}
    counts = {"rejects": 0, "written_later": 0}
    for kind, url, fetched, reason in events:
        if kind == "reject":
            counts["rejects"] += 1
            kept.setdefault(url, []).append((fetched, reason))
            continue
        found = kept.pop(url, [])
        later = [r for r in found if r[0] < fetched]
        counts["rejects"] -= len(later)
        counts["written_later"] += len(later)
        if rest := [r for r in found if r[0] >= fetched]:
            kept[url] = rest
    return counts


@pytest.mark.parametrize("seed", range(4))
def test_rejects_written_later_are_told_as_when_each_reject_was_kept(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # the rejects are kept packed (RejectedPages: arrays merged from a dict): the same answer as
    # keeping every one, rejects and records interleaved, merges small enough to happen often
    import random

    from newsclean.output.stats import CorpusStats, RejectedPages

    monkeypatch.setattr(RejectedPages, "MERGE_AT", 7)
    monkeypatch.setattr(RejectedPages, "FIRST_SLOTS", 64)   # may_hold's bits laid again, often wrong
    rng = random.Random(seed)
    events = [("reject" if rng.random() < 0.6 else "record", f"https://e.example/{rng.randrange(60)}",
               f"2026-12-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:00:00+00:00", rng.choice(["a", "b"]))
              for _ in range(600)]
    stats = CorpusStats()
    for kind, url, fetched, reason in events:
        if kind == "reject":
            stats.add_reject({"url": url, "fetched_at": fetched, "reason": reason, "site": "s"})
        else:
            stats.add_record({"url": url, "fetched_at": fetched, "site": "s", "text": "a b"})
    report, want = stats.to_dict(), _reference_rejects(events)
    assert (report["rejects"], report["rejects_written_later"]) == (want["rejects"], want["written_later"])
    assert want["written_later"] > 50 and sum(report["reject_reasons"].values()) == want["rejects"]


def test_most_records_no_reject_names_are_answered_by_the_bits() -> None:
    # a record whose page no reject names (most of a corpus) is told so by a bit, not by its
    # fetch time parsed and the arrays searched (~3 us a record, the walk's CPU 0.90 -> 1.72 s)
    from newsclean.output.stats import RejectedPages

    kept = RejectedPages()
    for i in range(20_000):
        kept.add(f"https://e.example/rejected/{i}", 1, "too_short", "e")
    assert all(kept.may_hold(f"https://e.example/rejected/{i}") for i in range(20_000))
    others = sum(kept.may_hold(f"https://e.example/written/{i}") for i in range(20_000))
    assert others < 20_000 * 0.15, f"{others} of 20,000 URLs no reject names are searched"


def test_a_walk_keeps_a_few_bytes_a_reject() -> None:
    # before: each reject's URL, fetch time, reason and site kept for the whole walk, ~400 bytes
    # (80 MB for 200,000 rejects); now ~29 (its URL's hash, its time, its kind's number)
    import tracemalloc

    from newsclean.output.stats import CorpusStats

    n = 50_000
    stats = CorpusStats()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            stats.add_reject({"url": f"https://news.example/2026/12/07/a-long-article-slug-{i}/", "reason": "too_short",
                              "site": f"site-{i % 40}", "fetched_at": f"2026-12-07T10:{i % 60:02d}:00.{i:06d}+00:00"})
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert stats.to_dict()["rejects"] == n
    assert kept / n < 64, f"{kept / n:.0f} bytes a reject"
