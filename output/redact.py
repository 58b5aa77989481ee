"""Credentials out of everything an operator or a colleague reads: ``scheme://user:secret@host``
becomes ``scheme://user:***@host`` (and a lone ``scheme://token@host`` becomes ``***@host``)
in lock files, manifests, log lines and error messages."""

from __future__ import annotations

import re
from typing import Any

# userinfo ends at the last "@" before the path; a password may hold "@" or ":" unescaped. The
# scheme is looked for from the start of a run of scheme characters only, once (a lookahead for
# its "://", then an atomic group): tried from every "\b" of the run, 10,000 scheme characters
# ("a.a.a...") without "://" took seconds (quadratic). The same matches as "\b[A-Za-z][...]*://".
_SCHEME_CHARS = r"[A-Za-z0-9+.\-]"
_USERINFO = re.compile(rf"(?<!{_SCHEME_CHARS})(?={_SCHEME_CHARS}*+://)"
                       rf"(?>(?P<lead>{_SCHEME_CHARS}*?)\b(?P<scheme>[A-Za-z]{_SCHEME_CHARS}*+)://)"
                       r"(?P<user>[^\s:/?#@\"'<>\\]*)"
                       r"(?::(?P<pw>[^\s/\"'<>\\]*))?@(?=[^\s@/?#\"'<>\\]*(?:[\s/?#\"'<>\\]|$))")

# A password holding an unescaped "/", "?" or "#" ends the URL's host there ("https://ed:pa/ss@host/"
# reads as host "ed", port "pa"): _USERINFO stops at the "/" and masked nothing. Taken as userinfo
# when what follows the ":" up to that character is no port number; the userinfo runs to the last
# "@" before the host, as above. A password starting with digits ("http://u:12/34@host/": host "u",
# port 12, a valid URL) is taken when one piece with no "/", "?", "#", "=" or "&" lies between
# that character and the "@": "http://localhost:8080/@handle", "http://h:80/a/b@c" and
# "http://h:80/p?mail=a@b" stay. Asked only of a run of URL characters up to its last "@"
# (:func:`_mask_cut`): a start with no "@" ahead read the run to its end, and 10,000 "a://b:" took seconds.
_CUT_USERINFO = re.compile(rf"(?<!{_SCHEME_CHARS})(?={_SCHEME_CHARS}*+://)"
                           rf"(?>(?P<lead>{_SCHEME_CHARS}*?)\b(?P<scheme>[A-Za-z]{_SCHEME_CHARS}*+)://)"
                           r"(?P<user>[^\s:/?#@\"'<>\\]*):(?P<pw>(?![0-9]*[/?#])[^\s/?#@\"'<>\\]*[/?#][^\s\"'<>\\]*"
                           r"|[0-9]*[/?#][^\s/?#@=&\"'<>\\]+)"
                           r"@(?=[^\s@/?#\"'<>\\]*(?:[\s/?#\"'<>\\]|$))")

# The same userinfo without its scheme, as Twisted quotes it ("invalid hostname: user:pw@host"):
#   (?<![\w.+\-/:@%])(?!mailto:)(?P<user>[\w.\-~%!$&*+,;=]+):(?P<pw>[^\s/@\"'<>\\]+)@(?=[\w\[])
# asked of the reversed text, from each "@" back: forwards, every start of a run of commas (or of
# "(a:" pieces) read the run to its end again, 10,000 of them took seconds. Backwards each "@"
# reads back to the "@" before it once, and the leftmost start and ":" are still the ones taken.
_BARE_REVERSED = re.compile(r"(?<=[\w\[])@(?P<pw>[^\s/@\"'<>\\]+):(?P<user>[\w.\-~%!$&*+,;=]+)"
                            r"(?<!:otliam)(?![\w.+\-/:@%])")


def _masked(m: re.Match[str]) -> str:
    if m["pw"] is not None:
        return f"{m['lead']}{m['scheme']}://{m['user']}:***@"
    return f"{m['lead']}{m['scheme']}://***@" if m["user"] else m[0]


def _mask_bare(text: str) -> str:
    """``user:password@host`` without a scheme masked as ``user:***@host``."""
    backwards = text[::-1]
    n = len(text)
    pieces: list[str] = []
    end = n
    for m in _BARE_REVERSED.finditer(backwards):   # from the last match to the first
        start, stop = n - m.end(), n - m.start()
        pieces.append(text[stop:end])
        pieces.append(f"{m['user'][::-1]}:***@")
        end = start
    pieces.append(text[:end])
    return "".join(reversed(pieces))


#: A run of the characters a URL's userinfo can hold (the patterns above stop at the others).
_URL_RUN = re.compile(r"[^\s\"'<>\\]+")


def _mask_cut(text: str) -> str:
    """``scheme://user:pa/ss@host`` (a password holding "/", "?" or "#") masked as ``user:***@host``."""
    if "://" not in text:
        return text
    pieces: list[str] = []
    end = 0
    for run in _URL_RUN.finditer(text):
        last = run[0].rfind("@")
        if last < 0 or "://" not in run[0]:
            continue
        start = run.start()
        pieces.append(text[end:start])
        pieces.append(_CUT_USERINFO.sub(_masked, run[0][:last + 1]))   # the host is past the last "@"
        end = start + last + 1
    pieces.append(text[end:])
    return "".join(pieces)


def cut_userinfo(url: str) -> bool:
    """Whether a '/', '?' or '#' in ``url``'s user or password ends its host there ('https://ed:pa/ss@host/'
    is host 'ed', port 'pa'; 'http://u:12/34@host/' host 'u', port 12): what :func:`mask_credentials`
    masks as such a password. An '@' after the host ('http://h/?a=b@c', 'redis://h/0?client_name=a@b',
    'http://localhost:8080/@handle') is none."""
    url = url.strip()
    last = url.rfind("@")   # the host is past the last '@', as in _mask_cut
    return last >= 0 and _CUT_USERINFO.match(url, 0, last + 1) is not None


def mask_credentials(text: str) -> str:
    """``text`` with the password (or lone token) of every URL in it replaced by ``***``."""
    if "@" not in text:
        return text
    return _mask_bare(_USERINFO.sub(_masked, _mask_cut(text)))


def mask_tree(obj: Any) -> Any:
    """``obj`` (JSON-like: dicts, lists, strings) with every string masked."""
    if isinstance(obj, str):
        return mask_credentials(obj)
    if isinstance(obj, dict):
        return {k: mask_tree(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [mask_tree(v) for v in obj]
    return obj
