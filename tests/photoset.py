"""A generated, labelled photo set for the photo checks (no file is downloaded, ever).

Every sample is drawn from a seed, so a set is reproducible: ``build_set(seed, ...)`` returns the
same bytes for the same seed. Documents are ID-card-like and licence-like images drawn with the
CJK font; scenes put them on plain, wood-grain or cloth backgrounds with some perspective, or in a
hand beside a (synthetic, Haar-detectable) face. The camera then adds defocus, motion blur at any
angle, low light, glare; a watermark is stamped afterwards the way people really do it (tiled
diagonally or one big line, grey / red / blue, 30-55 % opacity, any angle up to about 50 degrees).

Labels are what a person would say: ``sharp`` (None when not part of the blur classes),
``watermark`` ("none" | "exact" | "wrong"), ``face`` and ``flat`` where relevant.

Run ``python -m tests.photoset OUTDIR`` to write a set to a folder and look at it.
"""

from __future__ import annotations

import io
import math
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import cv2
import numpy as np
from PIL import Image

from core.synthetic import (  # noqa: F401 - some are used by the tests and bench through this module
    CHAR_SLOTS,
    COLORS,
    draw_face,
    draw_id_card,
    draw_licence,
    flat_scene,
    font,
    handheld_scene,
    scan_scene,
    watermark,
)

OFFICIAL = "仅供办理中国版权保护中心各项申请使用"
TRADITIONAL = "僅供辦理中國版權保護中心各項申請使用"
HELD_OUT_SEED = 20261128


# Wrong watermarks, as people really make them: (label, text or a callable of rng).
LOOKALIKES = [("请", "清"), ("使", "便"), ("仅", "仪"), ("申", "由"), ("项", "顶"), ("心", "必"),
              ("中", "申"), ("理", "里"), ("版", "板"), ("办", "为")]
WORDS = ["仅供", "办理", "中国版权保护中心", "各项", "申请", "使用"]
PREFIXES = ["复印件", "此复印件", "本件", "复印无效"]
SUFFIXES = ["有效期三个月", "他用无效", "再复印无效", "2024年"]
OTHER_PURPOSES = ["仅供办理银行开户使用", "仅供入职审核使用", "仅供办理社保业务使用",
                  "此件仅用于办理营业执照年检", "仅供办理中国版权保护中心申请使用",
                  "仅供中国版权保护中心软件登记使用", "仅供办理中国版权保护中心各项业务使用",
                  "与原件一致", "仅供办理签证使用"]
ENGLISH = ["FOR COPYRIGHT APPLICATION ONLY", "COPY", "SAMPLE", "FOR CPCC USE ONLY",
           "Only for Copyright Protection Center of China"]


WRONG_KINDS = ("missing", "lookalike", "reordered", "traditional", "prefix", "suffix", "piece", "english",
               "other", "extra")
# The wrong kinds a reader could take for the phrase: one character or a few away from it.
SUBTLE_KINDS = ("missing", "lookalike", "reordered", "prefix", "suffix", "extra", "piece")


def wrong_texts(rng: np.random.Generator, kinds: tuple[str, ...] = WRONG_KINDS) -> tuple[str, str]:
    """A wrong watermark text and the name of its kind."""
    kind = str(rng.choice(list(kinds)))
    p = OFFICIAL
    if kind == "missing":
        i = int(rng.integers(0, len(p)))
        return p[:i] + p[i + 1:], kind
    if kind == "lookalike":
        a, b = LOOKALIKES[int(rng.integers(0, len(LOOKALIKES)))]
        return p.replace(a, b, 1), kind
    if kind == "reordered":
        while True:
            order = list(rng.permutation(len(WORDS)))
            text = "".join(WORDS[i] for i in order)
            # A pure rotation of the phrase tiles into the same pattern as the phrase itself.
            if text not in p + p:
                return text, kind
    if kind == "traditional":
        return TRADITIONAL, kind
    if kind == "prefix":
        return str(rng.choice(PREFIXES)) + p, kind
    if kind == "suffix":
        return p + str(rng.choice(SUFFIXES)), kind
    if kind == "piece":
        n = int(rng.integers(4, len(p) - 3))
        start = int(rng.integers(0, len(p) - n + 1))
        return p[start:start + n], kind
    if kind == "english":
        return str(rng.choice(ENGLISH)), kind
    if kind == "extra":
        i = int(rng.integers(2, len(p) - 2))
        return p[:i] + str(rng.choice(["的", "软件", "登记", "专用"])) + p[i:], kind
    return str(rng.choice(OTHER_PURPOSES)), kind


@dataclass
class Sample:
    """One labelled photo: file bytes plus what a person would say about it."""

    name: str
    data: bytes
    ext: str = "jpg"
    kind: str | None = None
    sharp: bool | None = None
    watermark: str | None = None
    watermark_text: str | None = None
    face: bool | None = None
    flat: bool | None = None
    expect: set[str] = field(default_factory=set)
    info: dict[str, Any] = field(default_factory=dict)

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.name}.{self.ext}"
        path.write_bytes(self.data)
        return path


# ---------------------------------------------------------------- drawing helpers


# ---------------------------------------------------------------- scenes


# ---------------------------------------------------------------- camera effects


def gaussian_blur(arr: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(arr, (0, 0), sigma)


def motion_blur(arr: np.ndarray, length: float, angle_deg: float) -> np.ndarray:
    """A straight motion streak of ``length`` px at ``angle_deg``."""
    k = int(math.ceil(length)) | 1
    kernel = np.zeros((k, k), np.float32)
    c = k // 2
    a = math.radians(angle_deg)
    for t in np.linspace(-length / 2, length / 2, int(length * 4) + 1):
        x, y = c + t * math.cos(a), c - t * math.sin(a)
        x0, y0 = int(math.floor(x)), int(math.floor(y))
        fx, fy = x - x0, y - y0
        for dx, dy, wgt in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
            if 0 <= x0 + dx < k and 0 <= y0 + dy < k:
                kernel[y0 + dy, x0 + dx] += wgt
    kernel /= kernel.sum()
    return cv2.filter2D(arr, -1, kernel, borderType=cv2.BORDER_REFLECT)


def low_light(rng: np.random.Generator, arr: np.ndarray, gain: float) -> np.ndarray:
    """Dim the scene and add the sensor noise a phone shows in low light."""
    f = arr.astype(np.float32) / 255
    f = f ** rng.uniform(1.0, 1.3) * gain
    f += rng.normal(0, rng.uniform(0.006, 0.015), f.shape[:2])[..., None]
    f += rng.normal(0, 0.004, f.shape)
    return np.clip(f * 255, 0, 255).astype(np.uint8)


def glare(rng: np.random.Generator, arr: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """A specular highlight blown out to white over part of the document."""
    h, w = arr.shape[:2]
    x0, y0, x1, y1 = box
    cx, cy = rng.uniform(x0 + (x1 - x0) * 0.3, x1 - (x1 - x0) * 0.3), rng.uniform(y0 + (y1 - y0) * 0.3, y1 - (y1 - y0) * 0.3)
    r = rng.uniform(0.12, 0.2) * min(w, h)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    g = np.exp(-(((xx - cx) / (r * 1.4)) ** 2 + ((yy - cy) / r) ** 2))
    g = np.clip(g * 1.8, 0, 1)
    f = arr.astype(np.float32) + g[..., None] * 400
    return np.clip(f, 0, 255).astype(np.uint8)


def overexpose(arr: np.ndarray, gain: float) -> np.ndarray:
    f = arr.astype(np.float32) / 255
    f = 1 - (1 - f) ** gain
    return np.clip(f * 255 * 1.1 + 40, 0, 255).astype(np.uint8)


# ---------------------------------------------------------------- watermarks


# ---------------------------------------------------------------- encoding and hostile files


def jpeg(arr: np.ndarray, quality: int = 90, exif: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    kw: dict[str, Any] = {"quality": quality}
    if exif:
        kw["exif"] = exif
    Image.fromarray(arr).save(buf, "JPEG", **kw)
    return buf.getvalue()


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def bomb_png(width: int = 20000, height: int = 10000) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` (200 MP): a decompression bomb."""
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    # Rows of zeros compress to almost nothing: a few kB of data for 200 MB of pixels.
    comp = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    data = b"".join(comp.compress(row) for _ in range(64)) + comp.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def exif_orientation(value: int) -> bytes:
    ex = Image.Exif()
    ex[0x0112] = value
    return ex.tobytes()


def hostile_samples(rng: np.random.Generator) -> list[Sample]:
    """Files an intake must refuse or repair, with the code or result expected."""
    card = np.asarray(draw_id_card(rng, 1400))
    good = jpeg(card)
    out = [
        Sample("pdf_renamed", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
               "jpg", expect={"not_image"}),
        Sample("text_renamed", "这不是图片 not an image\n".encode() * 20, "jpg", expect={"not_image"}),
        Sample("empty", b"", "jpg", expect={"not_image"}),
        Sample("truncated_jpeg", good[: len(good) // 2], "jpg", expect={"corrupt"}),
        Sample("bomb_png", bomb_png(), "png", expect={"too_many_pixels"}),
    ]
    buf = io.BytesIO()
    Image.fromarray(card).save(buf, "GIF")
    out.append(Sample("gif", buf.getvalue(), "jpg", expect={"unsupported_format"}))
    for fmt in ("WEBP", "BMP", "TIFF"):
        buf = io.BytesIO()
        Image.fromarray(card).save(buf, fmt)
        out.append(Sample(fmt.lower(), buf.getvalue(), "png", expect={"unsupported_format"}))
    buf = io.BytesIO()
    Image.fromarray(card).convert("CMYK").save(buf, "JPEG", quality=90)
    out.append(Sample("cmyk_jpeg", buf.getvalue(), "jpg", info={"size": (card.shape[1], card.shape[0])}))
    # Stored sideways with EXIF orientation 6: shown upright, width and height swap.
    side = np.ascontiguousarray(np.rot90(card, 1))
    out.append(Sample("exif_rotated", jpeg(side, exif=exif_orientation(6)), "jpg",
                      info={"size": (card.shape[1], card.shape[0])}))
    rgba = Image.fromarray(card).convert("RGBA")
    rgba.putalpha(200)
    out.append(Sample("alpha_png", png(rgba), "png", info={"size": (card.shape[1], card.shape[0])}))
    out.append(Sample("palette_png", png(Image.fromarray(card).convert("P", palette=Image.ADAPTIVE)), "png",
                      info={"size": (card.shape[1], card.shape[0])}))
    return out


# ---------------------------------------------------------------- the labelled sets


def _doc_for(rng: np.random.Generator, kind: str, width: int) -> Image.Image:
    return draw_id_card(rng, width) if kind == "id_copy" else draw_licence(rng, width)


def _scene(rng: np.random.Generator, kind: str, w: int, h: int, flat: bool = True) -> tuple[np.ndarray, dict[str, Any]]:
    """A clean scene of ``kind`` and where the document is, before camera effects."""
    if kind == "handheld":
        return handheld_scene(rng, w, h), {"bg": "handheld"}
    bg = str(rng.choice(["plain", "wood", "cloth", "scan"], p=[0.35, 0.35, 0.15, 0.15]))
    if bg == "scan" and flat:
        doc = _doc_for(rng, kind, int(w * 0.95))
        return scan_scene(doc, w, h), {"bg": bg}
    if bg == "scan":
        bg = "plain"
    fill = rng.uniform(0.55, 0.9)
    doc = _doc_for(rng, kind, int(w * fill * 1.1))
    if flat:
        rot, tilt = rng.uniform(-4, 4), rng.uniform(0, 0.05)
    elif rng.random() < 0.5:
        rot, tilt = rng.uniform(-4, 4), rng.uniform(0.2, 0.35)
    else:
        rot, tilt = float(rng.choice([-1, 1]) * rng.uniform(16, 35)), rng.uniform(0, 0.05)
    return flat_scene(rng, doc, w, h, bg, fill, rot, tilt), {"bg": bg, "rot": rot, "tilt": tilt}


def _frame(rng: np.random.Generator, big: bool = False) -> tuple[int, int]:
    if big:
        return 4000, 3000
    long_side = int(rng.choice([1280, 1600, 2000, 2400]))
    w, h = long_side, int(long_side * 0.75)
    return (w, h) if rng.random() < 0.8 else (h, w)


def blur_set(seed: int, n: int, *, big: int = 2) -> Iterator[Sample]:
    """Sharp, defocused, motion-blurred and sharp-low-light photos, labelled ``sharp``.

    Blur strengths are chosen relative to the frame (the analysis scale) so that a person
    viewing the photo at screen size would agree: blurred ones are visibly soft, sharp ones crisp.
    """
    rng = np.random.default_rng(seed)
    classes = ["sharp", "gauss", "motion", "lowlight", "sharp_wm", "blur_wm", "lowlight_blur"]
    for i in range(n):
        cls = classes[i % len(classes)]
        kind = str(rng.choice(["id_copy", "licence", "handheld"], p=[0.4, 0.4, 0.2]))
        w, h = _frame(rng, big=i < big)
        arr, info = _scene(rng, kind, w, h)
        unit = max(w, h) / 1000  # blur is measured against the frame's long side
        # Every camera is a little soft at full resolution.
        arr = gaussian_blur(arr, rng.uniform(0.3, 0.8) * max(1.0, unit * 0.6))
        sharp = cls in ("sharp", "lowlight", "sharp_wm")
        if cls in ("gauss", "blur_wm") or (cls == "lowlight_blur" and rng.random() < 0.5):
            s = rng.uniform(2.2, 5) * unit
            arr = gaussian_blur(arr, s)
            info["blur"] = f"gauss {s / unit:.1f}"
        elif cls in ("motion", "lowlight_blur"):
            length = rng.uniform(7, 16) * unit
            ang = rng.uniform(0, 180)
            arr = motion_blur(arr, length, ang)
            info["blur"] = f"motion {length / unit:.1f}@{ang:.0f}"
        if cls.startswith("lowlight"):
            arr = low_light(rng, arr, rng.uniform(0.3, 0.55))
        else:
            arr = np.clip(arr.astype(np.float32) + rng.normal(0, 1.5, arr.shape), 0, 255).astype(np.uint8)
        if cls.endswith("_wm"):
            color = COLORS[str(rng.choice(list(COLORS)))]
            arr = watermark(arr, OFFICIAL, mode="tiled", color=color, opacity=rng.uniform(0.3, 0.55),
                            angle=rng.uniform(-50, 50), size=int(min(w, h) * rng.uniform(0.025, 0.045)), rng=rng)
        yield Sample(f"blur_{seed}_{i:03d}_{cls}", jpeg(arr, int(rng.integers(80, 95))), "jpg",
                     kind=kind, sharp=sharp, info=info | {"class": cls})


# An overlay whose best-showing strokes differ from what lies under them by less than this
# (luminance, 0-255) is hard for a person to read: a grey overlay on a dim photo, for one. Such photos are labelled
# with what was stamped but flagged ``legible: False``; the accuracy target is for legible ones.
LEGIBLE_CONTRAST = 15.0


def overlay_contrast(before: np.ndarray, after: np.ndarray) -> float:
    """How visible the overlay's strokes are where they show best: the 90th percentile of the
    luminance change over the pixels it changed (a grey overlay vanishes on a dim desk but
    may still show on the paper)."""
    w = np.array([0.299, 0.587, 0.114], np.float32)
    d = np.abs(after.astype(np.float32) @ w - before.astype(np.float32) @ w)
    strokes = d > 2
    return float(np.percentile(d[strokes], 90)) if strokes.any() else 0.0


def on_paper(before: np.ndarray, chars: np.ndarray, n: int) -> list[float]:
    """For each of the ``n`` characters stamped (``chars``: ``watermark``'s character map), the
    largest share of one whole copy's strokes lying on plain paper: light and neutral, not over
    print, a QR code, an emblem, a desk or the holder. A copy cut by the frame does not count."""
    rgb = before.astype(np.float32)
    lum = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    light = float(np.percentile(lum, 95))  # the paper's level, dim photos included
    plain = (lum >= 0.75 * light) & (rgb.max(axis=2) - rgb.min(axis=2) <= 0.2 * light)
    # a stroke right beside print is crowded by it
    plain = cv2.erode(plain.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    drawn = chars > 0
    total = np.bincount(chars[drawn])
    share = np.bincount(chars[drawn], weights=plain[drawn]) / np.maximum(total, 1)
    best = [0.0] * n
    for k in range(n):
        copies = total[k + 1::CHAR_SLOTS]
        if copies.any():
            whole = copies >= 0.6 * copies.max()
            best[k] = round(float(share[k + 1::CHAR_SLOTS][whole].max()), 2)
    return best


def watermark_set(seed: int, n: int, *, subtle_only: bool = False,
                  kinds: tuple[str, ...] = SUBTLE_KINDS, grounds: bool = False,
                  colours: dict[str, tuple[int, int, int]] | None = None,
                  font_file: str | None = None) -> Iterator[Sample]:
    """Photos with no watermark, the exact one, or a wrong one; labelled ``watermark``.

    ``subtle_only``: every photo carries a wrong watermark of a kind one character or a few
    away from the phrase (of ``kinds``), to measure how often a wrong one passes as exact.
    ``grounds``: each stamped photo's ``info["on_paper"]`` gives, per character, the best share
    of one copy lying on plain paper (``on_paper``); slower.
    ``colours`` (name: RGB) and ``font_file`` stamp overlays unlike the usual grey / red / blue
    Noto Sans ones (the traditional-character kind keeps the font's traditional face only
    with the default font).
    """
    colours = colours or COLORS
    rng = np.random.default_rng(seed)
    for i in range(n):
        label = ("none", "exact", "wrong", "wrong")[i % 4] if i % 8 != 7 else "exact"
        if subtle_only:
            label = "wrong"
        kind = str(rng.choice(["id_copy", "licence", "handheld"], p=[0.45, 0.4, 0.15]))
        w, h = _frame(rng)
        arr, info = _scene(rng, kind, w, h)
        arr = gaussian_blur(arr, rng.uniform(0.3, 0.7))
        if rng.random() < 0.15:
            arr = low_light(rng, arr, rng.uniform(0.45, 0.65))
        text = None
        if label != "none":
            text, wkind = (OFFICIAL, "exact") if label == "exact" else \
                wrong_texts(rng, kinds if subtle_only else WRONG_KINDS)
            mode = "single" if rng.random() < 0.3 else "tiled"
            cname = str(rng.choice(list(colours)))
            opacity = rng.uniform(0.3, 0.55)
            angle = rng.uniform(-50, 50)
            index = 3 if wkind == "traditional" else 2
            short = min(w, h)
            if mode == "single":
                size = int(min(w * 0.85 / max(len(text), 4), short * rng.uniform(0.05, 0.08)))
                if len(text) > 12 and text.isascii():
                    size = int(w * 1.3 / len(text))
            else:
                size = int(short * rng.uniform(0.028, 0.045))
            before, chars = arr, [] if grounds else None
            arr = watermark(arr, text, mode=mode, color=colours[cname], opacity=opacity, angle=angle,
                            size=size, index=index, rng=rng, chars=chars, font_file=font_file)
            shown = overlay_contrast(before, arr)
            if chars:
                info["on_paper"] = on_paper(before, chars[0], len(text))
            info |= {"wm": wkind, "mode": mode, "color": cname, "opacity": round(opacity, 2),
                     "angle": round(angle), "size": size, "contrast": round(shown, 1),
                     "legible": shown >= LEGIBLE_CONTRAST}
        yield Sample(f"wm_{seed}_{i:03d}_{label}", jpeg(arr, int(rng.integers(82, 95))), "jpg", kind=kind,
                     watermark=label, watermark_text=text, info=info)


def face_set(seed: int, n: int) -> Iterator[Sample]:
    """Hand-held photos with a face beside the card, and card-only photos without one."""
    rng = np.random.default_rng(seed)
    for i in range(n):
        with_face = i % 2 == 0
        w, h = _frame(rng)
        if with_face:
            arr = handheld_scene(rng, w, h, True)
        else:
            arr, _ = _scene(rng, "id_copy", w, h)
        yield Sample(f"face_{seed}_{i:03d}_{int(with_face)}", jpeg(arr), "jpg", kind="handheld", face=with_face)


def flat_set(seed: int, n: int) -> Iterator[Sample]:
    """Licences laid flat and straight, and ones shot at an angle or rotated."""
    rng = np.random.default_rng(seed)
    for i in range(n):
        flat = i % 2 == 0
        w, h = _frame(rng)
        arr, info = _scene(rng, "licence", w, h, flat=flat)
        yield Sample(f"flat_{seed}_{i:03d}_{int(flat)}", jpeg(arr), "jpg", kind="licence", flat=flat, info=info)


def main() -> None:
    import argparse
    import json
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--only", choices=["blur", "wm", "face", "flat", "hostile"], default=None)
    args = ap.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    gens = {"blur": lambda: blur_set(args.seed, args.n, big=0), "wm": lambda: watermark_set(args.seed, args.n),
            "face": lambda: face_set(args.seed, args.n), "flat": lambda: flat_set(args.seed, args.n),
            "hostile": lambda: iter(hostile_samples(np.random.default_rng(args.seed)))}
    for name, gen in gens.items():
        if args.only and name != args.only:
            continue
        for s in gen():
            p = s.write(args.outdir)
            print(json.dumps({"file": p.name, "sharp": s.sharp, "watermark": s.watermark, "text": s.watermark_text,
                              "face": s.face, "flat": s.flat, "info": s.info}, ensure_ascii=False))


if __name__ == "__main__":
    main()
