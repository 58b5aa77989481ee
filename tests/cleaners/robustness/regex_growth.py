"""A mechanical audit of the regular expressions that run on page text or URLs: every pattern the
cleaners, the URL guard, the spiders' page sniffing and the output compile (found by watching
``re``'s compiler in a fresh interpreter that imports them and cleans the fixture pages), asked
as the code asks it (``match``/``fullmatch`` where that is all the code does, else every match in
the string) of strings built from the pattern's own alphabet: each of its characters, its words
(month and weekday names, labels), pairs of the usual near-misses (spaces, digits, dots,
letters), repeated to 1k, 10k and 100k characters and ended by a character no pattern expects.
A pattern whose CPU time grows much faster than its input fails (``super_linear``).

Run it alone: ``python -m tests.cleaners.robustness.regex_growth [PART-OF-LOCATION]`` prints every pattern
that grows faster than linear, with the unit and the times.
"""

from __future__ import annotations

import ast
import functools
import json
import re
import re._constants as C  # noqa: N812 — the parser's opcodes, as re itself names them
import re._parser as P  # noqa: N812
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.growth import LENGTHS, cpu_seconds, faster_than_linear

REPO = Path(__file__).resolve().parent.parent.parent.parent
#: Source files whose patterns run on page text or URLs (the bench and the trainer read our own data).
SCOPE = ("cleaners/", "output/", "crawler/components/addresses.py", "crawler/spiders/", "crawler/sites.py")
NOT_SCOPE = ("cleaners/bench/", "cleaners/learned/train.py")
MODULES = ("cleaners", "cleaners.core", "cleaners.reading.parsing", "cleaners.reading.mojibake", "cleaners.metadata.language", "cleaners.metadata", "cleaners.metadata.authors.bylines", "cleaners.metadata.titles",
           "cleaners.metadata.authors.names", "cleaners.metadata.house", "cleaners.metadata.dates.days", "cleaners.dom", "cleaners.body_lines.lines", "cleaners.text",
           "cleaners.vocabulary", "cleaners.body_lines.blocks", "cleaners.reading.encoding", "cleaners.extraction.streamed", "cleaners.extraction.options", "cleaners.extraction.recall.matching",
           "cleaners.extraction.recall.toggles", "cleaners.extraction.recall.spared", "cleaners.extraction.recall.prose",
           "cleaners.extraction.recall.lists", "cleaners.extraction.recall.headings", "cleaners.extraction.extract", "cleaners.extraction.fallbacks",
           "cleaners.extraction.wild_text", "cleaners.extraction.xpath_guard", "cleaners.learned.linescore",
           "cleaners.learned.templates", "crawler.components.addresses", "output.dedup", "output.redact",
           "output.schema", "output.stats", "output.writer", "crawler.sites", "crawler.spiders.discovery",
           "crawler.spiders.news")
#: The methods that try a pattern at one place only; any other use tries it at every place.
ANCHORED = {"match", "fullmatch"}
#: How the code asks patterns it builds in one function and asks in another (the names found
#: from the source do not say it), by the file and the function that compiles them (not its line,
#: which moves): the promotion regexes are matched (``lines.is_promo_line``).
ASKED = {("cleaners/body_lines/lines.py", "_promo_regex"): frozenset({"match"})}
METHODS = ANCHORED | {"search", "sub", "subn", "findall", "finditer", "split"}

_HARVEST = r"""
import importlib, json, os, re, sys
from pathlib import Path
repo, scope, not_scope, modules = Path(sys.argv[1]), tuple(sys.argv[2].split(",")), tuple(sys.argv[3].split(",")), sys.argv[4].split(",")
real, seen = re._compile, {}
re_dir = os.path.dirname(re.__file__)

def spy(pattern, flags):
    compiled = real(pattern, flags)
    f = sys._getframe(1)
    method = f.f_code.co_name            # re.search, re.compile, ...
    while f is not None and f.f_code.co_filename.startswith(re_dir):
        f = f.f_back
    if f is None or not isinstance(pattern, (str, bytes)):
        return compiled
    try:
        rel = Path(f.f_code.co_filename).resolve().relative_to(repo).as_posix()
    except ValueError:
        return compiled
    if rel.startswith(scope) and not rel.startswith(not_scope):
        where = f"{rel}:{f.f_lineno}"
        kept = seen.setdefault(where, {})
        if len(kept) < 3:   # a line compiling the page's own words: three of them stand for all
            text = pattern if isinstance(pattern, str) else pattern.decode("latin-1")
            kept[(text, isinstance(pattern, bytes))] = {"where": where, "pattern": text, "bytes": isinstance(pattern, bytes),
                                                          "flags": int(compiled.flags), "method": method}
    return compiled

re._compile = spy
for name in modules:
    importlib.import_module("newsclean." + name)
from newsclean.cleaners import clean_html
for page in sorted((repo / "tests/fixtures/cleaners").glob("*.html")):
    clean_html(page.read_bytes(), "https://example.org/2024/05/03/story-of-the-day")
print(json.dumps([entry for kept in seen.values() for entry in kept.values()]))
"""


@dataclass(frozen=True)
class Found:
    where: str          # file:line that compiled it
    pattern: re.Pattern
    methods: frozenset[str]   # how the code asks it

    @property
    def anchored(self) -> bool:
        return bool(self.methods) and self.methods <= ANCHORED


def harvest() -> list[Found]:
    """Every pattern our code compiles on import and while cleaning the fixture pages (a fresh
    interpreter: patterns compiled before would not pass the compiler again)."""
    proc = subprocess.run([sys.executable, "-c", _HARVEST, str(REPO), ",".join(SCOPE), ",".join(NOT_SCOPE),
                           ",".join(MODULES)], capture_output=True, text=True, timeout=600, cwd=REPO)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-3000:])
    out = []
    for e in json.loads(proc.stdout):
        source = e["pattern"].encode("latin-1") if e["bytes"] else e["pattern"]
        flags = e["flags"] & ~re.UNICODE if e["bytes"] else e["flags"]
        methods = ASKED.get(compiled_in(e["where"])) or (frozenset({e["method"]}) if e["method"] in METHODS else uses(e["where"]))
        out.append(Found(e["where"], re.compile(source, flags), methods))
    return out


@functools.cache
def _functions(path: str) -> tuple[tuple[int, int, str], ...]:
    """(first line, last line, name) of every function of a source file of the repository."""
    tree = ast.parse((REPO / path).read_text("utf-8"))
    return tuple((n.lineno, n.end_lineno or n.lineno, n.name) for n in ast.walk(tree)
                 if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))


def compiled_in(where: str) -> tuple[str, str | None]:
    """The file and the innermost function holding ``where`` (``file:line``), as ``ASKED`` names
    a place; None for a line outside every function."""
    path, line = where.rsplit(":", 1)
    at = int(line)
    inside = [(first, name) for first, last, name in _functions(path) if first <= at <= last]
    return path, max(inside)[1] if inside else None


_ASSIGNED = re.compile(r"^\s*(?:self\.)?(\w+)(?:\s*:[^=]+)?\s*=\s*re\.compile\(")
_IMPORTS = re.compile(r"^(?:from [\w.]+ )?import (?:\([^)]*\)|[^\n]*)", re.M)
_RETURNED = re.compile(r"^\s*return re\.compile\(")


def uses(where: str) -> frozenset[str]:
    """How the code asks the pattern compiled at ``where``: the methods called on its name (``NAME
    = re.compile``, or ``NAME()`` for a function that returns it) in its module and in the modules
    that import that name; empty (asked everywhere) when the name is also handed on otherwise."""
    path, line = where.rsplit(":", 1)
    lines = (REPO / path).read_text("utf-8").splitlines()
    at = int(line) - 1
    if m := _ASSIGNED.match(lines[at]):
        name, call = m.group(1), ""
    elif _RETURNED.match(lines[at]):
        name = next((d.group(1) for t in reversed(lines[:at]) if (d := re.match(r"\s*def (\w+)\(\)", t))), None)
        call = r"\(\)"
        if name is None:
            return frozenset()
    else:
        return frozenset()
    ref = re.compile(rf"(?<![\w`]){re.escape(name)}{call}(?![\w`])(?:\.(\w+)\()?")
    imported = re.compile(rf"^from [\w.]+ import (?:\([^)]*|[^\n]*)\b{re.escape(name)}\b", re.M)
    called, other = set(), False
    for file in (REPO / p for p in ("cleaners", "output", "crawler")):
        for source in file.rglob("*.py"):
            rel = source.relative_to(REPO).as_posix()
            text = source.read_text("utf-8")
            if rel != path and not imported.search(text):
                continue
            text = _IMPORTS.sub(lambda m: "\n" * m.group().count("\n"), text)   # line numbers kept
            for n, code in enumerate(text.splitlines(), 1):
                code = code.split("#")[0]
                if (rel == path and n == at + 1) or code.lstrip().startswith("def "):
                    continue
                for r in ref.finditer(code):
                    if r.group(1) in METHODS:
                        called.add(r.group(1))
                    elif not code[r.end():].startswith((".pattern", ".flags")):   # composed into another: that one is audited
                        other = True
    return frozenset() if other else frozenset(called)


_CATEGORY_CHARS = {
    "SPACE": " \t\n\xa0", "NOT_SPACE": "a.", "DIGIT": "1", "NOT_DIGIT": "a", "WORD": "aAé_1", "NOT_WORD": ". ,",
    "LINEBREAK": "\n", "NOT_LINEBREAK": "a"}
#: Near-misses every pattern is tried with besides its own alphabet.
NEAR = (" ", "1", "a", "A", ".", ",", "-", ":", "|", "\n", "é", "/")
#: Ends every string: a character no pattern asks for, so that what is tried fails at the end.
END = "§"


def alphabet(pattern: re.Pattern) -> tuple[set[str], set[str]]:
    """The characters a pattern names (literals, class ranges' ends and middles, a category's
    representatives) and its words (runs of two or more literals)."""
    chars: set[str] = set()
    words: set[str] = set()

    def walk(items: P.SubPattern | list) -> None:
        run: list[str] = []
        for op, av in items:
            if op is C.LITERAL:
                run.append(chr(av))
                chars.add(chr(av))
                continue
            if len(run) >= 2:
                words.add("".join(run))
            run = []
            if op is C.IN:
                for o, a in av:
                    if o is C.LITERAL:
                        chars.add(chr(a))
                    elif o is C.RANGE:
                        chars.update({chr(a[0]), chr(a[1]), chr((a[0] + a[1]) // 2)})
                    elif o is C.CATEGORY:
                        chars.update(_CATEGORY_CHARS.get(str(a).split("CATEGORY_")[-1].replace("UNI_", ""), ""))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                walk(av[2])
            elif op is C.SUBPATTERN:
                walk(av[-1])
            elif op is C.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (C.ASSERT, C.ASSERT_NOT):
                walk(av[1])
            elif op is C.ATOMIC_GROUP:
                walk(av)
        if len(run) >= 2:
            words.add("".join(run))

    source = pattern.pattern
    walk(P.parse(source.decode("latin-1") if isinstance(source, bytes) else source,
                 pattern.flags & ~re.UNICODE if isinstance(source, bytes) else pattern.flags))
    return chars, words


def units(pattern: re.Pattern, most: int = 160) -> list[str]:
    """The repeated units a pattern is tried with: its characters alone and before a space, the
    near-misses in pairs, its words alone and with a number or a comma after them (the longest and
    the shortest words first; in capitals too where the pattern ignores case)."""
    chars, words = alphabet(pattern)
    shown = sorted(c for c in chars if c.isprintable() or c in " \t\n\xa0")
    out = list(NEAR) + shown[:60] + [c + " " for c in shown[:40]] + [a + b for a in NEAR for b in NEAR if a != b]
    by_length = sorted(words, key=lambda w: (-len(w), w))
    picked = list(dict.fromkeys(by_length[:12] + by_length[::-1][:12]))
    if pattern.flags & re.IGNORECASE:
        picked += [w.title() for w in picked[:8]]
    for w in picked:
        out += [w, w + " ", w + " 1 ", "1 " + w + " ", w + ", "]
    return list(dict.fromkeys(out))[:most]


def cost(found: Found, text: str, limit: float) -> float:
    """CPU seconds the code's way of asking ``found`` takes on ``text`` (inf past ``limit``)."""
    subject: str | bytes = text.encode("utf-8") if isinstance(found.pattern.pattern, bytes) else text

    def ask() -> None:
        if found.anchored:
            for method in found.methods:
                getattr(found.pattern, method)(subject)
        else:
            for _ in found.pattern.finditer(subject):
                pass
    return cpu_seconds(ask, limit)


def repeated(unit: str, n: int) -> str:
    return unit * (n // len(unit) + 1) + END


def super_linear(found: Found, limit: float = 2.0, first: bool = True) -> list[tuple[str, list[float]]]:
    """The units on which ``found`` grows faster than linear (the first only, with ``first``), each
    with its times at ``LENGTHS``. Every unit is tried at 1k and 10k characters, the near-misses
    alone (``NEAR``) at 100k too (:func:`faster_than_linear`)."""
    bad = []
    for unit in units(found.pattern):
        lengths = LENGTHS if unit in NEAR else LENGTHS[:2]
        times = faster_than_linear(lambda n: cost(found, repeated(unit, n), limit), lengths, limit)
        if times is not None:
            bad.append((unit, times))
        if bad and first:
            break
    return bad


if __name__ == "__main__":
    only = next((a for a in sys.argv[1:] if not a.startswith("--")), "")
    t_all = time.thread_time()
    for f in harvest():
        if only not in f.where:
            continue
        t = time.thread_time()
        bad = super_linear(f, first="--all" not in sys.argv)
        how = "/".join(sorted(f.methods)) or "anywhere"
        for unit, times in bad[:3]:
            print(f"SUPER-LINEAR {f.where} ({how}) on {unit!r}: {' -> '.join(f'{x:.4f}' for x in times)} s  "
                  f"{f.pattern.pattern[:100]!r}", flush=True)
        print(f"{f.where} ({how}) {len(units(f.pattern))} units, {time.thread_time() - t:.1f} s"
              + (f", {len(bad)} super-linear" if bad else ""), file=sys.stderr, flush=True)
    print(f"audit took {time.thread_time() - t_all:.0f} s CPU", file=sys.stderr)
