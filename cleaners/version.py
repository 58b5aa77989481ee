"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.6.0"   # 2026-12-05 (5th): prose spared below a kept headline; card lists of <article>s and announced link lists kept; titles as the <h1> punctuates them; author boxes, house names, comment forms and punctuation in authors
