"""Markdown to safe HTML: markdown-it-py renders a small subset, nh3 sanitizes it.

Used for chat messages and for initiative descriptions alike. Raw HTML in the
source is never passed through (markdown-it's `html` option is off), and the
sanitizer keeps only the allowlist below, whatever the renderer produced.
nh3 and not bleach: bleach is archived (6.4.0 was its last release).
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    # CommonMark without raw HTML, plus ~~strikethrough~~. Constructs outside the
    # allowlist (headings, images, rules) stay literal text instead of vanishing.
    md = MarkdownIt("commonmark", {"html": False, "breaks": True})
    md.enable("strikethrough")
    md.disable(["heading", "lheading", "image", "hr"])
    md.add_render_rule("s_open", lambda *args: "<del>")
    md.add_render_rule("s_close", lambda *args: "</del>")
    return md


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    # Built once: `nh3.clean` builds the same sanitizer on every call, which cost
    # more than the sanitizing itself (docs/performance.md).
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def sanitize_html(html: str) -> str:
    return _cleaner().clean(html).strip()


def render_markdown(source: str) -> str:
    """Render `source` (Markdown) to HTML that is safe to insert into a page."""
    return sanitize_html(_renderer().render(source))
