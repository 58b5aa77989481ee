"""The byline a page prints, where nothing declares the writer (:func:`_visible_authors`):
byline markup first, then a plain-text byline ("By Jane Doe | 3 May"), a link to a writer's page,
an author box; and the rules that cut a printed byline's name where the page prints it apart."""

from __future__ import annotations

from itertools import islice
import re

import lxml.etree as etree

from newsclean.cleaners.metadata.authors.byline_markup import (
    _author_xpaths_hit, _byline_candidates, _byline_markups, _discarded,
)
from newsclean.cleaners.metadata.authors.byline_words import (
    _AUTHOR_LABEL, _BY, _BY_LEAD, _BY_WORD, _LABEL_ONLY, _TIME_AGO, _WRITTEN,
)
from newsclean.cleaners.metadata.authors.names import (
    _CJK_ROLE, _DATE_LEFTOVERS, _DATE_PREPOSITIONS, _TIME_PREPOSITIONS, _after_a_given_name, _byline_name,
    _family_name_opening, _name_shaped, _names,
)
from newsclean.cleaners.metadata.authors.writers import PageWriters, _author_page_link
from newsclean.cleaners.metadata.common import _line_text, _line_texts, _short_text
from newsclean.cleaners.metadata.dates.calendar_words import _MONTH, _WEEKDAY
from newsclean.cleaners.metadata.dates.days import _NOT_DATE_TEXT_TAGS, _SHOWN_DAY


def _visible_authors(tree: etree._Element, writers: PageWriters | None = None) -> list[str]:
    """The byline printed on the page (rel=author, itemprop=author, author/byline classes), found
    with trafilatura's author XPaths and read as written (trafilatura's own normalisation
    title-cases newsroom codes and agencies, "dpa" -> "Dpa", and splits "srf/abc"); only asked
    when JSON-LD and meta name nobody."""
    try:
        # the first that names someone: a byline block may hold only the date and reading
        # time ("August 28, 2025 • 5 min read"), or a label ("Written By"), the name in the next
        candidates = _byline_candidates(tree)   # one walk of the page for both readers of them
        writers = writers if writers is not None else PageWriters(tree)
        hits = list(islice(_byline_markups(candidates), BYLINE_MARKUP_TRIES))
        for n, (el, found) in enumerate(hits):
            if any(_in_comments(a) for a in (el, *el.iterancestors())):
                continue   # a commenter's name, or a comment form's "Name (required)"
            if _PHOTO_CREDIT.match(found):
                continue   # a picture's credit in author markup: "Фото из Инстаграма ...", "Photo: Reuters"
            names = _names(found, writers=writers)   # _names drops a printed date
            if names:
                names = _names_apart(el, _name_before_named_again(el, names))
                return _name_printed_alone(tree, _inner_names(el, _name_at_line_break(el, names)))
    except Exception:  # noqa: BLE001 — a fallback heuristic must not fail the page
        return []
    return _text_byline(tree, writers) or _author_page_link(tree) or _author_box_name(candidates)


def _unseen(el: etree._Element) -> bool:
    """Whether ``el`` is a comment, a processing instruction, code or a caption
    (``_NOT_DATE_TEXT_TAGS``): no reader takes its text for a byline's."""
    return not isinstance(el.tag, str) or el.tag in _NOT_DATE_TEXT_TAGS


#: Byline blocks, and elements of each, read for a name alone (a bio card: avatar, name, a paragraph).
AUTHOR_BOXES, AUTHOR_BOX_ELEMENTS = 10, 60
#: What no author box holds: the page, its article, its headline, navigation.
_NOT_A_BOX_TAGS = frozenset({"html", "body", "main", "article", "h1", "h2", "nav"})
#: Longest text of an element read as a name alone: a longer one is a bio, not a name.
AUTHOR_BOX_NAME_CHARS = 80


#: Fewest lines of a byline, each a whole name, read as its writers listed line by line.
LINE_BY_LINE_WRITERS = 3


def _name_at_line_break(el: etree._Element, names: list[str]) -> list[str]:
    """The name a line of ``el`` holds whole, where the one name read from ``el`` (its line breaks
    read as spaces) is that name and the next line's words ("<b>Rosa Delacroix</b><br>Harbour"
    read "Rosa Delacroix Harbour"): a line break after a whole name (two words or more, or one in
    a script that writes a name without a space) ends it, and what follows is a role or a place.
    Only a byline of ``LINE_BY_LINE_WRITERS`` lines or more, each a name, lists its writers line by
    line: the names of its lines. Else ``names``."""
    if len(names) != 1 or el is None:
        return names
    lines = [" ".join(t.split()) for t in "".join(_line_texts(el, "\n")).split("\n")]
    lines = [t for t in lines if t and not _LABEL_ONLY.fullmatch(t)]
    if len(lines) < 2:
        return names
    for line in lines:
        head = _names(line)
        if len(head) != 1:
            continue
        name = head[0]
        if (names[0].startswith(name + " ") and _byline_name(name) and not _BY_WORD.search(name)
                and (len(name.split()) >= 2 or _UNSPACED_NAME.fullmatch(name))):
            listed = [n for t in lines for n in _names(t)]
            if (len(lines) >= LINE_BY_LINE_WRITERS and len(listed) == len(lines) and " ".join(listed) == names[0]
                    and all(_byline_name(n) and len(n.split()) >= 2 for n in listed)):
                return listed
            return [name]
    return names


def _author_box_name(candidates: list[etree._Element]) -> list[str]:
    """The first element holding a name alone inside a byline block (trafilatura's author XPaths)
    among the page's ``_byline_candidates`` that named nobody as a whole: an author box whose text
    is the name and a bio ("<div class=author-box><div>Jane Doe</div><p>Jane Doe is a marketer who
    ...</p></div>"), too long to be read as a byline; only asked when nothing else names the author."""
    boxes = (el for el in candidates if any(_author_xpaths_hit(el)) and not _discarded(el)
             and not any(_discarded(a) for a in el.iterancestors()))
    for el in islice(boxes, AUTHOR_BOXES):
        for e in islice(el.iter(), AUTHOR_BOX_ELEMENTS):
            if e.tag in _NOT_A_BOX_TAGS:
                break   # the page itself, or a block holding the article (WordPress: <body class="single-author">)
            if _unseen(e):
                continue
            text = _short_text(e, AUTHOR_BOX_NAME_CHARS)
            if (text and len(text.split()) <= 4 and _byline_name(text) and not _BY_WORD.search(text)
                    and _names(text) == [text]):
                return [text] if _named_again(el, e, text) else []
    return []


#: Characters of an author box read for the name a second time (the bio: "Jane Doe is a ...").
AUTHOR_BOX_BIO_CHARS = 3000


def _named_again(box: etree._Element, name_el: etree._Element, name: str) -> bool:
    """Whether the text of ``box`` outside ``name_el`` names ``name`` again, as a bio does
    ("Jane Doe is a marketer ..."; "Jane is ..." with the first name alone): read up to
    ``AUTHOR_BOX_BIO_CHARS``. A name printed once in a box is as often a label or a menu."""
    parts, n = [], 0
    walker = etree.iterwalk(box, events=("start", "end"))
    for event, e in walker:
        if event == "start" and e is name_el:
            walker.skip_subtree()   # its tail is read at its end
            continue
        if event == "start":
            text = None if _unseen(e) else e.text
        else:
            text = e.tail if e is not box else None
        if text:
            parts.append(text)
            n += len(text)
            if n > AUTHOR_BOX_BIO_CHARS:
                break
    rest = " ".join(" ".join(parts).split())
    first = name.split()[0]
    # scripts without case write particles onto a name ("신현주는", "山田太郎は"): no word edge there
    cased = first[-1].lower() != first[-1].upper()
    before, after = (r"(?<!\w)", r"(?!\w)") if cased else ("", "")
    return re.search(before + re.escape(first) + after, rest) is not None


#: Class or id tokens of a comments section, a comment or its author ("comments", "comment-list",
#: "comment-author", "commentlist"); not a post's state ("comments-open", "no-comments"), nor an
#: opinion piece or its writer ("commentary", "commentator"), whose byline is the article's.
_COMMENT_TOKEN = re.compile(r"(?i)(?:^|\s)comment(?!s-(?:open|closed)\b)(?!ary|ator)[\w-]*")


#: A byline text that credits a picture: it opens with the word for one.
_PHOTO_CREDIT = re.compile(r"(?i)\W*(?:photos?|fotos?|фото|bild(?:er)?|images?|pictures?)\b")
#: What a comment form never holds: the page's headline or article. ASP.NET WebForms wraps the
#: whole page, byline included, in one <form id="aspnetForm">.
_PAGE_IN_FORM = etree.XPath("boolean(.//h1 | .//article | .//main)")


def _in_comments(el: etree._Element) -> bool:
    """Whether ``el`` is a comment form (a form holding a "Name *", not one wrapping the page) or a
    comment's block by its class or id."""
    if el.tag == "form":
        return not _PAGE_IN_FORM(el)
    return bool(_COMMENT_TOKEN.search(el.get("class") or "") or _COMMENT_TOKEN.search(el.get("id") or ""))


#: Byline blocks read for a name, in trafilatura's order, before the plain-text byline is asked.
BYLINE_MARKUP_TRIES = 5


def _name_before_named_again(el: etree._Element, names: list[str]) -> list[str]:
    """The name alone of a short author box read whole as one name: an element holding a name,
    then the box's other text naming that person again, the first name or the whole ("<span>Jane
    Doe</span><span>Jane</span>", "<h4>Jane Doe</h4><p>Jane writes ...</p>" read "Jane Doe Jane");
    else ``names``. A name whose words repeat in one element ("Ahmed Ali Ahmed") stays."""
    if len(names) != 1:
        return names
    for e in islice(el.iterdescendants(), AUTHOR_BOX_ELEMENTS):
        if _unseen(e):
            continue
        text = _short_text(e, AUTHOR_BOX_NAME_CHARS)
        if (text and len(text.split()) >= 2 and names[0].startswith(text + " ") and _names(text) == [text]
                and _named_again(el, e, text)):
            return [text]
    return names


#: Elements of the page read for a byline's name printed alone.
NAME_ALONE_ELEMENTS = 5000


def _name_printed_alone(tree: etree._Element, names: list[str]) -> list[str]:
    """The first two or three words of a printed byline's one name of four words or more where the
    page prints them alone as an element's whole text (a link to the writer, an author box): the
    words after them are a role or a bio read with the name ("Jane Doe Senior Growth Lead")."""
    if len(names) != 1 or len(names[0].split()) < 4 or not any(ch.isupper() for ch in names[0]):
        return names
    words = names[0].split()
    heads = {" ".join(words[:k]) for k in (2, 3)}
    for el in islice(tree.iter(), NAME_ALONE_ELEMENTS):
        if _unseen(el):
            continue
        for t in (el.text if not len(el) else None, el.get("alt")):   # the element's whole text, an image's name
            t = " ".join(t.split()) if t else ""
            if t in heads and _byline_name(t) and not _BY_WORD.search(t):   # "Geschrieben von": a label
                return [t]
    return names


#: A whole name in the scripts that write one without a space (Chinese, Japanese, Korean: "山田太郎",
#: "신현주"); Arabic, Hebrew, Thai or Devanagari put a space between the given and family name.
_UNSPACED_NAME = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]{3,}")


def _names_apart(el: etree._Element, names: list[str]) -> list[str]:
    """The names of the elements of ``el`` that each hold a name alone, when the one name read
    from its whole text is just these, one after another: a byline printing its writers in
    elements of their own with no separator between them ("<a>Rosa Delacroix</a> <a>Tom
    Okafor</a>" read as one "Rosa Delacroix Tom Okafor", "<a>신현주</a> <a>김태연</a>"); else
    ``names``. A name written in two elements ("<span>Rosa</span> <span>Delacroix</span>") stays one."""
    if not names or sum(len(n.split()) for n in names) < 2:
        return names
    parts: list[str] = []
    walker = etree.iterwalk(el, events=("start",))
    for n, (_, e) in enumerate(walker):
        if n > AUTHOR_BOX_ELEMENTS:
            break
        if e is el:
            continue
        if _unseen(e):
            walker.skip_subtree()
            continue
        text = _short_text(e, AUTHOR_BOX_NAME_CHARS, " ")   # "<a>Tom Okafor</a><br><a>Ada ...": two
        # two words or more, or one of three characters or more in a script that writes a name
        # without a space: "Rosa" + "Delacroix", "محمد" + "علي", "山田" + "太郎" (given and family
        # name) are one name
        if (text and (len(text.split()) >= 2 or _UNSPACED_NAME.fullmatch(text)) and _names(text) == [text] and _byline_name(text)
                and not _BY_WORD.search(text)):   # "Geschrieben von" + "Elisa Marvena": a label, a name
            parts.append(text)
            walker.skip_subtree()   # the name's own parts (a given and a family name) are not names
    # each name read is one or more of them in a row ("A B and C" read as "A B", "C"); an author
    # box's link or button among them ("<a>Jane Doe</a> <a>View Profile</a>") is no writer
    if len(parts) <= len(names) or " ".join(parts) != " ".join(names):
        return names
    return [p for p in parts if not _box_action(p)] or names


#: The words of an author box's links and buttons ("View Profile", "Follow Me", "Read More", "Full
#: Bio", "Send Email", "Alle Artikel", "Voir le profil"): a part made of these alone is no name.
_BOX_ACTION_WORDS = frozenset(
    "view see read more full all bio profile follow me on send email e-mail mail contact author articles posts stories "
    "subscribe website twitter facebook linkedin instagram "
    "profil folgen mehr alle artikel beiträge kontakt autor zum "
    "voir le la les suivre tous contacter ver perfil seguir más artículos todos".split())


def _box_action(text: str) -> bool:
    return all(w in _BOX_ACTION_WORDS for w in text.casefold().split())


def _inner_names(el: etree._Element, names: list[str]) -> list[str]:
    """The names of the byline blocks inside ``el`` that hold a name alone ("<div class=author>
    <span class=author-name>Jane Doe</span>, Privacy Expert</div>"), when each is among ``el``'s
    text: the block around them adds a role or a bio; else ``names``."""
    inner = [" ".join(" ".join(e.itertext()).split()) for e in islice(el.iterdescendants(), 50)
             if isinstance(e.tag, str) and any(_author_xpaths_hit(e))]
    alone = list(dict.fromkeys(t for t in inner if _names(t) == [t] and _byline_name(t)))
    return alone if alone and all(any(n.startswith(a) for n in names) for a in alone) else names


#: A text node that opens a byline: "By Jane Doe, in Politics · 3 May 2024", "Von: Jane Doe", "作者：...".
#: Tested in Python on the body's text nodes (an EXSLT regex in the XPath calls back into Python
#: for every text node of the page); the XPath drops the text nodes of spaces alone, two in three
#: of a page's, which no byline pattern matches (each needs a letter after its spaces).
_BODY_TEXT = etree.XPath("//body//text()[normalize-space()]")
#: Chinese byline labels: author, reporter, editor in charge, editor (simplified and traditional).
_ZH_BYLINE_LABEL = r"[(（]?(?:作者|记者|記者|责编|責編|责任编辑|責任編輯|编辑|編輯)\s*[:：]"
#: A Chinese, Japanese or Korean byline without a label: a name and the job title printed after it,
#: alone ("山田花子 記者", "李明记者", "신현주 기자", "John Smith 記者"; ``_CJK_ROLE``). The name is two to
#: five characters of kanji, hanzi or hangul (a space between family and given name allowed; no
#: kana: "スポーツ記者" is a sports reporter) or a Latin name of two or three words. Not a house's
#: reporter: "本报记者" (this paper's), "新华社记者" (the agency's), "人民日报记者", "本台记者" (the
#: station's), nor "特约记者", "实习记者" (contributing, intern): no name opens with 本 or ends with
#: the house's last character (报, 社, 台, 刊, 网, 站) or a qualifier's (约, 习).
_BYLINE_TEXT_CJK = re.compile(r"\s*(?P<name>(?!本)[\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
                              r"(?:\s?[\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]){1,4}(?<![报報社台刊网網站约約习習])"
                              rf"|[A-Z][a-z]+(?:\s[A-Z][a-z]+){{1,2}})\s*{_CJK_ROLE}\s*")
_BYLINE_NODE = re.compile(rf"^\s*(?:{_BY_LEAD.title()} [Bb]y|{_BY}|{_BY.title()}|{_BY.upper()}|(?i:{_WRITTEN}))\s*:?(?:\s|$)"
                          rf"|^\s*(?i:{_AUTHOR_LABEL})\s*(?::|$)"
                          r"|^\s*" + _ZH_BYLINE_LABEL + rf"|^{_BYLINE_TEXT_CJK.pattern}$")
_BYLINE_TEXT = re.compile(rf"^(?:(?:{_BY_LEAD}\s+)?(?P<by>{_BY})|{_WRITTEN}|{_AUTHOR_LABEL})\s*:?\s+(?P<name>.+?)\s*"
                          r"(?:,?\s+(?:in|im|en|em|op)(?:\s|$)|[|·•⋅∙–—]|\s-\s|\d|$)", re.I)
#: A text node that is the byline's label alone ("<span>By</span><span>Jane Doe</span>").
_LABEL_NODE = re.compile(rf"(?i)\s*(?:(?:{_BY_LEAD}\s+)?{_BY}|{_WRITTEN}|{_AUTHOR_LABEL})\s*:?\s*")
#: A Chinese byline: "(责编：Name、Name)", "作者：Name".
_BYLINE_TEXT_ZH = re.compile("^" + _ZH_BYLINE_LABEL + r"\s*(?P<name>[^()（）\d]+?)\s*(?:[)）]|$)")


#: Around a byline that is not the article's: a link wrapping a teaser card, navigation, asides.
_TEASER_TAGS = frozenset({"a", "nav", "aside", "footer"})
#: What leads a byline's date, at the end of the text before it: a weekday and its comma ("on
#: Monday, May 2", "am Freitag, 3. Mai"), a weekday or a short one after "on" or a comma ("Jane
#: Doe, Monday May 2", "on Tue, May 2": "Lin Sun", "Dan Sunday May 2" stay; a weekday with its
#: comma after a given name alone is her family name: "Ana Domingo, 3 de mayo"), a weekday in lower
#: case right before it ("Juan Gil lunedì 3 maggio": no family name is written so), the words a
#: removed date leaves ("on", "am", "le", "el", "Updated on", "Published").
_A_DATE_LEAD = (rf"(?:\b{_WEEKDAY}\s*,|(?:,|\bon)\s*(?:{_WEEKDAY}|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b\.?"
                rf"|\b(?:{_DATE_LEFTOVERS}|(?-i:{_DATE_PREPOSITIONS}|{_TIME_PREPOSITIONS}|{_WEEKDAY}))\b)")
#: (separators taken from the start of their run: see ``names._CONJ``)
_DATE_LEAD = re.compile(rf"(?:(?<![\s,:])[\s,:]*)?{_A_DATE_LEAD}(?:[\s,:]*{_A_DATE_LEAD})*[\s,:.]*$", re.I)
_DIGIT = re.compile(r"\d")
#: A weekday opening what leads a date (``_DATE_LEAD``), with its leading separators.
_LEADING_WEEKDAY = re.compile(rf"[\s,:]*({_WEEKDAY})\b", re.I)
#: A month and its year without a day, after a separator or a date's "on", "am", "le", "el" in
#: lower case (", May 2024", "on May 2024", ", mayo de 2024"; "By Tom May 2024" is Tom May's,
#: "By Thanh Le May 2024" Thanh Le's).
_SEPARATED_MONTH_YEAR = re.compile(rf"(?:[,|·•–—]|\b(?-i:on|am|le|el)\b)\s*\b{_MONTH}(?:\s+de)?\s+\d{{4}}(?!\d)", re.I)
#: A time ago after the name, from the word before its number ("Von Jane Doe vor 2 Stunden", "Av
#: Anna Svensson för 5 timmar sedan": cut at the digit, "vor", "för" stayed the name's last word).
_A_TIME_AGO = re.compile(_TIME_AGO, re.I)


def _before_date(text: str) -> str:
    """A plain-text byline up to where its date begins, without what leads to it ("By Jane Doe
    on Monday, May 2, 2024" -> "By Jane Doe"): the date as the day under the headline is read
    (``_SHOWN_DAY``: a month's name with a day and a year in each language of ``_MONTHS``, or
    digits), a month and its year after a separator (``_SEPARATED_MONTH_YEAR``), a time ago from
    the word before its number ("vor 2 Stunden", ``_A_TIME_AGO``), else its first digit after the
    name's first character ("By 3i Global"). A date has its year: in "By Tom May
    12 May 2025" it is "12 May 2025", and Tom May keeps his name; "By Jane Doe on May 2" is still
    cut at the 2."""
    label = _LABEL_NODE.match(text)
    name_start = label.end() if label else 0
    starts = [m.start() for m in (_SHOWN_DAY.search(text, name_start), _SEPARATED_MONTH_YEAR.search(text, name_start),
                                  _DIGIT.search(text, name_start + 1), _A_TIME_AGO.search(text, name_start)) if m]
    if not starts:
        return text
    cut = text[:min(starts)]
    lead = _DATE_LEAD.search(cut)
    if lead is None:
        return cut
    weekday = _LEADING_WEEKDAY.match(cut, lead.start())
    if weekday and _after_a_given_name(cut[:weekday.start(1)], weekday.group(1)):
        return cut[:weekday.end()]   # "By Ana Domingo, 3 de mayo": her family name, then the date
    return cut[:lead.start()]


def _text_byline(tree: etree._Element, writers: PageWriters | None = None) -> list[str]:
    """Names from a short plain-text byline ("By Jane Doe and Tom Roe, in News · 3 May"), only
    asked when nothing else names the author; ``writers``: the page's :class:`PageWriters`."""
    writers = writers if writers is not None else PageWriters(tree)
    for node in islice((t for t in _BODY_TEXT(tree) if _BYLINE_NODE.search(t)), 20):
        if node.is_tail and node.lstrip()[:1].islower():
            continue  # "... von Jane Doe" inside a sentence; a lower-case "von" must open its element
        el = node.getparent()
        if el is not None and node.is_tail:
            el = el.getparent()
        if el is not None and any(a.tag in _TEASER_TAGS for a in el.iterancestors()):
            continue  # the byline of a teaser card linking to another article, or of an aside
        # the text node itself ("By Jane Doe | 3 May"), else its element ("Von: <a>Jane Doe</a>"),
        # else, for a label alone in its element, the element around it
        texts = [(" ".join(node.split()), None), (_line_text(el) if el is not None else "", el)]
        if el is not None and _LABEL_NODE.fullmatch(texts[1][0]) and el.getparent() is not None:
            texts.append((" ".join(" ".join(el.getparent().itertext()).split()), el.getparent()))   # "By" + "Jane Doe"
        for text, block in texts:
            m = (_BYLINE_TEXT.match(_before_date(text)) or _BYLINE_TEXT_ZH.match(text)
                 or _BYLINE_TEXT_CJK.fullmatch(text)) if len(text) < 160 else None
            if m and m.groupdict().get("by") and _family_name_opening(m["by"], m["name"]):
                continue   # "Di Stefano", "af Klint": a family name, not "by" and a name
            names = _names(m["name"].rstrip(" ,;"), writers=writers) if m else []
            if names and all(_name_shaped(n) for n in names):
                return _name_at_line_break(block, _names_apart(block, names)) if block is not None else names
    return []
