"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.8.0"   # 2026-12-05 (7th): a run repeated inside one block of the body stays; bare-div prose inside the article container put back; author names: two writers in elements of their own, byline labels of more languages, roles and time words after a name; update labels of languages that print the day in digits
