"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.20.0"  # 2026-12-07 (19th): rules that moved dev pages only taken out by the audit (qablate1: ten promotion alternatives, the edge step run again after a repeated run, text_at_breaks); wcxb-dev 4 dev pages (leaky dev 30 -> 31), fundus-dev 1, trafilatura-eval 10 dev pages changed, no check page of any set
