"""trafilatura's main pass as ``clean_html`` runs it: the same results, fewer wasted steps, and watched;
what it lost put back; the other sources of a body.

- :mod:`.xpath_guard`: trafilatura's XPath lists, each regular-expression test run only where its attribute exists.
- :mod:`.repeat_passes`: the link-density passes not run again on a tree they left unchanged.
- :mod:`.readability_gate`: the comparison with readability and jusText only when they could win.
- :mod:`.wild_text`: what the main pass did, seen from outside (its container, the text it left out).
- :mod:`.joiners`: the zero-width joiners (Persian's ZWNJ, emoji's ZWJ) kept in trafilatura's text.
- :mod:`.streamed`: article markup a page only streams in its script data.
- :mod:`.options`: trafilatura's options objects, built once.
- :mod:`.extract`: trafilatura's text of a page as ``clean_html`` takes it (``extract_text``), with
  :mod:`.recall`'s fills: what the extraction lost, put back.
- :mod:`.fallbacks`: ``body_selector``, the baseline, JSON-LD ``articleBody``, the unpruned page.

A name with a leading underscore that one of these modules imports from another (the options
objects ``_EXTRACTOR``, ``_RECALL_EXTRACTOR``) is package-internal: nothing outside
``cleaners/extraction/`` uses it.
"""
