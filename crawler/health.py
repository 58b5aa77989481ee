"""Is a finished run healthy? Checks over the run's stats, recorded in the manifest."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    passed: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _sum(stats: dict[str, Any], prefix: str) -> int:
    return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


def assess(stats: dict[str, Any]) -> tuple[str, str, list[Check]]:
    """``(status, one-line reason, checks)`` for one spider's final stats.

    status: ``ok`` | ``degraded`` | ``interrupted`` | ``failed``.
    """
    reason = str(stats.get("finish_reason", "unknown"))
    written = stats.get("newsclean/clean/articles", 0)
    candidates = _sum(stats, "newsclean/discovery/articles_from/")
    fetch_failed = _sum(stats, "newsclean/fetch/failed/")
    responses = stats.get("downloader/response_count", 0)
    checks = [
        Check("finish_reason", reason == "finished", f"finish reason: {reason}"),
        Check("output", "newsclean/output/error" not in stats,
              str(stats.get("newsclean/output/error", "output written"))),
        Check("articles_written", written > 0 or candidates == 0,
              f"{written} articles written of {candidates} article URLs discovered"),
        Check("discovery", candidates > 0 or fetch_failed == 0,
              f"{candidates} article URLs discovered, {fetch_failed} fetches failed"),
    ]
    if not checks[1].passed:
        return "failed", f"output failed: {stats['newsclean/output/error']}", checks
    if reason in ("shutdown", "cancelled", "interrupted"):
        return "interrupted", f"run interrupted ({reason})", checks
    if not checks[3].passed:
        return "degraded", (f"discovery failed: no article URL found, {fetch_failed} of {responses + fetch_failed}"
                            " discovery fetches failed"), checks
    if not checks[2].passed:
        return "degraded", f"no article written although {candidates} article URLs were discovered", checks
    if not checks[0].passed:
        return "degraded", f"run ended early: {reason}", checks
    return "ok", f"{written} articles written", checks
