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
    """CPU seconds ``call()`` takes (inf past ``limit`` seconds: re checks signals as it runs).

    Read on the thread's clock, not the process's: once a process CPU-time timer has been armed
    (this one, or clean_html's bound), Linux reads the process clock from the timer's account, a
    tick (4 ms) at a time: of 2,000 calls of microseconds, 1,994 read 0 and the rest 2-4 ms
    (``cleaners.bench.scoring.cpu_clock`` says the same of the bench)."""
    before = signal.signal(signal.SIGVTALRM, _interrupt)
    t0 = time.thread_time()
    signal.setitimer(signal.ITIMER_VIRTUAL, limit)   # CPU time: the machine is shared
    try:
        call()
    except _Interrupted:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, before)
    return time.thread_time() - t0


#: Lengths tried; each step ten times the last, so a linear pattern takes about ten times as long.
LENGTHS = (1_000, 10_000, 100_000)
#: A step whose time grows more than this many times over is super-linear (quadratic gives 100).
MOST_GROWTH = 30.0
#: One run's CPU seconds below this say little (a shared, loaded machine's noise): a length timed
#: again is run as many times as take this together, their mean its time.
FLOOR = 0.004
#: At most this many runs time one length again (a ``cost_at`` of no time cannot loop forever).
MOST_RUNS = 2_000


def _mean_time(cost_at: Callable[[int], float], n: int) -> float:
    """``cost_at(n)``'s mean over as many runs as take ``FLOOR`` together (at most ``MOST_RUNS``)."""
    total, runs = 0.0, 0
    while total < FLOOR and runs < MOST_RUNS:
        total += cost_at(n)
        runs += 1
    return total / runs


def faster_than_linear(cost_at: Callable[[int], float], lengths: tuple[int, ...] = LENGTHS,
                       limit: float = 2.0) -> list[float] | None:
    """The times ``cost_at(n)`` (CPU seconds on an input of about ``n`` characters) takes at
    ``lengths`` if its steps grow more than ``MOST_GROWTH`` times (quadratic work grows a hundred
    times a step, linear ten), else None. Each measure is against the one before it in the same
    process, so the machine's load cancels; a length is tried only while the last took far below
    ``limit`` (where the first is not, a tenth of it is tried first). A step that grows too much is
    timed again, each length over runs that take ``FLOOR`` together: a pause is not growth, and
    code too fast for one run to say anything is measured all the same. It must grow so at the
    next step too, where one can be taken (ten times the last length, past ``lengths``): a cost
    that jumps once (a step of the code that starts past some length) is no growth. Where no step
    could be taken, the times are returned: nothing measured passes for nothing."""
    times = [min(cost_at(lengths[0]) for _ in range(2))]
    while times[0] * 20 > limit and lengths[0] >= 100:
        # too slow at the first length to take a step up: a step from a tenth of it instead (else
        # nothing is measured against anything, and the slowest code would pass for linear)
        lengths = (lengths[0] // 10, *lengths)
        times = [min(cost_at(lengths[0]) for _ in range(2))]
    grew = False
    at = 1
    while at < len(lengths) and times[-1] * 20 <= limit:
        shorter, n = lengths[at - 1], lengths[at]
        times.append(cost_at(n))
        if times[-1] > MOST_GROWTH * times[-2] and times[-1] != float("inf"):
            # once more, both lengths, over enough runs: a shared machine's pause is not growth,
            # nor one run of a few microseconds against another
            times[-2] = min(times[-2], *(_mean_time(cost_at, shorter) for _ in range(2)))
            times[-1] = min(times[-1], _mean_time(cost_at, n))
        was, grew = grew, times[-1] > MOST_GROWTH * times[-2]
        if grew and (was or times[-1] * 20 > limit):
            return times   # two steps in a row, or the last that could be taken
        if grew and at == len(lengths) - 1:
            lengths = (*lengths, n * 10)
        at += 1
    return None if len(times) > 1 and not grew else times


def cost_of(call: Callable[[object], object], make: Callable[[int], object],
            limit: float = 5.0) -> Callable[[int], float]:
    """A ``cost_at`` for :func:`faster_than_linear`: the CPU seconds of ``call(make(n))``, the input
    made before the clock starts (inf past ``limit``: it stops a hang, it bounds nothing)."""
    def cost_at(n: int) -> float:
        given = make(n)
        return cpu_seconds(lambda: call(given), limit)
    return cost_at
