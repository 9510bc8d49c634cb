"""The 加水印 tool gives back a photo whose watermark the checker reads as exactly the phrase."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from core import checks, stamping, synthetic
from core.errors import PhotoError


def _licence_photo(fmt: str = "JPEG") -> bytes:
    rng = np.random.default_rng(7)
    scene = synthetic.flat_scene(rng, synthetic.draw_licence(rng, 1400), 1600, 1200, "plain", 0.85, 1.0, 0.0)
    buffer = io.BytesIO()
    Image.fromarray(scene).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.ocr
@pytest.mark.parametrize("color, fmt", [("grey", "JPEG"), ("red", "PNG")])
def test_stamped_photo_checks_exact_and_keeps_its_format(color: str, fmt: str) -> None:
    result = stamping.stamp_upload(_licence_photo(fmt), color=color, opacity=0.4)
    assert result.mime == ("image/png" if fmt == "PNG" else "image/jpeg")
    report = checks.check_photo(result.data, kind="licence")
    assert result.verdict == "exact" and report.watermark == "exact"
    assert "watermark_wrong" not in report.problems


def test_a_pdf_is_refused_like_any_upload() -> None:
    with pytest.raises(PhotoError) as err:
        stamping.stamp_upload(b"%PDF-1.7 not a photo")
    assert err.value.code == "not_image"


def test_unknown_colour_refused() -> None:
    with pytest.raises(ValueError):
        stamping.stamp_upload(_licence_photo(), color="green")
