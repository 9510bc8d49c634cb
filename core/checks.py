"""All photo checks in one call, and the batch command line.

``python -m core.checks PHOTO [PHOTO ...] [--kind handheld|id_copy|licence]`` prints one JSON
object per line per photo, in input order, and exits 0 even when photos have problems (2 on a
usage error). One bad file never stops the others. A file that cannot be read at all (missing,
a directory, no permission) is reported with ``problems: ["not_image"]``: from the applicant's
side there is no image to check, which is what that code means.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from core import quality, watermark
from core.config import load_settings
from core.errors import PhotoError
from core.photos import load_photo

KINDS = ("handheld", "id_copy", "licence")
PROBLEMS = ("not_image", "unsupported_format", "file_too_large", "too_many_pixels", "corrupt",
            "resolution_low", "blurry", "too_dark", "too_bright", "watermark_wrong", "no_face", "not_flat")
# The checks work on the photo decoded at this long side (JPEG: DCT-scaled, see core.photos).
ANALYSIS_SIDE = watermark.OCR_SIDE
CLI_KEYS = ("path", "ok", "format", "width", "height", "sharpness", "sharp", "watermark",
            "watermark_text", "problems", "seconds")


@dataclass
class PhotoReport:
    """Findings for one photo: the CLI contract's keys first, then the reviewer's evidence."""

    path: str | None
    ok: bool
    format: str | None
    width: int | None
    height: int | None
    sharpness: float | None
    sharp: bool | None
    watermark: str | None
    watermark_text: str | None
    problems: list[str]
    seconds: float
    # Evidence kept with the photo (not printed by the CLI).
    kind: str | None = None
    sha256: str | None = None
    phash: str | None = None
    blur_px: float | None = None
    blur_per_direction: list[float] = field(default_factory=list)
    anisotropy: float | None = None
    exposure: dict[str, Any] | None = None
    face_found: bool | None = None
    faces: list[list[float]] = field(default_factory=list)
    outline: dict[str, Any] | None = None
    watermark_runs: list[str] = field(default_factory=list)
    watermark_reason: str | None = None
    watermark_unread: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """Exactly the command line's keys, in its order."""
        d = asdict(self)
        return {k: d[k] for k in CLI_KEYS}

    def to_record(self) -> dict[str, Any]:
        """Every finding, JSON-serialisable, for storing with the photo."""
        return asdict(self)


def _empty(path: str | None, kind: str | None, code: str, started: float) -> PhotoReport:
    return PhotoReport(path=path, ok=False, format=None, width=None, height=None, sharpness=None,
                       sharp=None, watermark=None, watermark_text=None, problems=[code],
                       seconds=round(time.perf_counter() - started, 3), kind=kind)


def check_photo(data: bytes, *, kind: str | None = None, path: str | None = None,
                ocr: bool = True) -> PhotoReport:
    """Run every check that applies to a photo of ``kind`` and list the problems found.

    ``ocr=False`` skips the watermark reading (``watermark`` is then null): for a quick
    first answer while the OCR runs elsewhere.
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS} or None")
    started = time.perf_counter()
    settings = load_settings()
    try:
        photo = load_photo(data, max_side=ANALYSIS_SIDE)
    except PhotoError as err:
        return _empty(path, kind, err.code, started)
    rgb = np.asarray(photo.image)
    rgb = quality.resize_long(rgb, ANALYSIS_SIDE)
    grey = quality.to_grey(rgb)
    problems: list[str] = []
    if not quality.resolution_ok(photo.width, photo.height, settings.min_long_side):
        problems.append("resolution_low")
    sharp = quality.sharpness(rgb)
    if not sharp.sharp:
        problems.append("blurry")
    expo = quality.exposure(grey)
    if expo.too_dark:
        problems.append("too_dark")
    if expo.too_bright:
        problems.append("too_bright")
    report = PhotoReport(
        path=path, ok=False, format=photo.format, width=photo.width, height=photo.height,
        sharpness=sharp.score, sharp=sharp.sharp, watermark=None, watermark_text=None,
        problems=problems, seconds=0.0, kind=kind, sha256=photo.sha256, phash=quality.phash(grey),
        blur_px=sharp.blur_px, blur_per_direction=sharp.per_direction, anisotropy=sharp.anisotropy,
        exposure=asdict(expo))
    if kind in ("handheld", "licence"):
        card = quality.outline(grey)
        report.outline = asdict(card) | {"flat": card.flat} if card else None
        if kind == "handheld":
            report.faces = [list(map(float, f)) for f in quality.faces(grey)]
            report.face_found = quality.face_present(grey, card)
            if not report.face_found:
                problems.append("no_face")
        elif card is not None and not card.flat:
            problems.append("not_flat")
    if ocr:
        wm = watermark.check_watermark(rgb)
        report.watermark, report.watermark_text = wm.verdict, wm.text
        report.watermark_runs, report.watermark_reason = wm.runs, wm.reason
        report.watermark_unread = wm.unread
        if wm.verdict == "wrong":
            problems.append("watermark_wrong")
    report.problems = [p for p in PROBLEMS if p in problems]
    report.ok = not report.problems
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def check_path(path: str, *, kind: str | None = None) -> PhotoReport:
    """Check a file by name; an unreadable file is a ``not_image`` finding, not an exception."""
    started = time.perf_counter()
    try:
        with open(path, "rb") as fh:
            data = fh.read(load_settings().max_upload_bytes + 1)
    except OSError:
        return _empty(path, kind, "not_image", started)
    return check_photo(data, kind=kind, path=path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m core.checks",
        description="Check certification photos; one JSON object per line per photo.")
    parser.add_argument("photos", nargs="+", metavar="PHOTO")
    parser.add_argument("--kind", choices=KINDS, default=None,
                        help="handheld: also look for a face; licence: also check it lies flat")
    args = parser.parse_args(argv)
    for path in args.photos:
        report = check_path(path, kind=args.kind)
        print(json.dumps(report.to_json_dict(), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
