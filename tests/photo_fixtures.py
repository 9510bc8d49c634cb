"""Session-scoped photo sets for the photo tests, generated once into pytest's tmp dir."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests import photoset as ps

# Development seeds were 1, 3 and 7, then 101, 102, 501 and 502 (the overlay layer and the
# consensus judge); the tests use fresh ones plus the held-out seeds, which were never tuned on.
BLUR_SEEDS = (11, ps.HELD_OUT_SEED)
WM_SEED = ps.HELD_OUT_SEED + 1
SUBTLE_SEED = ps.HELD_OUT_SEED + 2
LOOKALIKE_SEED = ps.HELD_OUT_SEED + 3


@pytest.fixture(scope="session")
def hostile() -> list[ps.Sample]:
    return ps.hostile_samples(np.random.default_rng(5))


@pytest.fixture(scope="session")
def blur_samples() -> list[ps.Sample]:
    out: list[ps.Sample] = []
    for seed in BLUR_SEEDS:
        out += list(ps.blur_set(seed, 35, big=1))
    return out


@pytest.fixture(scope="session")
def watermark_samples() -> list[ps.Sample]:
    return list(ps.watermark_set(WM_SEED, 48))


@pytest.fixture(scope="session")
def subtle_samples() -> list[ps.Sample]:
    """Wrong watermarks one character or a few away from the phrase (never to be "exact")."""
    return list(ps.watermark_set(SUBTLE_SEED, 16, subtle_only=True))


@pytest.fixture(scope="session")
def lookalike_samples() -> list[ps.Sample]:
    """Wrong watermarks with one character swapped for a look-alike (请→清, 中→申): the change
    the recogniser's expectations pull towards the phrase."""
    return list(ps.watermark_set(LOOKALIKE_SEED, 16, subtle_only=True, kinds=("lookalike",)))


@pytest.fixture(scope="session")
def face_samples() -> list[ps.Sample]:
    return list(ps.face_set(21, 12))


@pytest.fixture(scope="session")
def flat_samples() -> list[ps.Sample]:
    return list(ps.flat_set(31, 12))


@pytest.fixture(scope="session")
def photo_dir(tmp_path_factory: pytest.TempPathFactory, hostile: list[ps.Sample]) -> Path:
    folder = tmp_path_factory.mktemp("photos")
    for s in hostile:
        s.write(folder)
    return folder
