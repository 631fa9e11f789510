"""Markdown to safe HTML: markdown-it-py renders a small subset, nh3 sanitizes it.

Used for chat messages and for initiative descriptions alike. Raw HTML in the
source is never passed through (markdown-it's `html` option is off), and the
sanitizer keeps only the allowlist below, whatever the renderer produced; it reads
a URL's scheme past invisible and fullwidth characters (`_attribute_filter`).
tests/common/test_xss_corpus.py runs a corpus of XSS payloads through it.
nh3 and not bleach: bleach is archived (6.4.0 was its last release).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
# No attribute value starts with one of these, whatever the attribute (a title too).
# Not Netscape's livescript: and mocha: (dead; and "Mocha: ..." is a fair title).
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript"})

# A URL's scheme is read after dropping every character a reader might not see or a
# lenient URL parser might skip: whitespace, controls, format characters (U+200B, U+FEFF,
# U+00AD, bidi marks), private-use, unassigned, lone surrogates, and the other
# default-ignorable code points (below; the rest of them are in those categories).
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zs", "Zl", "Zp"})
_OTHER_IGNORABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]"
)
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_SURROGATE = re.compile("[\ud800-\udfff]")


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    # CommonMark without raw HTML, plus ~~strikethrough~~. Constructs outside the
    # allowlist (headings, images, rules) stay literal text instead of vanishing.
    md = MarkdownIt("commonmark", {"html": False, "breaks": True})
    md.enable("strikethrough")
    md.disable(["heading", "lheading", "image", "hr"])
    md.add_render_rule("s_open", lambda *args: "<del>")
    md.add_render_rule("s_close", lambda *args: "</del>")
    md.core.ruler.push("mentions", _link_mentions)  # after text_join: whole text runs
    return md


# `@name` after a space, a line start or an opening bracket; a name as Django's user
# names are (letters, digits, _ . + -), without a full stop at its end ("@jonas.").
MENTION = re.compile(r"(?<![\w@.+\-])@([\w.+\-]{1,150})")
EVERYONE = frozenset({"alle", "all"})


@dataclass
class Mentions:
    """What a text mentions, found while rendering it (so never inside code or a link):
    the user names linked, and whether it says `@alle` / `@all`."""

    users: set[str] = field(default_factory=set)
    everyone: bool = False


def mention_candidates(source: str) -> set[str]:
    """The names after an `@` (lower case): what to look up before rendering."""
    if "@" not in source:
        return set()
    return {m.group(1).rstrip(".").lower() for m in MENTION.finditer(source)}


def render_with_mentions(
    source: str, *, known: Mapping[str, str], link: Callable[[str], str]
) -> tuple[str, Mentions]:
    """`render_markdown`, with `@name` of a known user (lower case -> user name) turned
    into a link to `link(username)`; returns the HTML and what it mentions."""
    found = Mentions()
    html = _renderer().render(source, {"mentions": (known, link, found)})
    return sanitize_html(html), found


def _link_mentions(state: StateCore) -> None:
    if "mentions" not in state.env:
        return
    known, link, found = state.env["mentions"]
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _with_mention_links(token.children, known, link, found)


def _with_mention_links(
    children: list[Token], known: Mapping[str, str], link: Callable[[str], str], found: Mentions
) -> list[Token]:
    result: list[Token] = []
    in_link = 0
    for child in children:
        in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
        if child.type != "text" or in_link or "@" not in child.content:
            result.append(child)
            continue
        text, start = child.content, 0
        for match in MENTION.finditer(text):
            name = match.group(1).rstrip(".")
            if name.lower() in EVERYONE:
                found.everyone = True
                continue
            username = known.get(name.lower())
            if username is None:
                continue
            result.append(_text(text[start : match.start()]))
            opening = Token("link_open", "a", 1)
            opening.attrs = {"href": link(username)}
            result += [opening, _text("@" + name), Token("link_close", "a", -1)]
            start = match.start() + 1 + len(name)
            found.users.add(username)
        result.append(_text(text[start:]))
    return [token for token in result if token.type != "text" or token.content]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    # Built once: `nh3.clean` builds the same sanitizer on every call, which cost
    # more than the sanitizing itself (docs/performance.md).
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        # "*": none on every tag. Without it nh3 keeps ammonia's default generic
        # attributes, `title` and `lang` on every allowed tag.
        attributes={"*": set()} | {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _visible(text: str) -> str:
    return "".join(
        ch
        for ch in text
        if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
        and not ch.isspace()
        and not _OTHER_IGNORABLE.match(ch)
    )


def _scheme_of(value: str) -> str | None:
    """The scheme `value` names once invisible characters are gone, fullwidth forms
    folded (NFKC) and case ignored; None: none (a relative URL, or plain text)."""
    if value.isascii():  # almost always: no scheme without a colon, only spaces to drop
        if ":" not in value:
            return None
        visible = value.replace(" ", "") if value.isprintable() else _visible(value)
    else:
        visible = _visible(unicodedata.normalize("NFKC", _visible(value)))
    match = _SCHEME.match(visible.lower())
    return match.group(1) if match else None


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    """nh3 checks the scheme of what a URL parser reads as absolute; a URL it takes for
    relative keeps whatever scheme hides behind an invisible or fullwidth character
    (`java\\u200bscript:`, `\\ufeffjavascript:`, `javascript\\uff1a`). Browsers read
    those as relative paths, but other readers of the HTML need not: drop them. And no
    attribute value, a title too, starts with a script scheme."""
    scheme = _scheme_of(value)
    if scheme is None:
        return value
    if attribute == "href":
        return value if scheme in ALLOWED_URL_SCHEMES else None
    return None if scheme in SCRIPT_SCHEMES else value


def sanitize_html(html: str) -> str:
    try:
        cleaned = _cleaner().clean(html)
    except UnicodeEncodeError:  # a lone surrogate (no character): nh3 takes UTF-8 only
        cleaned = _cleaner().clean(_SURROGATE.sub("\ufffd", html))
    return cleaned.strip()


def render_markdown(source: str) -> str:
    """Render `source` (Markdown) to HTML that is safe to insert into a page."""
    return sanitize_html(_renderer().render(source))
