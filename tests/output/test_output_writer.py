"""Part files: atomic commit, rotation, abort, killed writers, a really full disk; manifests; reader."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import orjson
import pytest

from newsclean.output import (
    JsonlReader,
    OutputError,
    PartWriter,
    RunManifest,
    cleanup_orphans,
    config_hash,
    find_parts,
    new_run_id,
    versions,
    write_json_atomic,
)

from ..conftest import modules_imported

REPO = Path(__file__).resolve().parents[2]
PART = {"site": "example", "date": "2026-03-04"}


def _rec(i: int) -> dict:
    return {"id": f"{i:032x}", "text": f"paragraph number {i}"}


def _tmps(root: Path) -> list[Path]:
    return sorted(root.rglob(".part-*.tmp"))


def test_write_commit_layout_and_contents(tmp_path: Path) -> None:
    w = PartWriter(tmp_path, "RUN1", max_records=10)
    for i in range(3):
        w.write(_rec(i), PART)
    assert find_parts(tmp_path) == []          # nothing visible before commit
    assert len(_tmps(tmp_path)) == 1
    target = w.target(PART)
    parts = w.commit()
    assert [p.path for p in parts] == [target]
    assert target == tmp_path / "articles" / "site=example" / "date=2026-03-04" / "part-RUN1-00000.jsonl"
    assert parts[0].count == 3 and parts[0].ids == [f"{i:032x}" for i in range(3)]
    assert find_parts(tmp_path) == [target] and _tmps(tmp_path) == []
    lines = target.read_bytes().split(b"\n")
    assert lines[-1] == b"" and [orjson.loads(x) for x in lines[:-1]] == [_rec(i) for i in range(3)]


def test_partition_values_are_sanitized(tmp_path: Path) -> None:
    with PartWriter(tmp_path, "r", kind="rejects") as w:
        w.write({"url": "u"}, {"site": "../../etc passwd", "date": "2026/03/04"})
    (part,) = find_parts(tmp_path, kind="rejects")
    assert part.is_relative_to(tmp_path / "rejects")
    # each value becomes one plain directory name: no separator, no leading dot, no traversal
    assert part.parent.name == "date=2026_03_04"
    assert part.parent.parent.name == "site=_.._etc_passwd"
    assert part.parent.parent.parent == tmp_path / "rejects"


def test_rotation_at_max_records_and_drain(tmp_path: Path) -> None:
    w = PartWriter(tmp_path, "r", max_records=2)
    for i in range(5):
        w.write(_rec(i), PART)
    rotated = w.drain_committed()
    assert [p.count for p in rotated] == [2, 2]
    assert [p.path.name for p in rotated] == ["part-r-00000.jsonl", "part-r-00001.jsonl"]
    assert w.drain_committed() == []          # drained once
    assert len(find_parts(tmp_path)) == 2
    last = w.close()
    assert [p.count for p in last] == [1] and last[0].path.name == "part-r-00002.jsonl"
    total = list(JsonlReader().iter_records(find_parts(tmp_path)))
    assert total == [_rec(i) for i in range(5)]


def test_background_commit_fsyncs_off_the_writing_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The crawl writes on Scrapy's reactor thread: a full part's fsync (~200 ms for 40 MB)
    # was its worst stall. With background=True the rotated part is finished elsewhere.
    import threading

    fsynced_on: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        fsynced_on.append(threading.get_ident())
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    w = PartWriter(tmp_path, "r", max_records=2, background=True)
    rotated = []
    for i in range(5):
        w.write(_rec(i), PART)
        rotated += w.drain_committed()
    last = w.close()
    parts = rotated + last
    assert sorted(p.path.name for p in parts) == ["part-r-00000.jsonl", "part-r-00001.jsonl", "part-r-00002.jsonl"]
    assert sorted(p.count for p in parts) == [1, 2, 2] and _tmps(tmp_path) == []
    assert list(JsonlReader().iter_records(find_parts(tmp_path))) == [_rec(i) for i in range(5)]
    me = threading.get_ident()
    assert fsynced_on.count(me) == 4          # the journal and its folder at the first part; close: the last part and its directory, here
    assert len(fsynced_on) == 8               # the two rotated parts (file + directory each) elsewhere


def test_a_journal_is_on_disk_before_the_temporary_part_it_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before: the journal's line and its own entry in the kind's folder were not fsynced: after a power
    # cut the temporary part could be on disk without it, and cleanup_orphans did not look there
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        path = Path(os.readlink(f"/proc/self/fd/{fd}"))
        synced.append(f"{path.relative_to(tmp_path).as_posix() if path != tmp_path else '.'} "
                      f"(temporary parts then: {len(_tmps(tmp_path))})")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with PartWriter(tmp_path, "r") as w:
        w.write(_rec(0), PART)
        w.write(_rec(1), PART)
        journal = w.journal.name
        w.write(_rec(2), {"site": "example", "date": "2026-03-05"})
        assert synced == [f"articles/{journal} (temporary parts then: 0)", "articles (temporary parts then: 0)",
                          f"articles/{journal} (temporary parts then: 1)"]   # a second folder: its line alone


def test_abort_removes_temp_parts_keeps_committed(tmp_path: Path) -> None:
    w = PartWriter(tmp_path, "r", max_records=2)
    for i in range(3):
        w.write(_rec(i), PART)
    w.abort()
    assert _tmps(tmp_path) == [] and len(find_parts(tmp_path)) == 1


def test_context_manager_aborts_on_exception(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        with PartWriter(tmp_path, "r") as w:
            w.write(_rec(0), PART)
            raise RuntimeError("boom")
    assert find_parts(tmp_path) == [] and _tmps(tmp_path) == []


def test_same_run_id_never_overwrites(tmp_path: Path) -> None:
    for _ in range(2):
        with PartWriter(tmp_path, "r") as w:
            w.write(_rec(0), PART)
    assert [p.name for p in find_parts(tmp_path)] == ["part-r-00000.jsonl", "part-r-00001.jsonl"]


_KILLED_WRITER = """
import sys, time
from newsclean.output import PartWriter
w = PartWriter(sys.argv[1], "KILLED", max_records=50)
for i in range(120):                      # two parts committed by rotation, the third stays open
    w.write({"id": "%032x" % i, "text": "line %d" % i}, {"site": "example", "date": "2026-03-04"})
print("ready", flush=True)
while True:
    w.write({"id": "f" * 32, "text": "still writing"}, {"site": "example", "date": "2026-03-04"})
    time.sleep(0.02)                       # slow: the kill lands long before this part fills
"""


def test_killed_writer_leaves_no_visible_torn_part(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(tmp_path)], cwd=REPO,
                            stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    parts = find_parts(tmp_path)
    assert [p.name for p in parts] == ["part-KILLED-00000.jsonl", "part-KILLED-00001.jsonl"]
    reader = JsonlReader()
    assert [r["id"] for r in reader.iter_records(parts)] == [f"{i:032x}" for i in range(100)]
    assert reader.skipped == []
    assert [t.name for t in _tmps(tmp_path)] == [".part-KILLED-00002.jsonl.tmp"]
    assert cleanup_orphans(tmp_path) == 1
    assert _tmps(tmp_path) == [] and find_parts(tmp_path) == parts


def test_orphans_are_looked_for_in_the_part_folders_only(tmp_path: Path) -> None:
    # before: the whole output directory was walked (`--out ~`: the home tree, at every run's start)
    # and a file of that name anywhere in it deleted
    kept = [tmp_path / "notes" / ".part-draft.tmp", tmp_path / ".part-1.tmp"]
    left = [tmp_path / kind / "site=a" / "date=2026-01-01" / ".part-r-00000.jsonl.tmp" for kind in ("articles", "rejects")]
    for path in kept + left:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    assert cleanup_orphans(tmp_path) == 2
    assert all(p.exists() for p in kept) and not any(p.exists() for p in left)


def _days_of_parts(root: Path, days: int) -> None:
    """A corpus of three sites' articles and rejects over ``days`` days, every writer closed."""
    for day in range(days):
        date = f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}"
        for kind in ("articles", "rejects"):
            with PartWriter(root, f"R{day}", kind=kind) as w:
                for site in ("a", "b", "c"):
                    w.write(_rec(day), {"site": site, "date": date})


def _directories_read(monkeypatch: pytest.MonkeyPatch, call) -> tuple[object, list[str]]:
    read, real = [], os.scandir

    def counting(path=".", *args, **kwargs):
        read.append(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", counting)
    try:
        return call(), read
    finally:
        monkeypatch.setattr(os, "scandir", real)


@pytest.mark.parametrize("days", [10, 60])
def test_orphans_are_looked_for_only_where_a_killed_writer_opened_parts(tmp_path: Path, days: int,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # before: every folder of articles/ and rejects/ was read at each run's start (rglob), 68 ms at
    # 12,000 parts and growing with the corpus's days for ever; now the two kinds' folders and the
    # folders a killed writer's journal names: 4 directories read at 10 days as at 60 (main: 142, 742)
    _days_of_parts(tmp_path, days)
    assert not list(tmp_path.rglob(".open-*.dirs")), "a closed writer keeps no journal"
    assert cleanup_orphans(tmp_path) == 0        # written before journals: each kind looked through once
    killed = PartWriter(tmp_path, "KILLED")      # never closed: what kill -9 leaves
    for site in ("a", "new"):
        killed.write(_rec(1), {"site": site, "date": "2026-12-07"})
    assert len(_tmps(tmp_path)) == 2
    removed, read = _directories_read(monkeypatch, lambda: cleanup_orphans(tmp_path))
    assert removed == 2 and _tmps(tmp_path) == []
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in read) == [
        "articles", "articles/site=a/date=2026-12-07", "articles/site=new/date=2026-12-07", "rejects"]
    assert not killed.journal.exists(), "the journal goes with the temporary parts it named"
    assert len(find_parts(tmp_path)) == 3 * days and len(find_parts(tmp_path, "rejects")) == 3 * days


def test_a_journal_names_no_folder_outside_its_part_folder(tmp_path: Path) -> None:
    # a journal's lines are folders under its kind's folder: one climbing out (or absolute) is passed over
    kept = tmp_path / "notes" / ".part-draft.tmp"
    kept.parent.mkdir()
    kept.write_text("mine")
    assert cleanup_orphans(tmp_path) == 0
    with PartWriter(tmp_path, "R") as w:
        w.write(_rec(0), PART)
    assert cleanup_orphans(tmp_path) == 0        # the kinds' folders looked through once, marked
    (tmp_path / "articles" / ".open-X-000000.dirs").write_text(f"../notes\n{kept.parent}\n")
    assert cleanup_orphans(tmp_path) == 0 and kept.read_text() == "mine"


def test_an_aborted_or_failed_writer_keeps_no_journal(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        with PartWriter(tmp_path, "r") as w:
            w.write(_rec(0), PART)
            assert w.journal.read_text() == "site=example/date=2026-03-04\n"
            raise RuntimeError("boom")
    assert not w.journal.exists() and _tmps(tmp_path) == []


@pytest.fixture
def tiny_fs(tmp_path: Path):
    """A real 64 KiB tmpfs (needs root / CAP_SYS_ADMIN; skipped otherwise)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_disk_full_raises_output_error_and_leaves_no_torn_part(tiny_fs: Path) -> None:
    w = PartWriter(tiny_fs, "FULL", max_records=5)
    big = "x" * 2000
    with pytest.raises(OutputError) as info:
        for i in range(1000):                  # ~2 MB into 64 KiB: must fail
            w.write({"id": f"{i:032x}", "text": big}, PART)
    message = str(info.value)
    assert "disk full" in message and str(tiny_fs) in message and "\n" not in message
    assert _tmps(tiny_fs) == [] and w.open_parts == 0
    committed = w.drain_committed()            # rotated parts before the failure stay intact
    assert committed and find_parts(tiny_fs) == [p.path for p in committed]
    reader = JsonlReader()
    assert len(list(reader.iter_records(find_parts(tiny_fs)))) == 5 * len(committed)
    assert reader.skipped == []


def test_write_json_atomic(tmp_path: Path) -> None:
    target = tmp_path / "m" / "x.json"
    write_json_atomic(target, {"b": 1, "a": [1, 2]})
    write_json_atomic(target, {"b": 2})
    assert orjson.loads(target.read_bytes()) == {"b": 2}
    assert [p.name for p in target.parent.iterdir()] == ["x.json"]


def test_run_manifest_roundtrip(tmp_path: Path) -> None:
    run_id = new_run_id(datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc))
    assert run_id.startswith("20260304T050607Z-") and len(run_id) == len("20260304T050607Z-") + 6
    assert new_run_id() != new_run_id()
    m = RunManifest(run_id=run_id, started_at="2026-03-04T05:06:07Z", status="degraded", exit_code=3,
                    reason="site down\nretry later", sites=["example"], versions=versions(),
                    config_hash=config_hash({"b": 1, "a": 2}), counts={"newsclean/written": 4},
                    dropped={"too_short": 1}, files=["articles/x.jsonl"],
                    checks=[{"name": "min_articles", "passed": False, "detail": "0 < 1"}])
    path = m.write(tmp_path)
    assert path == tmp_path / "manifests" / f"{run_id}.json"
    data = orjson.loads(path.read_bytes())
    assert data == m.to_dict() and data["reason"] == "site down retry later"
    assert set(data["versions"]) == {"newsclean", "scrapy", "trafilatura", "lxml", "python"}
    with pytest.raises(ValueError):
        RunManifest(run_id="r", started_at="t", status="fine")


def test_config_hash_is_order_independent() -> None:
    assert config_hash({"a": 1, "b": [1, 2]}) == config_hash({"b": [1, 2], "a": 1})
    assert config_hash({"a": 1}) != config_hash({"a": 2}) and len(config_hash({})) == 16


def test_output_does_not_import_scrapy() -> None:
    # the installed package's names: a bare 'import output' from the repository's folder, and a
    # check for 'crawler' (loaded as newsclean.crawler since the rename), could not fail
    code = "import newsclean.output as output; output.versions()"
    assert modules_imported(code, ("scrapy", "newsclean.crawler")) == []
    # the probe sees them where they are imported
    assert modules_imported("import newsclean.crawler.settings", ("scrapy", "newsclean.crawler")) == \
        ["newsclean.crawler", "scrapy"]


def test_reader_skips_bad_lines_and_reads_gzip(tmp_path: Path) -> None:
    plain = tmp_path / "a.jsonl"
    plain.write_bytes(b'{"n": 1}\n{broken\n\n[1, 2]\n{"n": 2}\n')
    packed = tmp_path / "b.jsonl.gz"
    with gzip.open(packed, "wb") as fh:
        fh.write(b'{"n": 3}\n')
    reader = JsonlReader()
    assert [r["n"] for r in reader.iter_records([plain, packed])] == [1, 2, 3]
    assert [(Path(p).name, n) for p, n, _ in reader.skipped] == [("a.jsonl", 2), ("a.jsonl", 4)]


def test_disk_full_with_background_commits_leaves_no_torn_part(tiny_fs: Path) -> None:
    w = PartWriter(tiny_fs, "FULL", max_records=5, background=True)
    big = "x" * 2000
    with pytest.raises(OutputError) as info:
        for i in range(1000):                  # as the crawl does: drain after each record
            w.write({"id": f"{i:032x}", "text": big}, PART)
            w.drain_committed()
    assert "disk full" in str(info.value) and "\n" not in str(info.value)
    w.abort()
    assert _tmps(tiny_fs) == [] and w.open_parts == 0
    reader = JsonlReader()
    parts = find_parts(tiny_fs)
    assert parts and len(list(reader.iter_records(parts))) == 5 * len(parts)   # whole parts only
    assert reader.skipped == []


def test_before_commit_runs_before_each_part_becomes_visible(tmp_path: Path) -> None:
    # The crawl writes its store's and dedup index's notes of a part's records there: they
    # must be written while the part is not yet visible (a kill right after the rename).
    from newsclean.output.reader import find_parts

    for background in (False, True):
        root = tmp_path / str(background)
        seen: list[int] = []
        writer = PartWriter(root, "r", max_records=2, background=background,
                            before_commit=lambda root=root, seen=seen: seen.append(len(find_parts(root))))
        for i in range(5):
            writer.write({"id": str(i)}, {"site": "s"})
        writer.drain_committed()
        writer.close()
        assert seen == [0, 1, 2] if not background else len(seen) == 3 and seen[0] == 0
        assert all(visible <= i for i, visible in enumerate(seen))   # never the part it precedes
        assert len(find_parts(root)) == 3


def test_two_writers_of_one_file_at_once_each_write_a_whole_file(tmp_path: Path) -> None:
    # before: both wrote .out.tmp: the second's open truncated the first's file, and the one
    # renamed into place held pieces of both (an hourly export that outlasted its hour)
    from newsclean.output.writer import AtomicFile

    target = tmp_path / "out.bin"
    first, second = AtomicFile(target), AtomicFile(target)
    first.write(b"first " * 1000)
    second.write(b"second " * 10)
    first.commit()
    assert target.read_bytes() == b"first " * 1000
    second.write(b"more")
    second.commit()
    assert target.read_bytes() == b"second " * 10 + b"more"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_a_killed_writers_temporary_file_is_removed_by_the_next(tmp_path: Path) -> None:
    from newsclean.output.writer import AtomicFile, _host

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    here = _host()
    killed = tmp_path / f".out.bin.{here}.{int(gone.stdout)}-0a1b2c.tmp"   # a process that is no more
    running = tmp_path / f".out.bin.{here}.{os.getpid()}-0a1b2c.tmp"       # this one's, still being written
    other = tmp_path / f".notes.txt.{here}.1-0a1b2c.tmp"                    # another file's
    for path in (killed, running, other):
        path.write_bytes(b"partial")
    AtomicFile(tmp_path / "out.bin").commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.bin", running.name, other.name])


def test_another_hosts_temporary_file_is_left_to_it(tmp_path: Path) -> None:
    # On a file system shared between hosts (docs/scale-out.md), a writer on another host has a
    # process id that is not running here: its live file was removed under it (the name held no
    # host), and its commit failed. Only this host's dead writers' files go.
    from newsclean.output.writer import AtomicFile, _host

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(gone.stdout)
    elsewhere = tmp_path / f".out.bin.{_host()}x.{pid}-0a1b2c.tmp"   # another host's live writer
    unknown = tmp_path / f".out.bin.{pid}-0a1b2c.tmp"                # an earlier version's: whose host?
    for path in (elsewhere, unknown):
        path.write_bytes(b"partial")
    mine = AtomicFile(tmp_path / "out.bin")
    assert mine.tmp is not None and mine.tmp.name.startswith(f".out.bin.{_host()}.{os.getpid()}-")
    mine.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.bin", elsewhere.name, unknown.name])


def test_a_host_name_is_one_field_of_the_temporary_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsclean.output import writer

    monkeypatch.setattr(writer.socket, "gethostname", lambda: "crawl-3.eu.example.net")
    assert writer._host() == "crawl-3_eu_example_net"
    monkeypatch.setattr(writer.socket, "gethostname", lambda: "")
    assert writer._host() == "host"


_RACE_WRITER = """
import sys, orjson
from newsclean.output import write_json_atomic
name, target = sys.argv[1], sys.argv[2]
doc = {"writer": name, "lines": [name * 40] * 4000}     # ~600 KB: each write takes a while
for _ in range(25):
    write_json_atomic(target, doc)
"""


def test_two_processes_writing_one_json_file_leave_one_whole_file(tmp_path: Path) -> None:
    # before: both wrote .x.json.tmp; one's open truncated the other's file, whose rename then
    # published it half written or moved it under the other (two runs' merge-manifests into one
    # output, a manifest written twice): a torn or foreign file, or 'cannot write' for the loser
    target = tmp_path / "x.json"
    procs = [subprocess.Popen([sys.executable, "-c", _RACE_WRITER, name, str(target)], stderr=subprocess.PIPE)
             for name in ("a", "b")]
    seen: set[str] = set()
    while any(p.poll() is None for p in procs):
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            continue
        seen.add(orjson.loads(data)["writer"])         # every version published is whole
    errors = [p.stderr.read().decode() for p in procs]   # type: ignore[union-attr]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert orjson.loads(target.read_bytes())["writer"] in {"a", "b"} and seen <= {"a", "b"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]


_OTHER_HOST_WRITER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_EXCL)
fcntl.flock(fd, fcntl.LOCK_EX)      # what a live AtomicFile holds on its temporary file
os.write(fd, b"partial")
print("ready", flush=True)
sys.stdin.read()                    # writes on until told to stop
"""


def test_a_live_writer_on_a_host_of_the_same_name_keeps_its_temporary_file(tmp_path: Path) -> None:
    # Two hosts given one name (containers, cloned VMs) on a shared file system: the other's
    # live writer has a process id that is not running here, and its file was removed under it
    # as a killed writer's (its commit then failed). A writer holds a lock on its temporary
    # file while it lives: only an unlocked one (its writer gone) is removed.
    from newsclean.output.writer import AtomicFile, _host

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(gone.stdout)
    live = tmp_path / f".out.bin.{_host()}.{pid}-0a1b2c.tmp"    # the other host's: a pid not running here
    killed = tmp_path / f".out.bin.{_host()}.{pid}-3d4e5f.tmp"  # a dead writer's: no lock held
    killed.write_bytes(b"partial")
    other = subprocess.Popen([sys.executable, "-c", _OTHER_HOST_WRITER, str(live)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline() == "ready\n"
        AtomicFile(tmp_path / "out.bin").commit()
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.bin", live.name])
    finally:
        other.communicate("")
    AtomicFile(tmp_path / "out.bin").commit()    # its writer gone now: removed by the next
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_a_writer_holds_its_temporary_files_lock_until_it_is_renamed(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    from newsclean.output import writer

    def locked(path: Path) -> bool:
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False

    out = writer.AtomicFile(tmp_path / "out.bin")
    assert out.tmp is not None
    out.write(b"data")
    assert locked(out.tmp)
    renamed = os.replace
    held: list[bool] = []

    def replace(src: Path, dst: str) -> None:   # the file is still locked when it is renamed
        held.append(locked(Path(src)))
        renamed(src, dst)

    monkeypatch.setattr(writer.os, "replace", replace)
    out.commit()
    assert held == [True] and (tmp_path / "out.bin").read_bytes() == b"data"


def test_a_device_or_a_pipe_named_as_the_output_is_written_into_not_replaced(tmp_path: Path) -> None:
    # before: written beside it and renamed over it: 'export --parquet /dev/full' as root replaced
    # the device with a regular file (and said it wrote it); a FIFO or a link to /dev/null became
    # a regular file, the FIFO's reader waiting for ever. Safe to run before the fix: only links
    # and pipes in tmp_path are named, never /dev itself.
    import stat
    import threading

    from newsclean.output.writer import AtomicFile

    link = tmp_path / "sink"
    link.symlink_to(os.devnull)
    for spool in (False, True):
        out = AtomicFile(link, spool=spool)
        out.write(b"gone\n")
        out.commit()
        assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    out = AtomicFile(fifo)
    out.write(b"streamed\n")
    out.commit()
    reader.join(10)
    assert got == [b"streamed\n"] and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "sink"]


def test_an_output_named_by_a_symbolic_link_is_written_to_the_file_it_names(tmp_path: Path) -> None:
    # before: the temporary file was renamed over the link: the link was gone (a regular file in
    # its place) and the file it named kept its old content. Now the file the link names (through
    # a chain of links, relative ones too; one that names no file yet) is replaced, the links stay.
    from newsclean.output.writer import AtomicFile, write_json_atomic

    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "latest.parquet"
    target.write_bytes(b"old\n")
    link = tmp_path / "latest"
    link.symlink_to("data/latest.parquet")
    chain = tmp_path / "chain"
    chain.symlink_to(link.name)
    for name, content in ((link, b"new\n"), (chain, b"newer\n")):
        out = AtomicFile(name)
        out.write(content)
        out.commit()
        assert target.read_bytes() == content
        assert link.is_symlink() and chain.is_symlink() and os.readlink(link) == "data/latest.parquet"
    dangling = tmp_path / "manifest.json"
    dangling.symlink_to(tmp_path / "data" / "manifest-to-be.json")
    write_json_atomic(dangling, {"a": 1})
    assert dangling.is_symlink() and (tmp_path / "data" / "manifest-to-be.json").read_text() == '{\n  "a": 1\n}\n'
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["chain", "data", "latest", "latest.parquet",
                                                           "manifest-to-be.json", "manifest.json"]


def test_a_directory_named_as_the_output_is_said_before_anything_is_written(tmp_path: Path) -> None:
    from newsclean.output.writer import AtomicFile

    with pytest.raises(OutputError, match=f"cannot write {tmp_path}: Is a directory"):
        AtomicFile(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_file_output_discarded_or_committed_reads_no_stdout_buffer(tmp_path: Path) -> None:
    # before: discard() compared each file with sys.stdout.buffer: with standard output a StringIO
    # (a notebook's, contextlib.redirect_stdout) an export that read no record raised AttributeError
    import contextlib
    import io

    from newsclean.output import AtomicFile

    with contextlib.redirect_stdout(io.StringIO()):
        dropped, kept = AtomicFile(tmp_path / "a.bin"), AtomicFile(tmp_path / "b.bin")
        dropped.write(b"x")
        dropped.discard()
        kept.write(b"y")
        kept.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.bin"] and (tmp_path / "b.bin").read_bytes() == b"y"
