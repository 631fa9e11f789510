"""common.markup: the sanitizer keeps its allowlist whatever HTML it is given (the
renderer never emits raw HTML, so this is the second line of defence)."""

from __future__ import annotations

from common.markup import render_markdown, sanitize_html


def test_the_sanitizer_keeps_only_the_allowlist() -> None:
    dirty = (
        '<p onclick="x">a</p><script>b</script><img src=x><a href="javascript:y">l</a> '
        '<a href="https://e.org" target="_blank" title="t">m</a><!-- c --><h1>h</h1>\n'
    )

    assert sanitize_html(dirty) == (
        '<p>a</p><a rel="nofollow noopener noreferrer">l</a> '
        '<a href="https://e.org" title="t" rel="nofollow noopener noreferrer">m</a>h'
    )


def test_rendered_markdown_comes_out_sanitized_and_the_same_each_time() -> None:
    source = "**fett** und [Link](https://example.org)"
    first = render_markdown(source)

    assert (
        first
        == render_markdown(source)
        == (
            '<p><strong>fett</strong> und <a href="https://example.org" '
            'rel="nofollow noopener noreferrer">Link</a></p>'
        )
    )
