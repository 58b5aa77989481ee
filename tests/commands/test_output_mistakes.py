"""A researcher's or an operator's mistakes over a real output directory (a demo crawl's): what
``stats``, ``export``, ``sites`` and ``--out`` say, one line and exit 2 or the right count, never
a silent wrong answer."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest

from ..conftest import call_newsclean, run_newsclean


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An output directory written by one real demo crawl (27 articles, one part), made once."""
    out = tmp_path_factory.mktemp("crawled") / "out"
    proc = run_newsclean("demo", "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr[-2000:]
    yield out


@pytest.fixture
def out(crawled: Path, tmp_path: Path) -> Path:
    """A copy of :func:`crawled` of the test's own (the test may change it)."""
    return Path(shutil.copytree(crawled, tmp_path / "out"))


def _stats(*args: str) -> dict:
    proc = call_newsclean("stats", *args, "--json")
    assert proc.returncode == 0, proc.stderr
    return orjson.loads(proc.stdout)


def test_a_copy_of_a_part_beside_it_is_no_part(out: Path, tmp_path: Path) -> None:
    # before: a part's copy named part-X.jsonl.bak (or an editor's part-X.jsonl~) was read as a part:
    # stats counted 81 records of the run's 27, export wrote each one three times, exit 0
    (part,) = (out / "articles").rglob("part-*.jsonl")
    shutil.copy(part, part.with_name(part.name + ".bak"))
    shutil.copy(part, part.with_name(part.name + "~"))
    assert _stats(str(out))["records"] == 27
    proc = call_newsclean("export", str(out), "--parquet", str(tmp_path / "c.parquet"))
    assert proc.returncode == 0 and proc.stdout.startswith("27 records from 1 file -> "), proc.stdout + proc.stderr
    assert pq.read_table(tmp_path / "c.parquet").num_rows == 27


def test_an_output_directorys_folder_of_no_records_names_the_directory(out: Path, tmp_path: Path) -> None:
    # before: `stats OUT/manifests` was 'no JSONL file in it and not an output directory', a manifest
    # 104 lines of bad JSON, the state's database 41, exit 1; export 'no records read', exit 1
    (manifest,) = (out / "manifests").glob("*.json")
    parquet = tmp_path / "c.parquet"
    for name, said in ((out / "manifests", f"the manifests/ folder of the output directory {out}, which holds no records"),
                       (manifest, f"in the manifests/ folder of the output directory {out}, which holds no records"),
                       (out / "state", f"the state/ folder of the output directory {out}, which holds no records"),
                       (out / "state" / "articles.sqlite3", f"in the state/ folder of the output directory {out}")):
        for args in (["stats", str(name)], ["export", str(name), "--parquet", str(parquet)]):
            proc = call_newsclean(*args)
            assert proc.returncode == 2 and proc.stderr.startswith(f"newsclean: error: {name}: {said}"), proc.stderr
            assert proc.stderr.endswith(f"; name {out}\n") and proc.stderr.count("\n") == 1, proc.stderr
    (out / "rejects").mkdir()   # the demo rejects nothing: a run's folder of rejects
    proc = call_newsclean("export", str(out / "rejects"), "--parquet", str(parquet))
    assert proc.returncode == 2 and "which holds rejects, never exported; name" in proc.stderr, proc.stderr
    assert not parquet.exists()
    assert _stats(str(out / "articles"))["records"] == 27   # a folder of parts is read as before


def test_an_out_inside_an_output_directory_is_refused(out: Path) -> None:
    # before: `--out OUT/warc/x` (or any folder of OUT not there yet) made a corpus inside the corpus,
    # whose parts OUT's stats and export then read as OUT's own; `--out OUT/articles` was 'not a
    # newsclean output directory (it holds site=demo)'
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    for args in (["demo", "--out", str(out / "articles")], ["crawl", "demo", "--out", str(out / "warc" / "x")],
                 ["crawl", "demo", "--out", str(out / "state")]):
        proc = call_newsclean(*args)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert f"of the output directory {out}; --out {out} goes on with that corpus" in proc.stderr, proc.stderr
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


def test_counts_are_said_in_their_number(out: Path, tmp_path: Path) -> None:
    # before: '27 records from 1 files', '1 lines or files skipped', '1 catalog sites from 1 country',
    # and a site named twice listed twice and counted as two
    (part,) = (out / "articles").rglob("part-*.jsonl")
    with part.open("ab") as fh:
        fh.write(b"not json\n")
    proc = call_newsclean("stats", str(out))
    assert proc.returncode == 1 and proc.stderr.endswith("newsclean stats: 1 line or file skipped "
                                                         "(--allow-skips to exit 0)\n"), proc.stderr
    proc = call_newsclean("export", str(out), "--parquet", str(tmp_path / "c.parquet"))
    assert proc.stdout.startswith("27 records from 1 file -> ") and proc.returncode == 1, proc.stdout
    assert proc.stderr.endswith("newsclean export: 1 line or file skipped (--allow-skips to exit 0)\n"), proc.stderr
    proc = call_newsclean("sites", "pakistantoday", "pakistantoday")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("pakistantoday ") == 1 and proc.stdout.endswith("\n1 catalog site from 1 country\n")


def test_a_record_without_a_date_is_said_as_one() -> None:
    from newsclean.output.stats import CorpusStats, format_stats

    stats = CorpusStats()
    stats.add_record({"id": "a", "text": "x", "fetched_at": "2026-12-07T00:00:00Z"})
    assert "months (by published; by fetched_at for 1 record without a date)" in format_stats(stats.to_dict())


def test_an_export_onto_a_file_that_is_no_parquet_file_is_refused(out: Path, tmp_path: Path) -> None:
    # before: `export OUT --parquet corpus.csv` replaced the user's CSV with the Parquet bytes, exit 0
    mine = tmp_path / "corpus.csv"
    mine.write_text("id,title\n1,mine\n")
    proc = call_newsclean("export", str(out), "--parquet", str(mine))
    assert proc.returncode == 2 and proc.stderr == (f"newsclean: error: --parquet {mine}: a file that is no Parquet "
                                                    "file is there, which the export would replace; name another "
                                                    "file (or move that one away first)\n"), proc.stderr
    assert mine.read_text() == "id,title\n1,mine\n"
    earlier = tmp_path / "c.parquet"   # an earlier export is replaced, an empty file written
    for target in (earlier, earlier, tmp_path / "empty.parquet"):
        target.touch()
        proc = call_newsclean("export", str(out), "--parquet", str(target))
        assert proc.returncode == 0 and pq.read_table(target).num_rows == 27, proc.stderr


def test_an_output_directory_a_first_run_is_writing_now(tmp_path: Path) -> None:
    # before: stats and export of the folder of a first crawl still running, no part committed yet,
    # said 'no JSONL file in it and not an output directory' and 'no records read' alone
    import os

    from newsclean.crawler.state.lock import RunLock

    live = tmp_path / "live"
    (live / "state").mkdir(parents=True)
    said = f"{live}: a run (pid {os.getpid()}) is writing it now and has committed no part yet"
    with RunLock(live):   # the crawl's own lock, held as a running crawl holds it
        proc = call_newsclean("stats", str(live))
        assert proc.returncode == 1 and f"newsclean stats: skipped {live}:0: a run (pid" in proc.stderr, proc.stderr
        assert said.split(": ", 1)[1] in proc.stderr
        proc = run_newsclean("export", str(live), "--parquet", str(tmp_path / "c.parquet"))   # a process: the lock's another's
        assert proc.returncode == 1 and proc.stderr.endswith(f"not written; {said}\n"), proc.stderr
    proc = call_newsclean("stats", str(live))   # the run gone: nothing of a corpus is there
    assert "not an output directory" in proc.stderr and "pid" not in proc.stderr, proc.stderr


def test_sites_named_and_chosen_by_country_at_once() -> None:
    # before: `sites --country de pakistantoday` listed the Pakistani site and ended '1 catalog site
    # from 1 country --country de', the filter ignored (crawl refuses both at once)
    proc = call_newsclean("sites", "--country", "de", "pakistantoday")
    assert (proc.returncode, proc.stdout) == (2, ""), proc.stdout
    assert proc.stderr == ("newsclean: error: name sites, or choose them with --country/--language, not both "
                           "(pakistantoday --country de)\n"), proc.stderr


def test_the_summary_names_the_folders_a_run_wrote_and_stats_counts_a_page_once(tmp_path: Path) -> None:
    # before: the summary named OUT/rejects/ after a run that rejected nothing (the demo's: no such
    # folder), and stats counted a page twice, as a too_old reject of a run --since 1d and as the
    # record a run without a window wrote of it (a reject rate of 17 in 44 pages, 27 of them)
    out = tmp_path / "out"
    narrow = run_newsclean("crawl", "demo", "--out", str(out), "--since", "1d", "-q")
    assert narrow.returncode == 0, narrow.stderr[-2000:]
    too_old = [r["url"] for r in _lines(out, "rejects")]
    assert too_old and not (out / "articles").exists()
    assert f"  output:           {out}/rejects/, {out}/manifests/" in narrow.stdout, narrow.stdout
    wide = run_newsclean("crawl", "demo", "--out", str(out), "-q")
    assert wide.returncode == 0, wide.stderr[-2000:]
    assert f"  output:           {out}/articles/ (records), {out}/manifests/" in wide.stdout, wide.stdout
    assert set(too_old) <= {r["url"] for r in _lines(out, "articles")}
    stats = _stats(str(out))
    assert (stats["records"], stats["rejects"], stats["rejects_written_later"]) == (27, 0, len(too_old))
    assert stats["reject_rate"] == 0.0 and stats["reject_reasons"] == {}
    text = call_newsclean("stats", str(out)).stdout
    assert f"rejects: 0 (0.0% of pages; {len(too_old)} earlier rejects of pages written later counted as written)" in text


def _lines(out: Path, kind: str) -> list[dict]:
    return [orjson.loads(line) for part in (out / kind).rglob("part-*.jsonl") for line in part.read_bytes().splitlines()]


def test_a_folder_of_manifests_given_to_merge_manifests(out: Path, tmp_path: Path) -> None:
    # before: 'newsclean: error: OUT/manifests: cannot read: Is a directory'
    (manifest,) = (out / "manifests").glob("*.json")
    for folder in (out / "manifests", out):
        proc = call_newsclean("merge-manifests", str(folder), "-o", str(tmp_path / "m.json"))
        assert proc.returncode == 2 and proc.stderr == (
            f"newsclean: error: {folder}: a directory; name the manifest of each worker of one crawl, a file in "
            f"each worker's manifests/ folder (such as {manifest})\n"), proc.stderr
    assert not (tmp_path / "m.json").exists()


def test_a_part_still_being_written_named_as_an_input(out: Path, tmp_path: Path) -> None:
    # before: `stats OUT/.../.part-X.jsonl.tmp` (a killed run's, or one a run is writing) read its
    # lines as a part's, the torn last one said as bad JSON; export wrote the others
    from newsclean.crawler.state.lock import RunLock

    (part,) = (out / "articles").rglob("part-*.jsonl")
    torn = part.with_name(f".{part.name.replace('-00000', '-00001')}.tmp")
    torn.write_bytes(part.read_bytes()[:-40])
    commands = (["stats", str(torn)], ["export", str(torn), "--parquet", str(tmp_path / "c.parquet")],
                ["clean", "--text", str(torn), "-o", str(tmp_path / "c.jsonl")])
    for args in commands:
        proc = call_newsclean(*args)
        assert proc.returncode == 2 and proc.stderr == (
            f"newsclean: error: {torn}: a part a killed run left uncommitted (the next run removes it): its last "
            f"line may be torn; name the output directory {out}, whose committed parts are read\n"), proc.stderr
    with RunLock(out):   # held as a running crawl holds it
        proc = call_newsclean(*commands[0])
    assert proc.returncode == 2 and f"{torn}: a part a run (pid {os.getpid()}) is writing now, not yet committed" \
        in proc.stderr, proc.stderr
    assert not (tmp_path / "c.parquet").exists() and not (tmp_path / "c.jsonl").exists()


def test_an_output_and_its_copy_are_read_once(out: Path, tmp_path: Path) -> None:
    # before: `export OUT OUT_COPY` wrote each of the 27 records twice (54 rows), stats counted 54
    copy = Path(shutil.copytree(out, tmp_path / "copy"))
    (part,) = (copy / "articles").rglob("part-*.jsonl")
    said = (f"left out 1 part (27 records) that another input holds too: {part} is a copy of "
            f"{out / part.relative_to(copy)}; each record is read once\n")
    proc = call_newsclean("export", str(out), str(copy), "--parquet", str(tmp_path / "c.parquet"))
    assert proc.returncode == 0 and proc.stdout.startswith("27 records from 1 file -> "), proc.stdout + proc.stderr
    assert proc.stderr == f"newsclean export: {said}" and pq.read_table(tmp_path / "c.parquet").num_rows == 27
    proc = call_newsclean("stats", str(out), str(copy))
    assert proc.returncode == 0 and proc.stderr == f"newsclean stats: {said}" and "records: 27 " in proc.stdout
    # a part of the same name that holds other records (two outputs' runs given one id with -s) is read
    records = [orjson.loads(line) for line in part.read_bytes().splitlines()]
    part.write_bytes(b"".join(orjson.dumps({**r, "title": "Another"}) + b"\n" for r in records))
    proc = call_newsclean("export", str(out), str(copy), "--parquet", str(tmp_path / "c.parquet"))
    assert proc.returncode == 0 and proc.stderr == "" and pq.read_table(tmp_path / "c.parquet").num_rows == 54


def test_clean_says_its_skipped_inputs_in_their_number(tmp_path: Path) -> None:
    # before: 'newsclean: 1 input(s) skipped (--allow-skips to exit 0 anyway)', where stats and export say
    # '(--allow-skips to exit 0)'
    from newsclean.crawler.commands.demo import DEMO_SITE

    pages = tmp_path / "pages"
    shutil.copytree(sorted(DEMO_SITE.glob("stories/2026/*"))[0], pages / "story")
    (pages / "notes.jsonl").write_text("[1]\n")
    proc = run_newsclean("clean", str(pages), "-o", str(tmp_path / "c.jsonl"), "--workers", "1")
    assert proc.returncode == 1 and proc.stderr.endswith(
        "newsclean: 1 input skipped (--allow-skips to exit 0)\n"), proc.stderr


def test_a_run_id_whose_manifest_was_removed_is_said_as_what_is_known(out: Path) -> None:
    # before: a finished run whose manifest was deleted by hand (or kept on another disk) was said to
    # have been "stopped before its end": the store knows it scheduled articles, not how it ended
    (manifest,) = (out / "manifests").glob("*.json")
    run_id = orjson.loads(manifest.read_bytes())["run_id"]
    manifest.unlink()
    proc = run_newsclean("crawl", "demo", "--out", str(out), "-s", f"NEWSCLEAN_RUN_ID={run_id}")
    assert proc.returncode == 2 and proc.stderr == (
        f"newsclean: error: -s NEWSCLEAN_RUN_ID={run_id}: an earlier run of {out} had this id "
        f"({out / 'state' / 'articles.sqlite3'} holds 27 articles it scheduled; no manifest of it in "
        f"{out / 'manifests'}); a run id names one run: give a new one, or leave it out\n"), proc.stderr


def test_a_killed_runs_reserve_is_found_by_its_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before: each run's start listed manifests/ for a killed run's .RUN.reserve, one manifest a run
    # for the output's life (40 ms at 20,000); now one name, the run's id in it, marked .RUN.killed
    from newsclean.crawler.commands import cli

    manifests = tmp_path / "manifests"
    manifests.mkdir()
    for i in range(300):
        (manifests / f"run-{i}.json").write_text("{}")
    (manifests / cli.OLD_RESERVES_LISTED).touch()   # its older versions' reserves looked for once before
    listed, scandir = [], os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".", *a: listed.append(path) or scandir(path, *a))
    reserve = cli._reserve_manifest_space(tmp_path, "killed-1")   # then killed: its reserve stays
    assert reserve is not None and reserve.read_bytes().startswith(b"killed-1\n")
    cli.check_run_id_unused({"NEWSCLEAN_RUN_ID": "fresh"}, tmp_path)
    with pytest.raises(cli.UsageError, match=r"killed-1: an earlier run of .* was stopped before its end \(.*\.reserve\)"):
        cli.check_run_id_unused({"NEWSCLEAN_RUN_ID": "killed-1"}, tmp_path)
    assert cli._reserve_manifest_space(tmp_path, "next") == reserve and reserve.read_bytes().startswith(b"next\n")
    assert (manifests / ".killed-1.killed").stat().st_size == 0 and listed == []
    with pytest.raises(cli.UsageError, match=r"was stopped before its end \(.*\.killed-1\.killed\)"):
        cli.check_run_id_unused({"NEWSCLEAN_RUN_ID": "killed-1"}, tmp_path)


def test_a_reserve_naming_no_run_is_given_back_and_marks_no_id(tmp_path: Path) -> None:
    # a reserve whose first line is no run id (a version's before the id was written in it, a torn
    # write): its room given back, no .killed mark made of nothing, the new run's reserve in place
    from newsclean.crawler.commands import cli

    manifests = tmp_path / "manifests"
    manifests.mkdir()
    (manifests / cli.RESERVE).write_bytes(b"\0" * 1024)
    reserve = cli._reserve_manifest_space(tmp_path, "next")
    assert reserve == manifests / cli.RESERVE and reserve.read_bytes().startswith(b"next\n")
    assert sorted(p.name for p in manifests.iterdir()) == [cli.RESERVE, cli.OLD_RESERVES_LISTED]


def test_an_older_versions_reserves_are_given_back_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before: a reserve of a version before 2026-12-07 (.RUN.reserve, 256 KiB, left by a killed run)
    # was never given back: no run of this version looked for it, a corpus kept it for ever. Now the
    # first run's start marks it .RUN.killed (its id stays taken), and no later run lists manifests/
    from newsclean.crawler.commands import cli

    manifests = tmp_path / "manifests"
    manifests.mkdir()
    for name in ("old-1", "old.2"):
        (manifests / f".{name}.reserve").write_bytes(b"\0" * cli.MANIFEST_RESERVE)
    (manifests / "old-3.json").write_text("{}")
    reserve = cli._reserve_manifest_space(tmp_path, "new-1")
    assert reserve == manifests / cli.RESERVE
    assert sorted(p.name for p in manifests.iterdir()) == [
        ".old-1.killed", ".old.2.killed", cli.RESERVE, cli.OLD_RESERVES_LISTED, "old-3.json"]
    assert (manifests / ".old-1.killed").stat().st_size == 0 and (manifests / ".old.2.killed").stat().st_size == 0
    with pytest.raises(cli.UsageError, match=r"old\.2: an earlier run of .* was stopped before its end"):
        cli.check_run_id_unused({"NEWSCLEAN_RUN_ID": "old.2"}, tmp_path)
    listed, scandir = [], os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".", *a: listed.append(path) or scandir(path, *a))
    (manifests / ".old-4.reserve").write_bytes(b"\0")   # none is written once a run of this version has run
    cli._reserve_manifest_space(tmp_path, "new-2")
    assert listed == [] and (manifests / ".new-1.killed").exists()


@pytest.mark.parametrize("version, said", [(0, "an older newsclean; this one exports version 1"),
                                           (2, "a newer newsclean; this one exports version 1: upgrade newsclean")])
def test_records_of_another_schema_version_are_said_as_such(out: Path, tmp_path: Path, version: int, said: str) -> None:
    # before: each record of an older schema a line of its own, 'required fields missing or null:
    # ['canonical_url']', a newer one's 'fields not in the record schema', never the version
    (part,) = (out / "articles").rglob("part-*.jsonl")
    records = [orjson.loads(line) for line in part.read_bytes().splitlines()]
    for rec in records:
        rec["schema_version"] = version
        rec.pop("canonical_url") if version < 1 else rec.update(summary="x")
    other = tmp_path / "other.jsonl"
    other.write_bytes(b"".join(orjson.dumps(rec) + b"\n" for rec in records))
    proc = call_newsclean("export", str(other), "--parquet", str(tmp_path / "c.parquet"))
    assert proc.returncode == 1 and proc.stderr == (
        f"newsclean export: skipped 27 lines of {other} (lines 1, 2, 3, 4, 5, ...): the first: a record of schema "
        f"version {version}, written by {said}\n"
        f"newsclean export: failed: no records read from the inputs; {tmp_path / 'c.parquet'} not written\n"), proc.stderr
    assert not (tmp_path / "c.parquet").exists()


def test_an_export_into_an_output_directorys_folders_is_refused(out: Path) -> None:
    # before: `export OUT --parquet OUT/articles/corpus.parquet` wrote a Parquet file among the parts
    # it read (exit 0): a tool reading the folder whole met it there, the next export wrote it again
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    for target in (out / "articles" / "corpus.parquet", out / "articles" / "site=demo" / "c.parquet",
                   out / "manifests" / "c.parquet", out / "warc" / "c.parquet"):
        proc = call_newsclean("export", str(out), "--parquet", str(target))
        folder = target.relative_to(out).parts[0]
        assert proc.returncode == 2 and proc.stderr == (
            f"newsclean: error: --parquet {target}: in the {folder}/ folder of the output directory {out}, which "
            f"newsclean writes; name a file outside its folders (such as {out / 'corpus.parquet'})\n"), proc.stderr
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    proc = call_newsclean("export", str(out), "--parquet", str(out / "corpus.parquet"))   # beside them: the user's own
    assert proc.returncode == 0 and pq.read_table(out / "corpus.parquet").num_rows == 27, proc.stderr


def test_stats_says_records_of_another_schema_version(out: Path) -> None:
    # before: counted among the records without a word (export skips them, each said as such)
    (part,) = (out / "articles").rglob("part-*.jsonl")
    records = [orjson.loads(line) for line in part.read_bytes().splitlines()]
    for rec, version in zip(records, (2, 2, 0)):
        rec["schema_version"] = version
    part.write_bytes(b"".join(orjson.dumps(rec) + b"\n" for rec in records))
    assert _stats(str(out))["schema_versions"] == {"1": 24, "2": 2, "0": 1}
    proc = call_newsclean("stats", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[:3] == [
        "files: 1 record file, 0 reject files",   # was 'files: 1 record, 0 reject'
        "records: 27   duplicates: 0 (0.0%)   rejects: 0 (0.0% of pages)",
        "schema versions: 3 records of another version than this newsclean's 1 (2 of version 2, 1 of version 0); "
        "export skips them"], proc.stdout
    for rec in records:
        rec["schema_version"] = 1
    part.write_bytes(b"".join(orjson.dumps(rec) + b"\n" for rec in records))
    assert "schema versions" not in call_newsclean("stats", str(out)).stdout


def test_export_says_why_an_input_gave_no_record(out: Path, tmp_path: Path) -> None:
    # before: a folder of no JSONL (another program's) and an empty file not named as JSONL were
    # 'failed: no records read from the inputs' alone, where stats says what each is
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine\n")
    empty = tmp_path / "notes.txt"
    empty.touch()
    target = tmp_path / "c.parquet"
    proc = call_newsclean("export", str(other), str(empty), "--parquet", str(target))
    assert proc.returncode == 1 and proc.stderr.splitlines() == [
        f"newsclean export: skipped {other}:0: no JSONL file in it (.jsonl, .jsonl.gz, .jsonl.zst) and not an output directory",
        f"newsclean export: skipped {empty}:0: an empty file, not named as JSONL (.jsonl, .jsonl.gz, .jsonl.zst): not a "
        "records file",
        f"newsclean export: failed: no records read from the inputs; {target} not written"], proc.stderr
    proc = call_newsclean("export", str(out), str(empty), "--parquet", str(target))   # beside a corpus: its records written
    assert proc.returncode == 1 and pq.read_table(target).num_rows == 27, proc.stderr


def test_stats_json_of_a_file_whose_name_is_not_utf8(tmp_path: Path) -> None:
    # before: a TypeError traceback (surrogates not allowed) as the report was made JSON
    bad = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.jsonl"))
    bad.write_bytes(b"not json\n")
    proc = call_newsclean("stats", "--json", str(bad))
    assert proc.returncode == 1, proc.stderr
    (line,) = orjson.loads(proc.stdout)["skipped_lines"]
    assert line.startswith(f"{tmp_path}/caf\\udce9.jsonl:1: bad JSON: "), line
