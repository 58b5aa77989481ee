"""The cleaner's version, recorded in every record's ``cleaning`` object.

Bump it whenever a change alters what text comes out for the same input.
"""

CLEANER_VERSION = "1.9.0"   # 2026-12-05 (8th): subheadings and recurring bare-div callouts put back; text hidden by a framework class (Webflow, screen-reader labels), donation boxes, staff cards, newsletter-platform buttons, Bluesky embeds removed; the edge step again after a repeated copy goes; titles: the <h1> at a 0.22 share; authors: name particles, month/weekday words of seven languages, bylines' dates cut where they begin
