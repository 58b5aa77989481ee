"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.11.0"  # 2026-12-06 (10th): the learned tail scorer on by default (model retrained on the dev halves, threshold .7); authors: a bio after the name, a line break after a whole name, a job title after a comma end the names; "Di"/"Af" kept in declared names
