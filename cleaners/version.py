"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.21.0"  # 2026-12-07 (20th): the audit's second half took out five rules that moved dev pages only (qablate2: the markdown of a JSON-LD body, the named asides' ARIA roles and "sidebar" token, the data tail's two excerpt guards); htmldate without its two searches of last resort (days on 2 trafilatura-eval pages, 1 multipage-dev); wcxb-dev 5 dev texts changed (no check text), trafilatura-eval 5 (one check page a must-not snippet fewer)
