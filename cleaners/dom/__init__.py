"""Generic DOM pruning before extraction: site rules, widget containers, paywall and login gates,
titled teaser blocks, link-dense blocks. Structure, class/id tokens and block titles only — no per-page rules.

Every pruning pass returns the characters it removed, so the pipeline can count per step. The
modules, in the order ``clean_html`` uses them (``dom.NAME`` names each public name of any of them):

    elements.py         an element's text (text_of, flat_text, text_len, short_text), its removal
                        (drop_keeping_tail, drop_topmost, attached), the tag sets, line_blocks, tree_size
    class_names.py      what a class or id says (widget, article body, image block, hover card, hiding
                        class, call to action, title): the word lists and each name's cached answers
    addresses.py        what a link's address says: a donation or sign-up page
    measures.py         Measures, the one measuring walk; Picked, the named elements each pass reads
    layout.py           adopt_stray_roots (at the parse), unwrap_layout_tables
    lead.py             visible_lead: the standfirst the page shows, looked up before the pruning
    site_rules.py       drop_site_rules: the site's own selectors and XPaths
    footnotes.py        prune_footnote_marks
    widgets.py          prune_widgets, prune_hidden: blocks removed for their names (and the author's
                        card its microdata marks: has_microdata)
    calls_to_action.py  prune_calls_to_action: named appeals, donation and sign-up boxes
    gates.py            prune_account_gates: paywall gates and login boxes
    teasers.py          prune_titled_blocks, link_dense_blocks / prune_link_dense, unlinked_text
    merge.py            merge_split_bodies

A name with a leading underscore that one of these modules imports from another is
package-internal: nothing outside ``cleaners/dom/`` uses it.
"""

from newsclean.cleaners.dom.elements import (
    PROTECTED_TAGS, SUBHEADINGS, HEADINGS, text_of, flat_text, text_len, link_text_len,
    drop_keeping_tail, attached, drop_topmost, SHORT_READ_CHARS, short_text, SENTENCE_END, tree_size, LINE_TAGS,
    line_blocks,
)
from newsclean.cleaners.dom.class_names import (
    WIDGET_WORDS, WIDGET_TOKENS, IMAGE_WORDS, IMAGE_TOKENS, CONTENT_WORDS, CONTENT_TOKENS, NAME_CACHE, HOVER_WORDS,
    HIDING_CLASSES, CTA_TOKENS,
)
from newsclean.cleaners.dom.addresses import (
    DONATION_HREF_WORDS, SIGNUP_HREF_WORDS, SIGNUP_HREF_WHOLE, SIGNUP_HREF, names_signup,
)
from newsclean.cleaners.dom.measures import Named, Picked, Measures
from newsclean.cleaners.dom.site_rules import drop_site_rules
from newsclean.cleaners.dom.layout import adopt_stray_roots, unwrap_layout_tables
from newsclean.cleaners.dom.lead import visible_lead
from newsclean.cleaners.dom.footnotes import prune_footnote_marks
from newsclean.cleaners.dom.widgets import (
    prune_widgets, AUTHOR_CARD_MIN_CHARS, AUTHOR_CARD_MAX_CHARS, has_microdata, HIDDEN_MAX_CHARS, prune_hidden,
)
from newsclean.cleaners.dom.calls_to_action import (
    CTA_MAX_CHARS, prune_calls_to_action, BUTTON_WORDS, PITCH_WORDS, PITCH_LINKS, CTA_CONTEXT_MIN_CHARS,
)
from newsclean.cleaners.dom.gates import (
    LOGIN_WORDS, SIGNUP_WORDS, LOGIN_LABELS, SIGNUP_LABELS, LOGIN_CJK, SIGNUP_CJK, LOGIN_REQUIRED, SIGNUP_REQUIRED,
    LOGIN, SIGNUP, LABEL_MAX_CHARS, GATE_MAX_CHARS, prune_account_gates,
)
from newsclean.cleaners.dom.teasers import (
    prune_titled_blocks, prune_link_dense, link_dense_blocks, ANNOUNCING_WORDS, ARTICLE_PROSE_CHARS, unlinked_text,
)
from newsclean.cleaners.dom.merge import merge_split_bodies

__all__ = [
    "ANNOUNCING_WORDS", "ARTICLE_PROSE_CHARS", "AUTHOR_CARD_MAX_CHARS", "AUTHOR_CARD_MIN_CHARS", "BUTTON_WORDS",
    "CONTENT_TOKENS", "CONTENT_WORDS", "CTA_CONTEXT_MIN_CHARS", "CTA_MAX_CHARS", "CTA_TOKENS",
    "DONATION_HREF_WORDS", "GATE_MAX_CHARS", "HEADINGS", "HIDDEN_MAX_CHARS", "HIDING_CLASSES", "HOVER_WORDS",
    "IMAGE_TOKENS", "IMAGE_WORDS", "LABEL_MAX_CHARS", "LINE_TAGS", "LOGIN", "LOGIN_CJK", "LOGIN_LABELS",
    "LOGIN_REQUIRED", "LOGIN_WORDS", "Measures", "NAME_CACHE", "Named", "PITCH_LINKS", "PITCH_WORDS",
    "PROTECTED_TAGS", "Picked", "SENTENCE_END", "SHORT_READ_CHARS", "SIGNUP", "SIGNUP_CJK", "SIGNUP_HREF",
    "SIGNUP_HREF_WHOLE", "SIGNUP_HREF_WORDS", "SIGNUP_LABELS", "SIGNUP_REQUIRED", "SIGNUP_WORDS", "SUBHEADINGS",
    "WIDGET_TOKENS", "WIDGET_WORDS", "adopt_stray_roots", "attached", "drop_keeping_tail", "drop_site_rules",
    "drop_topmost", "flat_text", "has_microdata", "line_blocks", "link_dense_blocks", "link_text_len",
    "merge_split_bodies", "names_signup", "prune_account_gates", "prune_calls_to_action", "prune_footnote_marks",
    "prune_hidden", "prune_link_dense", "prune_titled_blocks", "prune_widgets", "short_text", "text_len", "text_of",
    "tree_size", "unlinked_text", "unwrap_layout_tables", "visible_lead",
]
