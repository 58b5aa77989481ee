"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.5.0"   # 2026-12-05 (4th): articles trafilatura cut by a class name extracted again with their prose spared; a short section or tagline after a title's last pipe cut
