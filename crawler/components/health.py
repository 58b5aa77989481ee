"""Is a finished run healthy? The verdict over one spider's final stats.

The checks themselves run in spidermon (:mod:`newsclean.crawler.components.monitors`) and leave their outcome in
the stats as ``newsclean/health/<check>``; this module turns those into a status, a one-line
reason and the list recorded in the manifest.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from newsclean.output.stats import counted

#: Stats prefix of the checks' outcomes (``<prefix>/<check>``): written by the monitors, read here.
HEALTH_STATS = "newsclean/health"

#: Output errors (their opening words, ``stop_for_disk_full``'s) that no crawl of the run gets past:
#: a full disk, a state file another program holds locked, a read-only folder. Said as
#: they are, not as "output failed: ...", and no further site of a ``crawl --all`` run starts
#: after one (``sitequeue``).
RUN_STOPPING_ERRORS = ("disk full", "another program holds", "cannot write")


def disk_full_error(path: object, note: str = "") -> str:
    """The run's error when the disk under ``path`` is full (``note``: what else to say, a file
    size limit's): one of :data:`RUN_STOPPING_ERRORS`, built here alone."""
    return f"disk full ({path}){note}"


def unwritable_error(path: object, why: str) -> str:
    """The run's error when a write under ``path`` is refused for good (``why``: "read-only file
    system", a mount gone read-only mid-run, or a folder mounted so under an earlier run's output):
    one of :data:`RUN_STOPPING_ERRORS`, built here alone."""
    return (f"cannot write {path}: {why}: make it writable for this user (or remount it read-write), or give "
            "another --out; what was committed stays, the next run fetches the rest")


def locked_error(path: object) -> str:
    """The run's error when another program holds ``path`` (a state file) locked: one of
    :data:`RUN_STOPPING_ERRORS`, built here alone."""
    return (f"another program holds {path} locked (an sqlite3 shell or a database browser in a "
            "transaction?): end its transaction, then run again")


#: Pages dropped uncleaned because the run switched cleaning off (``NEWSCLEAN_CLEAN_ENABLED=False``,
#: :class:`~newsclean.crawler.workers.pool.NoCleaner`): a fetch-only run, healthy with no article.
UNCLEANED_STAT = "newsclean/clean/skipped"

#: Articles cleaned and dropped as older than the run's ``--since``: what the user asked, no failure.
TOO_OLD_STAT = "newsclean/since/too_old"

#: robots.txt files that could not be had (``<prefix>/<kind>``: ``timeout``, ``refused``, ``http_503`` ...):
#: their hosts are disallowed for the run (RFC 9309), see
#: :class:`~newsclean.crawler.components.middlewares.OneFetchRobotsTxtMiddleware`.
ROBOTS_UNREACHABLE = "newsclean/robots/unreachable"
#: robots.txt files not reached through their redirects (``<prefix>/<kind>``: ``redirect_loop``,
#: ``redirects`` past ``REDIRECT_MAX_TIMES``, ``redirect_scheme`` to a scheme other than http(s),
#: ``redirect_refused`` to an address the guard refuses): unavailable, their hosts allowed all.
ROBOTS_UNAVAILABLE = "newsclean/robots/unavailable"
#: robots.txt files larger than ``NEWSCLEAN_ROBOTSTXT_MAX_BYTES``, obeyed to their first bytes.
ROBOTS_TRUNCATED = "newsclean/robots/truncated"


def _by_kind(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    """The counts of ``<prefix>/<kind>`` keys, by kind (empty: none)."""
    prefix += "/"
    return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix) and isinstance(v, int)}


def robots_unreachable(stats: dict[str, Any]) -> dict[str, int]:
    """How many hosts' robots.txt could not be had this run, by kind (empty: none)."""
    return _by_kind(stats, ROBOTS_UNREACHABLE)


def _hosts_said(kinds: dict[str, int], what: str, then: str) -> str:
    """``unreachable on 2 hosts (timeout: 1, http_503: 1): nothing fetched there``, or '' for none."""
    n = sum(kinds.values())
    return f"{what} on {counted(n, 'host')} (" + ", ".join(f"{k}: {v}" for k, v in kinds.items()) + f"): {then}" if n else ""


def _unreachable_said(stats: dict[str, Any]) -> str:
    """``unreachable on 2 hosts (timeout: 1, http_503: 1): nothing fetched there``, or ''."""
    return _hosts_said(robots_unreachable(stats), "unreachable", "nothing fetched there")


def robots_unreachable_said(stats: dict[str, Any]) -> str:
    """``robots.txt unreachable on 2 hosts (timeout: 1, http_503: 1): nothing fetched there``, or ''."""
    said = _unreachable_said(stats)
    return f"robots.txt {said}" if said else ""


def robots_said(stats: dict[str, Any]) -> str:
    """The run summary's robots.txt line: hosts disallowed (unreachable), read to their first bytes
    (truncated) and allowed all (unavailable through their redirects), or '' when none. An operator
    under cron reads the summary, not the WARNINGs: a host opened to everything by a redirect loop,
    or obeyed on a cut file, is as much the run's news as one closed."""
    cut = stats.get(ROBOTS_TRUNCATED, 0)
    parts = [_unreachable_said(stats),
             f"read to its first bytes on {counted(cut, 'host')} (larger than NEWSCLEAN_ROBOTSTXT_MAX_BYTES)" if cut else "",
             _hosts_said(_by_kind(stats, ROBOTS_UNAVAILABLE), "unavailable", "all allowed there")]
    return "; ".join(p for p in parts if p)


#: A run's exit code by its status (README, Exit codes): newsclean crawl's and plain scrapy crawl's.
EXIT_CODES = {"ok": 0, "degraded": 1, "failed": 1, "interrupted": 130}

#: When several checks fail, the reason names the most telling one.
#: Items an item pipeline failed on with an error it did not expect (a traceback each, their
#: records not written): counted here, the run degraded (check ``items_failed``).
ITEMS_FAILED = "newsclean/output/items_failed"
PRIORITY = ("discovery", "articles_written", "items_failed", "error_rate", "reject_rate", "field_coverage", "finish_reason")


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    passed: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def checks_from_stats(stats: dict[str, Any]) -> list[Check]:
    out = []
    for key, value in sorted(stats.items()):
        if key.startswith(HEALTH_STATS + "/"):
            name = key[len(HEALTH_STATS) + 1:]
            passed = value == "OK"
            out.append(Check(name, passed, "ok" if passed else str(value).removeprefix("FAIL: ")))
    return out


def assess(stats: dict[str, Any]) -> tuple[str, str, list[Check]]:
    """``(status, one-line reason, checks)``; status is ``ok`` | ``degraded`` |
    ``interrupted`` | ``failed``."""
    checks = checks_from_stats(stats)
    finish = str(stats.get("finish_reason", "unknown"))
    if "newsclean/output/error" in stats:
        error = str(stats["newsclean/output/error"])
        return "failed", error if error.startswith(RUN_STOPPING_ERRORS) else f"output failed: {error}", checks
    if "newsclean/redis/error" in stats:
        return "failed", str(stats["newsclean/redis/error"]), checks
    if finish in ("shutdown", "cancelled", "interrupted"):
        return "interrupted", f"run interrupted ({finish})", checks
    failed = sorted((c for c in checks if not c.passed),
                    key=lambda c: PRIORITY.index(c.name) if c.name in PRIORITY else len(PRIORITY))
    if failed:
        return "degraded", failed[0].detail, checks
    if not checks:
        checks = [Check("health_checks", False, "no health check ran (is spidermon enabled?)")]
        if finish != "finished":
            return "degraded", f"run ended early: {finish}", checks
    written = stats.get("newsclean/output/records_written", stats.get("newsclean/clean/articles", 0))
    uncleaned = stats.get(UNCLEANED_STAT, 0)
    return "ok", f"{counted(written, 'article')} written" + (f", {counted(uncleaned, 'page')} fetched only (cleaning off)"
                                                            if uncleaned else ""), checks
