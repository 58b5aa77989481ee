"""The annotated datasets the bench reads (Scrapinghub, Fundus, trafilatura-eval and multipage
layouts), and the split of their pages by site: two fixed halves (``dev``, ``check``) and
site-grouped folds."""

from __future__ import annotations

import csv
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
    metric: str = "shingle"   # or "snippet": no full text, only trafilatura-eval's must / must-not snippets

    @property
    def half(self) -> str:
        return site_half(self.site)


#: How WCXB's one author string lists several ("A, B, and C"); a credential after a comma
#: ("Jane Doe, MD") counts as a name of its own, alike for every extractor.
AUTHOR_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")


#: trafilatura-eval's pages without an address are keyed ``hard::NAME`` or ``recall::NAME``.
_HOSTLESS = re.compile(r"[a-z]+::(?!//)")
#: A label that ends a host in such a NAME: a country's two letters (``de``, ``cu``) or a generic
#: top-level domain; not any three letters, which a name's own label may be (``www.bbc.co.uk``).
_TLD = re.compile(r"[a-z]{2}|com|net|org|gov|edu|int|info|biz")


def site_key(url: str | None) -> str:
    """A page's site for the split: its URL's host without ``www.``; for a page keyed by its file
    name instead (``hard::laestrella.com.pa-laboral.html``), the host that name opens with, so it
    falls in its site's half and fold (all 36 such pages were one site "" before)."""
    if url and (m := _HOSTLESS.match(url)):
        return _host_of_name(url[m.end():]).removeprefix("www.")
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def _host_of_name(name: str) -> str:
    """The host a page's file name opens with: up to a ``-``, or up to the first label shaped as a
    top-level domain after the first, and a country's two letters after it (``jis.gov.jm``);
    ``zeit.de.zugverkehr.html`` -> ``zeit.de``, ``blog.python.org.html`` -> ``blog.python.org``."""
    labels = name.removesuffix(".html").split("-", 1)[0].removeprefix("www.").split(".")
    host = labels[:1]
    for i, label in enumerate(labels[1:], 1):
        host.append(label)
        if _TLD.fullmatch(label):
            if i + 1 < len(labels) and re.fullmatch(r"[a-z]{2}", labels[i + 1]):
                host.append(labels[i + 1])
            break
    return ".".join(host)


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



_CHARSET_RE = re.compile(rb'<meta[^>]+charset=["\']?\s*([a-zA-Z0-9_\-:.]+)', re.I)


def decode_html_bytes(data: bytes) -> str:
    """A page stored in its original encoding as ``../shared/bench/score.py`` decodes it: UTF-8
    when it is valid UTF-8, else the charset a ``<meta>`` declares, else cp1252 (replacing)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if m := _CHARSET_RE.search(data[:8192]):
        try:
            return data.decode(m.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


def load_trafilatura_eval(root: Path) -> list[Doc]:
    """trafilatura's evaluation set: ``evaldata.json`` ({url: {file, with, without}}), each page
    in ``cache/`` or else ``eval/`` (score.py's lookup order). No full text: its docs are scored
    by their snippets (``metric="snippet"``); the site is the URL's host (:func:`site_key`)."""
    evaldata = json.loads((root / "evaldata.json").read_text("utf-8"))
    if not isinstance(evaldata, dict) or not all(isinstance(v, dict) and "file" in v for v in evaldata.values()):
        raise ValueError("evaldata.json is not an object of pages, each an object (url -> {file, with, without})")
    docs = []
    for url in sorted(evaldata):
        item = evaldata[url]
        path = next((p for p in (root / "cache" / item["file"], root / "eval" / item["file"]) if p.is_file()), None)
        if path is None:
            raise FileNotFoundError(f"{url}: {item['file']} in neither cache/ nor eval/")
        docs.append(Doc(path.relative_to(root).as_posix(), decode_html_bytes(path.read_bytes()), url, "",
                        site=site_key(url), must=_snippets(item.get("with")), must_not=_snippets(item.get("without")),
                        metric="snippet"))
    return docs


def _utf8_or_cp1252(path: Path) -> str:
    # multipage_score.py's read_text: the 2005-2008 pages and golds are UTF-8 or Windows-1252
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def load_multipage(root: Path) -> list[Doc]:
    """A multipage set: ``manifest.tsv`` (site, html, gold, dup_of, orig_url ...), one gold text
    a page; duplicates (``dup_of``) left out and a page without its address given
    ``https://SITE/PATH``, as ``../shared/bench/multipage_score.py`` does. The site is the
    manifest's site column."""
    docs = []
    with open(root / "manifest.tsv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row.get("dup_of", "-") not in ("-", ""):
                continue
            url = row.get("orig_url") or "-"
            if url == "-":
                url = f"https://{row['site']}/{row['html']}"
            docs.append(Doc(row["html"], _utf8_or_cp1252(root / row["html"]), url,
                            _utf8_or_cp1252(root / row["gold"]), site=row["site"]))
    return sorted(docs, key=lambda d: (d.site, d.id))


def load_dataset(root: Path) -> list[Doc]:
    """Docs of a Scrapinghub-, Fundus-, trafilatura-eval- or multipage-layout dataset, in a stable order."""
    if (root / "evaldata.json").exists():
        return load_trafilatura_eval(root)
    if (root / "manifest.tsv").exists():
        return load_multipage(root)
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
        raise SystemExit(f"{root}: no layout the bench reads: neither Scrapinghub (ground-truth.json + html/), "
                         "Fundus (<cc>/meta.info + <cc>/<Publisher>.json), trafilatura-eval (evaldata.json) "
                         "nor multipage (manifest.tsv)")
    return docs

