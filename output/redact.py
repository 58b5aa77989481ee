"""Credentials out of everything an operator or a colleague reads: ``scheme://user:secret@host``
becomes ``scheme://user:***@host`` (and a lone ``scheme://token@host`` becomes ``***@host``)
in lock files, manifests, log lines and error messages."""

from __future__ import annotations

import re
from typing import Any

# userinfo ends at the last "@" before the path; a password may hold "@" or ":" unescaped.
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*)://(?P<user>[^\s:/?#@\"'<>\\]*)"
                       r"(?::(?P<pw>[^\s/\"'<>\\]*))?@(?=[^\s@/?#\"'<>\\]*(?:[\s/?#\"'<>\\]|$))")

# The same userinfo without its scheme, as Twisted quotes it ("invalid hostname: user:pw@host").
_BARE = re.compile(r"(?<![\w.+\-/:@%])(?!mailto:)(?P<user>[\w.\-~%!$&*+,;=]+):(?P<pw>[^\s/@\"'<>\\]+)@(?=[\w\[])")


def _masked(m: re.Match[str]) -> str:
    if m["pw"] is not None:
        return f"{m['scheme']}://{m['user']}:***@"
    return f"{m['scheme']}://***@" if m["user"] else m[0]


def mask_credentials(text: str) -> str:
    """``text`` with the password (or lone token) of every URL in it replaced by ``***``."""
    if "@" not in text:
        return text
    return _BARE.sub(lambda m: f"{m['user']}:***@", _USERINFO.sub(_masked, text))


def mask_tree(obj: Any) -> Any:
    """``obj`` (JSON-like: dicts, lists, strings) with every string masked."""
    if isinstance(obj, str):
        return mask_credentials(obj)
    if isinstance(obj, dict):
        return {k: mask_tree(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [mask_tree(v) for v in obj]
    return obj
