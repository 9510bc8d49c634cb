"""The 加水印 tool: stamp the exact official phrase on an uploaded photo and say whether it reads back."""

from __future__ import annotations

from dataclasses import dataclass

from core import photos, watermark

COLORS = ("grey", "red", "blue")
OPACITY_RANGE = (0.3, 0.55)  # what people really use: readable, yet the document shows through


@dataclass(frozen=True)
class Stamped:
    data: bytes
    mime: str
    verdict: str  # the checker's verdict on the stamped result ("exact" when all went well)

    @property
    def extension(self) -> str:
        return "png" if self.mime == "image/png" else "jpg"


def stamp_upload(data: bytes, *, color: str = "grey", opacity: float = 0.4) -> Stamped:
    """Refuse non-photos like any upload, stamp, read the result back; PNG stays PNG."""
    if color not in COLORS:
        raise ValueError(f"colour must be one of {COLORS}")
    opacity = min(max(opacity, OPACITY_RANGE[0]), OPACITY_RANGE[1])
    photo = photos.load_photo(data)
    out, verdict = watermark.stamp_checked(photo.image, color=color, opacity=opacity)
    if photo.format == "png":
        return Stamped(photos.encode_png(out), "image/png", verdict)
    return Stamped(photos.encode_jpeg(out), "image/jpeg", verdict)
