"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.4.0"   # 2026-12-05 (3rd): edge lines from outside the article's container dropped, callouts between article lines put back, metadata and promo-line rules the check half did not support removed
