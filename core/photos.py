"""Photo intake: format by content, size and pixel limits, EXIF orientation, decoding.

Two ways in, one set of rules:

* ``load_photo(data)`` decodes the whole photo at full size (for display, storage, stamping).
* ``load_photo(data, max_side=N)`` is the fast analysis path used by the checks: a JPEG is
  decoded by libjpeg at 1/2, 1/4 or 1/8 scale (``Image.draft``), so that the decoded image is
  the smallest one whose long side is still at least ``N``; ``image`` is then smaller than
  ``width`` x ``height`` and ``scale`` says by how much. The full compressed stream is still
  decoded (DCT scaling skips work per block, not blocks), so a truncated file fails either way.

Every refusal raises ``PhotoError(code)`` with one of: ``file_too_large``, ``not_image``,
``unsupported_format``, ``too_many_pixels``, ``corrupt``.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from core.config import load_settings
from core.errors import PhotoError

ALLOWED = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png"}

# Magic numbers of image formats that are real pictures but not accepted (so the applicant is
# told "use JPG or PNG" rather than "this is not a picture"). Checked before Pillow, which can
# open only some of them (HEIC/AVIF phones photos need plug-ins we do not install).
_UNSUPPORTED_MAGIC: tuple[tuple[int, bytes], ...] = (
    (0, b"GIF87a"), (0, b"GIF89a"), (0, b"BM"), (0, b"II*\x00"), (0, b"MM\x00*"),
    (0, b"\x00\x00\x01\x00"),                      # ICO
    (0, b"8BPS"),                                  # Photoshop
    (0, b"\x00\x00\x00\x0cjP  \r\n\x87\n"),         # JPEG 2000
    (0, b"\xff\x4f\xff\x51"),                      # JPEG 2000 codestream
    (0, b"\xff\x0a"),                              # JPEG XL codestream
    (0, b"\x00\x00\x00\x0cJXL \r\n\x87\n"),         # JPEG XL container
)
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis")


@dataclass
class LoadedPhoto:
    """A decoded photo. ``width``/``height`` are the full size after EXIF orientation."""

    format: str  # "jpeg" | "png"
    width: int
    height: int
    image: Image.Image  # RGB, EXIF orientation applied; reduced when loaded with max_side
    sha256: str
    nbytes: int = 0

    @property
    def scale(self) -> float:
        """``image`` size over full size: 1.0 unless loaded with ``max_side``."""
        return self.image.width / self.width if self.width else 1.0

    @property
    def long_side(self) -> int:
        return max(self.width, self.height)


def sniff_unsupported(data: bytes) -> bool:
    """True when the bytes start like an image format we know but do not accept."""
    if any(data[off:off + len(magic)] == magic for off, magic in _UNSUPPORTED_MAGIC):
        return True
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return True
    return data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS


def _open(data: bytes) -> Image.Image:
    """Open lazily (header only) as JPEG or PNG, or raise the right PhotoError."""
    if sniff_unsupported(data):
        raise PhotoError("unsupported_format")
    try:
        with warnings.catch_warnings():
            # Our own pixel cap is lower than Pillow's warning level; the error is what counts.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=("JPEG", "PNG"))
    except Image.DecompressionBombError as exc:
        raise PhotoError("too_many_pixels") from exc
    except UnidentifiedImageError as exc:
        raise PhotoError("not_image") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        # Pillow recognised the header but could not parse it.
        raise PhotoError("corrupt") from exc
    if img.format not in ALLOWED:
        raise PhotoError("unsupported_format")
    return img


def _oriented_size(img: Image.Image) -> tuple[int, int]:
    """Width and height once the EXIF orientation tag is applied."""
    w, h = img.size
    try:
        orientation = img.getexif().get(0x0112, 1)
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoError("corrupt") from exc
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


def _to_rgb(img: Image.Image) -> Image.Image:
    """Any decoded mode to RGB; transparency is flattened onto white, as a viewer shows it."""
    if img.mode == "RGB":
        return img
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale PNG: Pillow's convert clips instead of scaling.
        arr = np.asarray(img, dtype=np.uint32)
        peak = 65535 if img.mode.startswith("I;16") else max(int(arr.max()), 1)
        return Image.fromarray((arr * 255 // peak).astype(np.uint8), "L").convert("RGB")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return img.convert("RGB")


def load_photo(data: bytes, *, max_bytes: int | None = None, max_pixels: int | None = None,
               max_side: int | None = None) -> LoadedPhoto:
    """Check and decode an uploaded photo, or raise ``PhotoError(code)``.

    ``max_side`` asks for the fast analysis path: a JPEG may be decoded at a reduced scale
    whose long side is at least ``max_side`` (never more than twice it); a PNG is decoded in
    full and then reduced. Without it the image is full size.
    """
    settings = load_settings()
    max_bytes = settings.max_upload_bytes if max_bytes is None else max_bytes
    max_pixels = settings.max_pixels if max_pixels is None else max_pixels
    if len(data) > max_bytes:
        raise PhotoError("file_too_large")
    if not data:
        raise PhotoError("not_image")
    img = _open(data)
    fmt = ALLOWED[img.format]
    w, h = _oriented_size(img)
    if w * h > max_pixels or w <= 0 or h <= 0:
        raise PhotoError("too_many_pixels")
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Somebody switched Pillow to accept truncated files; a half-grey photo must not pass.
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES is set; refusing to decode")
    if max_side and fmt == "jpeg" and max(img.size) > max_side:
        sw, sh = img.size
        k = max_side / max(sw, sh)
        # draft picks the largest DCT scale (1/2, 1/4, 1/8) that keeps at least this size.
        img.draft("RGB" if img.mode != "CMYK" else "CMYK", (max(1, int(sw * k)), max(1, int(sh * k))))
    try:
        img.load()
        img = ImageOps.exif_transpose(img) or img
        rgb = _to_rgb(img)
    except Image.DecompressionBombError as exc:
        raise PhotoError("too_many_pixels") from exc
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
        # Truncated stream, bad CRC, broken Huffman table, garbage EXIF...
        raise PhotoError("corrupt") from exc
    if max_side and max(rgb.size) > 2 * max_side:
        rgb.thumbnail((2 * max_side, 2 * max_side), Image.BILINEAR, reducing_gap=2.0)
    return LoadedPhoto(format=fmt, width=w, height=h, image=rgb,
                       sha256=hashlib.sha256(data).hexdigest(), nbytes=len(data))


def encode_jpeg(image: Image.Image, quality: int = 92) -> bytes:
    """The image as a baseline JPEG (no EXIF: orientation is already applied)."""
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def encode_png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "PNG", optimize=False, compress_level=6)
    return buf.getvalue()
