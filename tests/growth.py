"""Whether a piece of code's work grows faster than its input: its CPU time on an input ten times
longer, measured against the shorter one's in the same process (a ratio: no bound in seconds, which a
loaded machine breaks). Linear work takes about ten times as long a step, quadratic a hundred.
Used by the regular-expression audit (``tests/cleaners/robustness/regex_growth.py``) and by tests
of code that must read a long input once."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable


class _Interrupted(Exception):
    pass


def _interrupt(*_: object) -> None:
    raise _Interrupted


def cpu_seconds(call: Callable[[], object], limit: float) -> float:
    """CPU seconds ``call()`` takes (inf past ``limit`` seconds: re checks signals as it runs)."""
    before = signal.signal(signal.SIGVTALRM, _interrupt)
    t0 = time.process_time()
    signal.setitimer(signal.ITIMER_VIRTUAL, limit)   # CPU time: the machine is shared
    try:
        call()
    except _Interrupted:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, before)
    return time.process_time() - t0


#: Lengths tried; each step ten times the last, so a linear pattern takes about ten times as long.
LENGTHS = (1_000, 10_000, 100_000)
#: A step whose time grows more than this many times over is super-linear (quadratic gives 100).
MOST_GROWTH = 30.0
#: Times below this say nothing about growth (a shared, loaded machine's noise): a step is
#: measured against at least this.
FLOOR = 0.004


def faster_than_linear(cost_at: Callable[[int], float], lengths: tuple[int, ...] = LENGTHS,
                       limit: float = 2.0) -> list[float] | None:
    """The times ``cost_at(n)`` (CPU seconds on an input of about ``n`` characters) takes at
    ``lengths`` if one step grows more than ``MOST_GROWTH`` times (quadratic work grows a hundred
    times a step, linear ten), else None. Each measure is against the one before it in the same
    process, so the machine's load cancels; a length is tried only while the last took far below
    ``limit`` (where the first is not, a tenth of it is tried first)."""
    times = [min(cost_at(lengths[0]) for _ in range(2))]
    while times[0] * 20 > limit and lengths[0] >= 100:
        # too slow at the first length to take a step up: a step from a tenth of it instead (else
        # nothing is measured against anything, and the slowest code would pass for linear)
        lengths = (lengths[0] // 10, *lengths)
        times = [min(cost_at(lengths[0]) for _ in range(2))]
    for n in lengths[1:]:
        if times[-1] * 20 > limit:
            break
        times.append(cost_at(n))
        if times[-1] > MOST_GROWTH * max(times[-2], FLOOR) and times[-1] != float("inf"):
            # once more, both lengths: a shared machine's pause is not a pattern's growth
            times[-2] = min(times[-2], *(cost_at(n // 10) for _ in range(2)))
            times[-1] = min(times[-1], cost_at(n))
        if times[-1] > MOST_GROWTH * max(times[-2], FLOOR):
            return times
    return None


def cost_of(call: Callable[[object], object], make: Callable[[int], object],
            limit: float = 5.0) -> Callable[[int], float]:
    """A ``cost_at`` for :func:`faster_than_linear`: the CPU seconds of ``call(make(n))``, the input
    made before the clock starts (inf past ``limit``: it stops a hang, it bounds nothing)."""
    def cost_at(n: int) -> float:
        given = make(n)
        return cpu_seconds(lambda: call(given), limit)
    return cost_at
