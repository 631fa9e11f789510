"""Pictures for the demo's news, drawn here (no image files in the repository, nothing
to license): a market stall with crates of vegetables under a summer sky."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 675


def market_stall() -> ContentFile[bytes]:
    picture = Image.new("RGB", (WIDTH, HEIGHT), "#bfe3f2")
    draw = ImageDraw.Draw(picture)
    for y in range(HEIGHT // 2):  # the sky, lighter towards the horizon
        shade = 200 + y * 55 // (HEIGHT // 2)
        draw.line([(0, y), (WIDTH, y)], fill=(shade - 40, min(shade, 250), 250))
    draw.ellipse([930, 60, 1070, 200], fill="#ffd24a")  # the sun
    draw.rectangle([0, HEIGHT // 2, WIDTH, HEIGHT], fill="#8fbf6a")  # the square
    draw.rectangle([200, 230, 1000, 300], fill="#1f6f43")  # the awning
    for x in range(200, 1000, 80):
        draw.rectangle([x, 230, x + 40, 300], fill="#f4f1e8")
    draw.rectangle([230, 300, 245, 520], fill="#5b4a3a")  # the posts
    draw.rectangle([955, 300, 970, 520], fill="#5b4a3a")
    draw.rectangle([220, 440, 980, 540], fill="#a0744f")  # the table
    crops = ["#e8562a", "#f2a51a", "#3f8f3a", "#7a3f8f", "#d93a3a", "#6fae2f"]
    for index, x in enumerate(range(250, 940, 115)):  # crates full of vegetables
        draw.rectangle([x, 380, x + 95, 445], fill="#c99a62", outline="#8a6640", width=4)
        for dx in range(10, 90, 22):
            draw.ellipse([x + dx, 360, x + dx + 24, 392], fill=crops[index % len(crops)])
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return ContentFile(out.getvalue(), name="marktstand.png")
