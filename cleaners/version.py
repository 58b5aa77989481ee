"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.2.0"   # 2026-12-05: calls to action, gates in other languages, agency credits kept, titles shown in h1, printed bylines and days
