"""The reviewer's photo view: rotation and zoom done on the server."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from core import viewer


def _photo() -> bytes:
    image = Image.new("RGB", (400, 200), "white")
    image.paste((255, 0, 0), (0, 0, 200, 200))  # left half red, right half white
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_rotating_a_quarter_turn_swaps_the_sides_and_moves_red_to_the_top() -> None:
    out = _open(viewer.view(_photo(), rotate=90))
    assert out.size == (200, 400)
    assert out.getpixel((100, 20))[0] > 200 and out.getpixel((100, 20))[1] < 60
    assert out.getpixel((100, 380)) > (200, 200, 200)


def test_zooming_into_the_left_half_shows_only_red() -> None:
    out = _open(viewer.view(_photo(), zoom=2.0, cx=0.25, cy=0.5))
    assert out.size == (200, 100)
    assert all(out.getpixel((x, 50))[1] < 60 for x in (5, 100, 195))


def test_zoom_window_stays_inside_the_photo() -> None:
    out = _open(viewer.view(_photo(), zoom=4.0, cx=1.0, cy=1.0))
    assert out.size == (100, 50) and out.getpixel((50, 25)) > (200, 200, 200)


def test_bad_rotation_refused() -> None:
    with pytest.raises(ValueError):
        viewer.view(_photo(), rotate=45)
