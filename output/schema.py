"""The v1 output record: JSON Schema, canonical URLs, ids, content hashes, record builders."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

from courlan.clean import TRACKERS_RE
from w3lib.url import canonicalize_url as w3lib_canonicalize_url

from newsclean.cleaners.types import Article
from newsclean.cleaners.version import CLEANER_VERSION

SCHEMA_VERSION = 1

_HERE = Path(__file__).parent
RECORD_SCHEMA: dict[str, Any] = json.loads((_HERE / "record.schema.json").read_text("utf-8"))
REJECT_SCHEMA: dict[str, Any] = json.loads((_HERE / "reject.schema.json").read_text("utf-8"))

_DEFAULT_PORTS = MappingProxyType({"http": 80, "https": 443})
# Exact names courlan's tracker list misses (news-site campaign ids, AMP switches); the rest
# comes from courlan (see _is_tracking).
_TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid",
    "_ga", "_gl", "ref_src", "cmpid", "ocid", "ncid", "sr_share", "amp", "outputtype",
})
_SLASHES = re.compile(r"/{2,}")


class RecordInvalid(ValueError):
    """A record does not match its JSON Schema; the message names the field path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


# ---------------------------------------------------------------- URLs

def _is_tracking(key: str) -> bool:
    """A query key that only tracks the visit. courlan's list (AdGuard/ClearURLs) is taken for
    prefix families (``utm_``, ``mc_``, ``pk_``...) and whole names (``fbclid``, ``ref``,
    ``source``...), not for its unanchored substrings (``ga`` would drop ``gallery``)."""
    k = unquote_plus(key).lower()
    if k.startswith("utm_") or k in _TRACKING_PARAMS or TRACKERS_RE.fullmatch(k):
        return True
    prefix = TRACKERS_RE.match(k)
    return prefix is not None and prefix.group().endswith("_")


def _normalize(url: str) -> str:
    """Normalize an absolute http(s) URL; raise ValueError when it cannot be parsed.

    w3lib's canonicalize_url does the encoding work (IDNA hosts, percent-encoding, dot
    segments, sorted query, no fragment); here: no userinfo, no default port, no trailing dot
    on the host, repeated slashes collapsed, tracking keys dropped. A trailing slash is kept
    as served: ``/story`` and ``/story/`` may be different resources, and changing it would
    change the id of every record already written (the page's rel=canonical, or the dedup
    index, joins the two when they are the same article).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    parts.port  # noqa: B018 - raises ValueError on a bad port before w3lib sees it
    parts = urlsplit(w3lib_canonicalize_url(url.strip()))
    host = (parts.hostname or "").rstrip(".")
    host = f"[{host}]" if ":" in host else host   # IPv6 literal
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _SLASHES.sub("/", parts.path) or "/"
    # Filter the pairs as w3lib encoded them: decoding and re-encoding could alter odd bytes.
    query = "&".join(pair for pair in parts.query.split("&") if pair and not _is_tracking(pair.split("=", 1)[0]))
    return urlunsplit((scheme, netloc, path, query, ""))


def _strip_amp(url: str) -> str:
    """Map an AMP variant (amp. host, /amp/ prefix or suffix, .amp page, ?amp=1) to its plain page."""
    parts = urlsplit(url)
    netloc = parts.netloc[4:] if parts.netloc.startswith("amp.") else parts.netloc
    path = parts.path
    if path not in ("/amp", "/amp/"):
        path = re.sub(r"/amp/?$", "/", path)
        path = re.sub(r"^/amp/", "/", path)
    path = re.sub(r"\.amp(\.html?)?$", r"\1", path) if path.endswith((".amp", ".amp.html", ".amp.htm")) else path
    return urlunsplit((parts.scheme, netloc, path, parts.query, ""))


def _site_host(host: str) -> str:
    for prefix in ("www.", "amp.", "m."):
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


def _same_site(a: str, b: str) -> bool:
    return _site_host(urlsplit(a).hostname or "") == _site_host(urlsplit(b).hostname or "")


#: URLs whose canonical form without a page's canonical URL (:func:`_canonical_base`) is kept.
#: A crawl canonicalizes each article URL twice: as the store's key when it is taken from the
#: frontier, and for its record once it is cleaned (with the page's canonical URL), some 100
#: URLs later (the scheduler's, the downloads' and the pipelines' queues).
CANONICAL_CACHE = 512


@functools.lru_cache(maxsize=CANONICAL_CACHE)
def _canonical_base(url: str) -> str:
    """``url`` normalized, its AMP variant mapped to the plain page; ValueError (not kept) when
    it cannot be parsed."""
    return _strip_amp(_normalize(url))


def canonicalize_url(url: str, page_canonical: str | None = None) -> str:
    """Return the normalized canonical form of ``url``.

    Prefers ``page_canonical`` (the page's rel=canonical / og:url, absolute or relative) when it
    is http(s) and on the same site (hosts equal up to a ``www.``/``amp.``/``m.`` prefix).
    Never raises: returns ``url.strip()`` when nothing can be parsed.
    """
    try:
        base = _canonical_base(url)
    except (ValueError, TypeError, AttributeError):
        return url.strip() if isinstance(url, str) else ""
    if page_canonical and isinstance(page_canonical, str) and page_canonical.strip():
        try:
            cand = _canonical_base(urljoin(base, page_canonical.strip()))   # often the URL itself: kept
            if _same_site(base, cand):
                return cand
        except (ValueError, TypeError):
            pass  # a broken canonical tag is common; fall back to the fetched URL
    return base


def record_id(canonical_url: str) -> str:
    """Stable record id: first 32 hex chars of sha256 of the canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:32]


# ---------------------------------------------------------------- text

#: Runs of white space within a line.
_SPACES = re.compile(r"[^\S\n]+")


#: White space :func:`normalize_text` turns into a space or a line break (tabs, no-break spaces,
#: ``\r``, the line separators ``str.splitlines`` breaks at).
_OTHER_SPACE = re.compile(r"[^\S \n]")


def _is_normal(text: str) -> bool:
    """Whether :func:`normalize_text` leaves ``text`` as it is, found without building its lines:
    a cleaned article's text always is (205 of 205 on fundus-dev), and a record's content hash
    and a worker's digest normalize every one (0.18 -> 0.07 ms a text)."""
    return (bool(text) and text[0] not in " \n" and text[-1] not in " \n"
            and "  " not in text and " \n" not in text and "\n " not in text and "\n\n" not in text
            and _OTHER_SPACE.search(text) is None and unicodedata.is_normalized("NFC", text))


def normalize_text(text: str) -> str:
    """NFC, runs of spaces/tabs collapsed to one, each line stripped, blank lines dropped."""
    if _is_normal(text):
        return text
    text = unicodedata.normalize("NFC", text or "")
    # The lines joined by "\n" first, so one substitution serves the whole text (no run crosses
    # a "\n"): the same lines as substituting line by line, without a regex call a line.
    lines = _SPACES.sub(" ", "\n".join(text.splitlines())).split("\n")
    return "\n".join([line for line in map(str.strip, lines) if line])


def content_hash(text: str) -> str:
    """``sha256:<hex>`` over :func:`normalize_text` of ``text``."""
    return "sha256:" + hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- records

def iso_utc(moment: datetime) -> str:
    """ISO 8601 UTC with a trailing ``Z`` (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _domain(canonical_url: str) -> str:
    """The host of a canonical URL; a local file's (``newsclean clean`` on saved pages) is
    ``localhost``, as RFC 8089 reads ``file:///path``."""
    parts = urlsplit(canonical_url)
    return parts.hostname or ("localhost" if parts.scheme == "file" else "")


def build_record(article: Article, *, url: str, site: str, fetched_at: datetime, run_id: str,
                 canonical_url: str | None = None, duplicate_of: str | None = None,
                 text_hash: str | None = None, word_count: int | None = None,
                 source: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the v1 record (key order as in DESIGN.md) from a cleaned article.

    ``canonical_url`` defaults to ``canonicalize_url(url, article.canonical_url)``;
    ``text_hash`` and ``word_count``, when given, are the text's (computed elsewhere, e.g. in
    the process that cleaned the page). ``source`` (``{"warc": file, "offset": n}``) says which
    archive record the page was read from; it goes into ``cleaning`` only when given.
    """
    canonical = canonical_url or canonicalize_url(url, article.canonical_url)
    return {
        "schema_version": SCHEMA_VERSION,
        "id": record_id(canonical),
        "url": url,
        "canonical_url": canonical,
        "site": site,
        "domain": _domain(canonical),
        "title": article.title,
        "authors": list(article.authors),
        "published": article.published,
        "modified": article.modified,
        "language": article.language,
        "section": article.section,
        "tags": list(article.tags),
        "description": article.description,
        "text": article.text,
        "word_count": article.word_count if word_count is None else word_count,
        "content_hash": text_hash or content_hash(article.text),
        "duplicate_of": duplicate_of,
        "fetched_at": iso_utc(fetched_at),
        "run_id": run_id,
        "cleaning": {
            "cleaner_version": CLEANER_VERSION,
            "method": article.method,
            "removed": dict(article.removed),
            "date_sources": dict(article.date_sources),
            **({"source": dict(source)} if source is not None else {}),
        },
    }


def build_reject(*, url: str, site: str, reason: str, detail: str, fetched_at: datetime,
                 run_id: str) -> dict[str, Any]:
    """Build one rejects-file record (a dropped page and its stable reason)."""
    return {"url": url, "site": site, "reason": reason, "detail": detail,
            "fetched_at": iso_utc(fetched_at), "run_id": run_id, "schema_version": SCHEMA_VERSION}


def _validate(record: Mapping[str, Any], schema: dict[str, Any]) -> None:
    # Imported here: a crawl builds records and never validates them (jsonschema and its
    # format checkers: 4 MB of its main process); `newsclean clean` and the tests do.
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(record))
    if error is not None:
        path = "/".join(str(p) for p in error.absolute_path) or "<record>"
        raise RecordInvalid(path, error.message)


def validate_record(record: Mapping[str, Any]) -> None:
    """Raise :class:`RecordInvalid` (naming the field path) unless ``record`` is a valid v1 record."""
    _validate(record, RECORD_SCHEMA)


def validate_reject(record: Mapping[str, Any]) -> None:
    """Raise :class:`RecordInvalid` unless ``record`` is a valid rejects-file record."""
    _validate(record, REJECT_SCHEMA)
