"""The names a site gives itself (og:site_name, application-name, the JSON-LD publisher) and
how a name is compared with them: a house name is no writer and no part of a headline."""

from __future__ import annotations

import re

from newsclean.cleaners.metadata.common import _flat


#: What a house name may carry around it: "www.", a top-level domain ("stern.de", "mbl.is").
_HOUSE_NOISE = re.compile(r"^www\.|\.[a-z]{2,6}$")


def _house_with_address(values: list[str] | None, house: set[str]) -> list[str] | None:
    """Author tags with the site's own name before its address ("Süddeutsche.de GmbH, Munich,
    Germany") as that name alone, without its legal form: the places after it are no writers, and
    the house's name yields to a printed byline. An address ends in one word, a town or a country;
    writers named after the house ("Harbour Post, Jane Doe, Tom Roe") are names of two words."""
    if not values:
        return values
    out = []
    for v in values:
        first, *rest = v.split(",")
        name = _LEGAL_FORM.sub("", first.strip())
        if not rest or _house_key(name) not in house:
            out.append(v)
        else:   # the house's name, then its address or its writers
            out.append(name if len(rest[-1].split()) == 1 else ",".join((name, *rest)))
    return out


#: A company's legal form after its name, by country: "Süddeutsche.de GmbH", "Acme Inc.", "Verein
#: e.V.". The rows from se on are the cleanco package's legal terms by country (``cleanco.termdata``,
#: 2.3) that follow the name; not the ones that lead it (Russian "ООО", Indonesian "PT").
_LEGAL_FORMS = {
    "de": r"gmbh|ag|e\.\s?v", "us": r"inc|llc", "gb": r"ltd|plc|limited", "es": r"s\.a|s\.l", "nl": r"b\.v|n\.v",
    "it": r"srl|s\.r\.l|s\.p\.a", "se": r"ab", "no": r"asa?", "dk": r"a/s", "fi": r"oyj?", "pl": r"sp\.\s?z\s?o\.o|s\.a",
    "cz": r"a\.s|s\.r\.o|spol\.\s?s\s?r\.o", "pt": r"lda", "br": r"ltda", "ro": r"s\.r\.l|s\.a", "hu": r"kft|zrt|nyrt",
    "gr": r"a\.e", "jp": r"k\.k", "fr": r"sarl|sas",
}
_LEGAL_FORM = re.compile(rf"(?i)(?<!\s)\s+(?:{'|'.join(_LEGAL_FORMS.values())})\.?$")


def _house_key(name: str) -> str:
    """A name compared with the site's names: case, "www." and a TLD, and punctuation ignored."""
    return "".join(ch for ch in _HOUSE_NOISE.sub("", name.strip().casefold()) if ch.isalnum())


def _house_keys(meta: dict[str, list[str]], article: dict | None) -> set[str]:
    """Keys of the names the site gives itself: og:site_name, application-name, the JSON-LD
    publisher, and the initials of a name of several words ("Legal Tribune Online" -> LTO)."""
    names = [v for k in ("og:site_name", "application-name") for v in meta.get(k, [])]
    pub = article.get("publisher") if article is not None else None
    names += [p.get("name") for p in _flat(pub) if isinstance(p, dict) and isinstance(p.get("name"), str)]
    keys = {_house_key(n) for n in names}
    keys |= {"".join(w[0] for w in n.split()).casefold() for n in names if len(n.split()) >= 3}
    return keys - {""}
