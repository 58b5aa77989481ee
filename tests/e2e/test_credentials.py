"""Credentials of URLs never reach lock files, manifests, logs or error messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsclean.output.redact import mask_credentials

from ..conftest import REPO, run_newsclean
from .test_e2e_bad_input import free_port

SECRET = "s3cr3t-Pa55"


@pytest.mark.parametrize("text,masked", [
    (f"redis://:{SECRET}@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
    (f"-s NEWSCLEAN_REDIS_URL=rediss://default:{SECRET}@cache:6380/1 -s X=1",
     "-s NEWSCLEAN_REDIS_URL=rediss://default:***@cache:6380/1 -s X=1"),
    (f"https://editor:{SECRET}@news.example/feed/", "https://editor:***@news.example/feed/"),
    (f"https://{SECRET}@news.example/", "https://***@news.example/"),
    (f"redis://u:{SECRET}@x@host/0", "redis://u:***@host/0"),      # an unescaped @ in the password
    ("mail editor@news.example or see https://news.example/@handle?x=a@b", None),
])
def test_mask_credentials(text: str, masked: str | None) -> None:
    assert mask_credentials(text) == (masked if masked is not None else text)


def test_lock_file_and_refusal_do_not_show_the_redis_password(tmp_path: Path) -> None:
    out = tmp_path / "out"
    url = f"redis://:{SECRET}@127.0.0.1:{free_port()}/0"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from newsclean.crawler.state.lock import RunLock\n"
         f"sys.argv = ['newsclean', 'crawl', 'demo', '--out', {str(out)!r}, '-s', 'NEWSCLEAN_REDIS_URL={url}']\n"
         f"lock = RunLock({str(out)!r}).acquire(); print('held', flush=True); sys.stdin.read()"],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        written = (out / ".newsclean.lock").read_text()
        assert SECRET not in written and "NEWSCLEAN_REDIS_URL=redis://:***@127.0.0.1" in written
        proc = run_newsclean("crawl", "demo", "--out", str(out), "-s", f"NEWSCLEAN_REDIS_URL={url}")
        assert proc.returncode == 3, proc.stderr[-2000:]
        assert "another newsclean run holds" in proc.stderr
        assert SECRET not in proc.stderr + proc.stdout
    finally:
        holder.communicate("", timeout=30)


def test_an_old_lock_file_with_a_password_is_shown_masked(tmp_path: Path) -> None:
    import fcntl
    import os

    out = tmp_path / "out"
    out.mkdir()
    lock = out / ".newsclean.lock"
    lock.write_text(f"pid 1 since 2026-01-01T00:00:00+00:00: newsclean crawl --redis redis://:{SECRET}@h/0\n")
    fd = os.open(lock, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)   # held by this process: the CLI's flock is refused
    try:
        proc = run_newsclean("crawl", "demo", "--out", str(out))
    finally:
        os.close(fd)
    assert proc.returncode == 3 and "redis://:***@h/0" in proc.stderr and SECRET not in proc.stderr


def test_a_url_with_a_user_and_password_is_refused_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before: the run started and Scrapy asked for a host named 'editor:<password>@127.0.0.1' (it sends
    # no URL's credentials): 'invalid hostname' with a traceback in the log, 0 articles, exit 1
    from ..conftest import call_newsclean

    url = f"http://editor:{SECRET}@127.0.0.1:{free_port()}/"
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{url}a\n")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "mysite.toml").write_text(
        f'name = "mysite"\nbase_url = "http://127.0.0.1:1/"\n[discovery]\nfeeds = ["{url}feed"]\n')
    monkeypatch.setenv("NEWSCLEAN_SITES_DIR", str(tmp_path / "sites"))
    for args in (["--url", url], ["--urls", str(urls)], ["mysite"]):
        proc = call_newsclean("crawl", *args, "--out", str(tmp_path / "out"))
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert "a user or password in a URL is not sent" in proc.stderr, proc.stderr
        assert SECRET not in proc.stderr and "editor:***@127.0.0.1" in proc.stderr, proc.stderr
        assert not (tmp_path / "out").exists()


def test_a_bad_argument_is_quoted_masked(tmp_path: Path) -> None:
    proc = run_newsclean(f"redis://:{SECRET}@127.0.0.1:1/0", "crawl")   # the URL where the command goes
    assert proc.returncode == 2 and "invalid choice" in proc.stderr
    assert SECRET not in proc.stderr and "redis://:***@127.0.0.1:1/0" in proc.stderr


def test_a_password_holding_a_slash_is_refused_hidden(tmp_path: Path) -> None:
    # before: 'http://editor:S3cr/et@host/' is host 'editor', port 'S3cr' to a URL parser: the run
    # started (its lock file keeping the whole password), logged a traceback ending 'Port could not
    # be cast to integer value as S3cr', and ended 'degraded'; --urls the same, in the spider
    from ..conftest import call_newsclean

    url = "http://editor:S3cr/et#x@127.0.0.1:1/"
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# from the archive\n{url}\n")
    for args in (["--url", url], ["--urls", str(urls)]):
        proc = call_newsclean("crawl", *args, "--out", str(tmp_path / "out"))
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert "editor:***@127.0.0.1:1/" in proc.stderr and "percent-encoded" in proc.stderr, proc.stderr
        assert "S3cr" not in proc.stderr and not (tmp_path / "out").exists()
    proc = call_newsclean("crawl", "--url", "http://127.0.0.1:abc/", "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "not an absolute http(s) URL" in proc.stderr, proc.stderr


def test_a_password_starting_with_digits_is_refused_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before: 'http://editor:12/34@host/' is host 'editor', port 12 to a URL parser, a valid URL: the
    # run started, fetched from host 'editor' and kept the whole URL, password and all, in its log,
    # lock file and manifest; --redis the same shape was refused for its database ('/34@...'),
    # the password shown
    from ..conftest import call_newsclean

    url = "http://editor:12/34@127.0.0.1:1/"
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{url}\n")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "mysite.toml").write_text(
        'name = "mysite"\nbase_url = "http://127.0.0.1:1/"\n[discovery]\nfeeds = ["http://editor:12/34@127.0.0.1:1/feed"]\n')
    monkeypatch.setenv("NEWSCLEAN_SITES_DIR", str(tmp_path / "sites"))
    for args in (["--url", url], ["--urls", str(urls)], ["mysite"],
                 ["demo", "--redis", "redis://default:12/34@127.0.0.1:1/0"]):
        proc = call_newsclean("crawl", *args, "--out", str(tmp_path / "out"))
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert "12/34" not in proc.stderr and "percent-encoded" in proc.stderr, proc.stderr
        assert "***@127.0.0.1:1/" in proc.stderr, proc.stderr
        assert not (tmp_path / "out").exists()
    proc = call_newsclean("crawl", "--url", url, "--out", str(tmp_path / "out"))
    assert "or an '@' of its path as %40" in proc.stderr   # a valid URL: the '@' may be its path's


def test_an_at_sign_in_the_query_of_a_url_without_host_is_no_password(tmp_path: Path) -> None:
    # before: 'http:///news/?by=ed@x.example' was refused as 'a '/', '?' or '#' in its user or
    # password ends the host there' (sites.cut_userinfo read '' as a host cut short): it has no host
    from ..conftest import call_newsclean

    urls = tmp_path / "urls.txt"
    urls.write_text("http:///news/?by=ed@x.example\n")
    for args in (["--url", "http:///news/?by=ed@x.example"], ["--urls", str(urls)]):
        proc = call_newsclean("crawl", *args, "--out", str(tmp_path / "out"))
        assert proc.returncode == 2 and "percent-encoded" not in proc.stderr, proc.stderr
        assert "not an absolute http(s) URL" in proc.stderr or "not an http(s) URL" in proc.stderr, proc.stderr
