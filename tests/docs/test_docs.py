"""The README and docs/ command blocks run as written (tests/doccheck.py)."""

from __future__ import annotations

import os

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
        covered = [("covered-by", "tests/docs/test_docs.py::test_a_broken_block_fails")]
        assert doccheck.run_block(box, doccheck.Block("README.md", 1, "sh", "newsclean no-such-command",
                                                      covered))[0] == "skip"
        misnamed = [("covered-by", "tests/docs/test_docs.py::test_that_is_not_there")]
        assert doccheck.run_block(box, doccheck.Block("README.md", 1, "sh", "newsclean --help", misnamed))[0] == "FAIL"
    finally:
        doccheck.shutil.rmtree(box.tmp, ignore_errors=True)


def _readme_pandas_table(tmp_path):
    """The table the README's pandas block builds, run in ``tmp_path`` (its OUT/ written there)."""
    block = next(b for b in doccheck.read_blocks(doccheck.REPO)
                 if b.path == "README.md" and b.lang == "python" and "pd.read_json" in b.text)
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        scope: dict = {}
        exec(block.text, scope)   # noqa: S102 - the README's own block
    finally:
        os.chdir(here)
    return scope["df"]


def test_the_readmes_pandas_snippet_reads_dates_as_dates_and_ids_as_written(tmp_path) -> None:
    # before: `published` stayed text, `modified` was dates in one part and text in another, and a
    # part whose ids were all digits had them read as floats (rounded: the ids lost)
    import orjson
    import pandas as pd

    parts = {"site=a": [{"id": "0f" * 16, "duplicate_of": None, "published": "2026-03-04T10:15:00+05:00",
                         "modified": None, "fetched_at": "2026-03-05T00:00:00Z"},
                        {"id": "1a" * 16, "duplicate_of": "0f" * 16, "published": "2026-03-04",
                         "modified": "2026-03-06T10:00:00-04:00", "fetched_at": "2026-03-05T00:00:01Z"}],
             "site=b": [{"id": "12" * 16, "duplicate_of": None, "published": None, "modified": None,
                         "fetched_at": "2026-03-05T00:00:00Z"},
                        {"id": "34" * 16, "duplicate_of": "12" * 16, "published": "2026-03-04T10:15:00+01:00",
                         "modified": "2026-03-04T10:15:00+01:00", "fetched_at": "2026-03-05T00:00:02Z"}]}
    for site, records in parts.items():
        folder = tmp_path / "OUT" / "articles" / site / "date=2026-03-05"
        folder.mkdir(parents=True)
        (folder / "part-r-00000.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    df = _readme_pandas_table(tmp_path).set_index("id")
    assert sorted(df.index) == sorted(r["id"] for records in parts.values() for r in records)
    assert df.loc["34" * 16, "duplicate_of"] == "12" * 16
    for col in ("published", "modified", "fetched_at"):
        assert isinstance(df[col].dtype, pd.DatetimeTZDtype), (col, df[col].dtype)
    assert df.loc["0f" * 16, "published"] == pd.Timestamp("2026-03-04T05:15:00Z")
    assert df.loc["1a" * 16, "published"] == pd.Timestamp("2026-03-04T00:00:00Z")
    assert pd.isna(df.loc["12" * 16, "published"])


def test_the_readmes_pandas_snippet_on_a_run_that_wrote_no_article(tmp_path) -> None:
    # before: `pd.concat` of no part raised 'ValueError: No objects to concatenate' (a run whose
    # pages were all rejected, or that found nothing new --since, has rejects and a manifest only)
    import pandas as pd

    from newsclean.output.schema import RECORD_SCHEMA

    rejects = tmp_path / "OUT" / "rejects" / "site=a" / "date=2026-03-05"
    rejects.mkdir(parents=True)
    (rejects / "part-r-00000.jsonl").write_text('{"url": "https://a.example/x", "reason": "too_old"}\n')
    (tmp_path / "OUT" / "articles").mkdir()
    (tmp_path / "OUT" / "articles" / ".part-r-00001.jsonl.tmp").write_text('{"id": "torn')   # a killed run's
    df = _readme_pandas_table(tmp_path)
    assert len(df) == 0 and list(df.columns) == list(RECORD_SCHEMA["properties"])
    for col in ("published", "modified", "fetched_at"):
        assert isinstance(df[col].dtype, pd.DatetimeTZDtype), (col, df[col].dtype)


def test_the_readmes_pandas_snippet_on_a_mistyped_or_wrong_folder(tmp_path) -> None:
    # before: its glob found no part under a mistyped OUT (or OUT/manifests named for OUT): an empty
    # table with the schema's columns, as for a run that wrote no article; a part's copy
    # (part-X.jsonl.bak) was read as a part, each of its records twice
    with pytest.raises(FileNotFoundError):   # no OUT/ in tmp_path
        _readme_pandas_table(tmp_path)
    (tmp_path / "OUT").mkdir()   # a folder of no run
    with pytest.raises(ValueError, match="not a newsclean output directory"):
        _readme_pandas_table(tmp_path)
    folder = tmp_path / "OUT" / "articles" / "site=a" / "date=2026-03-05"
    folder.mkdir(parents=True)
    record = '{"id": "0f0f", "published": null, "modified": null, "fetched_at": "2026-03-05T00:00:00Z"}\n'
    for name in ("part-r-00000.jsonl", "part-r-00000.jsonl.bak"):
        (folder / name).write_text(record)
    assert list(_readme_pandas_table(tmp_path)["id"]) == ["0f0f"]
