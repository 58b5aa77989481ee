"""Bad input to the command line: one line on stderr and the documented exit code, never a
traceback (README, Exit codes: 2 = usage or configuration error)."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from ..conftest import REPO, call_newsclean, run_newsclean


def _one_line(proc, code: int, *words: str) -> None:
    assert proc.returncode == code, proc.stderr[-2000:]
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("newsclean: error: "), proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr


def test_an_out_that_is_a_file_or_cannot_be_written(tmp_path: Path) -> None:
    a_file = tmp_path / "corpus.jsonl"
    a_file.write_text("x\n")
    _one_line(run_newsclean("crawl", "demo", "--out", str(a_file)), 2, "--out", "a file, not a directory")
    _one_line(run_newsclean("demo", "--out", str(a_file / "sub")), 2, "--out", "cannot write there")
    _one_line(run_newsclean("crawl", "demo", "--out", "/proc/newsclean-out"), 2, "cannot write there")
    assert a_file.read_text() == "x\n"


def test_the_demo_refuses_its_out_before_it_serves(tmp_path: Path) -> None:
    # before: "serving the demo site ... and crawling it ..." was printed, then --out refused
    a_file = tmp_path / "passwd"
    a_file.write_text("root:x:0:0\n")
    for out in (a_file, Path("/proc/newsclean-out")):
        proc = run_newsclean("demo", "--out", str(out))
        _one_line(proc, 2, f"--out {out}")
        assert proc.stdout == "", proc.stdout
    proc = run_newsclean("crawl", "demo", "--out", str(a_file), "-v")
    _one_line(proc, 2, "a file, not a directory")   # -v: a served demo would have logged its start
    assert a_file.read_text() == "root:x:0:0\n"


def test_an_input_that_does_not_exist(tmp_path: Path) -> None:
    # before: stats printed an empty table and exited 1 as for a damaged line; export and clean
    # said two lines each, exit 1 ('skipped ...', 'failed: no records read')
    missing = tmp_path / "corpus-typo"
    part = tmp_path / "part.jsonl"
    part.write_text("{}\n")
    for args in (("stats", str(missing)), ("stats", str(part), str(missing), "--allow-skips"),
                 ("export", str(missing), "--parquet", str(tmp_path / "c.parquet")),
                 ("clean", str(missing), "-o", str(tmp_path / "c.jsonl"))):
        proc = call_newsclean(*args)
        _one_line(proc, 2, f"{missing}: no such file or directory")
        assert proc.stdout == "", proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part.jsonl"]


_CTRL_C_WHILE_LOADING = """
import importlib.abc, os, signal, sys
class CtrlC(importlib.abc.MetaPathFinder):   # Ctrl-C as the command's modules load
    def find_spec(self, name, path, target=None):
        if name == "newsclean.output":
            os.kill(os.getpid(), signal.SIGINT)
sys.meta_path.insert(0, CtrlC())
sys.argv = ["newsclean", "--version"]
from newsclean.crawler.commands.cli import run
run()
"""


def test_ctrl_c_while_the_program_loads() -> None:
    # before: a traceback through importlib (the imports of cli.py take 1-2 s on a busy machine,
    # before run() catches Ctrl-C), and the process died of SIGINT
    # SIGINT as a terminal leaves it: a job started in the background by a shell (`cmd &`, as a CI
    # runner may be) inherits SIGINT ignored, and Python then installs no KeyboardInterrupt at all
    proc = subprocess.run([sys.executable, "-c", _CTRL_C_WHILE_LOADING], capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert (proc.returncode, proc.stderr, proc.stdout) == (130, "newsclean: interrupted\n", ""), proc.stderr[-2000:]


def test_a_urls_file_that_does_not_exist(tmp_path: Path) -> None:
    # before: "--urls x.txt: [Errno 2] No such file or directory: 'x.txt'"
    missing = tmp_path / "x.txt"
    proc = call_newsclean("crawl", "--urls", str(missing), "--out", str(tmp_path / "o"))
    _one_line(proc, 2)
    assert proc.stderr == f"newsclean: error: --urls {missing}: no such file or directory\n"


def test_the_readmes_demo_server_on_a_port_in_use_or_no_root(tmp_path: Path) -> None:
    # `python -m newsclean.crawler.commands.demo` (the README's server for plain scrapy): a port
    # in use (8000 by default) was an OSError traceback, a --root that is not there served 404s
    prog = [sys.executable, "-m", "newsclean.crawler.commands.demo"]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for args, words in ((["--port", str(port)], f"--port {port}: cannot serve there: Address already in use"),
                            (["--root", str(tmp_path / "nowhere")], "not a directory")):
            proc = subprocess.run([*prog, *args], capture_output=True, text=True, timeout=60)
            assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
            assert proc.stderr.count("\n") == 1 and words in proc.stderr, proc.stderr


def test_an_empty_path_is_refused_not_read_as_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `--out "$CORPUS"` with the variable unset: before, a crawl wrote articles/, manifests/ and
    # state/ into the current directory, `stats ""` read every JSONL under it, and the outputs
    # said "newsclean: error:  is a directory"
    monkeypatch.chdir(tmp_path)
    for args in (("crawl", "demo", "--out", ""), ("demo", "--out", ""), ("stats", ""), ("export", ".", "--parquet", ""),
                 ("clean", ".", "-o", ""), ("clean", ".", "-o", "x.jsonl", "--rejects", " "),
                 ("merge-manifests", "m.json", "-o", ""), ("crawl", "--urls", "", "--out", "o")):
        crawls = args[0] in ("crawl", "demo")   # a process of its own: a regression must not crawl in this one
        proc = run_newsclean(*args, cwd=tmp_path) if crawls else call_newsclean(*args)
        assert proc.returncode == 2, (args, proc.stderr[-2000:])
        assert proc.stderr.strip().splitlines()[-1].endswith(": an empty path (an unset variable?)"), (args, proc.stderr)
    assert list(tmp_path.iterdir()) == []


def test_a_run_id_that_is_no_file_name(tmp_path: Path) -> None:
    # before: -s NEWSCLEAN_RUN_ID='my run/1' wrote the manifest to OUT/manifests/my run/1.json (and
    # '../x' beside OUT), the part files under another, sanitized name
    for run_id in ("my run/1", "../x", ".hidden"):
        _one_line(run_newsclean("crawl", "demo", "--out", str(tmp_path / "o"), "-s", f"NEWSCLEAN_RUN_ID={run_id}"), 2,
                  f"bad -s NEWSCLEAN_RUN_ID={run_id!r}")
    assert not (tmp_path / "o").exists() and not (tmp_path / "x.json").exists()


def test_a_run_id_an_earlier_run_of_the_output_had_is_refused(tmp_path: Path) -> None:
    # before: a fixed run id in a cron line ran again: the second run's manifest replaced the
    # first's (OUT/manifests/daily.json, one left of two runs), and a killed run's staged parts
    # under that id were taken for the new run's own (left out of the store's recovery)
    out = tmp_path / "o"
    first = run_newsclean("crawl", "demo", "--out", str(out), "-s", "NEWSCLEAN_RUN_ID=daily", "-q")
    assert first.returncode == 0, first.stderr[-2000:]
    manifest = (out / "manifests" / "daily.json").read_bytes()
    _one_line(run_newsclean("crawl", "demo", "--out", str(out), "-s", "NEWSCLEAN_RUN_ID=daily"), 2,
              f"-s NEWSCLEAN_RUN_ID=daily: an earlier run of {out} had this id ({out / 'manifests' / 'daily.json'})")
    assert (out / "manifests" / "daily.json").read_bytes() == manifest
    # a run killed before its manifest (once it has taken the manifest's room): its id stays taken,
    # after another run too (which gives the room back). The store may know it first.
    killed = subprocess.Popen([sys.executable, "-m", "newsclean.crawler.commands.cli", "crawl", "demo", "--out", str(out),
                               "-s", "NEWSCLEAN_RUN_ID=k1"], cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)   # its demo server and workers too
    deadline = time.monotonic() + 120
    while not (out / "manifests" / ".reserve").exists() and killed.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    assert not (out / "manifests" / "k1.json").exists()
    said = f"-s NEWSCLEAN_RUN_ID=k1: an earlier run of {out} had this id and was stopped before its end ("
    _one_line(run_newsclean("crawl", "demo", "--out", str(out), "-s", "NEWSCLEAN_RUN_ID=k1"), 2, said)
    assert run_newsclean("crawl", "demo", "--out", str(out), "-q").returncode == 0
    assert (out / "manifests" / ".k1.killed").stat().st_size == 0 and not (out / "manifests" / ".reserve").exists()
    _one_line(run_newsclean("crawl", "demo", "--out", str(out), "-s", "NEWSCLEAN_RUN_ID=k1"), 2, said)
    manifests = sorted((out / "manifests").iterdir())
    scrapy = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "demo", "-s", f"NEWSCLEAN_OUTPUT_DIR={out}",
                             "-s", "NEWSCLEAN_RUN_ID=daily"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert scrapy.returncode == 2 and "Traceback" not in scrapy.stderr, scrapy.stderr[-2000:]
    assert scrapy.stderr.strip().splitlines()[-1].startswith(
        "newsclean: error: -s NEWSCLEAN_RUN_ID=daily: an earlier run of"), scrapy.stderr[-2000:]
    assert sorted((out / "manifests").iterdir()) == manifests


def test_a_demo_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        _one_line(run_newsclean("demo", "--port", str(port), "--out", str(tmp_path / "o")), 2, f"--port {port}")


def test_settings_of_the_wrong_type_or_unknown_name(tmp_path: Path) -> None:
    out = str(tmp_path / "o")
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "DOWNLOAD_DELAY=abc"), 2,
              "DOWNLOAD_DELAY='abc'", "a number")
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "CONCURRENT_REQUESTS=many"), 2, "a number")
    # Scrapy reads its counts as integers: a fraction or infinity was a traceback inside Scrapy
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "CONCURRENT_REQUESTS=2.5"), 2,
              "CONCURRENT_REQUESTS='2.5'", "a whole one")
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=inf"), 2,
              "a whole one")
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "NEWSCLEAN_INFLIGHT_BYTES=nan"), 2,
              "NEWSCLEAN_INFLIGHT_BYTES='nan'", "a number")
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "ROBOTSTXT_OBEY=maybe"), 2, "true or false")
    _one_line(run_newsclean("demo", "--out", out, "-s", "NEWSCLEAN_LANGAUGES=en"), 2,
              "unknown setting NEWSCLEAN_LANGAUGES", "did you mean NEWSCLEAN_LANGUAGES?")
    assert not (tmp_path / "o").exists()      # refused before anything was created
    # an option given as a setting: before, "did you mean NEWSCLEAN_DUPLICATES?"
    _one_line(call_newsclean("crawl", "demo", "--out", out, "-s", "NEWSCLEAN_SINCE=2d"), 2,
              "unknown setting NEWSCLEAN_SINCE: --since is an option of the command (plain scrapy: -a since=...)")
    _one_line(call_newsclean("crawl", "demo", "--out", out, "-s", "NEWSCLEAN_MAX_ARTICLES=5"), 2, "--max-articles")
    # misspelt: before, "did you mean NEWSCLEAN_MAX_SITEMAPS?"
    _one_line(call_newsclean("crawl", "demo", "--out", out, "-s", "NEWSCLEAN_MAX_ARTICLE=5"), 2,
              "unknown setting NEWSCLEAN_MAX_ARTICLE: --max-articles is an option of the command")
    _one_line(call_newsclean("crawl", "demo", "--out", out, "-s", "NEWSCLEAN_MAX_SITEMAP=5"), 2,
              "did you mean NEWSCLEAN_MAX_SITEMAPS?")


def test_settings_out_of_their_range(tmp_path: Path) -> None:
    # LOG_LEVEL=LOUD was a ValueError traceback at Scrapy's start; a part of 0 records or a
    # timeout of -1 s ran the whole crawl to 'ended with None' or every page a timeout reject
    out = str(tmp_path / "o")
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "LOG_LEVEL=LOUD"), 2, "LOG_LEVEL='LOUD'", "INFO")
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "NEWSCLEAN_PART_MAX_RECORDS=0"), 2,
              "NEWSCLEAN_PART_MAX_RECORDS='0'", "more than 0")
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "NEWSCLEAN_CLEAN_TIMEOUT=-1"), 2, "more than 0")
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "NEWSCLEAN_RETRY_BACKOFF=-5"), 2, "at least 0")
    # newsclean's counts are whole numbers: a part of 2.5 records ran to 'ended early: unknown'
    for count in ("NEWSCLEAN_PART_MAX_RECORDS=2.5", "NEWSCLEAN_PART_MAX_RECORDS=inf", "NEWSCLEAN_MAX_SITEMAPS=2.5",
                  "NEWSCLEAN_CLEAN_WORKERS=2.5", "NEWSCLEAN_CLEAN_WORKERS=abc"):
        _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", count), 2, "a whole one")
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "NEWSCLEAN_CLEAN_WORKERS=-1"), 2, "at least 0")
    # Scrapy's own: 0 concurrent requests hung the crawl, a negative size bound failed every
    # download with a traceback, a log file it cannot open was a traceback at its start
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "CONCURRENT_REQUESTS=0"), 2, "more than 0")
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "DOWNLOAD_MAXSIZE=-1"), 2, "at least 0")
    _one_line(run_newsclean("crawl", "demo", "--out", out, "-s", "LOG_FILE=/proc/newsclean.log"), 2,
              "LOG_FILE", "cannot write there")
    assert not (tmp_path / "o").exists()


def test_an_out_whose_run_directories_are_files(tmp_path: Path) -> None:
    # OUT/manifests as a file was a traceback (the manifest's reserved room), OUT/articles one
    # 'output failed' line after the whole crawl had run
    for sub in ("manifests", "articles"):
        out = tmp_path / sub
        out.mkdir()
        (out / sub).write_text("x\n")
        _one_line(run_newsclean("crawl", "demo", "--out", str(out)), 2, f"{sub} is a file, not a directory")
        assert (out / sub).read_text() == "x\n"


def test_state_that_is_not_newsclean_s_databases(tmp_path: Path) -> None:
    # A state file that is not SQLite was a traceback ('Crawler.stats is not set yet', twice) and
    # 'failed: no spider ran'; a dedup index that is not one, a run that 'ended with None'
    junk = b"not a database, some other file\n"
    for name in ("articles.sqlite3", "dedup.sqlite3"):
        out = tmp_path / name
        (out / "state").mkdir(parents=True)
        (out / "state" / name).write_bytes(junk)
        _one_line(run_newsclean("crawl", "demo", "--out", str(out)), 2, f"state {out / 'state' / name}:")
        assert (out / "state" / name).read_bytes() == junk and not (out / "manifests").exists()
        # before the demo server starts: it said "serving the demo site ... and crawling it ..." first
        demo = run_newsclean("demo", "--out", str(out))
        _one_line(demo, 2, f"state {out / 'state' / name}:")
        assert demo.stdout == "", demo.stdout
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "state").write_text("x\n")   # the state directory's name taken by a file
    _one_line(run_newsclean("crawl", "demo", "--out", str(tmp_path / "s")), 2, "state is a file, not a directory")


def test_option_values_out_of_their_range(tmp_path: Path) -> None:
    # demo --port 99999 was an OverflowError traceback; crawl --max-articles -5 scheduled nothing
    # and said 'ok' (exit 0); clean --timeout 0 rejected every page as a timeout; --redis with an
    # http:// URL was 'failed: cannot use Redis' (exit 1), not a usage error
    for args, words in [(["demo", "--port", "99999"], "argument --port: 99999 is out of range"),
                        (["crawl", "demo", "--max-articles", "-5"], "argument --max-articles: -5 is out of range")]:
        proc = run_newsclean(*args, "--out", str(tmp_path / "o"))
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
        assert words in proc.stderr.strip().splitlines()[-1], proc.stderr
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text("<html><body><p>x</p></body></html>")
    _one_line(run_newsclean("clean", str(pages), "-o", str(tmp_path / "c.jsonl"), "--timeout", "0"), 2,
              "--timeout must be more than 0")
    _one_line(run_newsclean("crawl", "demo", "--out", str(tmp_path / "o"), "--redis", "http://127.0.0.1:6379/"), 2,
              "not a Redis URL")
    # a window reaching back before the first date there is: a traceback ('9999999999d'), or an
    # error in each check of an article's date in the crawl ('999999999d')
    for since in ("9999999999d", "999999999d", "99999999999999999999w"):
        _one_line(run_newsclean("crawl", "demo", "--out", str(tmp_path / "o"), "--since", since), 2,
                  f"--since: bad duration '{since}': it reaches back before the year 1")
    assert not (tmp_path / "o").exists() and not (tmp_path / "c.jsonl").exists()


def _manifest(path: Path, run_id: str, crawl_id: str | None) -> Path:
    data = {"run_id": run_id, "started_at": "2026-01-01T00:00:00+00:00", "finished_at": "2026-01-01T00:01:00+00:00",
            "status": "ok", "exit_code": 0, "reason": "demo: 3 articles written", "sites": ["demo"],
            "counts": {"newsclean/output/records_written": 3}, "dropped": {}, "files": [], "checks": []}
    if crawl_id is not None:
        data["crawl_id"] = crawl_id
    path.write_bytes(orjson.dumps(data))
    return path


def test_merge_manifests_refuses_missing_and_unrelated_manifests(tmp_path: Path) -> None:
    a = _manifest(tmp_path / "a.json", "run-a", "run-a")     # two runs that were each their own crawl
    b = _manifest(tmp_path / "b.json", "run-b", "run-b")
    merged = tmp_path / "m.json"
    _one_line(call_newsclean("merge-manifests", str(a), str(tmp_path / "missing.json"), "-o", str(merged)), 2,
              "missing.json: cannot read")
    _one_line(call_newsclean("merge-manifests", str(a), str(b), "-o", str(merged)), 2, "not the workers of one crawl")
    old = _manifest(tmp_path / "old.json", "run-c", None)   # written before manifests named their crawl
    _one_line(call_newsclean("merge-manifests", str(a), str(old), "-o", str(merged)), 2, "not the workers of one crawl")
    (tmp_path / "bad.json").write_text("{")
    _one_line(call_newsclean("merge-manifests", str(a), str(tmp_path / "bad.json"), "-o", str(merged)), 2, "bad JSON")
    assert not merged.exists()
    w1 = _manifest(tmp_path / "w1.json", "run-1", "crawl-x")
    w2 = _manifest(tmp_path / "w2.json", "run-2", "crawl-x")
    _one_line(call_newsclean("merge-manifests", str(w1), str(w2), "-o", str(w1)), 2, "is also an input")
    # the refusals above are called in this process; the merge runs as a real command
    proc = run_newsclean("merge-manifests", str(w1), str(w2), "-o", str(merged))
    assert proc.returncode == 0, proc.stderr
    assert orjson.loads(merged.read_bytes())["counts"] == {"newsclean/output/records_written": 6}


def test_merge_manifests_refuses_fields_of_the_wrong_type(tmp_path: Path) -> None:
    # before: a traceback each (a hand-edited manifest, one of another version): a null
    # finished_at (TypeError in max), a count as text, an unknown status (ValueError), counts as
    # a list (AttributeError), a run id as a number, a crawl id as a list (unhashable)
    good = _manifest(tmp_path / "good.json", "run-1", "crawl-x")
    merged = tmp_path / "m.json"
    for key, value, said in [("finished_at", None, "'finished_at' is null, not a time"),
                             ("counts", {"newsclean/output/records_written": "3"}, "'counts' is"),
                             ("status", "fine", "'status' is \"fine\", not ok, degraded, interrupted or failed"),
                             ("counts", [], "'counts' is [], not a table of counts"),
                             ("run_id", 2, "'run_id' is 2, not a run id"),
                             ("exit_code", True, "'exit_code' is true"),
                             ("crawl_id", ["crawl-x"], "'crawl_id' is not a crawl id")]:
        bad = tmp_path / "bad.json"
        bad.write_bytes(orjson.dumps({**orjson.loads(_manifest(bad, "run-2", "crawl-x").read_bytes()), key: value}))
        _one_line(call_newsclean("merge-manifests", str(good), str(bad), "-o", str(merged)), 2,
                  f"{bad}: not a newsclean run manifest: {said}")
    assert not merged.exists()


def test_standard_output_that_cannot_be_written(tmp_path: Path) -> None:
    # `newsclean sites > /dev/full` (a full disk under a redirect) was an OSError traceback from a
    # print, `clean -o - > /dev/full` one from the record writer; a closed pipe (`| head`) likewise
    from newsclean.crawler.commands.demo import DEMO_SITE

    from ..output.test_corpus_output import make_record

    corpus = tmp_path / "c.jsonl"   # export's Parquet, spooled, then copied out: 'cannot write -' before
    corpus.write_bytes(b"".join(orjson.dumps(make_record(n)) + b"\n" for n in range(3)))
    for args in (["sites"], ["clean", str(DEMO_SITE / "stories"), "-o", "-", "--workers", "1"],
                 ["export", str(corpus), "--parquet", "-"]):
        with open("/dev/full", "w") as full:
            proc = subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.cli", *args], cwd=REPO,
                                  stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
        last = proc.stderr.strip().splitlines()[-1]
        assert last.startswith("newsclean: failed: cannot write standard output"), proc.stderr
    # a reader that has gone (`| head` once it has what it wanted): every write fails, and the
    # command ends quietly, exit 1 (clean -o - said 'failed: cannot write standard output: Broken pipe')
    for args in (["sites"], ["clean", str(DEMO_SITE / "stories"), "-o", "-", "--workers", "1"]):
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            proc = subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.cli", *args], cwd=REPO,
                                  stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120)
        finally:
            os.close(write_end)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, \
            proc.stderr[-2000:]
        assert "newsclean: failed" not in proc.stderr, proc.stderr[-2000:]



def test_standard_output_closed_at_the_start_and_help_to_a_full_device() -> None:
    # `newsclean sites >&-`: Python's sys.stdout is None, and the guard of standard output took it
    # for a stream (AttributeError traceback; `clean -o -` one before it); `newsclean --help >
    # /dev/full` was a StdoutError traceback from argparse's print, outside main's handling
    from newsclean.crawler.commands.demo import DEMO_SITE

    def closed_stdout() -> None:
        os.close(1)

    cases = [(args, None) for args in (["sites"], ["--help"], ["clean", str(DEMO_SITE / "stories"), "-o", "-", "--workers", "1"])]
    cases += [(args, "/dev/full") for args in (["--help"], ["sites", "--help"], ["--version"])]
    for args, device in cases:
        with open(device or os.devnull, "w") as out:
            proc = subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.cli", *args], cwd=REPO, stdout=out,
                                  stderr=subprocess.PIPE, text=True, timeout=120, preexec_fn=None if device else closed_stdout)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, (args, device, proc.stderr[-2000:])
        last = proc.stderr.strip().splitlines()[-1]
        assert last.startswith("newsclean: failed: cannot write standard output"), (args, device, proc.stderr)


def test_a_full_disk_under_an_output_file_is_not_called_standard_output(tmp_path: Path) -> None:
    # cli.main took any ENOSPC/EIO/EPIPE OSError without a file name for standard output's: pyarrow's
    # ENOSPC writing an export said 'cannot write standard output' while stdout was a pipe with
    # nothing wrong. A real full disk: a private 4 KB tmpfs (a user namespace, no root).
    from newsclean.crawler.hostile.cases_bounds import small_disk_available

    from ..output.test_corpus_output import make_record

    disk = tmp_path / "disk"
    disk.mkdir()
    if not small_disk_available(disk):
        pytest.skip("no private tmpfs here (unshare --user --mount is not allowed)")
    corpus = tmp_path / "c.jsonl"   # words that do not compress away: more than the disk holds
    corpus.write_bytes(b"".join(orjson.dumps(make_record(n, text=" ".join(f"w{n * 7919 + j * 104729}" for j in range(2000))))
                                + b"\n" for n in range(5)))
    target = disk / "c.parquet"
    export = shlex.join([sys.executable, "-m", "newsclean.crawler.commands.cli", "export", str(corpus),
                         "--parquet", str(target)])
    script = f"mount -t tmpfs -o size=4k tmpfs {shlex.quote(str(disk))} && {export}; echo \"exit $?\"; ls -A {shlex.quote(str(disk))}"
    proc = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script], cwd=REPO,
                          capture_output=True, text=True, timeout=180)
    lines = proc.stdout.strip().splitlines()
    assert lines and lines[0] == "exit 1", (proc.stdout, proc.stderr[-2000:])
    assert lines[1:] == []                      # nothing left on the disk: no torn file, no temporary one
    assert "Traceback" not in proc.stderr and "standard output" not in proc.stderr, proc.stderr[-2000:]
    assert proc.stderr.strip().splitlines()[-1] == f"newsclean: failed: cannot write {target}: disk full", proc.stderr


def test_a_ccnews_backoff_that_is_no_wait_is_refused_at_the_start(tmp_path: Path) -> None:
    # NEWSCLEAN_CCNEWS_BACKOFF=inf (or 1e12) passed the check (at least 0) and the listing's first
    # retry was an OverflowError traceback in its sleep. Nothing listens on the archive's port, so
    # the old code reached that retry at once; the check now refuses it before any read.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    out = tmp_path / "o"
    for backoff in ("inf", "1e12", "86401"):
        _one_line(run_newsclean("ccnews", "--from", "2026-11-01", "--out", str(out),
                                "-s", f"NEWSCLEAN_CCNEWS_BASE_URL=http://127.0.0.1:{port}/",
                                "-s", f"NEWSCLEAN_CCNEWS_BACKOFF={backoff}"), 2,
                  f"NEWSCLEAN_CCNEWS_BACKOFF='{backoff}'", "at most 86400")
    assert not out.exists()


def test_more_cleaning_workers_than_four_a_core_are_refused(tmp_path: Path) -> None:
    # -s NEWSCLEAN_CLEAN_WORKERS and clean --workers had no upper bound: 100000 started that many
    # processes. The test gives one more than the bound (9 on 2 cores), which the old code ran.
    too_many = str(4 * len(os.sched_getaffinity(0)) + 1)
    _one_line(run_newsclean("crawl", "demo", "--out", str(tmp_path / "o"), "-s", f"NEWSCLEAN_CLEAN_WORKERS={too_many}"),
              2, f"NEWSCLEAN_CLEAN_WORKERS='{too_many}'", "at most", "(4 a core)")
    assert not (tmp_path / "o").exists()
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text("<html><body><p>x</p></body></html>")
    _one_line(run_newsclean("clean", str(pages), "-o", str(tmp_path / "c.jsonl"), "--workers", too_many), 2,
              "--workers must be at most", "(4 a core)")
    assert not (tmp_path / "c.jsonl").exists()


def test_the_most_workers_are_counted_when_asked_not_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    # The bound (4 a core) was fixed when the command line was imported: a process whose CPUs
    # changed after that (pinned later) kept the old bound. Here the process now has one CPU.
    from newsclean.crawler.commands import cli
    from newsclean.crawler.workers import procfs

    monkeypatch.setattr(procfs, "usable_cpus", lambda: 1)
    cli.check_settings({"NEWSCLEAN_CLEAN_WORKERS": "4"})
    with pytest.raises(cli.UsageError, match=r"at most 4 \(4 a core\)"):
        cli.check_settings({"NEWSCLEAN_CLEAN_WORKERS": "5"})


def test_workers_are_counted_on_the_cpus_the_process_may_run_on(tmp_path: Path) -> None:
    # The bound (4 a core) and the default count (one a core) read os.cpu_count(), the machine's
    # CPUs: under `taskset -c 0` on 2 cores a crawl took 8 workers and clean started 2 by default.
    # A real affinity mask: the command runs in a process pinned to one CPU.
    if not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("needs sched_setaffinity and at least 2 CPUs to pin a process to 1 of them")
    pinned = ("import os, sys; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
              "from newsclean.crawler.commands.cli import main; sys.exit(main(sys.argv[1:]))")

    def run_pinned(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", pinned, *args], cwd=REPO, capture_output=True, text=True,
                              timeout=180)

    _one_line(run_pinned("crawl", "demo", "--out", str(tmp_path / "o"), "-s", "NEWSCLEAN_CLEAN_WORKERS=5"),
              2, "NEWSCLEAN_CLEAN_WORKERS='5'", "at most 4 (4 a core)")
    assert not (tmp_path / "o").exists()
    from newsclean.crawler.commands.demo import DEMO_SITE

    page = sorted(DEMO_SITE.glob("stories/2026/*/index.html"))[0]
    proc = run_pinned("clean", str(page), "-o", str(tmp_path / "c.jsonl"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert ", 1 worker)" in proc.stdout, proc.stdout   # one per usable CPU, not 2


@pytest.fixture
def line_model_file(tmp_path: Path, monkeypatch):
    """Where the cleaners read their line scorer's model from: a file of the test's (written by it)."""
    from newsclean.cleaners.learned import linescore

    path = tmp_path / "model" / "line_model.json"
    path.parent.mkdir()
    monkeypatch.setattr(linescore, "MODEL_FILE", path)
    linescore.shipped_model.cache_clear()
    yield path
    linescore.shipped_model.cache_clear()


@pytest.mark.parametrize("content, says", [(None, "is missing"), ('{"version": 0}', "has version 0"),
                                           ('{"version": 4, "featu', "is unreadable")])
def test_a_bad_line_model_is_one_error_before_a_crawl_or_clean_starts(tmp_path: Path, line_model_file: Path,
                                                                        content: str | None, says: str) -> None:
    # before: the scorer on by default read its model at the first page; the workers' silent warm-up
    # and clean_html's never-raise made every page a reject ("error: ModelError ..."), one by one
    if content is not None:
        line_model_file.write_text(content)
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text("<html><body><article><p>" + "The harbour board met on Monday. " * 20
                                  + "</p></article></body></html>")
    out, corpus = tmp_path / "out", tmp_path / "corpus.jsonl"
    for args in (("crawl", "demo", "--out", str(out)), ("demo", "--out", str(out)),
                 ("crawl", "--url", "https://news.example/a/", "--out", str(out)),
                 ("clean", str(pages), "-o", str(corpus), "--workers", "0")):
        proc = call_newsclean(*args)
        _one_line(proc, 2, f"line model {line_model_file}", says, "rebuild it with")
        assert proc.stdout == "", proc.stdout
    assert not out.exists() and not corpus.exists()


def test_a_country_or_language_the_catalog_does_not_have(tmp_path: Path) -> None:
    # before: `sites --country xx` printed a header and "0 catalog sites" and exited 0, where
    # `crawl --country xx` exited 2; neither named the codes the catalog has
    countries = "(the catalog's countries: at, au, be, ca, ch,"
    for args, words in ((("sites", "--country", "xx"), ("--country xx", countries)),
                        (("sites", "--language", "zz"), ("--language zz", "(the catalog's languages: ar, br, cs,")),
                        (("sites", "--check", "--country", "xx"), ("--country xx", countries)),
                        (("crawl", "--country", "xx", "--out", str(tmp_path / "o")), ("--country xx", countries)),
                        (("sites", "--country", "de", "--language", "ja"),
                         ("--country de --language ja", "countries publishing in ja: jp; languages of de: de, en)"))):
        proc = call_newsclean(*args)
        _one_line(proc, 2, f"no catalog site matches {words[0]} (", *words[1:])
        assert proc.stdout == "", proc.stdout
    assert not (tmp_path / "o").exists()
    proc = call_newsclean("sites", "--country", "UK", "--language", "en")   # an alias of gb, any case
    assert proc.returncode == 0 and proc.stdout.splitlines()[-1].endswith("--country UK --language en"), proc.stderr


@pytest.mark.parametrize("since", ["0d", "0h", "00m", "-2d"])
def test_a_since_window_of_no_time_is_refused(tmp_path: Path, since: str) -> None:
    # before: `--since 0d` crawled, dropped every dated article as too old and said 'ok'
    # (`--since=-2d`: a bad duration already; the message now says above 0)
    a_file = tmp_path / "o"
    a_file.write_text("x\n")   # had the option passed, the crawl would stop at this --out, said otherwise
    _one_line(call_newsclean("crawl", "demo", f"--since={since}", "--out", str(a_file)), 2,
              f"--since: bad duration {since!r}", "above 0" if since.startswith("-") else "more than 0")
    from newsclean.crawler.spiders.news import NewsSpider

    with pytest.raises(ValueError, match="bad duration"):   # plain scrapy crawl's -a since=0d
        NewsSpider.read_arguments(site="demo", since=since)


@pytest.mark.parametrize("value, ok", [("notaurl", False), ("http://", False), ("ftp://lab.example/", False),
                                       ("mailto:", False), ("mailto:@", False), ("https://lab.example/a b", False),
                                       ("https://lab.example/x\r\nX-Evil: 1", False), ("http://[::1", False),
                                       ("https://lab.example/crawler", True), ("mailto:crawl@lab.example", True)])
def test_a_contact_url_is_a_url_or_a_mail_address(tmp_path: Path, value: str, ok: bool) -> None:
    # before: any text went into every request's User-Agent ("newsclean/0.1.0 (+notaurl)")
    from newsclean.crawler.components.middlewares import contact_url

    if ok:
        assert contact_url(value) == value
        return
    a_file = tmp_path / "o"
    a_file.write_text("x\n")   # had the setting passed, the crawl would stop at this --out, said otherwise
    _one_line(call_newsclean("crawl", "demo", "--out", str(a_file), "-s", f"NEWSCLEAN_CONTACT_URL={value}"), 2,
              "bad NEWSCLEAN_CONTACT_URL", "an http(s) URL or a mailto: address expected")


def test_the_environments_contact_url_is_read_and_checked(tmp_path: Path) -> None:
    # before: `export NEWSCLEAN_CONTACT_URL=...` in a cron job was ignored without a word (only -s
    # set it): the User-Agent named the project's page
    code = ("from newsclean.crawler.commands.cli import _project_settings\n"
            "from newsclean.crawler.components.middlewares import user_agent\n"
            "print(user_agent(_project_settings({})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NEWSCLEAN_CONTACT_URL": "mailto:crawl@lab.example"})
    assert proc.returncode == 0 and proc.stdout.rstrip().endswith("(+mailto:crawl@lab.example)"), proc.stderr[-2000:]
    a_file = tmp_path / "o"
    a_file.write_text("x\n")
    for args in (("crawl", "demo", "--out", str(a_file)), ("sites", "--check", "demo")):
        proc = run_newsclean(*args, env={"NEWSCLEAN_CONTACT_URL": "notaurl"})
        _one_line(proc, 2, "bad NEWSCLEAN_CONTACT_URL 'notaurl'")
        assert proc.stdout == "", proc.stdout   # sites --check: no probe made, no demo served


def test_parquet_to_a_terminal_is_refused_to_a_pipe_written(tmp_path: Path) -> None:
    # before: `newsclean export corpus --parquet -` typed by hand wrote the binary file onto the terminal
    import pty

    from ..conftest import read_terminal
    from ..output.test_corpus_output import make_record

    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(b"".join(orjson.dumps(make_record(n)) + b"\n" for n in range(3)))
    primary, secondary = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "newsclean.crawler.commands.cli", "export", str(corpus),
                              "--parquet", "-"], cwd=REPO, stdout=secondary, stderr=subprocess.PIPE, text=True)
    os.close(secondary)
    shown = read_terminal(primary)
    child.wait(timeout=120)
    proc = subprocess.CompletedProcess(child.args, child.returncode, "", child.stderr.read())
    child.stderr.close()
    _one_line(proc, 2, "--parquet -: standard output is a terminal", "> corpus.parquet")
    assert shown == b"", shown[:200]
    piped = subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.cli", "export", str(corpus),
                            "--parquet", "-"], cwd=REPO, capture_output=True, timeout=120)
    assert piped.returncode == 0 and piped.stdout.startswith(b"PAR1"), piped.stderr[-2000:]


#: A process whose cleaners read their line model from a broken file (the package's own is left
#: alone: other tests read it at the same time).
_BROKEN_MODEL = """
import sys
from pathlib import Path
from newsclean.cleaners.learned import linescore
linescore.MODEL_FILE = Path(sys.argv[1])
"""


def test_the_crawl_benchmark_checks_the_line_model_first(tmp_path: Path) -> None:
    # before: the benchmark served its site and ran every crawl (each exit 2) and its clean_html
    # measure (a traceback) with a broken model, then printed rates of nothing
    model = tmp_path / "line_model.json"
    model.write_text('{"version": 0}')
    code = _BROKEN_MODEL + ("from newsclean.crawler.commands.bench import main\n"
                            "sys.exit(main(['--pages', '2', '--seconds', '0.1']))")
    proc = subprocess.run([sys.executable, "-c", code, str(model)], cwd=REPO, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert f"line model {model} has version 0" in proc.stderr.splitlines()[-1], proc.stderr
    assert proc.stdout == "", proc.stdout   # no site served ("site: http://...")


def test_a_broken_line_model_breaks_no_import_only_the_scorer(tmp_path: Path) -> None:
    # before: the default options read the model when the cleaners' core was imported: a broken
    # file failed `from newsclean.cleaners import clean_html` itself, for clean_text and
    # score_lines=False users too
    model = tmp_path / "line_model.json"
    page = ("<html><body><article><h1>Harbour board</h1><p>" + "The harbour board met on Monday. " * 20
            + "</p></article></body></html>")
    code = _BROKEN_MODEL + f"""
import newsclean.cleaners.core
from newsclean.cleaners import Article, clean_html, clean_text
from newsclean.cleaners.core import CleanOptions
from newsclean.cleaners.learned.linescore import ModelError
print("imported")
assert clean_text("The harbour board met on Monday.") is not None
assert isinstance(clean_html({page!r}, "https://news.example/a", options=CleanOptions(score_lines=False)), Article)
for _ in range(2):   # each time: raised, never a reject of the page
    try:
        clean_html({page!r}, "https://news.example/a")
    except ModelError as exc:
        print("ModelError:", exc)
"""
    for content, says in (("", "is unreadable"), ('{"version": 0}', "has version 0"), (None, "is missing")):
        if content is not None:
            model.write_text(content)
        else:
            model.unlink()
        proc = subprocess.run([sys.executable, "-c", code, str(model)], cwd=REPO, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        lines = proc.stdout.splitlines()
        assert lines[0] == "imported" and len(lines) == 3, proc.stdout
        assert all(line.startswith(f"ModelError: line model {model} {says}") for line in lines[1:]), proc.stdout


@pytest.mark.parametrize("option, value, says", [("--timeout", "inf", "more than 0 seconds, 3600 at most"),
                                                 ("--timeout", "1e300", "3600 at most"),
                                                 ("--timeout", "0", "more than 0 seconds"),
                                                 ("--timeout", "nan", "more than 0 seconds"),
                                                 ("--stale-days", "99999999999", "36500 at most"),
                                                 ("--stale-days", "-1", "1 or more"),
                                                 ("--workers", "0", "1 or more")])
def test_sites_check_options_out_of_their_range(option: str, value: str, says: str) -> None:
    # before: --timeout inf (or 1e300) and --stale-days 99999999999 were OverflowError tracebacks;
    # --timeout 0, -1 or nan probed every source to 'failed' (exit 1, as if every site were down),
    # --stale-days -1 made every source stale
    proc = call_newsclean("sites", "demo", "--check", f"{option}={value}")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert f"argument {option}: {value} is out of range" in proc.stderr and says in proc.stderr, proc.stderr
    assert proc.stdout == "", proc.stdout   # nothing probed


def test_a_urls_file_saved_with_a_byte_order_mark(tmp_path: Path) -> None:
    # before: a list saved by a Windows editor (BOM, CRLF) was refused at its first line:
    # "not an http(s) URL: '\ufeffhttps://news.example/a'"
    from newsclean.crawler.commands.cli import read_url_list

    listed = tmp_path / "urls.txt"
    listed.write_bytes(b"\xef\xbb\xbfhttps://news.example/a\r\nhttps://news.example/b\r\n")
    assert read_url_list(str(listed)) == ["https://news.example/a", "https://news.example/b"]


def test_a_urls_line_with_a_space_inside(tmp_path: Path) -> None:
    # before (ux17): 'https://news.example/b https://news.example/c' (two URLs pasted on one line)
    # or a URL and a note was fetched as one URL with a %20, a 404 counted among the failures
    listed = tmp_path / "urls.txt"
    for line in ("https://news.example/b https://news.example/c", "https://news.example/b\tto read"):
        listed.write_text(f"# mine\nhttps://news.example/a\n{line}\n")
        proc = call_newsclean("crawl", "--urls", str(listed), "--out", str(tmp_path / "o"))
        assert (proc.returncode, proc.stderr) == (
            2, f"newsclean: error: --urls {listed}:3: a space inside the URL: {line!r}; one URL a line "
               "(a note on a line of its own after '#'; a space in a URL is %20)\n"), proc.stderr
    assert not (tmp_path / "o").exists()


def test_a_url_whose_port_is_no_number_says_so(tmp_path: Path) -> None:
    # before (review21): "'http://127.0.0.1:abc/' is not an absolute http(s) URL", which it is: the
    # port was what was wrong, and the line did not say it
    for url, port in (("http://127.0.0.1:abc/", "abc"), ("https://news.example:99999/feed", "99999"),
                      ("https://ed:S3cret@news.example:8o8o/", "8o8o"), ("http://[::1]:x/", "x")):
        proc = call_newsclean("crawl", "--url", url, "--out", str(tmp_path / "o"))
        assert proc.returncode == 2 and proc.stderr.endswith(f"; its port {port!r} is no number from 0 to 65535\n"), \
            proc.stderr
        assert "S3cret" not in proc.stderr
    listed = tmp_path / "urls.txt"
    listed.write_text("https://news.example:80a/x\n")
    proc = call_newsclean("crawl", "--urls", str(listed), "--out", str(tmp_path / "o"))
    assert (proc.returncode, proc.stderr) == (2, f"newsclean: error: --urls {listed}:1: not an http(s) URL: "
                                                 "'https://news.example:80a/x'; its port '80a' is no number from 0 to 65535\n")
    assert not (tmp_path / "o").exists()
    # a bad host or scheme says nothing of a port
    for url in ("http://[::1", "ftp://news.example:abc/"):
        assert "port" not in call_newsclean("crawl", "--url", url, "--out", str(tmp_path / "o")).stderr


def test_stats_of_a_directory_that_holds_no_corpus(tmp_path: Path) -> None:
    # before: `newsclean stats pages/` (HTML pages, a typo'd subfolder) printed a table of zeros, exit 0
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text("<html></html>")
    proc = call_newsclean("stats", str(pages))
    assert proc.returncode == 1, proc.stderr
    assert f"newsclean stats: skipped {pages}:0: no JSONL file in it (.jsonl, .jsonl.gz, .jsonl.zst)" \
        in proc.stderr, proc.stderr
    assert call_newsclean("stats", str(pages), "--allow-skips").returncode == 0
    out = tmp_path / "out"   # an output directory whose first run wrote nothing: a corpus of nothing
    (out / "articles").mkdir(parents=True)
    proc = call_newsclean("stats", str(out), "--json")
    assert proc.returncode == 0 and orjson.loads(proc.stdout)["records"] == 0, proc.stderr


def test_stats_of_an_empty_file_not_named_jsonl(tmp_path: Path) -> None:
    # before (ux17): `newsclean stats notes.txt` on an empty file printed 0 records, exit 0 - most
    # often the wrong file named; an empty .jsonl (a run that wrote nothing) stays a corpus of 0
    wrong, nothing = tmp_path / "notes.txt", tmp_path / "part-0.jsonl"
    wrong.write_bytes(b"")
    nothing.write_bytes(b"")
    proc = call_newsclean("stats", str(wrong), "--json")
    assert proc.returncode == 1, proc.stderr
    assert f"newsclean stats: skipped {wrong}:0: an empty file, not named as JSONL (.jsonl, .jsonl.gz, " \
        ".jsonl.zst): not a records file" in proc.stderr, proc.stderr
    assert orjson.loads(proc.stdout)["files"]["articles"] == 0
    assert call_newsclean("stats", str(wrong), "--allow-skips").returncode == 0
    proc = call_newsclean("stats", str(nothing), "--json")
    assert proc.returncode == 0 and orjson.loads(proc.stdout)["records"] == 0, proc.stderr


def test_two_runs_over_one_state_directory_at_once(tmp_path: Path) -> None:
    # before: two crawls into two outputs with one NEWSCLEAN_STATE_DIR both fetched and wrote every
    # article (neither store knew of the other's yet), and the last to save a site's templates
    # dropped what the other had learned; now the second exits 3 at once, as on one --out
    from newsclean.crawler.state.lock import RunLock

    state = tmp_path / "state"
    with RunLock(state):   # a run in progress over it
        for prog in (["-m", "newsclean.crawler.commands.cli", "crawl", "demo", "--out", str(tmp_path / "o")],
                     ["-m", "scrapy", "crawl", "demo", "-s", f"NEWSCLEAN_OUTPUT_DIR={tmp_path / 'p'}"]):
            proc = subprocess.run([sys.executable, *prog, "-s", f"NEWSCLEAN_STATE_DIR={state}"], cwd=REPO,
                                  capture_output=True, text=True, timeout=180)
            assert proc.returncode == 3 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
            last = proc.stderr.splitlines()[-1]   # (plain scrapy logs its start before)
            assert last.startswith(f"newsclean: another newsclean run holds {state}/.newsclean.lock"), proc.stderr
            assert not list(tmp_path.glob("[op]/articles/*")), proc.stderr
    a_file = tmp_path / "state-file"
    a_file.write_text("x\n")
    _one_line(call_newsclean("crawl", "demo", "--out", str(tmp_path / "q"), "-s", f"NEWSCLEAN_STATE_DIR={a_file}"),
              2, f"NEWSCLEAN_STATE_DIR {a_file}: a file, not a directory")
    assert a_file.read_text() == "x\n"


def test_a_state_file_another_program_holds_locked(tmp_path: Path) -> None:
    # An sqlite3 shell (or a database browser) left in a write transaction on a state file: the
    # crawl ran, each write waited 5 s and failed (tracebacks in the log: the store's notes, the
    # spider's close), and it ended 'ok'. Now: exit 3 before anything starts, the file named,
    # as when another run holds the output directory.
    import sqlite3

    from newsclean.crawler.components.health import locked_error
    from newsclean.crawler.state.store import SqliteArticleStore
    from newsclean.output.dedup import DedupIndex

    for name in ("articles.sqlite3", "dedup.sqlite3"):
        out = tmp_path / name
        path = out / "state" / name
        path.parent.mkdir(parents=True)
        (SqliteArticleStore(path) if name == "articles.sqlite3" else DedupIndex(path)).close()
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")   # its write lock, held
        try:
            for prog in (["-m", "newsclean.crawler.commands.cli", "crawl", "demo", "--out", str(out)],
                         ["-m", "scrapy", "crawl", "demo", "-s", f"NEWSCLEAN_OUTPUT_DIR={out}"]):
                proc = subprocess.run([sys.executable, *prog], cwd=REPO, capture_output=True, text=True, timeout=180)
                assert proc.returncode == 3 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
                last = proc.stderr.splitlines()[-1]   # (plain scrapy logs its start before)
                assert last == f"newsclean: {locked_error(path)}", proc.stderr   # the file named
                assert not (out / "manifests").exists() and not (out / "articles").exists(), proc.stderr
        finally:
            other.close()


def test_a_path_given_as_option_equals_tilde_is_under_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before: the shell leaves `--out=~/corpus` (and "~/corpus" in quotes) as it is, and a crawl made
    # a directory named '~' in the current one; `stats --json ~/c.jsonl` said no such file
    from newsclean.crawler.commands.cli import build_parser

    from ..output.test_corpus_output import make_record

    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    args = build_parser().parse_args(["crawl", "demo", "--out=~/corpus", "--urls", "~/urls.txt"])
    assert (args.out, args.urls) == (str(home / "corpus"), str(home / "urls.txt"))
    (home / "c.jsonl").write_bytes(orjson.dumps(make_record(1)) + b"\n")
    proc = call_newsclean("stats", "~/c.jsonl", "--json")
    assert proc.returncode == 0 and orjson.loads(proc.stdout)["records"] == 1, proc.stderr
    assert build_parser().parse_args(["stats", "a~b"]).files == ["a~b"]   # only a leading one
    assert list(work.iterdir()) == []


def test_the_output_directory_given_as_a_setting_to_newsclean(tmp_path: Path) -> None:
    # before: `newsclean crawl demo -s NEWSCLEAN_OUTPUT_DIR=/srv/corpus` (plain scrapy's way) wrote
    # to --out's default, newsclean-out/ in the current directory, without a word
    a_file = tmp_path / "o"
    a_file.write_text("x\n")   # had the setting passed, the crawl would stop at this --out, said otherwise
    for command in ("crawl", "demo", "ccnews"):   # ccnews: before it lists the archive's files
        args = [command, *{"crawl": ["demo"], "ccnews": ["--from", "2024-01-01"]}.get(command, []), "--out", str(a_file)]
        _one_line(call_newsclean(*args, "-s", f"NEWSCLEAN_OUTPUT_DIR={tmp_path / 'corpus'}"), 2,
                  f"-s NEWSCLEAN_OUTPUT_DIR={tmp_path / 'corpus'}: give the output directory with --out",
                  f"(this run would have written to {a_file})")
    assert not (tmp_path / "corpus").exists()


@pytest.mark.parametrize("pair, says", [("download_delay=2", "did you mean DOWNLOAD_DELAY? (setting names are upper case)"),
                                        ("DOWNLOAD_DELAYY=2", "did you mean DOWNLOAD_DELAY?"),
                                        ("CONCURENT_REQUESTS=4", "did you mean CONCURRENT_REQUESTS?"),
                                        ("LOG_LEVELS=INFO", "did you mean LOG_LEVEL?"),
                                        ("SCHEDULER_PERSIST=True", None), ("MY_EXTENSION_KEY=1", None)])
def test_a_scrapy_setting_misspelt_or_in_lower_case(tmp_path: Path, pair: str, says: str | None) -> None:
    # before: Scrapy reads setting names as they are, and `-s download_delay=2` or
    # `-s CONCURENT_REQUESTS=4` crawled at the defaults without a word; a name near no setting
    # (an extension's own, scrapy-redis's SCHEDULER_PERSIST) passes as before
    a_file = tmp_path / "o"
    a_file.write_text("x\n")   # had the setting passed, the crawl would stop at this --out, said otherwise
    proc = call_newsclean("crawl", "demo", "--out", str(a_file), "-s", pair)
    if says is None:
        _one_line(proc, 2, "a file, not a directory")
    else:
        _one_line(proc, 2, f"unknown setting {pair.partition('=')[0]}; {says}")



#: ``newsclean clean`` with a bug met on one page, ``story-1.html``: in the making of its record
#: (as the crawl's JSONL writer met a lone surrogate), or in the cleaner (past ``clean_html``'s own
#: catch, which makes a reject of what it raises).
_FAILING = """
import sys
from newsclean.crawler.commands import clean
from newsclean.crawler.workers import pool
def failing(real, url_of):
    def call(*args, **kw):
        if url_of(args, kw).endswith("story-1.html"):
            raise ValueError("a record no one expected")
        return real(*args, **kw)
    return call
if sys.argv.pop(1) == "record":
    clean.article_record = failing(clean.article_record, lambda args, kw: kw["url"])
else:
    pool.clean_with_blocks = failing(pool.clean_with_blocks, lambda args, kw: args[1])
from newsclean.crawler.commands.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("where, workers", [("record", "1"), ("cleaner", "1"), ("record", "2")])
def test_clean_counts_a_page_it_fails_on_unexpectedly_and_writes_the_rest(tmp_path: Path, where: str, workers: str) -> None:
    # before: a traceback, every page lost (the output discarded), as the crawl once lost its run
    # behind one ERROR line; now the page is named once, counted, the rest written, exit 1 (the
    # crawl's items_failed), --allow-skips notwithstanding: it is no damaged input
    from newsclean.crawler.hostile import article_html

    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(3):
        (pages / f"story-{i}.html").write_bytes(article_html(i))
    corpus = tmp_path / "c.jsonl"
    proc = subprocess.run([sys.executable, "-c", _FAILING, where, "clean", str(pages), "-o", str(corpus),
                           "--workers", workers, "--allow-skips"], cwd=REPO, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.stderr.splitlines() == [
        f"newsclean: failed on {pages / 'story-1.html'}: ValueError: a record no one expected",
        "newsclean: degraded: 1 page failed with an unexpected error, not written (the line above says which)"]
    assert proc.stdout.startswith("2 written, 0 rejected, 0 skipped, 1 failed; 3 pages in "), proc.stdout
    assert [orjson.loads(line)["url"].rsplit("/", 1)[1] for line in corpus.read_bytes().splitlines()] == [
        "story-0.html", "story-2.html"]


def test_an_out_whose_name_is_not_utf8_is_refused_before_anything_starts(tmp_path: Path) -> None:
    # before: the demo served and crawled, then the manifest (JSON, naming OUT's files) was a
    # TypeError traceback (surrogates not allowed), exit 1, no manifest; the run lock's line one first
    latin1 = os.fsdecode(bytes(tmp_path) + b"/caf\xe9")
    for args in (["demo", "--out", latin1], ["crawl", "demo", "--out", latin1 + "/out"]):
        proc = call_newsclean(*args)
        shown = args[-1].encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        assert proc.returncode == 2 and proc.stderr == (
            f"newsclean: error: --out {shown}: a path whose name is not UTF-8 text, which the run's manifest (JSON) "
            "cannot name; rename it, or name another folder\n"), proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_command_line_that_is_not_utf8_is_written_in_the_run_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before: `crawl --urls <a Latin-1 name>` was a UnicodeEncodeError traceback as the lock was taken
    from newsclean.crawler.state.lock import LOCK_NAME, RunLock

    monkeypatch.setattr(sys, "argv", ["newsclean", "crawl", "--urls", os.fsdecode(b"caf\xe9.txt")])
    with RunLock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_bytes().endswith(b": newsclean crawl --urls caf\xe9.txt\n")


def test_ccnews_into_an_out_another_run_holds_says_so_before_listing(tmp_path: Path) -> None:
    # before: the CC-NEWS listing was fetched first (with its retries: minutes), then exit 3; here a
    # listing that cannot be had said 'failed: ... Connection refused', exit 1, the lock never named
    from newsclean.crawler.state.lock import RunLock

    out = tmp_path / "out"
    with RunLock(out):
        proc = run_newsclean("ccnews", "--from", "2026-11-01", "--out", str(out), "-s",
                             "NEWSCLEAN_CCNEWS_BASE_URL=http://127.0.0.1:9/", "-s", "NEWSCLEAN_CCNEWS_RETRIES=0")
    assert proc.returncode == 3 and proc.stderr.startswith(
        f"newsclean: another newsclean run holds {out / '.newsclean.lock'} (pid {os.getpid()}"), proc.stderr
    assert proc.stdout == "", proc.stdout
