"""The annotated datasets the bench reads (Scrapinghub and Fundus layouts), and the split of
their pages by site: two fixed halves (``dev``, ``check``) and site-grouped folds."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

@dataclass
class Doc:
    """One annotated page."""

    id: str
    html: str
    url: str | None
    truth: str
    expected: dict[str, Any] = field(default_factory=dict)  # title, authors, publishing_date (Fundus, WCXB)
    site: str = ""                                           # publisher, or the URL's host
    must: tuple[str, ...] = ()                               # snippets that must appear (WCXB "with")
    must_not: tuple[str, ...] = ()                           # boilerplate that must not (WCXB "without")

    @property
    def half(self) -> str:
        return site_half(self.site)


#: How WCXB's one author string lists several ("A, B, and C"); a credential after a comma
#: ("Jane Doe, MD") counts as a name of its own, alike for every extractor.
AUTHOR_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")


def site_key(url: str | None) -> str:
    """A page's site for the split: its URL's host without ``www.``."""
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def site_half(site: str) -> str:
    """``dev`` or ``check``: fixed by a hash of the site's name, the same on every machine and run."""
    return "check" if hashlib.sha256(site.encode("utf-8")).digest()[0] & 1 else "dev"


def site_fold(site: str, folds: int) -> int:
    """Which of ``folds`` site-grouped folds a site is in (independent of its half)."""
    return int.from_bytes(hashlib.sha256(b"fold:" + site.encode("utf-8")).digest()[:4], "big") % folds


def _fundus_body(body: dict[str, Any]) -> str:
    parts = list(body.get("summary") or [])
    for sec in body.get("sections") or []:
        parts.extend(sec.get("headline") or [])
        parts.extend(sec.get("paragraphs") or [])
    return "\n\n".join(parts)


def _snippets(value: Any) -> tuple[str, ...]:
    return tuple(x for x in value if isinstance(x, str)) if isinstance(value, list) else ()



def load_dataset(root: Path) -> list[Doc]:
    """Docs of a Scrapinghub- or Fundus-layout dataset, in a stable order."""
    if (root / "ground-truth.json").exists():
        gt = json.loads((root / "ground-truth.json").read_text("utf-8"))
        if not isinstance(gt, dict) or not all(isinstance(row, dict) for row in gt.values()):
            raise ValueError("ground-truth.json is not an object of pages, each an object (id -> {articleBody, url, ...})")
        docs = []
        for key in sorted(gt):
            path = root / "html" / f"{key}.html.gz"
            html = gzip.open(path, "rt", encoding="utf-8").read() if path.exists() else \
                (root / "html" / f"{key}.html").read_text("utf-8")
            row = gt[key]
            expected = {}
            if row.get("title") or row.get("publish_date") or row.get("author"):  # WCXB carries metadata
                author = row.get("author")
                expected = {"title": row.get("title"), "publishing_date": row.get("publish_date"),
                            "authors": AUTHOR_SEP.split(author) if isinstance(author, str) and author
                            else (author or None)}
            docs.append(Doc(key, html, row.get("url"), row.get("articleBody") or "", expected,
                            row.get("domain") or site_key(row.get("url")),
                            _snippets(row.get("with")), _snippets(row.get("without"))))
        return docs
    vmap_path = root / "_version_map.json"
    vmap = json.loads(vmap_path.read_text("utf-8")) if vmap_path.exists() else {}
    docs = []
    for group in sorted(p for p in root.iterdir() if p.is_dir() and (p / "meta.info").exists()):
        meta = json.loads((group / "meta.info").read_text("utf-8"))
        by_pub: dict[str, list[Path]] = {}
        for path in group.glob("*.html.gz"):
            by_pub.setdefault(path.name.rsplit(".html.gz")[0].split("_", 1)[0], []).append(path)
        for pub, paths in sorted(by_pub.items()):
            exp_path = group / f"{pub}.json"
            if not exp_path.exists():
                continue
            expect = json.loads(exp_path.read_text("utf-8"))
            paths.sort(key=lambda p: meta[p.name]["crawl_date"])
            vkey = lambda n: [int(x) for x in re.findall(r"\d+", n)]  # noqa: E731
            fallback = dict(zip([p.name for p in paths], sorted(expect, key=vkey)))
            for path in paths:
                rel = str(path.relative_to(root))
                version = vmap.get(rel, {}).get("version") or fallback.get(path.name)
                if version not in expect or "body" not in expect[version]:
                    continue
                exp = expect[version]
                html = gzip.decompress(path.read_bytes()).decode("utf-8")
                docs.append(Doc(rel, html, meta[path.name]["url"], _fundus_body(exp["body"]),
                                {k: exp.get(k) for k in ("title", "authors", "publishing_date")}, pub))
    if not docs:
        raise SystemExit(f"{root}: neither a Scrapinghub nor a Fundus layout")
    return docs

