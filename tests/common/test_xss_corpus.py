"""Every XSS payload of tests/common/xss_corpus.py, through `render_markdown`, through the
sanitizer alone and through every stored field that renders user text (FIELDS), comes
out inside the allowlist of common/markup.py; and for arbitrary text (hypothesis) the
renderer never raises, its output is inside the allowlist, and sanitizing that output
again changes nothing.

What "inside the allowlist" means (`problems`), checked two ways:
- parsed (the stdlib's HTMLParser, which unescapes attribute values as a browser does):
  only ALLOWED_TAGS, only ALLOWED_ATTRIBUTES per tag plus the `rel` nh3 adds to links
  (and it is exactly LINK_REL), no comment, doctype or processing instruction;
  every `href` is relative or has a scheme in ALLOWED_URL_SCHEMES; no attribute value of
  any kind starts with a script scheme (javascript:, vbscript:, ...);
- raw, independent of any parser: the output is text without `<` or `>` and tags of the
  form `<name attr="value">` whose values hold no `"`, `<` or `>`, so that every HTML
  parser, strict or sloppy, reads the same tags and attributes out of it (and a value
  can never be taken for markup: the mutation-XSS ingredient).
The scheme of a URL is read the strict way: after the HTML parser's unescaping, with
every whitespace, control, format (U+200B, U+FEFF, U+00AD, bidi) and other invisible
character removed anywhere in it, NFKC-normalised (fullwidth letters and colons) and
lowercased. Browsers drop fewer characters (leading C0 controls and spaces, tabs and
newlines anywhere), so a URL this check calls relative is relative to every browser.
Percent-escapes are not decoded: no browser decodes them before reading the scheme
(`%6Aavascript:x` and `java%0Ascript:x` are relative paths). A protocol-relative
`//host` is allowed: it takes the page's own scheme, https.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Profile
from common import ratelimit
from common.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    LINK_REL,
    render_markdown,
    sanitize_html,
)
from community import services as community_services
from community.models import Lifehack, Need, News, Offer
from events import services as event_services
from events.models import Event
from initiatives import services as initiative_services
from initiatives.models import Initiative
from rooms import services as room_services
from rooms.models import Message, Room
from tests.common.xss_corpus import CLASSES, PAYLOADS
from tests.factories import InitiativeFactory, UserFactory

# --- the check ------------------------------------------------------------------------

# Schemes that run script where a browser follows them; no attribute value may start
# with one, whatever the attribute (a `title` too: it might be copied into a link).
# (Netscape's livescript: and mocha: run nowhere today, and as hrefs the allowlist
# refuses them anyway.)
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript"})
# Unicode's Default_Ignorable_Code_Point ranges: drawn as nothing, so a scheme can hide
# among them. (Most are format characters, Cf, but not all: U+115F, U+3164, U+FE0F ...)
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def _invisible(ch: str) -> bool:
    if ch.isspace() or unicodedata.category(ch) in _INVISIBLE_CATEGORIES:
        return True
    code = ord(ch)
    return any(low <= code <= high for low, high in _IGNORABLE_RANGES)


def _visible(text: str) -> str:
    return "".join(ch for ch in text if not _invisible(ch))


def scheme_of(url: str) -> str | None:
    """The scheme `url` names, read the strict way (module docstring); None: relative."""
    match = _SCHEME.match(_visible(unicodedata.normalize("NFKC", _visible(url))).lower())
    return match.group(1) if match else None


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        names = [name for name, _value in attrs]
        if len(names) != len(set(names)):
            self.problems.append(f"an attribute twice on <{tag}>: {names}")
        if tag == "a" and "rel" not in names:
            self.problems.append("a link without rel")
        for name, value in attrs:
            if name.startswith("on") or name == "style" or name not in allowed:
                self.problems.append(f"attribute {name}={value!r} on <{tag}>")
            if value is None:
                self.problems.append(f"attribute {name} without a value on <{tag}>")
                continue
            scheme = scheme_of(value)
            if name == "href" and scheme is not None and scheme not in ALLOWED_URL_SCHEMES:
                self.problems.append(f"href with scheme {scheme}: {value!r}")
            elif scheme in SCRIPT_SCHEMES:
                self.problems.append(f"{name} starts with {scheme}: {value!r}")
            if name == "rel" and value != LINK_REL:
                self.problems.append(f"rel={value!r}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"end tag </{tag}>")

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment <!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration <!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction <?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"declaration <![{data}]>")


# Raw: text without < or >, and tags whose every attribute is name="value" with a value
# free of ", < and >.
_RAW_TOKEN = re.compile(r"(<[^<>]*>)")
_RAW_TAG = re.compile(r'</?([a-z]+)((?:\s+[a-z]+="[^"<>]*")*)\s*/?>')
_RAW_ATTRIBUTE = re.compile(r'\s+([a-z]+)="[^"]*"')


def _raw_problems(html: str) -> list[str]:
    problems = []
    for i, token in enumerate(_RAW_TOKEN.split(html)):
        if i % 2 == 0:  # text between tags
            if "<" in token or ">" in token:
                problems.append(f"raw < or > outside a well-formed tag: {token[:80]!r}")
            continue
        tag = _RAW_TAG.fullmatch(token)
        if tag is None:
            problems.append(f'a tag that is not <name attr="value">: {token[:80]!r}')
            continue
        name, attributes = tag.groups()
        allowed = ALLOWED_ATTRIBUTES.get(name, set()) | ({"rel"} if name == "a" else set())
        for attribute in _RAW_ATTRIBUTE.findall(attributes):
            if attribute not in allowed or token.startswith("</"):
                problems.append(f"raw attribute {attribute} in {token[:80]!r}")
        if name not in ALLOWED_TAGS:
            problems.append(f"raw tag {name} in {token[:80]!r}")
    return problems


def problems(html: str) -> list[str]:
    """Everything in `html` outside the allowlist (module docstring); [] if it is safe."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.problems + _raw_problems(html)


def check(html: str, *, idempotent: bool = True) -> None:
    found = problems(html)
    assert not found, f"{found} in {html!r}"
    if idempotent:
        assert sanitize_html(html) == html, "sanitizing the rendered HTML again changed it"


def test_the_check_finds_what_is_outside_the_allowlist() -> None:
    """The check is not vacuous: each of these is flagged, each safe one passes."""
    rel = f'rel="{LINK_REL}"'
    unsafe = [
        "<img src=x>",
        "<script>x</script>",
        "<svg></svg>",
        '<p onclick="x">a</p>',
        '<p style="color:red">a</p>',
        '<strong title="t">a</strong>',
        f'<a href="javascript:alert(1)" {rel}>a</a>',
        f'<a href=" JAVA&#x09;SCRIPT:alert(1)" {rel}>a</a>',
        f'<a href="java\u200bscript:alert(1)" {rel}>a</a>',
        f'<a href="\ufeffjavascript:alert(1)" {rel}>a</a>',
        f'<a href="java\u00adscript:alert(1)" {rel}>a</a>',
        f'<a href="\uff4aavascript\uff1aalert(1)" {rel}>a</a>',
        f'<a href="data:text/html,x" {rel}>a</a>',
        f'<a href="vbscript:x" {rel}>a</a>',
        f'<a href="https://e.org" title="javascript:alert(1)" {rel}>a</a>',
        '<a href="https://e.org">no rel</a>',
        '<a href="https://e.org" rel="opener">a</a>',
        f'<a href="https://e.org" target="_blank" {rel}>a</a>',
        f'<a href="https://e.org" title="<img src=x onerror=alert(1)>" {rel}>a</a>',
        f"<a href='https://e.org' {rel}>single quotes</a>",
        f"<a href=https://e.org {rel}>unquoted</a>",
        "<!-- x -->",
        "<!DOCTYPE html>",
        "a > b",
    ]
    for html in unsafe:
        assert problems(html), html
    safe = [
        "",
        "plain &lt;script&gt; text &amp; more",
        "<p><strong>a</strong> <em>b</em> <del>c</del> <code>&lt;d&gt;</code></p>",
        "<pre><code>x\n</code></pre><blockquote><ul><li>a</li></ul><ol><li>b</li></ol>"
        "</blockquote>a<br>b",
        f'<a href="https://e.org/?q=javascript:x" title="a &quot;b&quot; c" {rel}>a</a>',
        f'<a href="mailto:a@e.org" {rel}>a</a>',
        f'<a href="a=" title="b=&quot;c&quot;" {rel}>a</a>',
        f'<a href="/relative/path" {rel}>a</a>',
        f'<a href="#fragment" {rel}>a</a>',
        f'<a href="//e.org/x" {rel}>a</a>',
        f'<a href="%6Aavascript:alert(1)" {rel}>a</a>',
        f'<a href="java%E2%80%8Bscript:alert(1)" {rel}>a</a>',
        f"<a {rel}>no href</a>",
    ]
    for html in safe:
        assert not problems(html), html


# --- the corpus ---------------------------------------------------------------------


def test_the_corpus_is_large_distinct_and_covers_every_class() -> None:
    payloads = [payload for _id, payload in PAYLOADS]
    assert len(payloads) >= 300
    assert len(set(payloads)) == len(payloads), "a payload is in the corpus twice"
    assert all(len(of_class) >= 20 for of_class in CLASSES.values())


@pytest.mark.parametrize("payload", [p for _i, p in PAYLOADS], ids=[i for i, _p in PAYLOADS])
def test_every_payload_renders_inside_the_allowlist(payload: str) -> None:
    check(render_markdown(payload))


@pytest.mark.parametrize("payload", [p for _i, p in PAYLOADS], ids=[i for i, _p in PAYLOADS])
def test_the_sanitizer_alone_keeps_every_payload_inside_the_allowlist(payload: str) -> None:
    """The second line of defence: the payload as HTML, straight to the sanitizer (the
    renderer escapes raw HTML, so this is where nh3 itself is tried). Not idempotent on
    any HTML: what the parser nests in ways it would not parse (`<a><table><a>` leaves
    an <a> inside an <a>, a leading U+FEFF or newline after <pre> is dropped) comes out
    rearranged by a second pass; never with a tag or attribute outside the allowlist,
    which the raw check proves for any parser. Markdown's output has none of those."""
    check(sanitize_html(payload), idempotent=False)


@pytest.mark.parametrize(
    ("source", "html"),
    [
        (
            "`<script>alert(1)</script>`",
            "<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>",
        ),
        (
            "```\n<img src=x onerror=alert(1)>\n```",
            "<pre><code>&lt;img src=x onerror=alert(1)&gt;\n</code></pre>",
        ),
        ("    <svg onload=alert(1)>", "<pre><code>&lt;svg onload=alert(1)&gt;\n</code></pre>"),
        ("<b onclick=x>", "<p>&lt;b onclick=x&gt;</p>"),
    ],
)
def test_tags_in_code_and_text_stay_visible_as_escaped_text(source: str, html: str) -> None:
    """Not dropped either: whoever writes about HTML sees what they wrote."""
    assert render_markdown(source) == html


def test_what_the_allowlist_allows_still_comes_through() -> None:
    """The strict scheme reading blocks no ordinary link or title."""
    rel = f'rel="{LINK_REL}"'
    assert render_markdown(
        '[a](https://e.org/x "Titel: gut") [b](mailto:a@e.org) [c](/pfad) [d](#anker) '
        "<https://e.org/\u00e4>"
    ) == (
        f'<p><a href="https://e.org/x" title="Titel: gut" {rel}>a</a> '
        f'<a href="mailto:a@e.org" {rel}>b</a> <a href="/pfad" {rel}>c</a> '
        f'<a href="#anker" {rel}>d</a> '
        f'<a href="https://e.org/%C3%A4" {rel}>https://e.org/\u00e4</a></p>'
    )


# --- every stored field that renders user text -----------------------------------------


@dataclass
class World:
    """What the fields write to: a lead, their initiative and its room, a message to edit."""

    lead: User
    initiative: Initiative
    room: Room
    message: Message


@dataclass(frozen=True)
class Field:
    """A stored field that holds HTML rendered from user text: `model_field` is where
    it is stored ("app_label.Model.field"), `store` writes a payload through the real
    service and returns the HTML stored for it (read back from the database)."""

    name: str
    model_field: str
    store: Callable[[World, str], str]


def _message_post(world: World, payload: str) -> str:
    posted = room_services.message_post(
        user=world.lead, room_id=world.room.pk, body=payload, client_id=str(uuid.uuid4())
    )
    return Message.objects.values_list("html", flat=True).get(pk=posted.message.pk)


def _message_edit(world: World, payload: str) -> str:
    room_services.message_edit(
        user=world.lead, room_id=world.room.pk, message_id=world.message.pk, body=payload
    )
    return Message.objects.values_list("html", flat=True).get(pk=world.message.pk)


def _initiative_create(world: World, payload: str) -> str:
    initiative = InitiativeFactory(lead=world.lead, description=payload)
    return Initiative.objects.values_list("description_html", flat=True).get(pk=initiative.pk)


def _initiative_update(world: World, payload: str) -> str:
    initiative_services.initiative_update(
        user=world.lead, initiative=world.initiative, description=payload
    )
    return Initiative.objects.values_list("description_html", flat=True).get(pk=world.initiative.pk)


def _event_create(world: World, payload: str) -> str:
    start = timezone.now() + timedelta(days=1)
    event = event_services.event_create(
        user=world.lead,
        initiative=world.initiative,
        title="Kochtag",
        description=payload,
        start=start,
        end=start + timedelta(hours=1),
        place="Marktplatz",
    )
    return Event.objects.values_list("description_html", flat=True).get(pk=event.pk)


def _news_create(world: World, payload: str) -> str:
    news = community_services.news_create(
        user=world.lead, initiative=world.initiative, title="T", teaser="K", body=payload
    )
    return News.objects.values_list("body_html", flat=True).get(pk=news.pk)


def _lifehack_create(world: World, payload: str) -> str:
    lifehack = community_services.lifehack_create(
        user=world.lead,
        title="T",
        body=payload[: community_services.LIFEHACK_MAX],  # a tip is short; the cut is input too
        category=world.initiative.category,
    )
    return Lifehack.objects.values_list("body_html", flat=True).get(pk=lifehack.pk)


def _offer_create(world: World, payload: str) -> str:
    organisation, made = User.objects.get_or_create(username="xss-organisation")
    if made:
        Profile.objects.create(
            user=organisation, kind=Profile.Kind.ORGANISATION, verified_at=timezone.now()
        )
    offer = community_services.offer_create(
        user=organisation,
        kind="advice",
        title="T",
        description=payload,
        valid_until=timezone.localdate(),
    )
    return Offer.objects.values_list("description_html", flat=True).get(pk=offer.pk)


def _need_create(world: World, payload: str) -> str:
    need = community_services.need_create(
        user=world.lead,
        initiative=world.initiative,
        kind="space",
        title="T",
        description=payload,
        category=world.initiative.category,
    )
    return Need.objects.values_list("description_html", flat=True).get(pk=need.pk)


FIELDS: list[Field] = [
    Field("message_post", "rooms.Message.html", _message_post),
    Field("message_edit", "rooms.Message.html", _message_edit),
    Field("initiative_create", "initiatives.Initiative.description_html", _initiative_create),
    Field("initiative_update", "initiatives.Initiative.description_html", _initiative_update),
    Field("event_create", "events.Event.description_html", _event_create),
    Field("news_create", "community.News.body_html", _news_create),
    Field("lifehack_create", "community.Lifehack.body_html", _lifehack_create),
    Field("offer_create", "community.Offer.description_html", _offer_create),
    Field("need_create", "community.Need.description_html", _need_create),
]
"""Every way user text becomes stored HTML. Whoever adds a field that renders user text
(news, lifehacks, events, offers are coming) adds it here, one Field per service that
writes it (create and update both), and the whole corpus runs through it;
`test_every_stored_html_field_is_in_the_registry` fails until they do."""


def _reaches_the_services(payload: str) -> bool:
    # The doors refuse NUL (PostgreSQL cannot store it: common/serializers.py,
    # rooms.services.validation) and lone surrogates (common/untrusted.py) before any
    # service runs; render_markdown meets those payloads in the tests above.
    return "\x00" not in payload and not any("\ud800" <= ch <= "\udfff" for ch in payload)


CHECKS_PER_FIELD = [(i, p) for i, p in PAYLOADS if _reaches_the_services(p)]


@pytest.mark.django_db
@pytest.mark.parametrize("field", FIELDS, ids=[f.name for f in FIELDS])
def test_every_field_that_renders_user_text_stores_only_the_allowlist(field: Field) -> None:
    lead = UserFactory()
    initiative = InitiativeFactory(lead=lead)
    room = initiative.rooms.get()
    with ratelimit.suspended():
        first = room_services.message_post(
            user=lead, room_id=room.pk, body="Platzhalter", client_id=str(uuid.uuid4())
        )
        world = World(lead=lead, initiative=initiative, room=room, message=first.message)
        failures = []
        for payload_id, payload in CHECKS_PER_FIELD:
            html = field.store(world, payload)
            found = problems(html)
            if found or sanitize_html(html) != html:
                failures.append(f"{payload_id}: {found} in {html!r}")
    assert not failures, "\n".join(failures)


def test_every_stored_html_field_is_in_the_registry() -> None:
    """A model field that stores HTML (named `html` or `*_html`) must be in FIELDS."""
    stored_html = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and (field.name == "html" or field.name.endswith("_html"))
    }
    registered = {field.model_field for field in FIELDS}
    assert stored_html <= registered, f"add to FIELDS: {sorted(stored_html - registered)}"


# --- properties (hypothesis) ----------------------------------------------------------

# Markdown and HTML syntax, schemes and invisible characters to glue payloads together.
FRAGMENTS = [
    "[", "]", "(", ")", "<", ">", "</", "/>", '"', "'", "`", "```", "~~", "*", "**", "_",
    "!", "\\", "&", "&#", ";", "#", "=", ":", " ", "\n", "\n\n", "  \n", "\t", "    ",
    "> ", "- ", "1. ", "[r]: ", "[x](", "](", "<a href=", " title=", " onclick=", "<img ",
    "<svg>", "<math>", "<style>", "<!--", "-->", "<![CDATA[", "javascript:", "JaVaScRiPt:",
    "data:", "vbscript:", "https://example.org", "mailto:a@example.org", "//evil.example",
    "&#106;", "&#x6A;", "&colon;", "%6A", "\u200b", "\ufeff", "\u00ad", "\u202e", "\x00",
    "\uff1c", "\uff1a", "alert(1)",
]  # fmt: skip
_corpus = st.sampled_from([payload for _id, payload in PAYLOADS])
mixed = st.lists(
    st.one_of(_corpus, st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=12
).map("".join)
# Every category, lone surrogates too (st.text() leaves them out, and hardly ever draws
# them from an alphabet that allows them).
any_unicode = st.lists(
    st.one_of(st.characters(exclude_categories=()), st.characters(categories=["Cs"]))
).map("".join)

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.one_of(st.text(), any_unicode, mixed))
def test_any_text_renders_inside_the_allowlist_and_sanitizing_it_again_changes_nothing(
    source: str,
) -> None:
    check(render_markdown(source))


@PROPERTY
@given(st.one_of(st.text(), any_unicode, mixed))
def test_the_sanitizer_keeps_any_html_inside_the_allowlist(html: str) -> None:
    check(sanitize_html(html), idempotent=False)
