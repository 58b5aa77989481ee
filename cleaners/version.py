"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.12.0"  # 2026-12-06 (11th): UTF-8 read as Latin-1 by a CMS mended before parsing; a day printed on a line of its own dates pages nothing else dates (source "printed"); Latvian dates, CLDR weekdays in bylines; a second writer after a comma told from a job title by the page's other writers
