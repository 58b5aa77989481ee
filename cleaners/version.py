"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.17.0"  # 2026-12-06 (16th): panes a toggle hides put back after their line (5c7d155); a <br>-split element at the tail goes with its outside line (e58e8a1); a JSON-LD articleBody declared in part no longer cuts what follows (fa505c6); wcxb-dev 10 pages, trafilatura-eval 4, multipage-dev 1 changed, fundus-dev and metadata unchanged
