"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.16.0"  # 2026-12-06 (15th): the tail run the page's own embedded data lacks is cut (f472ea0, 3c641be); the merge of split bodies stands only where it loses no prose (e8c42bc); wcxb-dev 7 pages, fundus-dev 5, trafilatura-eval 6 changed, multipage-dev unchanged, metadata unchanged
