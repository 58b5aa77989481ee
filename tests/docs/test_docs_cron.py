"""The README's crontab example installs as pasted and its command line is valid shell."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import REPO


def cron_block() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"```cron\n(.*?)```", readme, re.S)
    assert m, "README.md has no ```cron block"
    return m.group(1)


def entries(block: str) -> list[str]:
    return [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def dry_run_flag() -> str | None:
    """The crontab option that checks a file without installing it: Debian's ``-n``, cronie's ``-T``."""
    usage = subprocess.run(["crontab", "-h"], capture_output=True, text=True).stderr
    if "dry run" in usage:
        return "-n"
    if re.search(r"-T\b", usage):
        return "-T"
    return None


@pytest.mark.skipif(shutil.which("crontab") is None, reason="crontab is not installed")
def test_readme_crontab_example_installs(tmp_path: Path) -> None:
    flag = dry_run_flag()
    if flag is None:
        pytest.skip("this crontab cannot check a file without installing it")
    path = tmp_path / "newsclean.cron"
    path.write_text(cron_block(), encoding="utf-8")
    proc = subprocess.run(["crontab", flag, str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_crontab_example_is_one_line_per_job_and_creates_its_log_dir() -> None:
    (line,) = entries(cron_block())
    fields = line.split(None, 5)
    assert len(fields) == 6 and all(re.fullmatch(r"[\d*/,-]+", f) for f in fields[:5]), line
    command = fields[5]
    # cron turns an unescaped % into a newline; date +%F must be written \%F
    assert "%" not in re.sub(r"\\%", "", command)
    shell = command.replace("\\%", "%")
    assert subprocess.run(["sh", "-n", "-c", shell]).returncode == 0
    # the log goes to a directory the line itself creates (nothing to prepare by hand, no root)
    log = re.search(r">>\s*(\S+)", shell).group(1)
    log_dir = log.rsplit("/", 1)[0]
    assert f"mkdir -p {log_dir}" in shell, shell
    assert "--all" in shell and "demo" not in shell
