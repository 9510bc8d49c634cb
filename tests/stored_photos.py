"""Photos deep in the generated sets that tests single out, stored as the generator drew them.

Photo k of a seed is drawn after the k photos before it (the set is one random stream), about
a second each on a 2-core machine: photo 46 of a seed costs 47 draws. Photos from the
``STORED_FROM``-th of their seed on are stored instead (some 380 draws, a quarter of the
suite's time); each loads in milliseconds and stays the evidence its test was written against.
Shallower photos are drawn, which keeps the folder small. ``python -m tests.stored_photos``
draws the stored ones again and writes them (``--check``: compares instead, writing nothing);
a test keeps one of them compared with a fresh draw.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from tests import photoset as ps

FOLDER = Path(__file__).parent / "photos"
LABELS = FOLDER / "labels.json"

STORED_FROM = 12  # photos of a seed from this index on are stored, those before it drawn
# (seed, index) of the watermark set, and of its look-alike-only set (``watermark_set`` with
# ``subtle_only`` and ``kinds=("lookalike",)``; drawn with ``grounds``, which only adds
# ``info["on_paper"]``, as the test of 559/24 was written).
WATERMARK = [(9605, 25), (10206, 30), (10503, 37), (10601, 37), (10707, 23), (11404, 18),
             (11405, 39), (11501, 46), (11904, 23), (12306, 40), (12802, 27)]
LOOKALIKE = [(557, 25), (559, 24)]
STORED = [(s, i, False) for s, i in WATERMARK] + [(s, i, True) for s, i in LOOKALIKE]


def _key(seed: int, index: int, lookalike: bool) -> str:
    return f"{'lookalike' if lookalike else 'watermark'}_{seed}_{index:03d}"


def _labels() -> dict[str, dict]:
    return json.loads(LABELS.read_text(encoding="utf-8"))


def watermark_photo(seed: int, index: int, lookalike: bool = False) -> ps.Sample:
    """Photo ``index`` of ``seed``'s watermark set (or look-alike set): stored, or drawn when
    it is one of the first ``STORED_FROM`` of its seed."""
    return stored(seed, index, lookalike) if index >= STORED_FROM else draw(seed, index, lookalike)


def stored(seed: int, index: int, lookalike: bool = False) -> ps.Sample:
    """Photo ``index`` of ``seed``'s set as stored (listed above and written by ``main``)."""
    key = _key(seed, index, lookalike)
    label = _labels().get(key)
    if label is None:
        raise KeyError(f"{key} is not stored: list it here and run python -m tests.stored_photos")
    data = (FOLDER / f"{key}.jpg").read_bytes()
    if hashlib.sha256(data).hexdigest() != label["sha256"]:
        raise ValueError(f"{key}.jpg is not the photo stored (sha256 differs)")
    return ps.Sample(label["name"], data, "jpg", kind=label["kind"], watermark=label["watermark"],
                     watermark_text=label["watermark_text"], info=label["info"])


def draw(seed: int, index: int, lookalike: bool = False) -> ps.Sample:
    """Photo ``index`` of ``seed``'s set drawn again (slow: every photo before it is drawn too)."""
    extra = {"subtle_only": True, "kinds": ("lookalike",), "grounds": True} if lookalike else {}
    *_, sample = ps.watermark_set(seed, index + 1, **extra)
    return sample


def _entry(sample: ps.Sample) -> dict:
    """What ``labels.json`` keeps of a sample (as JSON gives it back: lists, not tuples)."""
    return json.loads(json.dumps({
        "name": sample.name, "kind": sample.kind, "watermark": sample.watermark,
        "watermark_text": sample.watermark_text, "info": sample.info,
        "sha256": hashlib.sha256(sample.data).hexdigest()}))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with a fresh draw, write nothing")
    args = ap.parse_args(argv)
    labels: dict[str, dict] = {}
    known = _labels() if args.check else {}
    differ = []
    if not args.check:
        FOLDER.mkdir(exist_ok=True)
    for seed, index, lookalike in STORED:
        key = _key(seed, index, lookalike)
        sample = draw(seed, index, lookalike)
        labels[key] = _entry(sample)
        if args.check:
            if labels[key] != known.get(key):
                differ.append(key)
        else:
            (FOLDER / f"{key}.jpg").write_bytes(sample.data)
        print(key, sample.name, "differs" if key in differ else "ok", flush=True)
    if not args.check:
        LABELS.write_text(json.dumps(labels, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                          encoding="utf-8")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
