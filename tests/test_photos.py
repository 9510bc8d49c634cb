"""Photo intake: format by content, caps, EXIF orientation, truncation."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageFile

from core.errors import PhotoError
from core.photos import load_photo
from tests.photo_fixtures import hostile  # noqa: F401  (fixture)
from tests.photoset import Sample, jpeg


def _by_name(samples: list[Sample], name: str) -> Sample:
    return next(s for s in samples if s.name == name)


@pytest.mark.parametrize("name,code", [
    ("pdf_renamed", "not_image"), ("text_renamed", "not_image"), ("empty", "not_image"),
    ("truncated_jpeg", "corrupt"), ("bomb_png", "too_many_pixels"), ("gif", "unsupported_format"),
    ("webp", "unsupported_format"), ("bmp", "unsupported_format"), ("tiff", "unsupported_format"),
])
def test_given_a_hostile_file_when_loaded_then_refused_with_its_code(hostile, name, code):  # noqa: F811
    with pytest.raises(PhotoError) as err:
        load_photo(_by_name(hostile, name).data)
    assert err.value.code == code
    assert err.value.key == f"photo.problem.{code}"


@pytest.mark.parametrize("name", ["cmyk_jpeg", "alpha_png", "palette_png", "exif_rotated"])
def test_given_an_odd_but_valid_photo_when_loaded_then_rgb_upright(hostile, name):  # noqa: F811
    s = _by_name(hostile, name)
    photo = load_photo(s.data)
    assert photo.image.mode == "RGB"
    assert (photo.width, photo.height) == tuple(s.info["size"])
    assert photo.image.size == tuple(s.info["size"])
    assert len(photo.sha256) == 64


def test_given_exif_rotation_when_loaded_then_content_is_upright(hostile):  # noqa: F811
    upright = np.asarray(load_photo(_by_name(hostile, "cmyk_jpeg").data).image).astype(int)
    turned = np.asarray(load_photo(_by_name(hostile, "exif_rotated").data).image).astype(int)
    assert upright.shape == turned.shape
    assert np.abs(upright - turned).mean() < 12  # same picture, two JPEG round trips apart


def test_given_caps_when_exceeded_then_size_and_pixels_refused():
    data = jpeg(np.full((1200, 1600, 3), 200, np.uint8))
    with pytest.raises(PhotoError) as err:
        load_photo(data, max_bytes=len(data) - 1)
    assert err.value.code == "file_too_large"
    with pytest.raises(PhotoError) as err:
        load_photo(data, max_pixels=1600 * 1200 - 1)
    assert err.value.code == "too_many_pixels"


def test_given_a_png_truncated_when_loaded_then_corrupt():
    buf = io.BytesIO()
    Image.fromarray((np.random.default_rng(0).random((600, 800, 3)) * 255).astype(np.uint8)).save(buf, "PNG")
    with pytest.raises(PhotoError) as err:
        load_photo(buf.getvalue()[: buf.tell() // 2])
    assert err.value.code == "corrupt"


def test_given_a_truncated_jpeg_when_loaded_fast_then_still_corrupt(hostile):  # noqa: F811
    with pytest.raises(PhotoError) as err:
        load_photo(_by_name(hostile, "truncated_jpeg").data, max_side=300)
    assert err.value.code == "corrupt"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_given_a_phone_photo_when_loaded_for_analysis_then_reduced_but_full_size_reported():
    data = jpeg(np.full((3000, 4000, 3), 180, np.uint8))
    photo = load_photo(data, max_side=1280)
    assert (photo.width, photo.height) == (4000, 3000)
    assert 1280 <= photo.image.width <= 2560
    assert photo.scale == pytest.approx(photo.image.width / 4000)
    assert load_photo(data).image.size == (4000, 3000)
