"""Sharpness, exposure, face, flatness and pHash on the generated, labelled photo set."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from core import quality
from core.photos import load_photo
from tests import photoset as ps
from tests.photo_fixtures import blur_samples, face_samples, flat_samples  # noqa: F401


def _rgb(data: bytes, side: int = 1280) -> np.ndarray:
    return quality.resize_long(np.asarray(load_photo(data, max_side=side).image), side)


def test_given_the_blur_set_when_judged_then_balanced_accuracy_at_least_097(blur_samples):  # noqa: F811
    tp = tn = pos = neg = 0
    wrong = []
    for s in blur_samples:
        got = quality.sharpness(_rgb(s.data)).sharp
        if s.sharp:
            pos += 1
            tp += got
        else:
            neg += 1
            tn += not got
        if got != s.sharp:
            wrong.append(s.name)
    balanced = (tp / pos + tn / neg) / 2
    assert balanced >= 0.97, (balanced, wrong)


def test_given_sharp_low_light_photos_when_judged_then_sharp(blur_samples):  # noqa: F811
    low = [s for s in blur_samples if s.info["class"] == "lowlight"]
    assert low
    assert all(quality.sharpness(_rgb(s.data)).sharp for s in low)


def test_given_a_crisp_watermark_on_a_blurred_photo_then_still_blurry(blur_samples):  # noqa: F811
    stamped = [s for s in blur_samples if s.info["class"] == "blur_wm"]
    assert stamped
    caught = sum(not quality.sharpness(_rgb(s.data)).sharp for s in stamped)
    # Known limit: on a scan whose thin print is blurred away, a bold crisp watermark can be
    # the strongest ink left (1 photo in 10 on the development seeds).
    assert caught / len(stamped) >= 0.85


def test_given_one_photo_at_two_resolutions_then_score_is_about_the_same():
    rng = np.random.default_rng(3)
    arr = ps.flat_scene(rng, ps.draw_id_card(rng, 3000), 4000, 3000, "wood", 0.7, 2, 0.02)
    big = quality.sharpness(_rgb(ps.jpeg(arr), 4000))
    small = quality.sharpness(_rgb(ps.jpeg(np.asarray(Image.fromarray(arr).resize((1600, 1200)))), 1600))
    assert big.sharp and small.sharp
    assert abs(big.blur_px - small.blur_px) < 0.6


def test_given_horizontal_motion_blur_then_blurry_though_vertical_edges_stay_sharp():
    rng = np.random.default_rng(4)
    arr = ps.scan_scene(ps.draw_licence(rng, 1600), 1600, 1200)
    blurred = ps.motion_blur(arr, 12, 0)
    s = quality.sharpness(blurred)
    assert not s.sharp
    assert quality.sharpness(arr).sharp


def test_given_exposures_then_dark_and_glare_flagged_and_normal_not():
    rng = np.random.default_rng(6)
    card = ps.draw_id_card(rng, 1200)
    arr = ps.flat_scene(rng, card, 1600, 1200, "plain", 0.7, 1, 0.02)
    grey = quality.to_grey
    normal = quality.exposure(grey(arr))
    assert not normal.too_dark and not normal.too_bright
    assert quality.exposure(grey(ps.low_light(rng, arr, 0.15))).too_dark
    dim = quality.exposure(grey(ps.low_light(rng, arr, 0.45)))
    assert not dim.too_dark  # dim but readable
    # A washed-out photo is too bright. (The glare-blob detector, quality._glare_share, does not
    # yet catch the generator's glare spots reliably; see the report.)
    assert quality.exposure(grey(ps.overexpose(arr, 4.0))).too_bright


def test_given_handheld_photos_then_face_found_only_with_a_person(face_samples):  # noqa: F811
    right = 0
    for s in face_samples:
        g = quality.to_grey(_rgb(s.data, 1000))
        right += quality.face_present(g, quality.outline(g)) == s.face
    assert right / len(face_samples) >= 0.9


def test_given_licences_then_skewed_or_rotated_ones_are_not_flat(flat_samples):  # noqa: F811
    right = 0
    for s in flat_samples:
        o = quality.outline(quality.to_grey(_rgb(s.data, 1000)))
        right += (o is None or o.flat) == s.flat
    assert right / len(flat_samples) >= 0.85


def test_given_a_resaved_photo_then_phash_near_and_another_photo_far():
    rng = np.random.default_rng(8)
    a = ps.flat_scene(rng, ps.draw_licence(rng, 1200), 1600, 1200, "wood", 0.75, 1, 0.02)
    b = ps.flat_scene(rng, ps.draw_id_card(rng, 1200), 1600, 1200, "plain", 0.6, -2, 0.03)
    ha = quality.phash(a)
    buf = io.BytesIO()
    Image.fromarray(a).resize((1000, 750)).save(buf, "JPEG", quality=60)
    resaved = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    assert len(ha) == 16
    assert quality.phash_distance(ha, quality.phash(resaved)) <= quality.PHASH_NEAR
    assert quality.phash_distance(ha, quality.phash(b)) > quality.PHASH_NEAR
    assert quality.phash_distance(ha, ha) == 0


def test_given_the_bundled_cascade_then_the_synthetic_face_is_detected():
    rng = np.random.default_rng(9)
    face = np.asarray(ps.draw_face(300, rng))
    canvas = np.full((900, 1200, 3), 120, np.uint8)
    canvas[100:100 + face.shape[0], 100:400] = face
    assert quality.faces(quality.to_grey(canvas))
