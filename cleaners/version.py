"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.3.0"   # 2026-12-05 (2nd): lists and subheadings where trafilatura finds no container, lists that are the article, code comments kept, bylines and titles by what the page shows
