"""The cleaning workers a crawl feeds, and what they need from the operating system.

- :mod:`.cleaning`: how the clean pipeline runs the cleaners, inline or in the pool.
- :mod:`.pool`: worker processes cleaning pages off the reactor thread (:class:`~.pool.PoolCleaner`).
- :mod:`.worker_preload`: what the workers' forkserver loads before it forks any worker.
- :mod:`.heap`: giving the C heap of large, short-lived buffers back.
- :mod:`.procfs`: what Linux's /proc says of a process (CPU time, proportional memory, usable CPUs
  and the most cleaning workers they take).
"""
