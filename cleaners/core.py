"""``clean_html``: one page of HTML in, an :class:`Article` or a :class:`Rejected` out.

Pipeline (each step small and named; :class:`_Run` counts what each step removed)::

    decode (cleaners.reading.encoding) -> bound -> parse (once; cleaners.reading.parsing) -> metadata -> not_article gate -> prune (site rules,
    widgets, account gates, titled blocks, link-dense blocks) -> templates.prune_tree -> extract (cleaners.extraction.extract:
    trafilatura on the shared tree; again, with them spared, where the blocks it discarded by class name held
    more article prose than it kept (cleaners.extraction.wild_text); where it found no article container, its lists and subheadings put back,
    JSON-LD articleBody and body_selector as evidence (cleaners.extraction.fallbacks); a short result, or one shorter than a list
    the pruning dropped, is checked against trafilatura on a fresh, unpruned parse) -> leading heads ->
    edge lines from outside the article's container (cleaners.body_lines.blocks; again once a repeated run goes) -> line rules ->
    trailing trim -> templates.filter_lines -> normalize -> the tail run the page's own data lacks
    (cleaners.body_lines.page_data) -> gates (too_short) -> language (cleaners.metadata.language)

What the extraction lost is put back by the fills of :mod:`cleaners.extraction.recall`.

A page rejected for no body (``extract_failed``, ``too_short``) is cleaned once more with the
article markup it streams in script data, if any (:mod:`cleaners.extraction.streamed`; method
``streamed+...``).

Time bound: the input size is bounded (``max_bytes``), the parsed tree is bounded in elements
before any heuristic walks it (``max_nodes``: over the bound -> ``too_large``; libxml2 caps the
nesting depth at 256), and the ``timeout`` is checked between steps (-> ``timeout``). Called on the
main thread (the Python API, the crawl's workers), a step that runs past it is interrupted too: a
CPU-time timer (``SIGPROF``, unless someone else uses it) raises inside the step. Elsewhere a step is
not interrupted, and a hard, kill-based bound is the crawler's worker pool's job. The timeout is CPU
time of the cleaning thread, not wall-clock time: a page must not be rejected because the machine is busy.
"""

from __future__ import annotations

import copy
import functools
import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import lxml.etree as etree

from newsclean.cleaners import dom
from newsclean.cleaners.body_lines import blocks, lines as line_rules, page_data
from newsclean.cleaners.body_lines.lines import normalize_lines
from newsclean.cleaners.extraction import streamed
from newsclean.cleaners.extraction.extract import extract_text, holds_merged, longer_extraction
from newsclean.cleaners.extraction.fallbacks import (baseline_text, body_selector_text, reconcile_jsonld,
                                                     unpruned_fallback)
from newsclean.cleaners.extraction.recall.matching import words_of
from newsclean.cleaners.learned import linescore
from newsclean.cleaners.reading.encoding import decode, looks_binary
from newsclean.cleaners.metadata import Metadata, extract_metadata, fill_dates
from newsclean.cleaners.metadata.language import article_language, declared_language
from newsclean.cleaners.reading.mojibake import with_mojibake_mended, repair_mojibake
from newsclean.cleaners.reading.parsing import (MAX_DEPTH, MAX_TAG_ATTRIBUTES, crowded_tag, cut_at_depth, parse, parse_utf8,
                                        parser_input)
from newsclean.cleaners.reading.trees import first_descendant
from newsclean.cleaners.types import Article, CleanResult, Rejected, SiteRules

if TYPE_CHECKING:
    from newsclean.cleaners.learned.templates import SiteTemplates


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """Bounds and switches of ``clean_html`` (plain values; one shared default instance)."""

    max_bytes: int = 8_000_000
    max_nodes: int = 150_000
    use_htmldate: bool = True
    detect_language: bool = True
    #: The learned block scorer over text and markup (:mod:`newsclean.cleaners.learned.linescore`) as the
    #: last body step (docs/quality.md, "Learned block scorer over text and markup": on, 1.2 ms a page).
    score_lines: bool = True
    #: The tail run the page's embedded data lacks, after lines it holds, cut (:mod:`newsclean.cleaners.body_lines.page_data`).
    data_tail: bool = True


#: Read nothing when built: the line model is read at the first page cleaned with the scorer on
#: (:func:`clean_html`). Read here at import, a broken model file broke ``import newsclean.cleaners.core``
#: itself, for ``clean_text`` and ``score_lines=False`` users too.
DEFAULT_OPTIONS = CleanOptions()


class _Timeout(BaseException):
    """The time bound passed. A BaseException: raised inside a step by the timer, it must not be
    taken for the step's own failure by the ``except Exception`` of trafilatura or of a fallback."""


class _Run:
    """Per-call state: the deadline (CPU time of this thread), the last step done and the
    characters removed per step."""

    def __init__(self, timeout: float) -> None:
        self.deadline = time.thread_time() + timeout
        self.done = "start"
        self.removed: dict[str, int] = {}
        self.cut_deep = False   # the parse stopped at libxml2's nesting bound (see cut_at_depth)

    def count(self, step: str, chars: int) -> None:
        if chars:
            self.removed[step] = self.removed.get(step, 0) + chars

    def check(self, step: str) -> None:
        if time.thread_time() > self.deadline:
            raise _Timeout(f"after step {step}")
        self.done = step


#: The longest the CPU timer is armed for at once, in seconds: setitimer refuses ~1e10 and more (a
#: timeout of inf rejected every page as an OverflowError); the timer's handler arms it again.
TIMER_MAX = 365 * 24 * 3600.0


@contextmanager
def _interrupt_at_deadline(run: _Run) -> Iterator[None]:
    """Raise :class:`_Timeout` inside whatever step is running when ``run``'s deadline passes:
    a CPU-time timer (ITIMER_PROF counts the process's CPU; the handler re-arms itself until this
    thread's own CPU time is up). Only on the main thread (signals are delivered there) and when
    no one else has a SIGPROF handler or timer; otherwise nothing is armed."""
    if (not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGPROF) not in (signal.SIG_DFL, None)
            or signal.getitimer(signal.ITIMER_PROF) != (0.0, 0.0)):
        yield
        return

    def on_timer(signum: int, frame: Any) -> None:
        left = run.deadline - time.thread_time()
        if left > 0:   # other threads' CPU counted too: not this thread's time yet
            signal.setitimer(signal.ITIMER_PROF, min(max(left, 0.001), TIMER_MAX))
            return
        raise _Timeout(f"in the step after {run.done} (interrupted)")

    previous = signal.signal(signal.SIGPROF, on_timer)
    try:
        signal.setitimer(signal.ITIMER_PROF, min(max(run.deadline - time.thread_time(), 0.001), TIMER_MAX))
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


#: A listing's body: this share of its lines or more are a link's whole text (teaser cards' headlines).
LISTING_LINKED_SHARE = 0.3


def _is_listing(md: Metadata, tree: etree._Element, body: list[str]) -> bool:
    """Conservative: the page does not call itself an article (og:type website or none), has no
    article JSON-LD, many links, and what was extracted is short lines rather than prose: teaser
    lines where it calls itself a website, else lines that are mostly links' whole texts (the
    headlines of teaser cards; a poem or lyrics page of short lines links none of its lines)."""
    og_type = (md.og_type or "").lower()
    if md.has_article_ld or og_type not in ("website", ""):
        return False
    links = list(tree.iter("a"))
    if len(links) < 40 or any(len(s) >= 200 for s in body):
        return False
    mean_len = sum(len(s) for s in body) / max(1, len(body))
    if og_type == "website":
        return mean_len < 80
    return mean_len < 120 and _linked_share(body, links) >= LISTING_LINKED_SHARE


def _linked_share(body: list[str], links: list[Any]) -> float:
    """The share of ``body``'s lines (of 20 characters or more) that are some link's whole text."""
    anchors = {words_of(a.text_content()) for a in links}
    return sum(1 for s in body if len(s) >= 20 and words_of(s) in anchors) / max(1, len(body))


#: A not-found page's title or top heading, by language: a page answering 200 with one (a soft 404,
#: where a removed article's address lands) is no article. Phrases that name the page, not a story
#: about something not found ("Missing hiker not found"), or an error's number standing alone.
NOT_FOUND_PHRASES = {
    "en": (r"page not found", r"(?:that|this|the) page (?:can(?:no|['’])t|could not|was not) be found",
           r"nothing (?:was )?found", r"(?:error )?404(?: error| not found)?"),
    "de": (r"seite nicht gefunden", r"seite wurde nicht gefunden", r"fehler 404"),
    "es": (r"p[áa]gina no encontrada", r"error 404"),
    "fr": (r"page (?:non )?introuvable", r"erreur 404"),
    "it": (r"pagina non trovata", r"errore 404"),
    "pt": (r"p[áa]gina n[ãa]o encontrada", r"erro 404"),
    "nl": (r"pagina niet gevonden",),
    "pl": (r"nie znaleziono strony", r"strona nie (?:zosta[łl]a )?znaleziona"),
    "ru": (r"страница не найдена",),
    "tr": (r"sayfa bulunamad[ıi]",),
    "ja": (r"ページが見つかりません",),
    "zh": (r"页面未找到", r"找不到(?:该)?页面", r"頁面不存在"),
}
#: A title part or top heading that is one of ``NOT_FOUND_PHRASES`` (an "Oops!" before it allowed).
NOT_FOUND = re.compile(r"(?:oops[!.,]?\s*|sorry[!.,]?\s*)?(?:"
                       + "|".join(f for row in NOT_FOUND_PHRASES.values() for f in row) + r")[\s!.…]*", re.I)
#: The separators of a <title>'s parts ("Page not found – The Paper", "404 | The Paper"), in a title
#: whose spaces are single (``_is_not_found`` joins its words): one space each side at most, so that
#: no match is tried from every space of a long run (``\s+`` on a run of spaces was quadratic).
_TITLE_PARTS = re.compile(r" [|–—-] | ?[|·»] ?")


def _is_not_found(tree: etree._Element, body: list[str]) -> bool:
    """Whether the page is a not-found page (a soft 404): a part of its <title> or its first <h1>
    is a ``NOT_FOUND`` phrase whole, and no line of the body is prose (200+ characters)."""
    if any(len(s) >= 200 for s in body):
        return False
    title = " ".join((tree.findtext(".//title") or "").split())
    h1 = first_descendant(tree, "h1")
    heads = [*_TITLE_PARTS.split(title), " ".join(h1.text_content().split()) if h1 is not None else ""]
    return any(NOT_FOUND.fullmatch(h.strip()) for h in heads if h.strip())


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:   # "http://[::1/x": a page from a bad address is still cleaned
        return None


def _contains(lines: list[str], text: str) -> bool:
    return words_of(text) in words_of("\n".join(lines))


def _title_line_drop(body: list[str], title: str | None) -> list[str]:
    # trafilatura sometimes repeats the headline as the first line; it is metadata, not body.
    if body and title:
        first, t = body[0].strip(), title.strip()
        if first.lower() == t.lower():
            return body[1:]
        if len(first) > len(t) + 40 and first.lower().startswith(t.lower() + " "):
            # A baseline rendering glued the headline to the first paragraph.
            return [first[len(t):].strip()] + body[1:]
    return body


def clean_html(html: str | bytes, url: str | None = None, site_rules: SiteRules | None = None, *,
               templates: SiteTemplates | None = None, timeout: float = 10.0,
               options: CleanOptions = DEFAULT_OPTIONS, content_type: str | None = None) -> CleanResult:
    """Extract the article of one page; never raises for a page.

    ``html`` as bytes is decoded with ``content_type``'s charset (the ``Content-Type`` header),
    else the page's own, else the one its bytes show (:func:`~newsclean.cleaners.reading.encoding.decode`).

    Returns an :class:`Article` (text one paragraph a line, metadata, ``removed`` chars per step,
    ``method``, ``date_sources``) or a :class:`Rejected` with a reason from ``REJECT_REASONS``.
    With ``options.score_lines`` (the default) a missing, corrupt or other-version line model file
    raises :class:`~newsclean.cleaners.learned.linescore.ModelError`: a broken install, said as
    such, not a reject of every page.
    """
    if options.score_lines:
        linescore.shipped_model()   # read once per process (cached); outside the try: never a reject
    url_s = url or ""
    rules = site_rules or SiteRules()
    run = _Run(timeout)
    try:
        with _interrupt_at_deadline(run):
            result = _clean(html, url_s, rules, templates, run, options, content_type)
            if isinstance(result, Rejected) and result.reason in _STREAMED_RETRY:
                # No body in the rendered markup: the page may stream it in script data instead.
                page = streamed.with_streamed_body(decode(html, content_type))
                if page is not None:
                    run.removed = {}   # the first pass's counts stay with its reject
                    again = _clean(page, url_s, rules, templates, run, options)
                    if isinstance(again, Article):
                        again.method = f"streamed+{again.method}"
                        return again
                if run.cut_deep:   # said as what it is, not as a page without a body
                    return Rejected(url_s, "too_large", removed=result.removed,
                                    detail=f"markup nested over {MAX_DEPTH} elements deep: the parser stops there "
                                           f"and no body was found above it")
            return result
    except _Timeout as exc:
        return Rejected(url_s, "timeout", detail=f"time bound {timeout}s of CPU passed {exc}", removed=run.removed)
    except RecursionError:
        return Rejected(url_s, "too_large", detail="markup nested too deeply", removed=run.removed)
    except Exception as exc:  # noqa: BLE001 — contract: never raises
        return Rejected(url_s, "error", detail=f"{type(exc).__name__}: {exc}"[:300], removed=run.removed)


#: Rejects after which a page's streamed markup (:mod:`cleaners.extraction.streamed`) is looked for.
_STREAMED_RETRY = frozenset({"extract_failed", "too_short"})


def _clean(html: str | bytes, url: str, rules: SiteRules, templates: SiteTemplates | None,
           run: _Run, opts: CleanOptions, content_type: str | None = None) -> CleanResult:
    if html is None or len(html) == 0:
        return Rejected(url, "empty", detail="no bytes")
    if len(html) > opts.max_bytes:
        return Rejected(url, "too_large", detail=f"{len(html)} > {opts.max_bytes} bytes")
    text = _markup(html, url, content_type)
    if isinstance(text, Rejected):
        return text
    # From here on the page is its UTF-8 (for the unpruned parse below), not its str: the str of a
    # page with one character beyond U+FFFF is 4 bytes a character, and alive beside the tree it
    # was most of a worker's peak (docs/performance.md, "Memory"). Given bytes (the crawl's
    # workers), nothing else holds it.
    data = parser_input(text)
    del text
    tree = parse_utf8(data)
    run.cut_deep = run.cut_deep or cut_at_depth()
    if tree is None or first_descendant(tree, "body") is None and not "".join(tree.itertext()).strip():
        return Rejected(url, "extract_failed", detail="no document body")
    nodes = dom.tree_size(tree)
    if nodes > opts.max_nodes:
        return Rejected(url, "too_large", detail=f"tree over bound ({nodes} > {opts.max_nodes} elements)")
    run.check("parse")

    # the page's scripts, found in one walk for the metadata's JSON-LD and the page data
    scripts = list(tree.iter("script"))
    # before pruning: the printed date often sits in a header or byline block the pruning drops
    md = _metadata(tree, url, opts.use_htmldate, run, scripts)
    # the page's data scripts (its article a second time, for its own scripts), before pruning
    # and the extraction drop them: evidence of where the article ends
    embedded = page_data.data_text(tree, scripts) if opts.data_tail else ""
    if next(tree.iter("td"), None) is not None:   # a walk in C spares most pages the XPath
        dom.unwrap_layout_tables(tree)

    # the page's own headline(s), before pruning can move or drop them
    headlines = [dom.flat_text(h) for h in tree.iter("h1")][:3]
    # the social headlines too: pages show one of them above the body where the h1 says another
    headlines += md.social_titles
    # the standfirst shown as a block of its own, looked up before pruning can take its container
    # (publishers wrap it in "promo" or "teaser" blocks that the widget rules drop)
    lead = dom.visible_lead(tree, md.description)
    run.count("site_rules", dom.drop_site_rules(tree, rules.drop_selectors, rules.drop_xpaths))
    selector_text = body_selector_text(tree, rules.body_selector)
    # footnote references out of the sentences they interrupt, before the measures count them
    run.count("footnote_marks", dom.prune_footnote_marks(tree, url, md.canonical_url))
    # One measuring pass serves both structural steps (after widget removal, ancestors' counts
    # are slightly stale: they still include the removed widgets; cheaper than a second pass).
    measures = dom.Measures(tree)
    run.count("prune_widgets", dom.prune_widgets(tree, measures, microdata=dom.has_microdata(data)))
    run.count("prune_hidden", dom.prune_hidden(tree, measures))
    run.count("prune_calls_to_action", dom.prune_calls_to_action(tree, measures))
    run.count("prune_account_gates", dom.prune_account_gates(tree, measures))
    run.count("prune_titled_blocks", dom.prune_titled_blocks(tree, measures))
    dense = dom.link_dense_blocks(tree, measures)
    # a teaser list whose excerpts outweigh the extraction may have been the article (an events
    # roundup, a list of reviewed tools): evidence for the unpruned check below
    dropped_prose = dom.unlinked_text(tree, dense, measures)
    run.count("prune_link_dense", dom.drop_topmost(dense))
    # the page as it was before the merge, copied only where something is merged (the merge is a
    # guess: twin blocks trafilatura discards by name were panes its recovery of a recurring kind
    # takes back one by one, and a merged run can lose what the first container alone kept)
    unmerged: list[etree._Element] = []
    grown: list[etree._Element] = []

    def before_merge(container: etree._Element) -> None:
        if not unmerged:
            unmerged.append(copy.deepcopy(tree))
        grown.append(container)

    dom.merge_split_bodies(tree, measures, before_change=before_merge)
    # Nothing reads the measures from here on: let them go before the extraction, not when the
    # page is done. They hold a proxy of every element measured (~1,100 a page), so every block
    # the pruning took out stayed in memory under trafilatura's copies of the page (on fundus-dev
    # 0.66 MB a page; docs/performance.md, "What is in").
    del measures, dense
    run.check("prune")
    pruned = 0   # the templates' characters pruned from the tree whose text is kept
    if templates is not None:
        pruned = templates.prune_tree(tree)
        run.check("templates")

    extracted = extract_text(tree)
    if unmerged and not holds_merged(extracted, grown):
        # the merge stands where the page as it was gives no more text (that page pruned of the
        # site's templates only here: most merges stand, and its copy is then thrown away)
        pruned_unmerged = templates.prune_tree(unmerged[0]) if templates is not None else 0
        tree, extracted = longer_extraction(tree, extracted, unmerged[0])
        if tree is unmerged[0]:
            pruned = pruned_unmerged
        run.check("extract_unmerged")
    run.count("templates", pruned)
    method = "trafilatura"
    if not extracted.strip() and selector_text.strip():
        extracted, method = selector_text, "body_selector"
    if not extracted.strip():
        extracted, method = baseline_text(tree), "baseline"
    extracted, m2 = reconcile_jsonld(extracted, md.article_body)
    if m2 != "trafilatura":
        method = m2
    run.check("extract")
    body = normalize_lines(extracted)
    if method in ("trafilatura", "baseline"):
        unpruned = unpruned_fallback(data, body, dropped_prose)
        if unpruned is not None:
            body, method = unpruned, "trafilatura-unpruned"
            run.check("extract_unpruned")
    if not body:
        return Rejected(url, "extract_failed", detail="extractor found no body", removed=run.removed)
    body = _title_line_drop(body, md.title)
    body, n = line_rules.drop_leading_heads(body, [md.title or "", *headlines], md.authors or ())
    run.count("leading_heads", n)
    # the tree's line elements by their opening text, read once for the steps that place lines
    # in it, and the lines placed: the edge steps place the body's lines, the line scorer reads
    # those back (the tree is not changed from here on: a line's place depends on its text only)
    opened = blocks.openings(tree) if method == "trafilatura" else None
    placed: blocks.Placed = {}
    if method == "trafilatura":
        # the extractor's lines placed in the tree it read: a sidebar's pitch, a footer's links
        # or a "Back to blog" above the article come from outside the article's container
        # and a sidebar's boxes or a dialog's text from blocks the page names so, anywhere
        body, n, asides = blocks.drop_outside_edges(tree, body, asides=True, opened=opened, placed=placed,
                                                     authors=md.authors or ())
        run.count("outside_container", n)
        run.count("named_asides", asides)
    if lead and method == "trafilatura" and not _contains(body, lead):
        body.insert(0, lead)  # the standfirst the extractor skipped; the description is evidence

    body, n = line_rules.apply_line_rules(body, rules.drop_line_patterns, site=_host(url))
    run.count("line_rules", n)
    body, n = line_rules.trim_trailing(body)
    run.count("trailing_trim", n)
    body, n = line_rules.drop_trailing_author_box(body, md.authors or ())
    run.count("trailing_author_box", n)
    # where the lines came from the tree, its markup tells a block shown twice from a repeat in one
    body, n = line_rules.drop_repeated_runs(body, in_one_block=(
        functools.partial(blocks.repeated_in_one_block, tree) if method == "trafilatura" else None))
    run.count("repeated_runs", n)
    if templates is not None:
        body, n = templates.filter_lines(body)
        run.count("templates", n)

    # after the headline drops: the title that metadata read carries the same mojibake
    body = repair_mojibake(body)
    # the lines' markup is read from the tree only where they were extracted from it
    body, n = linescore.score_body(body, tree if method == "trafilatura" else None, opts.score_lines,
                                   _host(url), md.authors or (), opened, placed)
    run.count("line_scorer", n)
    if embedded:
        body, n = page_data.drop_tail_not_in_data(body, embedded)
        run.count("data_tail", n)
    if _is_listing(md, tree, body):
        return Rejected(url, "not_article", detail="a listing: link-heavy, no prose, not called an article", removed=run.removed)
    if _is_not_found(tree, body):
        return Rejected(url, "not_article", detail="a not-found page (its title or heading says so)", removed=run.removed)
    final = "\n".join(body)
    if len(final) < rules.min_chars:
        return Rejected(url, "too_short", detail=f"{len(final)} < {rules.min_chars} chars", removed=run.removed)

    language = article_language(final, md.html_lang) if opts.detect_language else declared_language(md.html_lang)
    _repair_names(md)
    return Article(
        url=url, text=final, title=md.title, authors=md.authors, published=md.published,
        modified=md.modified, language=language, description=md.description, section=md.section,
        tags=md.tags, canonical_url=md.canonical_url, method=method, date_sources=md.date_sources,
        removed=run.removed,
    )


def _markup(html: str | bytes, url: str, content_type: str | None = None) -> str | Rejected:
    """The page's text as it is parsed, or why there is none (``html`` has bytes)."""
    text = decode(html, content_type)
    if not text or text.isspace():   # not text.strip(): a copy of the whole page
        return Rejected(url, "empty", detail="only whitespace")
    if looks_binary(text):
        return Rejected(url, "not_html", detail="binary payload")
    crowded = crowded_tag(text)
    if crowded:
        return Rejected(url, "too_large", detail=f"a tag of {crowded:,} attributes (over {MAX_TAG_ATTRIBUTES:,}: "
                                                 f"the parser's time grows with the square of their number)")
    return with_mojibake_mended(text)


def _metadata(tree: etree._Element, url: str, use_htmldate: bool, run: _Run | None = None,
              scripts: list[etree._Element] | None = None) -> Metadata:
    """The metadata steps of ``clean_html`` and ``page_metadata`` (one function: they cannot
    drift apart). ``scripts``: the tree's ``<script>`` elements, where the caller has them."""
    md = extract_metadata(tree, url, scripts)
    if run is not None:
        run.check("metadata")
    fill_dates(md, tree, url, use_htmldate=use_htmldate)
    if run is not None:
        run.check("dates")
    return md


def _repair_names(md: Metadata) -> None:
    """The mojibake repair of the title and authors: last, as the body lines' own repair (the
    headline drops compare the unrepaired title with the unrepaired lines)."""
    md.title = repair_mojibake([md.title])[0] if md.title else md.title
    md.authors = repair_mojibake(md.authors)


def page_metadata(html: str | bytes, url: str | None = None, *, use_htmldate: bool = True) -> Metadata | None:
    """The title, authors and dates ``clean_html`` gives a page, read without its body (its
    metadata steps: :func:`_markup`, :func:`_metadata`, :func:`_repair_names`); None for a page
    with no markup to read. What ``python -m newsclean.cleaners.bench --extractor
    newsclean-metadata`` scores: a metadata rule is measured on every page in seconds, not minutes."""
    text = _markup(html, url or "") if html else None
    tree = parse(text) if isinstance(text, str) else None
    if tree is None:
        return None
    md = _metadata(tree, url or "", use_htmldate)
    _repair_names(md)
    return md
