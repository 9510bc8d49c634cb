"""Server-side views of a stored photo for the reviewer: rotate, zoom into a region, downscale."""

from __future__ import annotations

from core import photos

ROTATIONS = (0, 90, 180, 270)
ZOOMS = (1.0, 1.5, 2.0, 3.0, 4.0)


def view(data: bytes, *, rotate: int = 0, zoom: float = 1.0, cx: float = 0.5, cy: float = 0.5,
         max_side: int = 1600) -> bytes:
    """The photo (EXIF orientation applied) turned clockwise by ``rotate`` degrees, cropped to
    1/zoom of its size around the point (cx, cy) in 0..1, and scaled to at most ``max_side``."""
    if rotate not in ROTATIONS:
        raise ValueError(f"rotate must be one of {ROTATIONS}")
    image = photos.load_photo(data).image
    if rotate:
        image = image.rotate(-rotate, expand=True)
    zoom = max(1.0, float(zoom))
    if zoom > 1.0:
        w, h = image.size
        cw, ch = w / zoom, h / zoom
        left = min(max(0.0, cx * w - cw / 2), w - cw)
        top = min(max(0.0, cy * h - ch / 2), h - ch)
        image = image.crop((round(left), round(top), round(left + cw), round(top + ch)))
    image.thumbnail((max_side, max_side))
    return photos.encode_jpeg(image, quality=90)
