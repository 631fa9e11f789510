"""A news item's picture: who may put one on, what is refused (not an image, too big,
too many pixels, an SVG), that what is stored is drawn anew (no EXIF, no GPS position,
no bytes of the sender's beyond the pixels), that it is served under /media/ and goes
when it is replaced, taken away or the news item is deleted; the same by the form."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from community.models import News
from tests.community.conftest import People
from tests.factories import ApiAs

pytestmark = pytest.mark.django_db


def jpeg(size: tuple[int, int] = (800, 600), *, gps: bool = False) -> bytes:
    picture = Image.new("RGB", size, "#3f8f3a")
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (48.0, 46.0, 36.0), 3: "E", 4: (9.0, 10.0, 48.0)}
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_with_alpha() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (255, 0, 0, 128)).save(out, format="PNG")
    return out.getvalue()


def huge_png_header() -> bytes:
    """A PNG that says it is 100,000 by 100,000 pixels (10 gigapixels): refused unread."""
    out = io.BytesIO()
    Image.new("L", (1, 1)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    data[16:24] = struct.pack(">II", 100_000, 100_000)  # IHDR width, height
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))  # and its checksum
    return bytes(data)


def _news(api_as: ApiAs, people: People) -> dict[str, Any]:
    body = {"title": "Gemüse gerettet", "teaser": "180 kg", "initiative": people.initiative.slug}
    return dict(api_as(people.lena).post("/api/news/", body, format="json").json())


def _upload(
    api_as: ApiAs, user: Any, news_id: int, content: bytes, name: str = "bild.jpg", **extra: str
) -> Any:
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return api_as(user).post(
        f"/api/news/{news_id}/image/", {"image": upload, **extra}, format="multipart"
    )


def _files() -> set[Path]:
    return set(Path(settings.MEDIA_ROOT).rglob("*.*"))


def _stored(news_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / News.objects.get(pk=news_id).image.name


def test_a_picture_is_stored_drawn_anew_without_what_the_camera_wrote(
    api_as: ApiAs, people: People
) -> None:
    news = _news(api_as, people)

    response = _upload(
        api_as, people.lena, news["id"], jpeg((3000, 2000), gps=True), alt="Kisten voller Gemüse"
    )

    assert response.status_code == 200
    data = response.json()
    assert data["image"].startswith("/media/news/") and data["image"].endswith(".jpg")
    assert data["image_alt"] == "Kisten voller Gemüse"
    assert "bild" not in data["image"]  # a random name, never the sender's
    with Image.open(_stored(news["id"])) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1600, 1067)  # scaled to the longest side
        assert not stored.getexif()  # no camera, no GPS position
    assert api_as(None).get(f"/api/news/{news['id']}/").json()["image"] == data["image"]


def test_transparency_is_kept_as_png(api_as: ApiAs, people: People) -> None:
    news = _news(api_as, people)

    response = _upload(api_as, people.lena, news["id"], png_with_alpha(), name="logo.png")

    assert response.json()["image"].endswith(".png")
    with Image.open(_stored(news["id"])) as stored:
        assert stored.mode == "RGBA"


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"<html><script>alert(1)</script></html>", "bild.jpg", "kein Bild"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "bild.svg",
            "kein Bild",
        ),
        (huge_png_header(), "riesig.png", "zu viele Pixel"),
        (b"GIF89a" + b"\x00" * 64, "bild.gif", "kein Bild"),
    ],
    ids=["html", "svg", "decompression-bomb", "broken-gif"],
)
def test_what_is_not_a_picture_we_take_is_refused_and_nothing_is_stored(
    api_as: ApiAs, people: People, content: bytes, name: str, words: str
) -> None:
    news = _news(api_as, people)
    before = _files()

    response = _upload(api_as, people.lena, news["id"], content, name=name)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert words in response.json()["detail"]
    assert not News.objects.get(pk=news["id"]).image
    assert _files() == before


def test_a_gif_is_refused_by_its_format(api_as: ApiAs, people: People) -> None:
    news = _news(api_as, people)
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")

    response = _upload(api_as, people.lena, news["id"], out.getvalue(), name="bild.gif")

    assert response.status_code == 400
    assert "JPEG-, PNG- oder WebP" in response.json()["detail"]


def test_too_many_bytes_are_refused_before_they_are_read(
    api_as: ApiAs, people: People, settings: Any
) -> None:
    settings.KLIMA = {**settings.KLIMA, "IMAGE_MAX_BYTES": 100_000}
    news = _news(api_as, people)

    response = _upload(api_as, people.lena, news["id"], b"\xff" * 300_000)

    assert response.status_code == 400
    assert "zu groß" in response.json()["detail"]


def test_only_who_may_take_the_news_down_changes_its_picture(api_as: ApiAs, people: People) -> None:
    news = _news(api_as, people)

    assert _upload(api_as, people.jonas, news["id"], jpeg()).status_code == 403
    assert _upload(api_as, people.other_lead, news["id"], jpeg()).status_code == 403
    assert _upload(api_as, None, news["id"], jpeg()).status_code == 401
    assert _upload(api_as, people.lena, 999_999, jpeg()).status_code == 404
    assert _upload(api_as, people.mira, news["id"], jpeg()).status_code == 200
    no_file = api_as(people.lena).post(f"/api/news/{news['id']}/image/", {}, format="multipart")
    assert no_file.status_code == 400
    as_json = api_as(people.lena).post(f"/api/news/{news['id']}/image/", {}, format="json")
    assert as_json.status_code == 415


def test_replacing_removing_and_deleting_take_the_old_file_away(
    api_as: ApiAs, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    news = _news(api_as, people)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(api_as, people.lena, news["id"], jpeg())
    first = _stored(news["id"])
    with django_capture_on_commit_callbacks(execute=True):
        _upload(api_as, people.lena, news["id"], jpeg((400, 300)))
    second = _stored(news["id"])
    assert first.exists() is False and second.exists()

    with django_capture_on_commit_callbacks(execute=True):
        removed = api_as(people.lena).delete(f"/api/news/{news['id']}/image/")
    assert removed.status_code == 200 and removed.json()["image"] is None
    assert not second.exists()

    with django_capture_on_commit_callbacks(execute=True):
        _upload(api_as, people.lena, news["id"], jpeg())
    third = _stored(news["id"])
    with django_capture_on_commit_callbacks(execute=True):
        assert api_as(people.lena).delete(f"/api/news/{news['id']}/").status_code == 204
    assert not third.exists()


def test_the_picture_is_served_as_an_image_under_a_csp_that_runs_nothing(
    api_as: ApiAs, people: People
) -> None:
    news = _news(api_as, people)
    url = _upload(api_as, people.lena, news["id"], jpeg()).json()["image"]

    response = Client().get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert Client().get("/media/../collab/settings.py").status_code in (400, 404)
    assert Client().get("/media/news/").status_code == 404


def test_a_lead_writes_news_with_a_picture_by_the_form(people: People) -> None:
    client = Client()
    client.force_login(people.lena)
    url = f"/neuigkeiten/neu/?initiative={people.initiative.slug}"
    fields = {"title": "Lötstation", "teaser": "Neu im Repair-Café", "body": ""}

    page = client.get(url).content.decode()
    assert (
        'enctype="multipart/form-data"' in page
        and 'accept="image/jpeg,image/png,image/webp"' in page
    )
    refused = client.post(url, {**fields, "image": SimpleUploadedFile("x.jpg", b"kein Bild")})
    assert refused.status_code == 400
    assert "field--error" in refused.content.decode() and "kein Bild" in refused.content.decode()
    assert not News.objects.exists()

    done = client.post(
        url,
        {**fields, "image": SimpleUploadedFile("foto.jpg", jpeg()), "image_alt": "Eine Lötstation"},
        follow=True,
    )
    news = News.objects.get()
    assert news.image.name.startswith("news/")
    assert f'src="{news.image.url}" alt="Eine Lötstation"' in done.content.decode()
    listing = Client().get("/neuigkeiten/").content.decode()
    assert f'<img class="card__image" src="{news.image.url}"' in listing
