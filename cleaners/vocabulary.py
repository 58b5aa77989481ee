"""Word patterns that more than one cleaning step reads: kept here, below the steps, so that no
step imports another for its words (the line rules once imported the metadata module for the
job words of a byline)."""

from __future__ import annotations

#: The job words of a byline (a pattern): a job title printed after the name ("Jane Doe Former
#: McKinsey Consultant", "Jane Doe Founder at Acme") is up to three words before one and what
#: follows it (``metadata``). The line rules read it too: a staff card's job title ending the body.
ROLE_WORD = (r"(?:co-?founder|founder|reporter|editor|writer|consultant|coordinator|manager|director|ceo|cto|"
             r"president|contributor|correspondent|analyst|specialist|officer|journalist|columnist|producer|"
             r"strategist|marketer|engineer|designer|researcher|reviewer)s?")
