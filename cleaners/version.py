"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.1.0"   # 2026-12-04: control characters, charsets, hover cards, titles, authors, dates, learned templates
