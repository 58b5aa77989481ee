"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.18.0"  # 2026-12-06 (17th): a section's title right above its first part's title put back (15b6563); a subheading put back where it opens 100 characters, not 150 (150157c); wcxb-dev 18 pages (17 up), fundus-dev 1, trafilatura-eval 4 changed, multipage-dev unchanged
