"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.7.0"   # 2026-12-05 (6th): blocks shown twice kept once; an author box ending the body dropped; section titles put back on pages without a container; the day printed under the headline over a declared day of another date; short author boxes and lone Korean/Japanese titles
