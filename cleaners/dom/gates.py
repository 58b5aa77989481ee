"""Paywall gates and login boxes (``prune_account_gates``): small blocks holding both a log-in
and a sign-up control, or a password field. The controls' words are data, by language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

import lxml.etree as etree

from newsclean.cleaners.dom.elements import drop_topmost, short_text
from newsclean.cleaners.dom.measures import Measures
from newsclean.cleaners.dom.class_names import _trie

#: Links to the log-in page and to the register or subscribe page: a small block with both is a
#: paywall gate or a login box ("log in to read on" beside "register for free"), never article
#: text. One kind alone is not enough: a post may end in a call to subscribe, a help page may
#: explain how to register. Each kind is known by its address (a path or host part) or by its
#: label; the words are data, one entry per language (add a language here, not a rule).
LOGIN_WORDS = {
    "en": ("log-?in", "sign-?in"), "de": ("anmelden", "einloggen"), "fr": ("connexion", "se-connecter"),
    "es": ("iniciar-sesion", "ingres(?:ar|a)", "acceder", "acceso"), "it": ("accedi",), "nl": ("inloggen",),
    "pt": ("entrar",), "pl": ("zaloguj", "logowanie"), "tr": ("giris", "giris-yap", "uye-girisi"),
}
SIGNUP_WORDS = {
    "en": ("sign-?up", "regist(?:er|ration)?", "subscri(?:be|ption)s?", "paywall"),
    "de": ("registrieren", "abonnement", "abonnieren", "abo"), "fr": ("inscription", "s-abonner"),
    "es": ("suscri(?:be|bete|bite|birme|pcion|pciones)", "registro", "registrate"),
    "it": ("registrati", "abbonati", "abbonamento"), "nl": ("registreren", "abonneren"),
    "pt": ("assine", "assinatura", "cadastro"), "pl": ("rejestracja", "prenumerata"),
    "tr": ("abone(?:lik)?", "abone-ol", "uyelik", "kayit"),
}
#: Labels of such links and buttons (the whole label is short); scripts without word spaces
#: (Japanese, Chinese, Korean) have their words matched anywhere in it.
LOGIN_LABELS = {
    "en": r"log\s?in|sign\s?in", "de": r"anmelden|einloggen", "fr": r"connexion|se\s+connecter|connectez-vous",
    "es": r"inicia(?:r)?\s+sesi[oó]n|ingres[aá]r?|acceder", "it": r"accedi", "nl": r"inloggen", "pt": r"entrar",
    "pl": r"zaloguj(?:\s+si[eę])?", "ru": r"войти", "tr": r"giriş(?:\s+yap)?|oturum\s+aç",
    "sv": r"logga\s+in", "id": r"masuk", "vi": r"đăng\s+nhập", "uk": r"увійти", "he": r"התחברות|התחברו|כניסה",
    "fa": r"ورود",
}
SIGNUP_LABELS = {
    "en": r"register|sign\s?up|subscribe", "de": r"registrieren|abonnieren|abo\s+abschließen",
    "fr": r"créer\s+un\s+compte|s'abonner|abonnez-vous|inscri(?:s|vez)-vous",
    "es": r"suscr[ií]b(?:ete|ite|irme)|reg[ií]strate", "it": r"iscriviti|abbonati|registrati",
    "nl": r"registreren|abonneren", "pt": r"assine|cadastre-se", "pl": r"zarejestruj(?:\s+si[eę])?|prenumeruj",
    "ru": r"подписаться|оформить\s+подписку|зарегистрироваться", "tr": r"abone\s+ol|üye\s+ol",
    "sv": r"bli\s+prenumerant|prenumerera", "id": r"berlangganan|langganan", "vi": r"đăng\s+ký",
    "uk": r"оформити\s+передплату|передплатити|підписатися|зареєструватися",
    "he": r"הרשמה|להרשמה|הירשמו|מינוי|למינוי", "fa": r"(?:خرید\s+)?اشتراک|ثبت\u200c?\s?نام|عضویت",
}
LOGIN_CJK, SIGNUP_CJK = r"ログイン|로그인|登录|登入", r"会員登録|登録|購読|회원가입|구독|注册|订阅"
#: The words the address and label patterns above require, by language: every match of a pattern
#: (lower-cased) holds a word of its language's row ("log" of ``log-?in`` and ``log\s?in``). The
#: exact test before the regexes (:func:`_may_match`): an ASCII text holding none of a kind's words
#: is none of its controls. A language whose words no ASCII text matches (Cyrillic; the CJK labels)
#: has none. A pattern is added with its words: tests/cleaners/robustness/test_cleaners_speed.py checks, with
#: Python's own regex parser, that each alternative of a row's patterns requires one of its words
#: and each word is required by one.
LOGIN_REQUIRED = {
    "en": "log sign", "de": "anmelden einloggen", "fr": "connexion connecter connectez",
    "es": "inicia ingres acceder acceso", "it": "accedi", "nl": "inloggen", "pt": "entrar", "pl": "zaloguj logowanie",
    "ru": "", "tr": "giris", "sv": "logga", "id": "masuk", "vi": "", "uk": "", "he": "", "fa": "",
}
SIGNUP_REQUIRED = {
    "en": "sign regist subscri paywall", "de": "registrieren abo", "fr": "inscri abonne compte",
    "es": "suscr regist strate", "it": "registrati abbonati abbonamento iscriviti", "nl": "registreren abonneren",
    "pt": "assine assinatura cadastro cadastre", "pl": "rejestracja zarejestruj prenumerata prenumeruj", "ru": "",
    "tr": "abone uyelik kayit", "sv": "bli prenumerera", "id": "langganan", "vi": "", "uk": "", "he": "", "fa": "",
}


def _address_words(words: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    return re.compile(r"(?:^|[/?#=._-])(?:" + "|".join(w for ws in words.values() for w in ws) + r")(?:$|[/?#=.])", re.I)


def _label_words(labels: dict[str, str], cjk: str) -> re.Pattern[str]:
    return re.compile(r"(?:^|\W)(?:" + "|".join(labels.values()) + r")(?:$|\W)|" + cjk, re.I)


def _ascii_words(required: dict[str, str]) -> re.Pattern[str]:
    """A regex finding, in a lower-cased ASCII text, a word of ``required`` (``LOGIN_REQUIRED``'s
    layout): an ASCII text whose ``lower()`` holds none matches none of its kind's regexes."""
    return re.compile(_trie({w for words in required.values() for w in words.split()}))


class _AccountKind(NamedTuple):
    """How a control to an account page of one kind is known: its address, its label, and the
    cheap exact test before either regex (``words``: the words they require, :func:`_ascii_words`)."""

    address: re.Pattern[str]
    label: re.Pattern[str]
    words: re.Pattern[str]


def _account_kind(words: dict[str, tuple[str, ...]], labels: dict[str, str], cjk: str,
                  required: dict[str, str]) -> _AccountKind:
    return _AccountKind(_address_words(words), _label_words(labels, cjk), _ascii_words(required))


LOGIN = _account_kind(LOGIN_WORDS, LOGIN_LABELS, LOGIN_CJK, LOGIN_REQUIRED)
SIGNUP = _account_kind(SIGNUP_WORDS, SIGNUP_LABELS, SIGNUP_CJK, SIGNUP_REQUIRED)
#: A button's label is short; longer link text is a sentence that may just mention signing in.
LABEL_MAX_CHARS = 40
#: Above this many characters a block holds more than a gate's pitch.
GATE_MAX_CHARS = 600
_GATE_BLOCKS = ("div", "section", "aside", "form", "fieldset", "dialog")


def _may_match(text: str, kind: _AccountKind) -> bool:
    """False where neither of ``kind``'s regexes can match ``text``: an ASCII text holding none of
    the words they require (most addresses and labels: each regex search cost ~1.6 us, tried at
    every position of the text, ~0.35 ms a page on wcxb-dev's 147 controls a page)."""
    return not text.isascii() or kind.words.search(text.lower()) is not None


def _account_control(el: etree._Element, kind: _AccountKind, m: Measures | None = None) -> bool:
    """A link, button or submit input to an account page of one kind, by its address or its label."""
    href = el.get("href")
    if href and _may_match(href, kind) and kind.address.search(href):
        return True
    text = el.get("value") if el.tag == "input" else short_text(el, LABEL_MAX_CHARS, m)
    return bool(text) and _may_match(text, kind) and bool(kind.label.search(text))


def _controls(root: etree._Element) -> Iterator[etree._Element]:
    return root.iter("a", "button", "input")


def prune_account_gates(tree: etree._Element, m: Measures) -> int:
    """Remove small blocks holding both a log-in control and a register or subscribe control
    ("log in to read on" beside "register for free"), or a password field (a log-in or sign-up
    form, in whatever language its labels are): paywall gates and login boxes inside the article
    column, under class names no widget rule knows."""
    # Only the blocks around a log-in control can be gates: most pages have none, and a walk over
    # every block cost as much as a third of the measuring pass.
    candidates: dict[etree._Element, bool] = {}
    for c in _controls(tree):
        password = c.tag == "input" and (c.get("type") or "").lower() == "password"
        if password or _account_control(c, LOGIN, m):
            for el in c.iterancestors(*_GATE_BLOCKS):
                candidates[el] = candidates.get(el, False) or password
    victims = []
    for el, password in candidates.items():
        n = m.text(el)
        if n > GATE_MAX_CHARS or m.body_like(el) or n == 0 and not password:
            continue
        if password or any(_account_control(c, SIGNUP, m) for c in _controls(el)):
            victims.append(el)
    return drop_topmost(victims)
