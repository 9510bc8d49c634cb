"""Reused photos: a resaved, resized, brightened or slightly cropped copy is the same picture;
another person's ID scan or licence of the same layout (whose hash is as near) is not."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageEnhance

from core import quality, reuse, synthetic


def _jpeg(image: Image.Image, q: int = 90) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=q)
    return buf.getvalue()


def _scan(rng: np.random.Generator) -> Image.Image:
    return Image.fromarray(synthetic.scan_scene(synthetic.draw_id_card(rng, 1100), 1600, 1100))


def _licence(rng: np.random.Generator) -> Image.Image:
    return Image.fromarray(synthetic.flat_scene(rng, synthetic.draw_licence(rng, 1400), 1600, 1200, "plain", 0.82, 0, 0.0))


def _handheld(rng: np.random.Generator) -> Image.Image:
    return Image.fromarray(synthetic.handheld_scene(rng, 1600, 1200, card=synthetic.draw_id_card(rng, 1100)))


def _copies(image: Image.Image) -> dict[str, bytes]:
    w, h = image.size
    return {
        "smaller, recompressed": _jpeg(image.resize((w * 6 // 10, h * 6 // 10)), 60),
        "heavily recompressed": _jpeg(image, 40),
        "brightened": _jpeg(ImageEnhance.Brightness(image).enhance(1.1)),
        "cropped 2 %": _jpeg(image.crop((w // 50, h // 50, w - w // 50, h - h // 50))),
        "cropped 5 %": _jpeg(image.crop((w // 20, h // 30, w - w // 30, h - h // 25))),
    }


@pytest.mark.parametrize("make", [_scan, _licence, _handheld], ids=["id scan", "licence", "hand-held"])
def test_given_a_copy_of_a_photo_then_the_same_picture(make) -> None:  # noqa: ANN001
    original = make(np.random.default_rng(3))
    mine = reuse.thumbnail(_jpeg(original))
    for name, data in _copies(original).items():
        share = reuse.differing_share(reuse.thumbnail(data), mine)
        assert share <= reuse.SAME_SHARE, name


@pytest.mark.parametrize("make", [_scan, _licence, _handheld], ids=["id scan", "licence", "hand-held"])
def test_given_other_documents_of_one_layout_then_not_the_same_picture_though_the_hash_is_near(make) -> None:  # noqa: ANN001
    rng = np.random.default_rng(11)
    images = [make(rng) for _ in range(4)]
    thumbs = [reuse.thumbnail(_jpeg(im)) for im in images]
    hashes = [quality.phash(np.asarray(im)) for im in images]
    for i in range(len(images)):
        for j in range(i + 1, len(images)):
            assert not reuse.same_picture(thumbs[i], thumbs[j]), (i, j)
    if make is _scan:
        # The reason for the second look: two people's scans hash alike.
        assert min(quality.phash_distance(hashes[i], hashes[j]) for i in range(4) for j in range(i + 1, 4)) \
            <= quality.PHASH_NEAR
