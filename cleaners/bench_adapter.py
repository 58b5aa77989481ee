"""The path ``score.py`` runs name the plug-in by (``py:newsclean.cleaners.bench_adapter:extract``,
in ../shared/bench's README and the workplace's scripts): :mod:`newsclean.cleaners.bench.adapter`."""

from newsclean.cleaners.bench.adapter import extract

__all__ = ["extract"]
