"""trafilatura's options, built once and only read: the main pass's (its comparison with
readability gated, :mod:`.readability_gate`) and the same with recall focus."""

from __future__ import annotations

from trafilatura.settings import Extractor

from newsclean.cleaners.extraction import readability_gate


# One trafilatura options object, built once; read-only. dedup off: its LRU is global state.
# Its comparison with readability runs only where readability could win (same output).
_EXTRACTOR = readability_gate.gate(
    Extractor(output_format="python", comments=False, tables=True, dedup=False, with_metadata=False))


#: The same options with recall focus: for pages where trafilatura found no article container.
_RECALL_EXTRACTOR = Extractor(output_format="python", comments=False, tables=True, dedup=False,
                              with_metadata=False, recall=True)
