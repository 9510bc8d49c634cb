"""Read the watermark with OCR, judge it against the official phrase, and stamp the official one.

The rule (from the seed): a watermark is optional, but when there is one it must read exactly
``OFFICIAL`` and nothing else. The verdicts:

* ``none``  - no overlay text found;
* ``exact`` - every watermark run is a piece of the official phrase (tiles may wrap from
  "...使用" to "仅供..."), and the whole phrase is read in one piece somewhere;
* ``wrong`` - anything else: other or extra words, a missing, changed, traditional or look-alike
  character, words reordered, English, a prefix or a suffix, only part of the phrase.

A wrong watermark judged ``exact`` is the worst mistake, so doubt resolves to ``wrong``; the only
leniency is for tiled watermarks, where one tile misread by the OCR (a character read as something
else or dropped, typically where the tile crosses the card's own print) is forgiven when at
least two other tiles read that very character correctly and no other tile repeats the misreading.

How watermark text is told apart from the document's own print (each is enough):
its text is close to the phrase; its baseline is tilted against the document's text; its strokes
are faint (semi-transparent overlay) or coloured; or the same text repeats on three lines or more.
"""

from __future__ import annotations

import logging
import math
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw

from core.fonts import cjk_font

OFFICIAL = "仅供办理中国版权保护中心各项申请使用"
OCR_SIDE = 1280  # long side the OCR sees: ~0.65 s per photo on 2 cores
COLORS: dict[str, tuple[int, int, int]] = {"grey": (128, 128, 128), "red": (220, 40, 40), "blue": (40, 90, 220)}

# A line is "close to the phrase" when its edit distance to some stretch of the (repeated)
# phrase is at most this share of its length.
PHRASE_CLOSE = 0.34
TILT_LIMIT = 8.0  # degrees between a line and the document's text that make it an overlay
FAINT_LIMIT = 0.45  # stroke contrast below this share of the background: a translucent overlay
COLOUR_LIMIT = 60.0  # mean saturation x value of the strokes above this: coloured overlay
TILE_RUNS = 4  # from this many runs on, a watermark is judged by the tiles' consensus
MAJORITY = 3  # right readings needed per one-off misreading at the same place
REREAD_GROUPS = 3  # up to this many watermark lines are read again along their strip

_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()


def engine() -> Any:
    """The process-wide RapidOCR engine, created on first use (default bundled models only)."""
    global _ENGINE
    if _ENGINE is None:
        with _ENGINE_LOCK:
            if _ENGINE is None:
                from pathlib import Path

                import rapidocr
                from rapidocr import RapidOCR

                models = Path(rapidocr.__file__).resolve().parent / "models"
                logging.getLogger("RapidOCR").setLevel(logging.ERROR)
                params = {
                    "Global.log_level": "error",
                    # Point at the files in the wheel so nothing is ever downloaded.
                    "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
                    "Cls.model_path": str(models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
                    "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
                    # Lower thresholds: faint overlay text must still be boxed.
                    "Det.box_thresh": 0.3,
                    "Det.thresh": 0.2,
                }
                for key in ("Det.model_path", "Cls.model_path", "Rec.model_path"):
                    if not Path(params[key]).is_file():
                        raise RuntimeError(f"OCR model missing: {params[key]} (reinstall rapidocr)")
                _ENGINE = RapidOCR(params=params)
                logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return _ENGINE


@dataclass
class OcrLine:
    """One text line as the OCR boxed it, with what tells overlay from print."""

    text: str
    score: float
    box: np.ndarray  # 4 x 2 corners in OCR-image px
    angle: float  # degrees, baseline direction, in (-90, 90]
    height: float
    length: float
    cx: float
    cy: float
    contrast: float = 1.0
    colour: float = 0.0
    is_watermark: bool = False
    why: str = ""


@dataclass
class WatermarkReport:
    """The verdict, the watermark text read (runs joined by " / "), and the evidence."""

    verdict: str  # none | exact | wrong
    text: str | None
    runs: list[str] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    reason: str = ""


# ---------------------------------------------------------------- OCR


def ocr_lines(rgb: np.ndarray) -> list[OcrLine]:
    """All text lines in an RGB image (resized so the long side is at most OCR_SIDE)."""
    h, w = rgb.shape[:2]
    k = OCR_SIDE / max(h, w)
    if k < 1:
        rgb = cv2.resize(rgb, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    eng = engine()
    with _RUN_LOCK:  # the engine's parameters are shared state; one photo at a time
        result = eng(bgr)
    if result is None or getattr(result, "txts", None) is None or result.boxes is None:
        return []
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    out = []
    for box, text, score in zip(result.boxes, result.txts, result.scores):
        text = normalise(text)
        if not text:
            continue
        line = _geometry(np.asarray(box, np.float32), text, float(score))
        line.contrast, line.colour = _appearance(grey, hsv, line.box)
        out.append(line)
    return out


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), no spaces or punctuation, Latin upper case."""
    text = unicodedata.normalize("NFKC", text)
    keep = [c for c in text if unicodedata.category(c)[0] in "LN"]
    return "".join(keep).upper()


def _geometry(box: np.ndarray, text: str, score: float) -> OcrLine:
    """Baseline angle, height and centre of a box (corners tl, tr, br, bl as the OCR gives)."""
    top = box[1] - box[0]
    side = box[3] - box[0]
    length, height = float(np.linalg.norm(top)), float(np.linalg.norm(side))
    if height > length * 1.5 and len(text) > 1:
        # Boxed along its short side (steep line): the baseline is the long side.
        top, side = side, -top
        length, height = height, length
    angle = math.degrees(math.atan2(top[1], top[0]))
    if angle <= -90:
        angle += 180
    elif angle > 90:
        angle -= 180
    c = box.mean(axis=0)
    return OcrLine(text=text, score=score, box=box, angle=angle, height=height, length=length,
                   cx=float(c[0]), cy=float(c[1]))


def _appearance(grey: np.ndarray, hsv: np.ndarray, box: np.ndarray) -> tuple[float, float]:
    """Stroke contrast (share of the background's brightness) and stroke colourfulness."""
    mask = np.zeros(grey.shape, np.uint8)
    cv2.fillPoly(mask, [box.astype(np.int32)], 1)
    vals = grey[mask > 0]
    if vals.size < 20:
        return 1.0, 0.0
    lo, bg = np.percentile(vals, [8, 85])
    contrast = float((bg - lo) / max(bg, 1.0))
    strokes = (mask > 0) & (grey <= lo + 0.35 * (bg - lo))
    sv = hsv[strokes]
    colour = float((sv[:, 1].astype(np.float32) * sv[:, 2] / 255).mean()) if sv.size else 0.0
    return contrast, colour


# ---------------------------------------------------------------- alignment with the phrase


def align(text: str, phrase: str = OFFICIAL, copies: int = 3) -> tuple[int, list[tuple[str, int, str]]]:
    """Edit distance of ``text`` to its best-matching stretch of the repeated phrase.

    Returns (distance, ops); ops are ("=", k, c) match, ("~", k, c) substitution, ("-", k, "")
    phrase character k missing, ("+", k, c) extra character c before phrase position k.
    """
    ref = phrase * copies
    n, m = len(ref), len(text)
    inf = 10 ** 6
    # d[i][j]: text[:i] aligned ending at ref[:j]; free start anywhere in ref.
    d = [[0] * (n + 1)] + [[inf] * (n + 1) for _ in range(m)]
    for i in range(1, m + 1):
        d[i][0] = i
    for i in range(1, m + 1):
        ti = text[i - 1]
        row, prev = d[i], d[i - 1]
        for j in range(1, n + 1):
            best = prev[j - 1] + (0 if ti == ref[j - 1] else 1)
            if prev[j] + 1 < best:
                best = prev[j] + 1
            if row[j - 1] + 1 < best:
                best = row[j - 1] + 1
            row[j] = best
    j = min(range(n + 1), key=lambda jj: d[m][jj])
    dist = d[m][j]
    ops: list[tuple[str, int, str]] = []
    i = m
    L = len(phrase)
    while i > 0:
        if j > 0 and d[i][j] == d[i - 1][j - 1] + (0 if text[i - 1] == ref[j - 1] else 1):
            ops.append(("=" if text[i - 1] == ref[j - 1] else "~", (j - 1) % L, text[i - 1]))
            i, j = i - 1, j - 1
        elif d[i][j] == d[i - 1][j] + 1:
            ops.append(("+", j % L, text[i - 1]))
            i -= 1
        elif j > 0:
            ops.append(("-", (j - 1) % L, ""))
            j -= 1
        else:
            ops.append(("+", 0, text[i - 1]))
            i -= 1
    ops.reverse()
    return dist, ops


def is_piece(run: str, phrase: str = OFFICIAL) -> bool:
    """Is ``run`` a contiguous stretch of the phrase repeated end to end?"""
    copies = len(run) // len(phrase) + 2
    return run in phrase * copies


def close_to_phrase(text: str) -> bool:
    if len(text) < 3:
        return False
    dist, _ = align(text)
    return dist <= PHRASE_CLOSE * len(text)


# ---------------------------------------------------------------- telling overlay from print


def _angle_diff(a: float, b: float) -> float:
    d = abs(a - b) % 180
    return min(d, 180 - d)


def classify(lines: list[OcrLine]) -> None:
    """Mark each line as watermark or the document's own print (in place)."""
    if not lines:
        return
    close = [close_to_phrase(ln.text) for ln in lines]
    counts: dict[str, int] = {}
    for ln in lines:
        if len(ln.text) >= 2:
            counts[ln.text] = counts.get(ln.text, 0) + 1
    # The document's text direction: from print-looking lines (crisp, dark, not phrase-like).
    doc = [ln for ln, c in zip(lines, close) if not c and ln.contrast > FAINT_LIMIT and ln.colour < COLOUR_LIMIT
           and len(ln.text) >= 2]
    weights = [ln.length for ln in doc]
    doc_angle = _weighted_median([ln.angle for ln in doc], weights) if doc else 0.0
    doc_height = float(np.median([ln.height for ln in doc])) if doc else 0.0
    for ln, c in zip(lines, close):
        reasons = []
        if c:
            reasons.append("phrase")
        if _angle_diff(ln.angle, doc_angle) >= TILT_LIMIT and (len(ln.text) >= 2 or ln.length > 2 * ln.height):
            reasons.append("tilted")
        # Faint alone is not enough (ID cards print their labels in light blue): the overlay is
        # also taller than the print, or fainter than any print.
        if len(ln.text) >= 2 and (ln.contrast < FAINT_LIMIT / 2
                                  or (ln.contrast < FAINT_LIMIT and ln.height >= 1.3 * doc_height)):
            reasons.append("faint")
        if counts.get(ln.text, 0) >= 3:
            reasons.append("repeated")
        ln.is_watermark = bool(reasons)
        ln.why = ",".join(reasons)


def _weighted_median(values: list[float], weights: list[float]) -> float:
    order = np.argsort(values)
    cum = np.cumsum(np.asarray(weights)[order])
    return float(np.asarray(values)[order][int(np.searchsorted(cum, cum[-1] / 2))])


# ---------------------------------------------------------------- stitching fragments


def stitch(lines: list[OcrLine]) -> list[str]:
    """Join watermark fragments that sit on one straight line, in reading order.

    Fragments are on the same line when their angles agree and their centres lie on a common
    baseline; consecutive fragments are joined when the gap between them is under about one
    character, otherwise they start a new run (tiles are usually spaced apart).
    """
    wm = [ln for ln in lines if ln.is_watermark]
    groups: list[list[OcrLine]] = []
    for ln in sorted(wm, key=lambda x: -x.length):
        a = math.radians(ln.angle)
        for g in groups:
            ref = g[0]
            if _angle_diff(ln.angle, ref.angle) > 6:
                continue
            ra = math.radians(ref.angle)
            off = (-math.sin(ra) * (ln.cx - ref.cx) + math.cos(ra) * (ln.cy - ref.cy))
            if abs(off) <= 0.6 * max(ref.height, ln.height):
                g.append(ln)
                break
        else:
            groups.append([ln])
        del a
    runs: list[str] = []
    for g in groups:
        ra = math.radians(g[0].angle)
        ux, uy = math.cos(ra), math.sin(ra)
        items = sorted(((ux * ln.cx + uy * ln.cy, ln) for ln in g), key=lambda t: t[0])
        cur, cur_end = "", None
        for t, ln in items:
            start, end = t - ln.length / 2, t + ln.length / 2
            char = max(ln.height, 1.0)
            if cur and cur_end is not None and start - cur_end <= 1.0 * char:
                if start - cur_end < -0.5 * char:
                    cur = _merge_overlap(cur, ln.text)
                else:
                    cur += ln.text
                cur_end = max(cur_end, end)
            else:
                if cur:
                    runs.append(cur)
                cur, cur_end = ln.text, end
        if cur:
            runs.append(cur)
    return runs


def _merge_overlap(a: str, b: str) -> str:
    """Join two readings of overlapping boxes: drop b's head where it repeats a's tail."""
    for k in range(min(len(a), len(b)), 0, -1):
        if a.endswith(b[:k]):
            return a + b[k:]
    return a + b


# ---------------------------------------------------------------- the verdict


def judge(runs: list[str]) -> tuple[str, str]:
    """Verdict and reason for the stitched watermark runs."""
    runs = [r for r in runs if r]
    if not runs:
        return "none", "no overlay text"
    bad = [r for r in runs if not is_piece(r)]
    whole = any(OFFICIAL in r for r in runs)
    if not bad:
        return ("exact", "every run is a piece of the phrase") if whole else ("wrong", "only part of the phrase")
    if len(runs) < TILE_RUNS:
        return "wrong", f"not the phrase: {bad[0]}"
    return _judge_tiles(runs)


def _judge_tiles(runs: list[str]) -> tuple[str, str]:
    """Many tiles: what the watermark says is what the tiles agree on.

    Each difference from the phrase (a character read differently or missing at one place, or
    extra characters between two places) is weighed against the tiles that read that place
    right; it is an OCR slip only when the right readings outnumber it ``MAJORITY`` to one.
    A real change (look-alike, missing word, prefix...) is in every tile, so it is read about
    as often as the right text would be. Every character must be read right somewhere.
    """
    correct: dict[int, int] = {}
    joined: dict[int, int] = {}  # runs reading phrase positions k-1 and k side by side
    devs: dict[tuple[str, int, str], int] = {}
    edge: dict[tuple[str, int, str], int] = {}
    for r in runs:
        _, ops = align(r)
        matched = [i for i, o in enumerate(ops) if o[0] == "="]
        first, last = (matched[0], matched[-1]) if matched else (len(ops), -1)
        prev: tuple[str, int] | None = None
        for i, (op, k, c) in enumerate(ops):
            if op == "+" and (i < first or i > last):
                # Extra characters at a run's end: a neighbour of the tile, or a prefix/suffix.
                edge[(op, k, c)] = edge.get((op, k, c), 0) + 1
            elif op == "=":
                correct[k] = correct.get(k, 0) + 1
                if prev is not None and prev[0] == "=" and (prev[1] + 1) % len(OFFICIAL) == k:
                    joined[k] = joined.get(k, 0) + 1
            else:
                devs[(op, k, c)] = devs.get((op, k, c), 0) + 1
            prev = (op, k)
    missing = [k for k in range(len(OFFICIAL)) if correct.get(k, 0) == 0]
    if missing:
        return "wrong", f"never read: {''.join(OFFICIAL[k] for k in missing)}"
    for (op, k, c), n in edge.items():
        # A prefix or suffix is the same characters at the same place in tile after tile;
        # print that a tile happens to touch differs from tile to tile.
        if n >= 2:
            return "wrong", f"extra {c} before {OFFICIAL[k]} in {n} tiles"
    for (op, k, c), n in sorted(devs.items(), key=lambda kv: -kv[1]):
        right = joined.get(k, 0) if op == "+" else correct.get(k, 0)
        if right < MAJORITY * n:
            return "wrong", f"difference {op}{c or ''} at {OFFICIAL[k]} read {n}x, right {right}x"
    return "exact", "tiles agree with the phrase; one-off misreadings outvoted"


def _groups(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """Watermark lines grouped by the straight line they sit on."""
    groups: list[list[OcrLine]] = []
    for ln in sorted((x for x in lines if x.is_watermark), key=lambda x: -x.length):
        for g in groups:
            ref = g[0]
            if _angle_diff(ln.angle, ref.angle) > 6:
                continue
            ra = math.radians(ref.angle)
            off = -math.sin(ra) * (ln.cx - ref.cx) + math.cos(ra) * (ln.cy - ref.cy)
            if abs(off) <= 0.6 * max(ref.height, ln.height):
                g.append(ln)
                break
        else:
            groups.append([ln])
    return groups


def reread(rgb_ocr: np.ndarray, group: list[OcrLine]) -> list[OcrLine]:
    """Read one watermark line again from a strip cut along it, turned level.

    A big single watermark is often boxed only in pieces where it crosses the card's print; in
    a level strip the overlay is the only whole line of text, and the print is cut off.
    """
    ref = max(group, key=lambda x: x.length)
    h, w = rgb_ocr.shape[:2]
    m = cv2.getRotationMatrix2D((ref.cx, ref.cy), ref.angle, 1.0)
    diag = int(math.hypot(w, h))
    m[0, 2] += diag / 2 - ref.cx
    m[1, 2] += diag / 2 - ref.cy
    level = cv2.warpAffine(rgb_ocr, m, (diag, diag), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    half = int(ref.height * 1.1)
    strip = level[max(0, diag // 2 - half): diag // 2 + half]
    bgr = np.ascontiguousarray(strip[:, :, ::-1])
    with _RUN_LOCK:
        result = engine()(bgr)
    if result is None or getattr(result, "txts", None) is None or result.boxes is None:
        return []
    out = []
    for box, text, score in zip(result.boxes, result.txts, result.scores):
        text = normalise(text)
        ln = _geometry(np.asarray(box, np.float32), text, float(score)) if text else None
        # Keep level lines as tall as the watermark: rotated print fragments are neither.
        if ln and abs(ln.angle) < 6 and 0.7 * ref.height <= ln.height <= 1.4 * ref.height:
            ln.angle = ref.angle
            ln.is_watermark, ln.why = True, "reread"
            out.append(ln)
    return out


def check_watermark(rgb: np.ndarray) -> WatermarkReport:
    """Read and judge the watermark of an RGB photo."""
    h, w = rgb.shape[:2]
    k = OCR_SIDE / max(h, w)
    if k < 1:
        rgb = cv2.resize(rgb, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
    lines = ocr_lines(rgb)
    classify(lines)
    runs = stitch(lines)
    verdict, reason = judge(runs)
    groups = _groups(lines)
    if verdict != "exact" and 0 < len(groups) <= REREAD_GROUPS:
        # Few watermark lines (one big line, not tiles): read each again along its strip.
        again = []
        for g in groups:
            got = reread(rgb, g)
            again.append("".join(x.text for x in sorted(got, key=lambda x: x.cx)) if got else
                         "".join(x.text for x in g))
        if any(again):
            runs2 = [r for r in again if r]
            verdict2, reason2 = judge(runs2)
            if verdict2 == "exact" or len("".join(runs2)) > len("".join(runs)):
                runs, verdict, reason = runs2, verdict2, reason2 + " (line read again)"
    return WatermarkReport(
        verdict=verdict,
        text=" / ".join(runs) if runs else None,
        runs=runs,
        lines=[{"text": ln.text, "angle": round(ln.angle, 1), "contrast": round(ln.contrast, 2),
                "colour": round(ln.colour, 1), "watermark": ln.is_watermark, "why": ln.why} for ln in lines],
        reason=reason,
    )


# ---------------------------------------------------------------- stamping


def stamp(image: Image.Image, *, color: str = "grey", opacity: float = 0.4, angle: float = 30.0,
          size_share: float = 1 / 32) -> Image.Image:
    """The photo with the official phrase tiled diagonally over it, semi-transparent.

    ``size_share`` is the character size as a share of the photo's short side. Tiles are spaced
    so that every tile stands apart from its neighbours (the checker reads each one whole).
    """
    if color not in COLORS:
        raise ValueError(f"colour must be one of {sorted(COLORS)}")
    if not 0.05 <= opacity <= 1.0:
        raise ValueError("opacity must be between 0.05 and 1")
    base = image.convert("RGB")
    w, h = base.size
    size = max(14, int(min(w, h) * size_share))
    font = cjk_font(size)
    tw = int(font.getlength(OFFICIAL))
    diag = int(math.hypot(w, h)) + 2 * tw
    layer = Image.new("L", (diag, diag), 0)
    draw = ImageDraw.Draw(layer)
    step_x, step_y = tw + 2 * size, int(size * 3.4)
    for row, y in enumerate(range(0, diag, step_y)):
        shift = (row % 2) * step_x // 2
        for x in range(-step_x, diag, step_x):
            draw.text((x + shift, y), OFFICIAL, font=font, fill=255)
    layer = layer.rotate(angle, resample=Image.BICUBIC)
    left, top = (diag - w) // 2, (diag - h) // 2
    alpha = layer.crop((left, top, left + w, top + h)).point(lambda v: int(v * opacity))
    tint = Image.new("RGB", (w, h), COLORS[color])
    return Image.composite(tint, base, alpha)


# Layouts tried in turn by ``stamp_checked``: the first one that reads back "exact" is kept.
STAMP_LAYOUTS: tuple[tuple[float, float], ...] = ((30.0, 1 / 32), (30.0, 1 / 36), (35.0, 1 / 30), (25.0, 1 / 34))


def stamp_checked(image: Image.Image, *, color: str = "grey", opacity: float = 0.4) -> tuple[Image.Image, str]:
    """Stamp, read it back with the checker, and try another layout until it reads ``exact``.

    Returns the stamped image and the checker's verdict on it (``exact`` unless every layout
    was misread, in which case the last attempt is returned with its verdict).
    """
    out, verdict = image, "none"
    for angle, share in STAMP_LAYOUTS:
        out = stamp(image, color=color, opacity=opacity, angle=angle, size_share=share)
        verdict = check_watermark(np.asarray(out)).verdict
        if verdict == "exact":
            break
    return out, verdict


def stamp_bytes(data: bytes, color: str = "grey", opacity: float = 0.4) -> tuple[bytes, str]:
    """Stamp an uploaded photo (checked like any upload); returns (bytes, mime type).

    The result has been read back by the checker (``stamp_checked``). A PNG stays PNG
    (lossless); anything else comes back as JPEG.
    """
    from core.photos import encode_jpeg, encode_png, load_photo

    photo = load_photo(data)
    out, _verdict = stamp_checked(photo.image, color=color, opacity=opacity)
    if photo.format == "png":
        return encode_png(out), "image/png"
    return encode_jpeg(out), "image/jpeg"
