"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.22.0"  # 2026-12-07 (21st): the audit's third part took out rules that moved dev pages only (qablate3: the data tail's runs of three and its longest-line test, three author tags, <meta headline> as a title, a JSON-LD headline kept whole, inline visibility:hidden); against 1.21.1 fundus-dev 3 check texts and 16 multipage-dev texts changed, titles on 1 dev page of wcxb-dev and of fundus-dev, authors on 2 wcxb-dev pages; 1.21.1 (20th, re-read): the data tail's guard against data holding only the opening paragraph back (wcxb-dev 0106 whole again); 1.21.0 (same day): the audit's second half took out four rules that moved dev pages only (qablate2: the markdown of a JSON-LD body, the named asides' ARIA roles and "sidebar" token, the data tail's last-line guard); htmldate without its two searches of last resort (days on 2 trafilatura-eval pages, 1 multipage-dev); against 1.20.0 wcxb-dev 4 dev texts changed (no check text), trafilatura-eval 4 (one check page a must-not snippet fewer)
