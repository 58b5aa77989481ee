"""What a link's address says: a donation page (``DONATION_HREF_WORDS``) or a sign-up, sales or
contact page (``SIGNUP_HREF``, ``names_signup``). The measuring walk collects such links
(``Measures.donation_links``, ``signup_links``); the calls to action's boxes are around them."""

from __future__ import annotations

import re
from urllib.parse import unquote

from newsclean.cleaners.dom.class_names import _trie

#: Words of a donation page's address ("/donate/", "/donations"): a small box around a link to one,
#: with text besides the link, is an appeal for money, however the theme names it. ("spende" took
#: a German page's note on who paid the reporters' trip, linked to a charity's donation page.)
DONATION_HREF_WORDS = ("donat",)


#: Words of a sign-up, sales or contact page's address: a small box around a button to one, with
#: text besides it, is a call to action inside the body ("Centralize your training! [Book a demo]"),
#: however the theme names it. Only a button: a link in the article's sentence is the article's.
#: "shop": WooCommerce's and most shop plugins' address ("/shop/folding-saw/"): a Kadence info box
#: selling the site's own tool, "[Shop now]".
SIGNUP_HREF_WORDS = frozenset({"subscri", "newsletter", "signup", "sign-up", "sign_up", "register", "registration",
                               "join", "member", "contact", "quote", "demo", "trial", "pricing", "checkout", "shop"})
#: Of these, the words a sign-up address holds whole ("free-trial", "book-a-demo", "join"), not
#: opening a longer one ("democratic-party", "demograficzne", "joint", "quoten", "shopping-list"); the others open
#: a word of the address ("membership", "newsletteranmeldung", "contactus"), none ends one
#: ("remember", "industrial", "sozialdemokratie").
SIGNUP_HREF_WHOLE = frozenset({"demo", "trial", "join", "quote", "shop"})
#: The words matched as words of the path or query (their letters between non-letters), and
#: "opt-in" as a word of its own ("adopting" holds "optin").
SIGNUP_HREF = re.compile(rf"(?<![a-z])(?:{_trie(set(SIGNUP_HREF_WORDS - SIGNUP_HREF_WHOLE))}"
                         rf"|(?:{'|'.join(sorted(SIGNUP_HREF_WHOLE))})(?![a-z])|opt-?_?in(?![a-z]))", re.I)
#: A small letter and a capital: where a word of an address opens ("onsiteSignupLandingPage").
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def names_signup(part: str) -> bool:
    """Whether an address's path or query holds a word of a sign-up page (``SIGNUP_HREF``): its
    escapes decoded ("?next=%2Fmembership"), and a capital after a small letter opening a word
    ("onsiteSignupLandingPage") where the words are not found across it ("signUp", "NewsLetter")."""
    if "%" in part:
        part = unquote(part)
    return SIGNUP_HREF.search(part) is not None or SIGNUP_HREF.search(_CAMEL.sub(" ", part)) is not None


#: The walk's test of every link of the page, lowercased, from the same words (two lists drifted:
#: "register" was missing from this one): a tree of their letters, as ``_trie`` (the flat regex took
#: 8 us a link, 4% of ``clean_html`` on wcxb-dev's 160 links a page); ``SIGNUP_HREF`` then decides.
_SIGNUP_LEAD = re.compile(_trie({*SIGNUP_HREF_WORDS, "opt-in", "optin", "opt_in"}))
