"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.19.0"  # 2026-12-07 (18th): promotion lines of other languages (c718def, 9cab9b7); a small box around a button to a sign-up page (396c631); the last title put back on a page without a container where prose follows (11c2e98); <br> read as a space in titles; wcxb-dev 40 pages (dev .9637 -> .9640, check .9499 -> .9501), fundus-dev 2, trafilatura-eval 33 changed, multipage-dev .96843 -> .96853
