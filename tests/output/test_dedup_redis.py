"""The duplicate index on a real redis-server: one index for every worker of a deployment."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import redis

from newsclean.output import content_hash
from newsclean.output.dedup import DEFAULT_THRESHOLD, DedupIndex, DedupIndexError, RedisEntries, lsh_params, signature

from ..dedup_fixtures import distinct, syndicated
from .test_dedup import reopen_loads_nothing
from ..e2e.test_dedup_crawl import StorySite, crawl
from ..crawler.state.test_redis import redis_url  # noqa: F401 - the real redis-server fixture
from ..conftest import read_parts


def _index(url: str, worker: str, root: str = "/nowhere", ns: str = "test") -> DedupIndex:
    owner = {"worker": worker, "host": socket.gethostname(), "root": root}
    return DedupIndex(entries=RedisEntries(redis.Redis.from_url(url), ns, owner))


def _add(index: DedupIndex, rid: str, text: str, run_id: str) -> str | None:
    sig = signature(text)
    match = index.find(rid, content_hash(text), sig, run_id=run_id)
    index.add(rid, content_hash(text), sig, root=match.duplicate_of if match else None, run_id=run_id)
    return match.duplicate_of if match else None


def test_workers_share_one_index_and_see_only_written_entries(redis_url: str) -> None:  # noqa: F811
    (wire, copies), (other, other_copies) = syndicated()[0], syndicated()[1]
    a, b, c, d = "a" * 32, "b" * 32, "c" * 32, "d" * 32
    one, two = _index(redis_url, "w1"), _index(redis_url, "w2")
    two.find("0" * 32, "x", signature(other.text), run_id="r2")   # two's buckets loaded before a exists
    assert _add(one, a, wire.text, "r1") is None
    assert _add(one, b, copies[0].text, "r1") == a                 # within one worker's run
    assert _add(two, c, copies[1].text, "r2") is None              # r1 is still pending: not a candidate
    assert one.settle("r1", {(a, content_hash(wire.text)), (b, content_hash(copies[0].text))}) == (2, 0)
    assert _add(two, d, copies[2].text, "r2") == a                 # written now, seen by the other worker
    assert two.run_owner("r2") == {"worker": "w2", "host": socket.gethostname(), "root": "/nowhere"}
    # a lost original: its copy becomes the root, exactly as on SQLite
    e, f, g = "e" * 32, "f" * 32, "9" * 32
    _add(one, e, other.text, "r3")
    assert _add(one, f, other_copies[0].text, "r3") == e
    assert one.settle("r3", lambda rid, h: rid == f) == (1, 1)
    reopened = _index(redis_url, "w3")
    assert _add(reopened, g, other_copies[2].text, "r4") == f
    assert reopened.count() == one.count() == 6      # a, b, c, d, f, g: e was forgotten
    assert reopened.pending_runs() == ["r2", "r4"]


def test_reopening_a_large_index_on_redis_loads_none_of_it(redis_url: str) -> None:  # noqa: F811
    client = redis.Redis.from_url(redis_url)
    client.ping()     # the connection is the caller's (the pipeline's), not the index's
    owner = {"worker": "w1", "host": socket.gethostname(), "root": "/nowhere"}
    reopen_loads_nothing(lambda: DedupIndex(entries=RedisEntries(client, "test", owner)))


def test_redis_buckets_match_sqlites_follow_settle_and_are_rebuilt_for_another_threshold(redis_url: str) -> None:  # noqa: F811
    client = redis.Redis.from_url(redis_url)

    def bucket_seqs() -> int:
        b = lsh_params(DEFAULT_THRESHOLD)[0]
        return sum(len(v.split(b",")) for i in range(b) for v in client.hvals(f"test:dedup:b:{i}"))

    on_redis, on_sqlite = _index(redis_url, "w1"), DedupIndex(None)
    texts = [t for wire, copies in syndicated() for t in (wire, *copies)] + distinct()
    for t in texts:
        sig = signature(t.text)
        assert [e.id for e in on_redis.candidates(sig)] == [e.id for e in on_sqlite.candidates(sig)], t.name
        for index in (on_redis, on_sqlite):
            index.add(t.name, content_hash(t.text), sig, root=None, run_id="r1")
    assert bucket_seqs() == len(texts) * lsh_params(DEFAULT_THRESHOLD)[0]
    wire, copies = syndicated()[0]
    gone = {wire.name, *(c.name for c in copies)}      # a story and copies that share its buckets
    assert on_redis.settle("r1", lambda rid, _h: rid not in gone) == (len(texts) - len(gone), len(gone))
    assert bucket_seqs() == (len(texts) - len(gone)) * lsh_params(DEFAULT_THRESHOLD)[0]
    assert _add(on_redis, "a" * 32, copies[0].text, "r2") is None
    # another threshold: the buckets are cut again from the stored signatures
    other = DedupIndex(threshold=0.3, entries=RedisEntries(client, "test", {"worker": "w2", "host": "h", "root": ""}))
    assert client.hget("test:dedup:meta", "lsh_bands") == b"%dx%d" % lsh_params(0.3)
    story, story_copies = syndicated()[1]
    reworded = story_copies[0].text + "\nThe desk added this closing line."
    assert _add(other, "b" * 32, reworded, "r3") == story.name    # a near match, found in the new buckets
    on_sqlite.close()


def test_an_index_with_other_parameters_is_refused(redis_url: str) -> None:  # noqa: F811
    client = redis.Redis.from_url(redis_url)
    client.hset("test:dedup:meta", "params", '{"num_perm": "64"}')
    with pytest.raises(DedupIndexError, match="NEWSCLEAN_REDIS_NAMESPACE"):
        _index(redis_url, "w1")


def test_a_copy_written_by_another_worker_in_a_later_crawl_is_marked(site_server, redis_url: str,  # noqa: F811
                                                                     tmp_path: Path) -> None:
    server, root = site_server
    site = StorySite(root, server)
    wire, copies = syndicated()[3]
    site.publish("/2026/02/01/flu-spray-trial/", wire)
    first = crawl(site, tmp_path / "worker-1", "--redis", redis_url, "-s", "NEWSCLEAN_WORKER_ID=w1")
    assert first.returncode == 0, first.stderr[-2000:]
    (original,) = read_parts(tmp_path / "worker-1")
    site.publish("/2026/02/02/no-more-needles/", copies[1])
    second = crawl(site, tmp_path / "worker-2", "--redis", redis_url, "-s", "NEWSCLEAN_WORKER_ID=w2")
    assert second.returncode == 0, second.stderr[-2000:]
    (copy,) = read_parts(tmp_path / "worker-2")      # the store (on Redis too) skipped the original
    assert copy["url"] == site.url("/2026/02/02/no-more-needles/")
    assert copy["duplicate_of"] == original["id"]
    assert not (tmp_path / "worker-2" / "state" / "dedup.sqlite3").exists()


def test_a_dead_workers_entries_are_settled_from_its_files_a_live_ones_left(site_server, redis_url: str,  # noqa: F811
                                                                          tmp_path: Path) -> None:
    from newsclean.output import PartWriter

    server, root = site_server
    site = StorySite(root, server)
    (bridge, bridge_copies), (library, library_copies) = syndicated()[1], syndicated()[2]
    dead_out = tmp_path / "worker-dead"
    dead = _index(redis_url, "w-dead", str(dead_out), ns="newsclean")
    ghost, kept = "a" * 32, "b" * 32
    _add(dead, ghost, bridge.text, "run-dead")           # killed before its part was committed
    _add(dead, kept, library.text, "run-dead")
    with PartWriter(dead_out, "run-dead", kind="articles") as writer:
        writer.write({"id": kept, "content_hash": content_hash(library.text)}, {"site": "x", "date": "2026-02-01"})
    live = _index(redis_url, "w-live", ns="newsclean")
    _add(live, "c" * 32, "A story another worker is writing right now, with enough words to shingle.", "run-live")
    client = redis.Redis.from_url(redis_url)
    client.set("newsclean:worker:w-live", "idle", px=120_000)   # its heartbeat: alive

    site.publish("/2026/02/03/bridge-copy/", bridge_copies[0])
    site.publish("/2026/02/03/library-copy/", library_copies[0])
    out = tmp_path / "worker-2"
    proc = crawl(site, out, "--redis", redis_url, "-s", "NEWSCLEAN_WORKER_ID=w2")
    assert proc.returncode == 0, proc.stderr[-2000:]
    records = {r["url"]: r for r in read_parts(out)}
    assert records[site.url("/2026/02/03/library-copy/")]["duplicate_of"] == kept
    assert records[site.url("/2026/02/03/bridge-copy/")]["duplicate_of"] is None
    assert _index(redis_url, "w-check", ns="newsclean").pending_runs() == ["run-live"]
