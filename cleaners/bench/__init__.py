"""Benchmark newsclean beside plain trafilatura on an annotated dataset, with the same metric as
the Scrapinghub article-extraction benchmark.

    python -m newsclean.cleaners.bench DATASET [DATASET ...] [--limit N] [--extractor newsclean --extractor trafilatura]
                                     [--boilerplate-report] [--metadata-report] [--folds K] [--cpu-rounds R]
                                     [--metadata-out FILE] [--metadata-against FILE] [--sites] [--blind-classes]

Generalization: every page belongs to a site (its publisher, or its URL's host), and every site
to one of two fixed halves by a hash of its name: ``dev`` (read page by page, write changes
from it) and ``check`` (never read page by page; only its figures are looked at). Each row is
printed for all pages and for each half, with the gap; ``--folds K`` also scores K site-grouped
folds (no site in two folds) and prints the spread of the lead over trafilatura across them;
``--sites`` prints each site's F1, the lead and its half's lead without that site.
A change that only helps the pages it was written for shows as a dev lead the check half lacks.

Layouts: Scrapinghub (``ground-truth.json`` + ``html/<id>.html[.gz]``), Fundus
(``<cc>/<Publisher>_<date>.html.gz`` + ``<cc>/<Publisher>.json`` + ``<cc>/meta.info``) and
multipage (``manifest.tsv``: site, html, gold; its site column is the site), scored by the
shingle metric below; trafilatura-eval (``evaldata.json``: {url: {file, with, without}}, pages in
``cache/`` or ``eval/``), which has no full text, by its snippets as trafilatura's own evaluation
counts them (whitespace-normalized substrings; tp / fp / fn / tn summed over every snippet of the
pages, then P, R and F1). Each row of the report names its metric.

The package: :mod:`.metric` (the measures), :mod:`.datasets` (the layouts and the split by site),
:mod:`.scoring` (the runs, the report, the command line) and :mod:`.adapter` (``score.py``'s
plug-in, also importable as ``newsclean.cleaners.bench_adapter``).

The metric (``string_shingle_matching`` and the mean-of-documents P/R/F1) is ported from
scrapinghub/article-extraction-benchmark ``evaluate.py`` (MIT licence): text is tokenized as
``\\w+`` runs and compared as multisets of 4-token shingles; per-document precision and recall
are averaged; F1 is computed from the two means.

``--blind-classes`` scores every page with its class and id names replaced by hash tokens
(:mod:`.blind`): a site built with CSS-in-JS or hashed CSS modules, whose names say nothing.

``--cpu-rounds R`` measures speed instead of quality: every page is given to each extractor in
turn (the order rotating from page to page and round to round), ``R`` rounds in one process;
a page's CPU time (``time.thread_time``, see :func:`cpu_clock`) is its median over the rounds, and each extractor's
total is set against the others' on the same pages; what was loaded before the timed rounds is
frozen out of the garbage collector's reach during them, as in the crawl's cleaning workers.
Interleaving keeps the machine's load and the caches alike for all of them, which timing one
extractor's whole pass after another's does not on a busy machine.
"""


from newsclean.cleaners.bench.datasets import Doc, load_dataset, site_fold, site_half, site_key
from newsclean.cleaners.bench.metric import (boilerplate_lines, metrics_from_tp_fp_fns, precision_score, recall_score,
                                             shingle_prf, shingles, snippet_counts, snippet_prf, snippet_words,
                                             string_shingle_matching, trafilatura_snippet_counts)
from newsclean.cleaners.bench.scoring import (CPU_EXTRACTORS, EXTRACTORS, Scored, cpu_times, main, metadata_class,
                                              page_title_class)

__all__ = [
    "CPU_EXTRACTORS", "EXTRACTORS", "Doc", "Scored", "boilerplate_lines", "cpu_times", "load_dataset", "main",
    "metadata_class", "metrics_from_tp_fp_fns", "page_title_class", "precision_score", "recall_score", "shingle_prf",
    "shingles", "site_fold", "site_half", "site_key", "snippet_counts", "snippet_prf", "snippet_words",
    "string_shingle_matching", "trafilatura_snippet_counts",
]
