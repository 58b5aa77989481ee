"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.14.0"  # 2026-12-06 (13th): footnote marks in running text dropped (dom.prune_footnote_marks); a no-break space stored as mojibake ("Â" and the space) mended; wcxb-dev 18 pages and trafilatura-eval 7 changed, fundus-dev and multipage-dev unchanged, metadata unchanged
