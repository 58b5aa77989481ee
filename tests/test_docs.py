"""The README and docs/ command blocks run as written (tests/doccheck.py)."""

from __future__ import annotations

import pytest

from tests import doccheck


def test_every_runnable_block_is_run_or_skipped_with_a_reason() -> None:
    blocks = [b for b in doccheck.read_blocks(doccheck.REPO) if b.lang in doccheck.RUN_LANGS]
    assert len(blocks) >= 10
    for block in blocks:
        for reason in block.get("skip"):
            assert len(reason) > 10, f"{block.where}: a skip says why"
        for test in block.get("covered-by"):
            assert doccheck.covering_test_exists(test), f"{block.where}: covered-by {test} names no test"


def test_install_steps_are_left_to_fresh_clones() -> None:
    line = "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/newsclean demo"
    assert doccheck.shell_commands(line, fresh=False) == [".venv/bin/newsclean demo"]
    assert doccheck.shell_commands(line, fresh=True) == [line]
    assert doccheck.shell_commands("a \\\n  b  # note\n# only a comment\n", fresh=False) == ["a b"]


def test_install_steps_reach_the_registry_past_the_sandboxs_proxy(tmp_path) -> None:
    # `--fresh` runs the README's install chain: its pip went through the proxy that keeps the
    # other commands off the internet, and no package could be installed
    assert doccheck.install_steps("python3 -m venv .venv && .venv/bin/pip install -q -e . && newsclean demo") == (
        "python3 -m venv .venv && .venv/bin/pip install -q -e .", "newsclean demo")
    assert doccheck.install_steps("newsclean demo && pip install x") == ("", "newsclean demo && pip install x")
    pip = tmp_path / "pip"
    pip.write_text('#!/bin/sh\necho "install: ${https_proxy:-none}"\n')
    pip.chmod(0o755)
    box = doccheck.Sandbox(fresh=False)
    try:
        done = box.sh(f"{pip} install x && echo \"then: $https_proxy\"", timeout=60)
    finally:
        doccheck.shutil.rmtree(box.tmp, ignore_errors=True)
    install, then = done.stdout.splitlines()
    assert then == "then: http://127.0.0.1:9" and "127.0.0.1:9" not in install


@pytest.mark.slow
def test_docs_command_blocks_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert doccheck.main([]) == 0, capsys.readouterr().out


def test_a_broken_block_fails() -> None:
    box = doccheck.Sandbox(fresh=False)
    try:
        broken_site = doccheck.Block("docs/x.md", 1, "toml", 'name = "x"\n[articles]\nallow = ["("]')
        assert doccheck.run_block(box, broken_site)[0] == "FAIL"
        assert doccheck.run_block(box, doccheck.Block("README.md", 1, "sh", "newsclean no-such-command"))[0] == "FAIL"
        assert doccheck.run_block(box, doccheck.Block("README.md", 1, "sh", "newsclean --help"))[0] == "ok"
        covered = [("covered-by", "tests/test_docs.py::test_a_broken_block_fails")]
        assert doccheck.run_block(box, doccheck.Block("README.md", 1, "sh", "newsclean no-such-command",
                                                      covered))[0] == "skip"
        misnamed = [("covered-by", "tests/test_docs.py::test_that_is_not_there")]
        assert doccheck.run_block(box, doccheck.Block("README.md", 1, "sh", "newsclean --help", misnamed))[0] == "FAIL"
    finally:
        doccheck.shutil.rmtree(box.tmp, ignore_errors=True)
