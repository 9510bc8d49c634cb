"""The stored photos are the generator's, and a damaged one is refused rather than judged."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from core.photos import load_photo
from tests import stored_photos as sp


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(load_photo(data).image, dtype=np.int16)


def test_every_stored_photo_is_listed_deep_in_its_seed_with_its_label():
    files = {p.stem for p in sp.FOLDER.glob("*.jpg")}
    assert files == {sp._key(*w) for w in sp.STORED} == set(sp._labels())
    for seed, index, lookalike in sp.STORED:
        assert index >= sp.STORED_FROM
        sample = sp.watermark_photo(seed, index, lookalike)
        assert sample.name.startswith(f"wm_{seed}_{index:03d}_")
        assert sample.watermark in ("none", "exact", "wrong") and load_photo(sample.data).image.size


def test_a_photo_not_stored_is_refused_with_how_to_store_it():
    with pytest.raises(KeyError, match="python -m tests.stored_photos"):
        sp.stored(11404, 17)


def test_a_stored_photo_is_the_one_the_generator_draws():
    # The cheapest of them (19 draws). Pixels, not bytes: a newer Pillow may encode or
    # anti-alias a little differently without changing the photo a test was written against.
    seed, index = min(sp.WATERMARK, key=lambda w: w[1])
    stored, drawn = sp.stored(seed, index), sp.draw(seed, index)
    assert (stored.name, stored.kind, stored.watermark, stored.watermark_text) == \
           (drawn.name, drawn.kind, drawn.watermark, drawn.watermark_text)
    assert {k: v for k, v in stored.info.items() if k != "contrast"} == \
           {k: v for k, v in drawn.info.items() if k != "contrast"}
    assert np.abs(_pixels(stored.data) - _pixels(drawn.data)).mean() < 1.0


def test_a_stored_photo_changed_on_disk_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "photos"
    shutil.copytree(sp.FOLDER, folder)
    monkeypatch.setattr(sp, "FOLDER", folder)
    monkeypatch.setattr(sp, "LABELS", folder / "labels.json")
    seed, index = sp.WATERMARK[0]
    path = folder / f"{sp._key(seed, index, False)}.jpg"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError, match="sha256"):
        sp.stored(seed, index)
