"""Run every command block of README.md and docs/*.md, so the docs stay true.

    python -m tests.doccheck            # in a scratch directory, with this checkout's installed venv
    python -m tests.doccheck --fresh    # in a fresh ``git clone`` of HEAD, install steps included

Blocks fenced as ``sh``, ``python`` or ``toml`` are run; other fences (sample output, cron lines,
layouts) are prose. A block is steered by HTML comments on the lines just above its fence, which
a reader of the rendered page does not see:

    <!-- doccheck: skip REASON -->        not run (needs the internet, is the test suite itself, ...)
    <!-- doccheck: covered-by TEST -->    the test suite runs the same command (TEST: path::name of a
                                          test function): skipped here, run with ``--fresh``
    <!-- doccheck: before SHELL -->       run first (makes the placeholders a block names: OUT, pages/)
    <!-- doccheck: prelude PYTHON -->     python blocks: defines what the block takes as given
    <!-- doccheck: timeout SECONDS -->    per command (default 300)

A ``sh`` block runs line by line (comments after `` #`` are dropped) with the checkout's
``.venv/bin`` first on PATH, each line in one shell in the same scratch directory, in order
across all files; a line fails on a non-zero exit. Install steps (``python3 -m venv`` and
``pip install`` parts of an ``&&`` chain) run only with ``--fresh`` (otherwise the venv that runs
this script stands in for them), and without the proxy that keeps every other command off the
internet: they reach the package registry. A ``toml`` block is a site file: it must pass the
registry's validation. Prints one line per block and exits 1 if any failed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS = ("README.md", "docs/*.md")
RUN_LANGS = {"sh", "python", "toml"}
DIRECTIVE = re.compile(r"^<!--\s*doccheck:\s*(\w[\w-]*)\s*(.*?)\s*-->\s*$")
INSTALL_STEP = re.compile(r"^(python3? -m venv\b|(\S*/)?pip install\b|\S*/bin/pip install\b)")


@dataclass
class Block:
    path: str
    line: int
    lang: str
    text: str
    directives: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str) -> list[str]:
        return [value for key, value in self.directives if key == name]

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def read_blocks(root: Path) -> list[Block]:
    """Every fenced block of the docs, with the doccheck directives just above it."""
    blocks: list[Block] = []
    for pattern in DOCS:
        for path in sorted(root.glob(pattern)):
            lines = path.read_text(encoding="utf-8").splitlines()
            i = 0
            while i < len(lines):
                fence = re.match(r"^```(\w*)\s*$", lines[i])
                if not fence:
                    i += 1
                    continue
                start = i
                j = i + 1
                while j < len(lines) and not lines[j].startswith("```"):
                    j += 1
                directives = []
                k = start - 1
                while k >= 0 and (m := DIRECTIVE.match(lines[k].strip())):
                    directives.insert(0, (m.group(1), m.group(2)))
                    k -= 1
                blocks.append(Block(str(path.relative_to(root)), start + 1, fence.group(1),
                                    "\n".join(lines[start + 1:j]), directives))
                i = j + 1
    return blocks


def shell_commands(text: str, fresh: bool) -> list[str]:
    """The commands of an ``sh`` block: continuation lines joined, comments and install steps dropped."""
    commands, pending = [], ""
    for raw in text.splitlines():
        line = pending + (raw.lstrip() if pending else raw)
        if line.rstrip().endswith("\\"):
            pending = line.rstrip()[:-1].rstrip() + " "
            continue
        pending = ""
        line = re.sub(r"\s+#\s.*$", "", line).strip()
        if not line or line.startswith("#"):
            continue
        if not fresh:
            steps = [s for s in line.split(" && ") if not INSTALL_STEP.match(s.strip())]
            line = " && ".join(steps)
        if line:
            commands.append(line)
    return commands


def install_steps(command: str) -> tuple[str, str]:
    """An ``&&`` chain's leading install steps and the rest of it."""
    steps = command.split(" && ")
    n = next((i for i, step in enumerate(steps) if not INSTALL_STEP.match(step.strip())), len(steps))
    return " && ".join(steps[:n]), " && ".join(steps[n:])


class Sandbox:
    """Where the commands run: a fresh clone (``--fresh``) or a scratch directory using this venv."""

    def __init__(self, fresh: bool) -> None:
        self.fresh = fresh
        self.tmp = Path(tempfile.mkdtemp(prefix="newsclean-doccheck-"))
        if fresh:
            self.cwd = self.tmp / "newsclean"
            subprocess.run(["git", "clone", "-q", str(REPO), str(self.cwd)], check=True)
            from tests.conftest import shared_bench
            shared = shared_bench("").parent   # shared/ beside the clone, as the tests find its benchmarks
            if shared.exists():
                (self.tmp / "shared").symlink_to(shared)
        else:
            self.cwd = self.tmp / "work"
            self.cwd.mkdir()
            (self.cwd / ".venv").symlink_to(Path(sys.prefix))
            shutil.copy(REPO / "scrapy.cfg", self.cwd / "scrapy.cfg")
        venv_bin = self.cwd / ".venv" / "bin"
        self.env = {**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
        self.env.pop("PYTHONPATH", None)
        self.install_env = dict(self.env)   # install steps reach the package registry
        # A block that would reach a real site (one left without its skip) goes to a closed local
        # port through this proxy and fails at once, instead of leaving the machine.
        self.env.update(http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9",
                        no_proxy="127.0.0.1,localhost")

    def sh(self, command: str, timeout: float) -> subprocess.CompletedProcess[str]:
        install, rest = install_steps(command)
        out, err, code = "", "", 0
        for part, env in ((install, self.install_env), (rest, self.env)):
            if part and code == 0:
                done = subprocess.run(["bash", "-c", part], cwd=self.cwd, env=env, capture_output=True,
                                      text=True, timeout=timeout, stdin=subprocess.DEVNULL)
                out, err, code = out + done.stdout, err + done.stderr, done.returncode
        return subprocess.CompletedProcess(command, code, out, err)

    def python(self, code: str, timeout: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.cwd / ".venv" / "bin" / "python"), "-c", code], cwd=self.cwd,
                              env=self.env, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    def site_file(self, text: str, timeout: float) -> subprocess.CompletedProcess[str]:
        sites = self.tmp / "doc-sites"
        shutil.rmtree(sites, ignore_errors=True)
        sites.mkdir()
        # under a name of its own: the documented example may be a site the registry already ships
        text = re.sub(r'^name\s*=\s*"[^"]*"', 'name = "doccheck_example"', text, count=1, flags=re.M)
        (sites / "doccheck_example.toml").write_text(text + "\n", encoding="utf-8")
        return self.sh(f"NEWSCLEAN_SITES_DIR={sites} newsclean sites", timeout)


def covering_test_exists(test: str) -> bool:
    """Whether ``path::name`` names a test function of this checkout."""
    path, _, name = test.partition("::")
    file = REPO / path
    return bool(name) and file.is_file() and f"def {name}(" in file.read_text(encoding="utf-8")


def run_block(box: Sandbox, block: Block) -> tuple[str, str]:
    """('ok'|'skip'|'FAIL', detail) for one block."""
    if block.get("skip"):
        return "skip", block.get("skip")[0]
    # A crawl the test suite runs anyway (the same command) is not run a second time by it.
    for test in block.get("covered-by"):
        if not covering_test_exists(test):
            return "FAIL", f"covered-by names no test function: {test}"
        if not box.fresh:
            return "skip", f"covered by {test}"
    timeout = float((block.get("timeout") or ["300"])[0])
    steps: list[tuple[str, str]] = [("sh", c) for c in block.get("before")]
    if block.lang == "sh":
        steps += [("sh", c) for c in shell_commands(block.text, box.fresh)]
    elif block.lang == "python":
        steps.append(("python", "\n".join([*block.get("prelude"), block.text])))
    elif block.lang == "toml":
        steps.append(("toml", block.text))
    for kind, step in steps:
        try:
            done = {"sh": box.sh, "python": box.python, "toml": box.site_file}[kind](step, timeout)
        except subprocess.TimeoutExpired:
            return "FAIL", f"timed out after {timeout:.0f} s: {step[:200]}"
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            return "FAIL", f"exit {done.returncode}: {step[:200]}\n      " + "\n      ".join(tail)
    return "ok", f"{len(steps)} step(s)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.doccheck", description=__doc__.split("\n\n")[0])
    ap.add_argument("--fresh", action="store_true", help="a fresh git clone of HEAD, install steps included")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = ap.parse_args(argv)
    blocks = [b for b in read_blocks(REPO) if b.lang in RUN_LANGS]
    box = Sandbox(args.fresh)
    failed = 0
    try:
        for block in blocks:
            status, detail = run_block(box, block)
            failed += status == "FAIL"
            print(f"{status:4}  {block.where:22} {block.lang:6} {detail}", flush=True)
    finally:
        if args.keep:
            print(f"scratch directory kept: {box.tmp}")
        else:
            shutil.rmtree(box.tmp, ignore_errors=True)
    print(f"doccheck: {len(blocks)} blocks, {failed} failing")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
