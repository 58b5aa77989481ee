"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.15.0"  # 2026-12-06 (14th): the line scorer's tail walk passes a doubted last label together with the sure boilerplate before it (bc70bf8); footnote marks only for links into the page itself, its URL or declared canonical address (64c00cc, bd40f56); wcxb-dev 3 pages and trafilatura-eval 7 changed, multipage-dev 1, fundus-dev unchanged, metadata unchanged
