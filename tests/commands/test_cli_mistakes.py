"""A user's mistakes, by hand or in a cron line: each is one line and the documented exit code,
or a word on stderr, never a traceback, a silent wait or lost data."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import orjson

from ..conftest import REPO

CLI = [sys.executable, "-m", "newsclean.crawler.commands.cli"]


def _on_a_terminal(args: list[str], typed: bytes, cwd: Path) -> tuple[str, subprocess.CompletedProcess[str]]:
    """Run the command with standard input on a terminal: its first line on stderr (within a
    minute; "" if it said nothing), then ``typed`` and Ctrl-D, then its end."""
    primary, secondary = pty.openpty()
    child = subprocess.Popen([*CLI, *args], cwd=cwd, stdin=secondary, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    os.close(secondary)
    try:
        ready, _, _ = select.select([child.stderr], [], [], 60)
        said = child.stderr.readline() if ready else ""
        os.write(primary, typed + b"\x04")   # a line's end, then Ctrl-D alone: end of input
        out, err = child.communicate(timeout=120)
    finally:
        child.kill()
        os.close(primary)
    return said, subprocess.CompletedProcess(args, child.returncode, out, said + err)


def test_standard_input_on_a_terminal_is_said_before_it_is_read(tmp_path: Path) -> None:
    # before: `newsclean clean -` or `crawl --urls -` typed by hand waited without a word
    record = orjson.dumps({"id": "a" * 32, "site": "x", "text": "one line", "word_count": 2}) + b"\n"
    cases = [(["stats", "-"], record, 0, "JSONL records or rejects"),
             (["crawl", "--urls", "-", "--out", str(tmp_path / "o")], b"", 2, "article URLs"),
             (["clean", "-", "-o", str(tmp_path / "c.jsonl"), "--workers", "1"], b"", 1, "JSONL lines with an html field")]
    for args, typed, code, what in cases:
        said, proc = _on_a_terminal(args, typed, tmp_path)
        assert said.startswith(f"newsclean: reading {what}") and "Ctrl-D" in said, (args, proc.stderr)
        assert proc.returncode == code and "Traceback" not in proc.stderr, (args, proc.stderr[-2000:])
        if args[0] == "stats":   # what was typed is read
            assert "records: 1 " in proc.stdout, proc.stdout


def test_standard_input_closed_or_read_twice(tmp_path: Path) -> None:
    # before: `newsclean stats - <&-` (and clean, export, crawl --urls) was an AttributeError traceback
    def closed_stdin() -> None:
        os.close(0)

    for args in (["stats", "-"], ["export", "-", "--parquet", str(tmp_path / "c.parquet")],
                 ["clean", "-", "-o", str(tmp_path / "c.jsonl")], ["crawl", "--urls", "-", "--out", str(tmp_path / "o")]):
        proc = subprocess.run([*CLI, *args], cwd=REPO, capture_output=True, text=True, timeout=120,
                              preexec_fn=closed_stdin)
        assert proc.returncode == 2, (args, proc.stderr[-2000:])
        assert proc.stderr == "newsclean: error: -: standard input is closed; give a file, or pipe the input in\n"
    proc = subprocess.run([*CLI, "stats", "-", "-"], cwd=REPO, capture_output=True, text=True, timeout=120, input="")
    assert proc.returncode == 2 and proc.stderr == "newsclean: error: - (standard input) can be read once\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def _earlier_run(out: Path, *, lock: bool = True) -> None:
    """An output directory as the first documented version (README of 2026-11-28) left it: a
    part, a manifest, the state and the run lock; with the user's notes and an export beside."""
    part = out / "articles" / "site=demo" / "date=2026-11-28" / "part-20261128T120000Z-0a1b2c-00001.jsonl"
    part.parent.mkdir(parents=True)
    part.write_text("{}\n")
    (out / "manifests").mkdir()
    (out / "manifests" / "20261128T120000Z-0a1b2c.json").write_text("{}\n")
    (out / "state").mkdir()
    if lock:
        (out / ".newsclean.lock").write_text("pid 1 since 2026-11-28T12:00:00+00:00: newsclean crawl demo\n")
    (out / "notes.txt").write_text("my notes\n")
    (out / "corpus.parquet").write_bytes(b"PAR1")


def test_an_out_that_is_someone_elses_folder_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    # before: `crawl --out ~` (or a project folder) made articles/, manifests/, state/ and a lock
    # among the user's files
    from ..conftest import call_newsclean

    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "articles").mkdir()   # a folder of the user's that only shares a name with ours
    for name in ("notes.txt", "todo.md", ".bashrc", "a.py", "b.py"):
        (home / name).write_text("x\n")
    before = sorted(p.relative_to(home) for p in home.rglob("*"))
    for args in (["crawl", "demo", "--out", str(home)], ["demo", "--out", str(home)],
                 ["crawl", "--url", "https://example.com/", "--out", str(home)]):
        proc = call_newsclean(*args)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == (f"newsclean: error: --out {home}: not empty and not a newsclean output directory "
                               "(it holds Documents, a.py, b.py, notes.txt and 2 more); name a new or empty "
                               "directory, or an earlier run's\n")
    assert sorted(p.relative_to(home) for p in home.rglob("*")) == before   # not even a lock file


def test_what_counts_as_newsclean_s_own_output_directory(tmp_path: Path) -> None:
    from newsclean.crawler.commands.cli import foreign_entries

    assert foreign_entries(tmp_path / "new") == []
    empty = tmp_path / "empty"
    empty.mkdir()
    assert foreign_entries(empty) == []
    disk = tmp_path / "disk"   # a file system of its own, mounted for the corpus
    (disk / "lost+found").mkdir(parents=True)
    assert foreign_entries(disk) == []
    for lock in (True, False):   # the lock left by every run; or a copy without hidden files
        earlier = tmp_path / f"earlier-{lock}"
        earlier.mkdir()
        _earlier_run(earlier, lock=lock)
        assert foreign_entries(earlier) == []
    rejects_only = tmp_path / "rejects-only"   # a run whose every page was rejected, no manifest left
    (rejects_only / "rejects" / "site=x").mkdir(parents=True)
    (rejects_only / "README").write_text("x\n")
    assert foreign_entries(rejects_only) == []
    project = tmp_path / "project"
    (project / "state").mkdir(parents=True)
    (project / "setup.py").write_text("x\n")
    (project / ".git").mkdir()
    assert foreign_entries(project) == ["setup.py", ".git"]


def test_an_earlier_runs_output_with_the_users_files_beside_it_is_crawled_into(tmp_path: Path) -> None:
    from ..conftest import read_parts, run_newsclean

    out = tmp_path / "corpus"
    out.mkdir()
    _earlier_run(out, lock=False)
    proc = run_newsclean("demo", "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(read_parts(out)) == 1 + 27   # the earlier part's and this run's
    assert (out / "notes.txt").read_text() == "my notes\n" and (out / "corpus.parquet").read_bytes() == b"PAR1"


def test_a_download_delay_of_no_end_is_refused(tmp_path: Path) -> None:
    # before: -s DOWNLOAD_DELAY=inf passed (at least 0) and the crawl waited forever, SIGTERM and
    # Ctrl-C ignored (a site file's limits.download_delay = inf alike: tests/crawler/test_sites.py)
    from ..conftest import call_newsclean

    for value in ("inf", "1e12", "86401"):
        proc = call_newsclean("crawl", "demo", "--out", str(tmp_path / "o"), "-s", f"DOWNLOAD_DELAY={value}")
        assert proc.returncode == 2 and proc.stderr == (f"newsclean: error: bad -s DOWNLOAD_DELAY='{value}': "
                                                        "at most 86400 (a day) expected\n"), proc.stderr
    assert not (tmp_path / "o").exists()


def test_an_option_of_one_value_given_twice_with_two_values(tmp_path: Path) -> None:
    # before: argparse kept the last one without a word (`--out a ... --out b` crawled into b;
    # `clean -o a.jsonl -o b.jsonl` wrote b alone)
    from ..conftest import call_newsclean

    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    for args, says in ((["crawl", "demo", "--out", a, "--out", b], f"--out given twice ({a} and {b})"),
                       (["clean", a, "-o", f"{a}.jsonl", "--output", f"{b}.jsonl"], f"--output given twice ({a}.jsonl and {b}.jsonl)"),
                       (["crawl", "--redis", "redis://:secret@h/0", "--redis", "redis://h/1", "demo"],
                        "--redis given twice (redis://:***@h/0 and redis://h/1)"),
                       # before (ux15): the last -s of a name won, as argparse's last option did
                       (["crawl", "demo", "--out", a, "-s", "DOWNLOAD_DELAY=1", "-s", "DOWNLOAD_DELAY=2"],
                        "-s DOWNLOAD_DELAY given twice (1 and 2)"),
                       (["demo", "--out", a, "-s", "NEWSCLEAN_REDIS_URL=redis://:secret@h/0",
                         "-s", "NEWSCLEAN_REDIS_URL=redis://h/1"],
                        "-s NEWSCLEAN_REDIS_URL given twice (redis://:***@h/0 and redis://h/1)"),
                       # before (ux17): -L is in a mutually exclusive group, whose add_argument
                       # is argparse's own: the last one won, the crawl ran at DEBUG
                       (["crawl", "demo", "--out", a, "-L", "INFO", "--loglevel", "debug"],
                        "--loglevel given twice (INFO and DEBUG)"),
                       (["stats", a, "--json", "--json"], None)):
        proc = call_newsclean(*args)
        if says is None:   # a flag twice, or one value given twice, means what it says
            assert "given twice" not in proc.stderr, proc.stderr
            continue
        assert proc.returncode == 2 and proc.stderr.splitlines()[-1].endswith(f"error: {says}: give it once"), proc.stderr
        assert "secret" not in proc.stderr
    proc = call_newsclean("crawl", "demo", "--out", a, "--out", a, "-L", "info", "-L", "INFO",
                          "--since", "0d")   # the same value: as once
    assert proc.returncode == 2 and "given twice" not in proc.stderr and "--since" in proc.stderr, proc.stderr
    assert sorted(tmp_path.iterdir()) == []
    from newsclean.crawler.commands.cli import settings_overrides

    assert settings_overrides(["DOWNLOAD_DELAY=1", " DOWNLOAD_DELAY=1"]) == {"DOWNLOAD_DELAY": "1"}


_CONSOLE_SCRIPT = """
import importlib.abc, os, signal, sys
class CtrlC(importlib.abc.MetaPathFinder):   # Ctrl-C as this module loads
    def find_spec(self, name, path, target=None):
        if name == {module!r}:
            os.kill(os.getpid(), signal.SIGINT)
sys.meta_path.insert(0, CtrlC())
sys.argv = ["/srv/newsclean/.venv/bin/newsclean", "--version"]
from newsclean.crawler.commands.cli import run   # what pip's console script runs
sys.exit(run())
"""


def test_ctrl_c_while_the_console_script_loads_the_package() -> None:
    # before: Ctrl-C in the first second of `newsclean ...` (the package's own imports, then
    # cli.py's argparse, before cli.py's guarded imports) was a KeyboardInterrupt traceback
    import signal

    for module in ("importlib.metadata", "newsclean.crawler", "argparse"):
        proc = subprocess.run([sys.executable, "-c", _CONSOLE_SCRIPT.format(module=module)], capture_output=True,
                              text=True, timeout=120, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        assert (proc.returncode, proc.stderr, proc.stdout) == (130, "newsclean: interrupted\n", ""), (module, proc.stderr[-2000:])
    # once loaded, Ctrl-C is the command's again (a crawl finishes its items, its manifest says so)
    script = _CONSOLE_SCRIPT.format(module="-").replace("sys.exit(run())", (
        "import newsclean.crawler.commands.cli as cli\n"
        "cli.main = lambda: print(signal.getsignal(signal.SIGINT) is signal.default_int_handler) or 0\n"
        "cli.run()"))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert (proc.returncode, proc.stdout) == (0, "True\n"), proc.stderr[-2000:]


def test_an_output_path_under_a_file(tmp_path: Path) -> None:
    # before: clean said "directory corpus.jsonl does not exist" of a file, export "cannot create
    # its directory: File exists"
    from ..conftest import call_newsclean

    a_file = tmp_path / "corpus.jsonl"
    a_file.write_text('{"html": "<p>x</p>", "url": "https://a.example/x"}\n')
    for args, named in ((["clean", str(a_file), "-o", f"{a_file}/c.jsonl"], f"{a_file}/c.jsonl"),
                        (["clean", str(a_file), "-o", str(tmp_path / "c.jsonl"), "--rejects", f"{a_file}/r.jsonl"],
                         f"{a_file}/r.jsonl"),
                        (["export", str(a_file), "--parquet", f"{a_file}/x/c.parquet"], f"{a_file}/x/c.parquet"),
                        # a file deeper up: clean said "directory .../corpus.jsonl/x does not exist"
                        (["clean", str(a_file), "-o", f"{a_file}/x/c.jsonl"], f"{a_file}/x/c.jsonl")):
        proc = call_newsclean(*args)
        assert proc.returncode == 2 and proc.stderr == f"newsclean: error: {named}: {a_file} is a file, not a directory\n", \
            proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.jsonl"]


def test_an_input_named_twice_or_inside_a_directory_named_is_read_once(tmp_path: Path) -> None:
    # before: `stats OUT OUT/articles` counted every record twice, `export OUT OUT` wrote each into
    # the Parquet file twice and `clean --text part OUT/articles` each page twice, without a word
    import pyarrow.parquet as pq

    from ..conftest import call_newsclean
    from ..output.test_corpus_output import make_record

    part = tmp_path / "OUT" / "articles" / "site=x" / "date=2026-12-01" / "part-r-00000.jsonl"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"".join(orjson.dumps(make_record(n)) + b"\n" for n in range(3)))
    out = tmp_path / "OUT"
    for inputs in ([out, out / "articles"], [out, f"{tmp_path}/./OUT"], [part, part]):
        proc = call_newsclean("stats", *map(str, inputs), "--json")
        assert proc.returncode == 0 and orjson.loads(proc.stdout)["records"] == 3, (inputs, proc.stdout[:500])
    proc = call_newsclean("export", str(out), str(part), "--parquet", str(tmp_path / "c.parquet"))
    assert proc.returncode == 0 and pq.read_table(tmp_path / "c.parquet").num_rows == 3, proc.stderr
    proc = call_newsclean("clean", "--text", str(part), str(out / "articles"), "-o", str(tmp_path / "c.jsonl"))
    assert proc.returncode == 0 and len((tmp_path / "c.jsonl").read_bytes().splitlines()) == 3, proc.stderr


def test_a_folder_of_other_files_given_to_clean_is_said(tmp_path: Path) -> None:
    # before: `clean junk/ -o c.jsonl` said only "no pages read from the inputs", and beside an
    # input that held pages the folder was passed over without a word, exit 0
    from ..conftest import call_newsclean
    from ..output.test_corpus_output import make_record

    part = tmp_path / "part.jsonl"
    part.write_bytes(b"".join(orjson.dumps(make_record(n)) + b"\n" for n in range(3)))
    junk, empty = tmp_path / "junk", tmp_path / "empty"
    (junk / "sub").mkdir(parents=True)
    empty.mkdir()
    for name in ("notes.txt", "photo.png", "sub/table.csv", "sub/more.txt"):
        (junk / name).write_text("x\n")
    out = tmp_path / "c.jsonl"
    proc = call_newsclean("clean", "--text", str(part), str(junk), "-o", str(out))
    assert proc.returncode == 1 and len(out.read_bytes().splitlines()) == 3, proc.stderr
    assert (f"newsclean: skipped {junk}: no WARC (.warc/.warc.gz), HTML (.html/.htm) or JSONL (.jsonl) "
            "file in it (4 other files: notes.txt, photo.png, sub/more.txt, ...)") in proc.stderr, proc.stderr
    proc = call_newsclean("clean", "--text", str(part), str(empty), "-o", str(out), "--allow-skips")
    assert proc.returncode == 0, proc.stderr
    assert f"skipped {empty}: no WARC" in proc.stderr and "(no other file either)" in proc.stderr, proc.stderr


def test_a_commands_option_given_before_its_name() -> None:
    # before: `newsclean -v crawl demo` was "unrecognized arguments: -v" and `newsclean --out OUT
    # crawl demo` "invalid choice: 'OUT'", the usage of newsclean without its commands' options
    from ..conftest import call_newsclean

    for args, line in ((["-v", "crawl", "demo"], "-v goes after the command's name: newsclean crawl -v demo"),
                       (["--out", "my corpus", "crawl", "demo", "-q"],
                        "--out goes after the command's name: newsclean crawl --out 'my corpus' demo -q"),
                       (["--json", "stats", "OUT"], "--json goes after the command's name: newsclean stats --json OUT"),
                       (["--out", "demo", "crawl", "demo"],   # a value that names a command is no command
                        "--out goes after the command's name: newsclean crawl --out demo demo")):
        proc = call_newsclean(*args)
        assert proc.returncode == 2 and proc.stderr == f"newsclean: error: {line}\n", (args, proc.stderr)
    for args in (["--version", "crawl"], ["--vers", "crawl"]):   # newsclean's own options: as before
        proc = call_newsclean(*args)
        assert proc.returncode == 0 and proc.stdout.startswith("newsclean "), (args, proc.stderr)
    proc = call_newsclean("craw", "demo")   # a misspelt command: argparse's line, as before
    assert proc.returncode == 2 and "invalid choice: 'craw'" in proc.stderr


def test_command_options_reads_argparse() -> None:
    # the option-order message reads argparse's actions in one place (argparse lists them only
    # through `_actions`): a Python whose argparse changed fails here, not in a user's message
    from newsclean.crawler.commands.cli import build_parser, command_options

    parser = build_parser()
    commands = command_options(parser)
    assert {"crawl", "demo", "clean", "stats"} <= set(commands)
    assert all(f"\n    {name} " in parser.format_help() or f"\n    {name}\n" in parser.format_help()
               for name in commands), parser.format_help()
    assert commands["crawl"]["--out"] and commands["crawl"]["-s"] and commands["crawl"]["-L"]
    assert not commands["crawl"]["-v"] and not commands["crawl"]["--quiet"] and not commands["stats"]["--json"]
    assert all(options["--help"] is False for options in commands.values())


def test_a_merged_manifest_under_a_file(tmp_path: Path) -> None:
    # before: a NotADirectoryError traceback from removing the temporary file it never made;
    # then 'failed: cannot write .../m.json: File exists', exit 1 (ux13: the file in the way, exit 2)
    from ..conftest import call_newsclean
    from .test_cli_errors import _manifest

    a_file = tmp_path / "merged"
    a_file.write_text("x\n")
    first, second = _manifest(tmp_path / "a.json", "r1", "c1"), _manifest(tmp_path / "b.json", "r2", "c1")
    proc = call_newsclean("merge-manifests", str(first), str(second), "-o", f"{a_file}/m.json")
    assert proc.returncode == 2 and proc.stderr == \
        f"newsclean: error: {a_file}/m.json: {a_file} is a file, not a directory\n", proc.stderr
    assert a_file.read_text() == "x\n"


def test_a_sites_dir_of_odd_entries(tmp_path: Path) -> None:
    # before: a FIFO named *.toml was read forever (`newsclean sites` hung), a directory of
    # thousands of other files (NEWSCLEAN_SITES_DIR=/proc) wrote a warning for each (44,000 lines)
    from ..conftest import run_newsclean

    odd = tmp_path / "odd"
    (odd / "sub").mkdir(parents=True)
    for i in range(40):
        (odd / "sub" / f"f{i}.yaml").write_text("x\n")
    proc = run_newsclean("sites", env={"NEWSCLEAN_SITES_DIR": str(odd)}, timeout=60)
    warned = proc.stderr.splitlines()
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert len(warned) == 7, warned
    assert warned[5] == f"newsclean: warning: NEWSCLEAN_SITES_DIR {odd}: 35 more files that are not site files ignored"
    assert warned[6] == f"newsclean: warning: NEWSCLEAN_SITES_DIR {odd} holds no site file (*.toml; docs/sites.md)"
    os.mkfifo(odd / "mysite.toml")
    proc = run_newsclean("sites", env={"NEWSCLEAN_SITES_DIR": str(odd)}, timeout=60)
    assert proc.returncode == 2 and proc.stderr.splitlines()[-1] == (
        f"newsclean: error: {odd / 'mysite.toml'}: field '(file)': not a file (a FIFO, socket or device): "
        "site files are TOML files"), proc.stderr[-2000:]
    (odd / "mysite.toml").unlink()
    (odd / "mysite.toml").symlink_to(tmp_path / "nowhere.toml")
    proc = run_newsclean("sites", env={"NEWSCLEAN_SITES_DIR": str(odd)}, timeout=60)
    assert proc.returncode == 2 and proc.stderr.splitlines()[-1] == (
        f"newsclean: error: {odd / 'mysite.toml'}: field '(file)': cannot read: no such file or directory"), proc.stderr
    if Path("/proc/self").is_dir():   # the mistake as it was made
        proc = run_newsclean("sites", env={"NEWSCLEAN_SITES_DIR": "/proc"}, timeout=120)
        assert proc.returncode == 0 and len(proc.stderr.splitlines()) <= 15, proc.stderr[-3000:]


def test_a_bad_redis_url_is_a_usage_error_however_it_is_given(tmp_path: Path) -> None:
    # before: `--redis garbage` was exit 2, the same URL in NEWSCLEAN_REDIS_URL (environment or
    # -s) 'failed: cannot use Redis' and exit 1, the answer for a Redis that is down; a port out
    # of range was exit 1 even with --redis
    from ..conftest import call_newsclean

    out = tmp_path / "o"
    cases = [({}, ["--redis", "garbage"], "--redis garbage: not a Redis URL (redis://, rediss:// or unix://)"),
             ({"NEWSCLEAN_REDIS_URL": "garbage"}, [],
              "the environment's NEWSCLEAN_REDIS_URL='garbage': not a Redis URL (redis://, rediss:// or unix://)"),
             ({}, ["-s", "NEWSCLEAN_REDIS_URL=redis://:secret@h:99999"],
              "-s NEWSCLEAN_REDIS_URL='redis://:***@h:99999': not a Redis URL: Port out of range 0-65535"),
             ({}, ["--redis", "redis://h:99999/0"], "--redis redis://h:99999/0: not a Redis URL: Port out of range 0-65535"),
             # a database that is no number was database 0 without a word (redis-py passes over it)
             ({}, ["--redis", "redis://h:6379/db1"],
              "--redis redis://h:6379/db1: not a Redis URL: the database after the host is a number (/0, /1 ...), "
              "got '/db1'"),
             # a password with '#' unencoded: redis-py's error quoted the password ('not a Redis URL: Port
             # could not be cast to integer value as 'pw'') or connected to a host named by its rest
             ({}, ["--redis", "redis://:pw#frag@h:6379/0"], "--redis redis://***@h:6379/0: not a Redis URL: a '#', "
              "'?' or '/' in its user or password ends the host there; write them percent-encoded (%23, %3F, %2F)"),
             ({"NEWSCLEAN_REDIS_URL": "redis://u:pa/ss@h:6379/0"}, [], "the environment's NEWSCLEAN_REDIS_URL="
              "'redis://***@h:6379/0': not a Redis URL: a '#', '?' or '/' in its user or password ends the host there; "
              "write them percent-encoded (%23, %3F, %2F)"),
             ({"NEWSCLEAN_REDIS_URL": "rediss://:secret@h/O"}, [],
              "the environment's NEWSCLEAN_REDIS_URL='rediss://:***@h/O': not a Redis URL: the database after the "
              "host is a number (/0, /1 ...), got '/O'")]
    original = os.environ.pop("NEWSCLEAN_REDIS_URL", None)   # --redis sets it in this process
    try:
        for env, args, said in cases:
            os.environ.pop("NEWSCLEAN_REDIS_URL", None)
            os.environ.update(env)
            for command in (["crawl", "demo", "--out", str(out)],
                            ["ccnews", "--from", "2024-01-01", "--out", str(out)]):
                proc = call_newsclean(*command, *args)
                assert (proc.returncode, proc.stderr) == (2, f"newsclean: error: {said}\n"), (command, args, proc.stderr)
    finally:
        os.environ.pop("NEWSCLEAN_REDIS_URL", None)
        if original is not None:
            os.environ["NEWSCLEAN_REDIS_URL"] = original
    assert not out.exists()


def test_an_at_sign_after_a_redis_urls_host_is_no_password_cut_short() -> None:
    # before (review20): an '@' in the query ('client_name=ops@example.org', a unix socket's
    # password=...) was read as the end of a user and password holding '/' or '?': refused, the
    # host and query hidden as '***'
    import os

    import pytest

    from newsclean.crawler.commands.cli import UsageError, check_redis_url

    original = os.environ.pop("NEWSCLEAN_REDIS_URL", None)
    try:
        for url in ("redis://h:6379/0?client_name=ops@example.org", "unix:///run/redis.sock?password=a@b&db=1"):
            check_redis_url({"NEWSCLEAN_REDIS_URL": url})
        for url in ("redis://:pw#frag@h:6379/0", "redis://u:pa/ss@h:6379/0", "redis://:pa?ss@h", "unix://:pa#ss@/run/redis.sock"):
            with pytest.raises(UsageError, match="percent-encoded"):
                check_redis_url({"NEWSCLEAN_REDIS_URL": url})
    finally:
        if original is not None:
            os.environ["NEWSCLEAN_REDIS_URL"] = original


def test_a_site_file_with_an_empty_body_selector_is_one_line_from_crawl_and_sites(tmp_path: Path, monkeypatch) -> None:
    # before: body_selector = "" was read as no selector and both commands went on without a word
    from ..conftest import call_newsclean

    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "mysite.toml").write_text(
        'name = "mysite"\nbase_url = "https://mine.example/"\n[cleaning]\nbody_selector = ""\n')
    monkeypatch.setenv("NEWSCLEAN_SITES_DIR", str(tmp_path / "sites"))
    said = (f"newsclean: error: {tmp_path / 'sites' / 'mysite.toml'}: field 'cleaning.body_selector': is empty: "
            "give a CSS selector, or leave the field out\n")
    for args in (["crawl", "mysite", "--out", str(tmp_path / "o")], ["sites"]):
        proc = call_newsclean(*args)
        assert (proc.returncode, proc.stderr, proc.stdout) == (2, said, ""), (args, proc.stderr)
    assert not (tmp_path / "o").exists()


def test_a_site_with_nothing_to_start_from_is_refused(tmp_path: Path, monkeypatch) -> None:
    # before: a site file of robots = false and no sitemaps, feeds or sections crawled nothing,
    # every health check passed and the run said 'ok - 0 articles written', exit 0
    from ..conftest import call_newsclean

    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "mysite.toml").write_text(
        'name = "mysite"\ntitle = "Mine"\nbase_url = "https://mine.example/"\n[discovery]\nrobots = false\n')
    monkeypatch.setenv("NEWSCLEAN_SITES_DIR", str(tmp_path / "sites"))
    proc = call_newsclean("crawl", "mysite", "--out", str(tmp_path / "o"))
    assert (proc.returncode, proc.stderr) == (2, (
        f"newsclean: error: site mysite ({tmp_path / 'sites' / 'mysite.toml'}) has nothing to start a crawl from: "
        "its [discovery] reads no robots.txt (robots = false) and lists no sitemaps, news_sitemaps, feeds or "
        "sections (docs/sites.md); --urls FILE fetches its articles by URL\n")), proc.stderr
    assert not (tmp_path / "o").exists()


def _crawl_with_read_only(folder: Path, out: Path) -> subprocess.CompletedProcess:
    """``newsclean crawl demo --out OUT`` with ``folder`` mounted read-only (a user namespace);
    the test is skipped where no such mount can be made."""
    import shlex
    import shutil

    import pytest

    if not shutil.which("unshare"):
        pytest.skip("no unshare")
    crawl = shlex.join([*CLI, "crawl", "demo", "--out", str(out), "-q"])
    shut = shlex.quote(str(folder))
    script = f"mount --bind {shut} {shut} && mount -o remount,ro,bind {shut} && exec {crawl}"
    proc = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    if "mount" in proc.stderr and proc.returncode != 2:
        pytest.skip(f"no read-only mount here: {proc.stderr[-300:]}")
    return proc


def test_a_read_only_state_directory_is_said_as_such(tmp_path: Path) -> None:
    # before: "state OUT/state/articles.sqlite3: unable to open database file (not the database
    # newsclean keeps there)", as if the file were someone else's
    out = tmp_path / "o"
    (out / "state").mkdir(parents=True)
    proc = _crawl_with_read_only(out / "state", out)
    assert (proc.returncode, proc.stderr) == (
        2, f"newsclean: error: state {out / 'state'}: cannot write there: read-only file system\n"), proc.stderr[-2000:]
    assert sorted(p.name for p in out.iterdir()) == [".newsclean.lock", "state"]   # the lock: an flock, left


def test_an_earlier_runs_folder_that_cannot_be_written_is_said_before_the_crawl(tmp_path: Path) -> None:
    # before: a read-only manifests/ was a traceback at the start (its room for the manifest), a
    # read-only articles/ 'output failed' once the pages were fetched
    for sub in ("manifests", "articles"):
        out = tmp_path / sub / "o"
        for folder in ("manifests", "articles", "rejects"):
            (out / folder).mkdir(parents=True)
        (out / "manifests" / "r1.json").write_text("{}\n")   # an earlier run's output
        proc = _crawl_with_read_only(out / sub, out)
        assert (proc.returncode, proc.stderr) == (
            2, f"newsclean: error: --out {out / sub}: cannot write there: read-only file system\n"), proc.stderr[-2000:]
        assert not (out / "state").exists()   # nothing started


def test_merge_manifests_output_mistakes(tmp_path: Path) -> None:
    # before: `-o -` wrote a file named '-' (every other command's '-' is standard output), and
    # an -o that is a directory, or under a file, was 'failed: cannot write ...', exit 1
    from ..conftest import call_newsclean

    names = []
    for worker in ("w1", "w2"):
        manifest = {"run_id": worker, "crawl_id": "c1", "status": "ok", "exit_code": 0, "reason": "ok",
                    "started_at": "2026-12-06T10:00:00Z", "finished_at": "2026-12-06T10:01:00Z", "sites": ["demo"],
                    "counts": {"newsclean/output/records_written": 1}, "dropped": {}, "files": [], "checks": []}
        names.append(str(tmp_path / f"{worker}.json"))
        Path(names[-1]).write_bytes(orjson.dumps(manifest))
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x\n")
    for output, said in ((str(tmp_path), f"{tmp_path} is a directory: name the merged manifest's file"),
                         (f"{a_file}/m.json", f"{a_file}/m.json: {a_file} is a file, not a directory")):
        proc = call_newsclean("merge-manifests", *names, "-o", output)
        assert (proc.returncode, proc.stderr) == (2, f"newsclean: error: {said}\n"), proc.stderr
    proc = call_newsclean("merge-manifests", *names, "-o", "-")
    assert proc.returncode == 0 and proc.stderr == "2 manifests merged -> -: ok\n", proc.stderr
    assert orjson.loads(proc.stdout)["workers"] == ["w1", "w2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "w1.json", "w2.json"]
    assert not Path("-").exists()


def test_a_language_code_that_is_none_is_refused(tmp_path: Path) -> None:
    # before: 'xx' (two letters, no language) passed, and every page was a 'language' reject:
    # clean exited 1 with nothing written, a crawl was 'degraded: no article written'
    from ..conftest import call_newsclean

    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text('{"html": "<p>x</p>", "url": "https://a.example/x"}\n')
    proc = call_newsclean("clean", str(jsonl), "-o", str(tmp_path / "c.jsonl"), "--languages", "en,xx")
    assert (proc.returncode, proc.stderr) == (
        2, "newsclean: error: --languages takes ISO 639-1 codes like en, ur; got 'xx'\n"), proc.stderr
    proc = call_newsclean("crawl", "demo", "--out", str(tmp_path / "o"), "-s", "NEWSCLEAN_LANGUAGES=xx")
    assert (proc.returncode, proc.stderr) == (
        2, "newsclean: error: NEWSCLEAN_LANGUAGES takes ISO 639-1 codes like en, ur; got 'xx'\n"), proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_a_url_that_does_not_parse_is_one_line(tmp_path: Path, monkeypatch) -> None:
    # before: an unclosed IPv6 bracket was a ValueError traceback ('Invalid IPv6 URL') from
    # --url, from a line of --urls and from a site file's base_url
    from ..conftest import call_newsclean

    urls = tmp_path / "u.txt"
    urls.write_text("https://a.example/x\nhttp://[::1/x\n")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "mine.toml").write_text('name = "mine"\ntitle = "x"\nbase_url = "http://[::1/"\n')
    out = str(tmp_path / "o")
    for args, said in ((["crawl", "--url", "http://[::1", "--out", out], "--url: 'http://[::1' is not an absolute http(s) URL"),
                       # before: "--url: field 'url': 'www.example.com' is not an absolute http(s) URL"
                       (["crawl", "--url", "www.example.com", "--out", out],
                        "--url: 'www.example.com' is not an absolute http(s) URL; with its scheme: https://www.example.com"),
                       (["crawl", "--urls", str(urls), "--out", out], f"--urls {urls}:2: not an http(s) URL: 'http://[::1/x'")):
        proc = call_newsclean(*args)
        assert (proc.returncode, proc.stderr) == (2, f"newsclean: error: {said}\n"), proc.stderr
    monkeypatch.setenv("NEWSCLEAN_SITES_DIR", str(tmp_path / "sites"))
    proc = call_newsclean("sites")
    assert (proc.returncode, proc.stderr) == (2, f"newsclean: error: {tmp_path / 'sites' / 'mine.toml'}: field "
                                                 "'base_url': 'http://[::1/' is not an absolute http(s) URL\n"), proc.stderr
    assert not (tmp_path / "o").exists()


def test_a_path_setting_given_with_a_tilde_is_the_home_directory(tmp_path: Path, monkeypatch) -> None:
    # before: `-s NEWSCLEAN_STATE_DIR=~/state` (the shell does not expand it there) made a
    # directory named '~' in the current one and kept the crawl's state in it
    from ..conftest import call_newsclean

    home = tmp_path / "home"
    home.mkdir()
    (home / "state").write_text("not a directory\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    out = str(tmp_path / "o")
    proc = call_newsclean("crawl", "demo", "--out", out, "-s", "LOG_FILE=~/logs/crawl.log")
    assert proc.returncode == 2 and f"LOG_FILE='{home}/logs/crawl.log'" in proc.stderr, proc.stderr
    proc = call_newsclean("crawl", "demo", "--out", out, "-s", "NEWSCLEAN_STATE_DIR=~/state")
    assert (proc.returncode, proc.stderr) == (
        2, f"newsclean: error: NEWSCLEAN_STATE_DIR {home / 'state'}: a file, not a directory\n"), proc.stderr[-2000:]
    assert not (tmp_path / "~").exists()


def test_an_output_through_a_link_to_nowhere(tmp_path: Path) -> None:
    # before: 'cannot write there: File exists' (--out), 'directory ... does not exist' (clean)
    # and 'cannot create its directory: File exists' (export): a disk not mounted behind the link
    from ..conftest import call_newsclean

    link = tmp_path / "corpus"
    link.symlink_to(tmp_path / "unmounted" / "corpus")
    records = tmp_path / "r.jsonl"
    records.write_text("{}\n")
    said = f"{link} is a link to {tmp_path / 'unmounted' / 'corpus'}, which does not exist"
    for args, named in ((["crawl", "demo", "--out", str(link)], f"--out {said}"),
                        (["clean", str(records), "--text", "-o", f"{link}/c.jsonl"], f"{link}/c.jsonl: {said}"),
                        (["export", str(records), "--parquet", f"{link}/x/c.parquet"], f"{link}/x/c.parquet: {said}")):
        proc = call_newsclean(*args)
        assert (proc.returncode, proc.stderr) == (2, f"newsclean: error: {named}\n"), proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "r.jsonl"]


def test_a_site_file_of_absurd_or_misplaced_values_is_one_line_from_crawl_and_sites(tmp_path: Path, monkeypatch) -> None:
    # before: each was taken without a word: 100000 requests at once to the site, a sitemap read
    # as the path https://mine.example/mine.example/sitemap.xml, domains = [...] written after
    # [discovery] (TOML's) said only as an 'unknown field'
    from ..conftest import call_newsclean

    (tmp_path / "sites").mkdir()
    path = tmp_path / "sites" / "mysite.toml"
    monkeypatch.setenv("NEWSCLEAN_SITES_DIR", str(tmp_path / "sites"))
    head = 'name = "mysite"\nbase_url = "https://mine.example/"\n'
    for body, said in [
        ("[limits]\nconcurrency = 100000\n", "field 'limits.concurrency': must be an integer >= 1 and <= 64, got 100000"),
        ('[discovery]\nsitemaps = ["mine.example/sitemap.xml"]\n',
         "field 'discovery.sitemaps[0]': 'mine.example/sitemap.xml' has no scheme: it reads as a path of the site, "
         "https://mine.example/mine.example/sitemap.xml; write the whole URL (https://mine.example/sitemap.xml) "
         "or the path alone (/sitemap.xml)"),
        ('[discovery]\nfeeds = ["/feed/"]\ndomains = ["mine.example"]\n',
         "field 'discovery.domains': unknown field: domains belongs at the top of the file, before the first [table] "
         "(TOML reads every key after [discovery] as one of that table's)"),
    ]:
        path.write_text(head + body)
        for args in (["crawl", "mysite", "--out", str(tmp_path / "o")], ["sites"]):
            proc = call_newsclean(*args)
            assert (proc.returncode, proc.stderr, proc.stdout) == (2, f"newsclean: error: {path}: {said}\n", ""), \
                (args, proc.stderr)
    assert not (tmp_path / "o").exists()


def test_a_site_of_no_country_is_not_counted_as_a_country(tmp_path: Path, monkeypatch) -> None:
    # before: `newsclean sites` ended '176 catalog sites from 42 countries', '' counted as one
    from newsclean.crawler.sites import load_registry

    from ..conftest import call_newsclean

    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "mysite.toml").write_text('name = "mysite"\nbase_url = "https://mine.example/"\n')
    monkeypatch.setenv("NEWSCLEAN_SITES_DIR", str(tmp_path / "sites"))
    catalog = [s for s in load_registry().values() if s.catalog]
    proc = call_newsclean("sites")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == \
        f"{len(catalog)} catalog sites from {len({s.country for s in catalog} - {''})} countries"


def test_a_moved_or_mistyped_out_is_said_to_start_a_new_corpus(tmp_path: Path) -> None:
    # before: '--out corpus-nwes' (or a folder moved) found no state, fetched everything again and
    # wrote a second corpus beside the first without a word
    from ..conftest import run_newsclean

    def crawl(out: Path, *more: str) -> tuple[str, dict]:
        proc = run_newsclean("crawl", "demo", "--out", str(out), "-L", "WARNING", *more)
        assert proc.returncode == 0, proc.stderr
        (manifest,) = sorted((out / "manifests").glob("*.json"))[-1:]
        return proc.stderr, orjson.loads(manifest.read_bytes())["counts"]

    first = tmp_path / "corpus-news"
    said, counts = crawl(first)
    assert said.startswith(f"newsclean: a new corpus: its state {first / 'state'} knows no article yet"), said
    assert counts["newsclean/state/new_corpus"] == 1 and "earlier corpus" not in said
    said, counts = crawl(first)   # the same corpus again: nothing to say
    assert "new corpus" not in said and "newsclean/state/new_corpus" not in counts, said
    said, counts = crawl(tmp_path / "corpus-nwes")
    assert said.count("\n") == 1 and f"an earlier corpus's state is in {first / 'state'} (was --out {first} meant?)" \
        in said, said
    assert counts["newsclean/state/new_corpus"] == 1
    said, _ = crawl(first, "-s", f"NEWSCLEAN_STATE_DIR={tmp_path / 'elsewhere'}")
    assert f"its state {tmp_path / 'elsewhere'} knows no article yet" in said
    assert f"state is in {first / 'state'} (leave NEWSCLEAN_STATE_DIR out to go on with it)" in said, said
    # the output folder named as the state (its state/ meant): said before as a new corpus alone
    said, _ = crawl(tmp_path / "other", "-s", f"NEWSCLEAN_STATE_DIR={first}")
    assert f"state is in {first / 'state'} (was NEWSCLEAN_STATE_DIR={first / 'state'} meant?)" in said, said
    # -q: the summary alone, which says it
    proc = run_newsclean("crawl", "demo", "--out", str(tmp_path / "quiet"), "-q")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert "  new corpus:       its state knew no article at the start" in proc.stdout, proc.stdout


def test_a_crawl_asks_its_store_whether_it_starts_a_new_corpus_once(tmp_path: Path) -> None:
    # before: twice a run, the store opened each time - for the line at the start (crawl_checked)
    # and again for the manifest's count (_run_locked)
    from ..conftest import run_python

    out = tmp_path / "out"
    code = f"""
from pathlib import Path
from newsclean.crawler.commands import cli, new_corpus
asked = []
knows = new_corpus.knows_articles
new_corpus.knows_articles = lambda directory: asked.append(Path(directory).resolve()) or knows(directory)
code = cli.main(["crawl", "demo", "--out", {str(out)!r}, "-L", "WARNING"])
print(code, asked.count(Path({str(out / "state")!r}).resolve()))
"""
    for _ in ("a new corpus", "the same one"):   # a process each: Twisted's reactor runs once
        assert run_python(code).splitlines()[-1] == "0 1"
    (first, second) = sorted((out / "manifests").glob("*.json"), key=lambda p: p.stat().st_mtime)
    assert orjson.loads(first.read_bytes())["counts"]["newsclean/state/new_corpus"] == 1
    assert "newsclean/state/new_corpus" not in orjson.loads(second.read_bytes())["counts"]


def test_a_first_run_since_a_day_when_every_article_is_older_is_ok(tmp_path: Path) -> None:
    # before: 'degraded - no article written although 17 article pages were scheduled', exit 1: the
    # demo lists no date on some pages, so they were fetched, cleaned and dropped as older than
    # --since, as asked; a crontab's 'crawl --since 2d ... && export ...' stopped there
    from ..conftest import run_newsclean

    out = tmp_path / "out"
    proc = run_newsclean("crawl", "demo", "--out", str(out), "--since", "2d", "-q")
    assert proc.returncode == 0, proc.stderr
    (manifest,) = (out / "manifests").glob("*.json")
    counts = orjson.loads(manifest.read_bytes())["counts"]
    assert counts["newsclean/since/too_old"] > 0 and counts["newsclean/output/records_written"] == 0
    # and the summary counts them among the rejects (it said 'pages rejected:   0', rejects/ holding them)
    n = counts["newsclean/since/too_old"]
    assert f"  pages rejected:   {n} (too_old: {n})\n" in proc.stdout, proc.stdout


def test_clean_writes_no_file_among_an_outputs_parts(tmp_path: Path) -> None:
    # before: 'clean OUT/warc -o OUT/articles/recleaned.jsonl' wrote it there: the README's pandas
    # load read it beside the crawl's own parts (every article twice), stats and export passed over it
    from ..conftest import call_newsclean

    out = tmp_path / "OUT"
    for kind in ("articles", "rejects", "manifests"):
        (out / kind).mkdir(parents=True)
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>Text.</p></article></body></html>")
    for option in ("-o", "--rejects"):
        target = out / ("articles" if option == "-o" else "rejects") / "recleaned.jsonl"
        args = ["-o", str(target)] if option == "-o" else ["-o", str(tmp_path / "x.jsonl"), "--rejects", str(target)]
        proc = call_newsclean("clean", str(page), *args)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert f"is inside {target.parent}, which holds a crawl's part files" in proc.stderr, proc.stderr
        assert not target.exists()
    from newsclean.crawler.commands.clean import _parts_folder

    (tmp_path / "mine" / "articles").mkdir(parents=True)   # a folder of one's own named articles: no output's
    assert _parts_folder(tmp_path / "mine" / "articles" / "x.jsonl") is None
    assert _parts_folder(out / "articles" / "site=demo" / "x.jsonl") == out / "articles"
