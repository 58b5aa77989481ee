"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.10.0"  # 2026-12-05 (9th): blocks the page names a sidebar, dialog or sticky box dropped anywhere in the body; article panes discarded by class put back between the lines; authors: by-words and labels of more languages, a declared writer printed nowhere yields to the printed byline; days: month names of 31 more languages (CLDR), CJK, year-first Hungarian/Lithuanian, Hebrew
