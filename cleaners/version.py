"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.13.0"  # 2026-12-06 (12th): pages that timed out on a quadratic regex (a title of 100,000 spaces, an articleBody of 100,000 blank lines) are articles; a tag of over 10,000 attributes is a too_large reject before the parse; the four dev sets' texts and metadata unchanged
