"""The article's language: identified from its text by py3langid's model (two-letter labels, in
compact tables shared by the cleaning workers) and cross-checked with the page's declaration.

- :func:`declared_language`: the ISO 639-1 code a page's ``lang`` declares.
- :func:`identify_language`: the code and probability the model gives a text.
- :func:`article_language`: what ``clean_html`` records: the declaration or the text's, whichever holds.
"""

from __future__ import annotations

import functools
from collections import Counter
from types import MappingProxyType
from typing import Any


#: Deprecated ISO 639-1 codes pages still declare, and their current form.
_LANG_ALIASES = MappingProxyType({"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"})
#: Languages close enough that the identifier confuses them even on long text: a declaration
#: naming another member of the group is kept.
_CLOSE_LANGUAGES = (frozenset({"no", "nb", "nn", "da"}), frozenset({"ms", "id"}),
                    frozenset({"hr", "sr", "bs"}), frozenset({"cs", "sk"}), frozenset({"gl", "pt"}))
#: Below this many characters the text is too thin to identify: the declaration (or nothing) stands.
LANG_MIN_CHARS = 20
LANG_SAMPLE_CHARS = 1000
#: A declaration that the text contradicts is overruled only on this much text, at this confidence
#: (templates often hard-code lang="en" on every page, whatever the article's language).
LANG_OVERRULE_CHARS = 200
LANG_OVERRULE_CONFIDENCE = 0.95


def declared_language(html_lang: str | None) -> str | None:
    """ISO 639-1 code of a declared language (``en-US`` -> ``en``, ``iw`` -> ``he``), or None."""
    code = (html_lang or "").strip().split("-")[0].split("_")[0].lower()
    code = _LANG_ALIASES.get(code, code)
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


def _split_walk(low: Any, high: bytes, rowbase: Any, out: Any, text: bytes) -> Counter[int] | None:
    """py3langid's ``visit_counts`` (the model's byte automaton, walked over ``text``) over the
    state table split in two: a next state is ``low[i] | high[i] << 16``."""
    state, indexes = 0, []
    append = indexes.append
    for letter in text:
        i = rowbase[state] + letter
        state = low[i] | high[i] << 16
        f = out[state]
        if f >= 0:
            append(f)
    return Counter(indexes) if indexes else None


def _split_state_table(table: Any) -> tuple[Any, bytes]:
    """The automaton's state table (9.8 M next states, 4 bytes each: 39 MB) as its low 16 bits
    (``array('H')``) and the bits above them (``bytes``): 29 MB, the same states."""
    import array

    import numpy as np

    states = np.frombuffer(table, dtype=np.uint32) if isinstance(table, array.array) else np.asarray(table, dtype=np.uint32)
    if int(states.max()) >= 1 << 24:
        raise ValueError("a state does not fit 24 bits")
    low = array.array("H")
    low.frombytes((states & 0xFFFF).astype(np.uint16).tobytes())
    return low, (states >> 16).astype(np.uint8).tobytes()


#: Version of :func:`_language_tables`' building: a change to it must change this, so that the
#: tables a cache holds from the older code are built again.
LANGUAGE_TABLES_VERSION = 1


def _language_tables() -> dict[str, Any]:
    """The tables :func:`_identifier` walks and scores with, built from py3langid's model:
    limited to two-letter (ISO 639-1) labels, so a record's language always fits the schema (the
    model also knows arz, yue, zxx...), and in compact form (numpy arrays, for the cache)."""
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    model.set_languages([code for code in model.labels if len(code) == 2])
    low, high = _split_state_table(model.tk_nextmove)
    # set_languages leaves a strided column view: a contiguous copy makes the row lookups faster.
    return {"ptc": np.ascontiguousarray(model.nb_ptc), "pc": model.nb_pc, "classes": np.array(model.nb_classes),
            "rowbase": np.array(model._rowbase, dtype=np.intc), "output": np.array(model.tk_output, dtype=np.intc),
            "next_low": np.frombuffer(low, dtype=np.uint16), "next_high": np.frombuffer(high, dtype=np.uint8)}


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's model with normalized probabilities, limited to two-letter labels
    (:func:`_language_tables`, read from the cache of :mod:`newsclean.cleaners.metadata.table_cache`: the
    packaged model is LZMA-compressed, ~0.5 s of CPU to load and build). Loaded once per process
    and only read afterwards."""
    import array

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, RAW_FLOOR, LanguageIdentifier

    from newsclean.cleaners.metadata.table_cache import cached_tables, file_key

    class SplitTableIdentifier(LanguageIdentifier):
        """Walks the state table split by :func:`_split_state_table` (10 MB less in every
        cleaning worker's shared memory); every score is py3langid's own."""

        __slots__ = ("next_low", "next_high")

        def _raw_score(self, text: bytes) -> Any:
            visits = _split_walk(self.next_low, self.next_high, self._rowbase, self.tk_output, text)
            if visits:
                return self._sparse_score(visits, self.nb_ptc)
            fill = 0.0 if self._norm_probs else RAW_FLOOR   # py3langid's answer to no features
            return np.full(len(self.nb_classes), fill, dtype=np.float32)

    def int_array(code: str, values: Any) -> array.array:
        out = array.array(code)
        out.frombytes(memoryview(values).cast("B"))   # one copy, no bytes object between
        return out

    t = cached_tables("py3langid", file_key(MODEL_DIR / MODEL_FILE, LANGUAGE_TABLES_VERSION), _language_tables)
    # Only the restricted tables are given: they are also its "full" ones (set_languages(None)
    # never comes), so the full table of every label (28 MB) is not held.
    # Two of its tables, lists of 104,583 Python ints in py3langid (8 MB), are arrays of the same
    # values (4 MB less each, the same walk, the same scores) in every cleaning worker's shared memory.
    identifier = SplitTableIdentifier(t["ptc"], t["pc"], t["classes"].tolist(), None,
                                      int_array("i", t["output"]), norm_probs=True, tk_row=())
    identifier._rowbase = int_array("i", t["rowbase"])
    identifier.next_low, identifier.next_high = int_array("H", t["next_low"]), t["next_high"].tobytes()
    return identifier


def identify_language(text: str) -> tuple[str, float] | None:
    """``(ISO 639-1 code, probability)`` of ``text`` by py3langid, or None on too little text."""
    if len(text.strip()) < LANG_MIN_CHARS:
        return None
    # The first 1,000 characters decide: as sure as the whole article, at a fraction of the cost.
    code, probability = _identifier().classify(text[:LANG_SAMPLE_CHARS])
    return code, probability


def _close(a: str, b: str) -> bool:
    return any(a in group and b in group for group in _CLOSE_LANGUAGES)


def article_language(text: str, html_lang: str | None) -> str | None:
    """The article's language: identified from the text and cross-checked with the page's
    declaration. The declaration wins on short text, on low confidence and between close
    languages; the text wins when it is long and clearly in another language."""
    declared = declared_language(html_lang)
    try:
        found = identify_language(text)
    except Exception:  # noqa: BLE001 - a broken model must not cost the article
        found = None
    if found is None:
        return declared
    detected, probability = found
    if declared is None or declared == detected or _close(declared, detected):
        return declared or detected
    if len(text) >= LANG_OVERRULE_CHARS and probability >= LANG_OVERRULE_CONFIDENCE:
        return detected
    return declared
