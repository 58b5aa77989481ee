"""What the robustness tests count instead of timing: the pages lxml is asked to parse."""

from __future__ import annotations

import lxml.html
import pytest


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the documents handed to lxml's HTML parser while the test runs; each such parse
    is refused (ValueError, as lxml says of a document it cannot read), so that a page the parser
    would take minutes over (a tag of 100,000 attributes: 22 s in libxml2, where no time bound
    reaches) fails the test at once instead."""
    asked: list[int] = []

    def refused(data: object, *args: object, **kwargs: object) -> None:
        asked.append(len(data))   # type: ignore[arg-type]
        raise ValueError("parse refused by the test")

    monkeypatch.setattr(lxml.html, "document_fromstring", refused)
    return asked
