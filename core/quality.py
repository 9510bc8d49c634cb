"""Image quality checks: resolution, sharpness, exposure, face present, licence flat, pHash.

All functions take numpy arrays (``grey`` = 2-D uint8, ``rgb`` = H x W x 3 uint8) at the
analysis size produced by ``analysis_grey``; none of them decodes or imports Streamlit.

Sharpness, in short: the photo is brought to a fixed scale (long side ``SHARP_SIDE`` px, so the
score does not depend on the camera's resolution), edges are found at a coarse scale, and at each
strong edge the fine-scale gradient is compared with the coarse-scale one. For a crisp step the
fine gradient is much steeper than the coarse one; blur makes them alike. The ratio does not
depend on the edge's contrast nor on how many edges there are (so neither a plain desk around a
small card nor a textured one counts), and it is measured separately for 8 edge orientations
because motion blur only softens edges across the motion. Only high-contrast edges are used, so
faint wood grain, sensor noise and a semi-transparent watermark do not vote.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

# Fixed analysis scale for sharpness: the long side in px. 1000 px is the smallest photo we
# accept, so every accepted photo is measured downscaled (never upscaled) to the same scale.
SHARP_SIDE = 1000
# Estimated blur (Gaussian sigma, px at SHARP_SIDE) at or above which a photo is "blurry".
# A crisp phone photo measures 0.4-1.0 px, visibly soft text starts near 2 px.
BLUR_LIMIT_PX = 1.55
# Sharpness score = SCORE_K / blur_px: higher is sharper; SHARP_MIN is the pass mark.
SCORE_K = 10.0
SHARP_MIN = SCORE_K / BLUR_LIMIT_PX
# Gradient energy of the weakest direction against its perpendicular: text has edges in every
# direction in about equal measure (crisp photos measure 1.0-1.4); motion blur over 7 px at
# SHARP_SIDE takes it past 1.5.
ANISO_LIMIT = 1.46
_FINE_SIGMA = 0.7
_COARSE_SIGMA = 2.5
_BINS = 8
# Saturation x value above which a pixel is colour, not ink on paper (0-255 scale).
_SAT_LIMIT = 70

# Exposure, on luminance 0-255 at the analysis scale.
DARK_PAPER = 60  # the brightest 5 % (the paper) darker than this: too dark to read
BRIGHT_FLOOR = 150  # even the darkest 2 % lighter than this: washed out, no ink left
GLARE_LEVEL = 250
GLARE_MIN_AREA = 0.012  # a blown-out blob covering 1.2 % of the photo or more is glare

# Face: the face must be at least this share of the photo's short side (a card's own small
# portrait photo does not count), and must lie outside the card when the card outline is found.
FACE_MIN_SHARE = 0.08
FACE_SIDE = 640
# A card's printed portrait is at most ~20 % of the card's width; a face that big inside the card
# outline is the person. Without an outline, a lone face must be this share of the long side.
PORTRAIT_SHARE = 0.32
FACE_ALONE_SHARE = 0.19

# Flatness: limits for a licence "laid flat and facing straight".
FLAT_MAX_ROTATION = 10.0  # degrees away from upright (or a quarter turn)
FLAT_MAX_SIDE_RATIO = 1.18  # opposite sides' length ratio (perspective keystone)
FLAT_MAX_CORNER_DEV = 16.0  # degrees away from a right angle at any corner
FLAT_MIN_AREA = 0.15  # outline must cover this share of the photo to be trusted
EDGE_SUPPORT = 0.7  # share of an outline that must lie on image edges to be believed

# Perceptual hash: two photos whose 64-bit pHashes differ in at most this many bits are "the
# same or nearly the same photo" (re-saved, resized, recompressed, slightly cropped or lit).
PHASH_NEAR = 10


@dataclass
class Sharpness:
    """Sharpness finding: ``score`` (higher is sharper), ``sharp`` verdict and evidence."""

    score: float
    sharp: bool
    blur_px: float
    per_direction: list[float] = field(default_factory=list)  # blur px per 22.5 degree bin
    edges: int = 0
    anisotropy: float = 1.0  # gradient energy across / along the worst direction (motion)


@dataclass
class Exposure:
    too_dark: bool
    too_bright: bool
    paper: float  # 95th percentile luminance
    ink: float  # 2nd percentile luminance
    mean: float
    glare_share: float  # share of the photo in a blown-out blob


@dataclass
class Outline:
    """The document's outline: corners (tl, tr, br, bl) as shares of width/height, and geometry."""

    corners: list[tuple[float, float]]
    area_share: float
    rotation: float
    side_ratio: float
    corner_dev: float

    def contains(self, x: float, y: float) -> bool:
        """Is the point (shares of width/height) inside the outline?"""
        poly = np.array(self.corners, np.float32).reshape(-1, 1, 2)
        return cv2.pointPolygonTest(poly, (float(x), float(y)), False) >= 0

    @property
    def flat(self) -> bool:
        return (self.rotation <= FLAT_MAX_ROTATION and self.side_ratio <= FLAT_MAX_SIDE_RATIO
                and self.corner_dev <= FLAT_MAX_CORNER_DEV)


# ---------------------------------------------------------------- helpers


def to_grey(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb


def resize_long(img: np.ndarray, long_side: int) -> np.ndarray:
    """Downscale so the long side is ``long_side`` (area-averaged); never upscale."""
    h, w = img.shape[:2]
    k = long_side / max(h, w)
    if k >= 1:
        return img
    return cv2.resize(img, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)


def resolution_ok(width: int, height: int, min_long_side: int) -> bool:
    return max(width, height) >= min_long_side


# ---------------------------------------------------------------- sharpness


def _blur_from_ratio(r: float) -> float:
    """Invert ratio = sqrt(s^2 + c^2) / sqrt(s^2 + f^2) for the blur sigma s (px)."""
    f2, c2 = (_FINE_SIGMA ** 2 + 0.5), (_COARSE_SIGMA ** 2 + 0.5)  # + Sobel's own smoothing
    r2 = r * r
    if r2 <= 1.0001:
        return 20.0
    s2 = (c2 - r2 * f2) / (r2 - 1)
    return math.sqrt(max(s2, 0.0))


def _colourful(rgb: np.ndarray) -> np.ndarray:
    """Strongly coloured pixels: wood grain, a red seal, a tinted watermark; not black ink."""
    hsv = cv2.cvtColor(cv2.GaussianBlur(rgb, (0, 0), 1.5), cv2.COLOR_RGB2HSV)
    sat = hsv[..., 1].astype(np.float32) * (hsv[..., 2].astype(np.float32) / 255)
    return cv2.dilate((sat > _SAT_LIMIT).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0


def sharpness(image: np.ndarray) -> Sharpness:
    """Blur estimate on the strong ink edges of an RGB (or grey) image; worst direction wins."""
    small = resize_long(image, SHARP_SIDE)
    g = to_grey(small).astype(np.float32)
    colour = _colourful(small) if small.ndim == 3 else np.zeros(g.shape, bool)
    fine = cv2.GaussianBlur(g, (0, 0), _FINE_SIGMA)
    coarse = cv2.GaussianBlur(g, (0, 0), _COARSE_SIGMA)
    fx = cv2.Sobel(fine, cv2.CV_32F, 1, 0, ksize=3) / 8
    fy = cv2.Sobel(fine, cv2.CV_32F, 0, 1, ksize=3) / 8
    cx = cv2.Sobel(coarse, cv2.CV_32F, 1, 0, ksize=3) / 8
    cy = cv2.Sobel(coarse, cv2.CV_32F, 0, 1, ksize=3) / 8
    cm = cv2.magnitude(cx, cy)
    # The fine gradient peaks within a pixel or two of the coarse one.
    fm = cv2.dilate(cv2.magnitude(fx, fy), np.ones((3, 3), np.uint8))
    # Edge points: local maxima of the coarse gradient.
    peak = cm >= cv2.dilate(cm, np.ones((5, 5), np.uint8))
    # Contrast of the step at each point (local range), to keep only the document's ink.
    # The window is wider than the longest motion streak we must catch, so a smeared step still
    # shows its full contrast.
    k = np.ones((17, 17), np.uint8)
    span = cv2.dilate(coarse, k) - cv2.erode(coarse, k)
    cand = peak & (cm > 1.0) & ~colour
    if cand.sum() < 50:
        return Sharpness(score=0.0, sharp=False, blur_px=20.0, edges=int(cand.sum()))
    strong = np.percentile(span[cand], 95)
    sel = cand & (span >= max(25.0, 0.45 * strong))
    n = int(sel.sum())
    if n < 50:
        return Sharpness(score=0.0, sharp=False, blur_px=20.0, edges=n)
    ratio = fm[sel] / np.maximum(cm[sel], 1e-3)
    theta = (np.degrees(np.arctan2(cy[sel], cx[sel])) + 180 + 180 / _BINS / 2) % 180
    bins = (theta // (180 / _BINS)).astype(int) % _BINS
    per: list[float] = []
    for b in range(_BINS):
        rb = ratio[bins == b]
        if rb.size >= max(20, n // 50):
            per.append(_blur_from_ratio(float(np.median(rb))))
        else:
            per.append(float("nan"))
    valid = [p for p in per if not math.isnan(p)]
    edge_px = max(valid) if valid else 20.0
    aniso = _anisotropy(g, (span >= max(25.0, 0.45 * strong)) & ~colour)
    # Motion blur smears thin strokes into faint bands whose own edges stay steep, so the edge
    # width misses it; what it cannot hide is that edges across the motion lose their energy
    # while edges along it keep theirs. Map that imbalance onto the same px scale.
    motion_px = BLUR_LIMIT_PX * max(aniso - 1.0, 0.0) / (ANISO_LIMIT - 1.0)
    blur_px = max(edge_px, motion_px)
    score = SCORE_K / max(blur_px, 0.2)
    return Sharpness(score=round(score, 2), sharp=blur_px < BLUR_LIMIT_PX, blur_px=round(blur_px, 3),
                     anisotropy=round(aniso, 3),
                     per_direction=[round(p, 2) for p in per], edges=n)


def _anisotropy(g: np.ndarray, mask: np.ndarray) -> float:
    """Largest ratio of directional gradient energy between perpendicular directions."""
    if mask.sum() < 200:
        return 1.0
    sm = cv2.GaussianBlur(g, (0, 0), 1.0)
    gx = cv2.Sobel(sm, cv2.CV_32F, 1, 0, ksize=3)[mask] / 8
    gy = cv2.Sobel(sm, cv2.CV_32F, 0, 1, ksize=3)[mask] / 8
    energy = []
    for b in range(_BINS):
        t = math.radians(b * 180 / _BINS)
        d = gx * math.cos(t) + gy * math.sin(t)
        energy.append(float(np.dot(d, d)) + 1e-6)
    half = _BINS // 2
    return max(energy[(b + half) % _BINS] / energy[b] for b in range(_BINS))


# ---------------------------------------------------------------- exposure


def exposure(grey: np.ndarray) -> Exposure:
    """Too dark (the paper itself is dim) or too bright (washed out, or a blown-out glare blob)."""
    g = resize_long(grey, 800)
    paper, ink = np.percentile(g, [95, 2])
    mean = float(g.mean())
    share = _glare_share(g)
    too_bright = ink > BRIGHT_FLOOR or share >= GLARE_MIN_AREA
    return Exposure(too_dark=bool(paper < DARK_PAPER), too_bright=bool(too_bright), paper=float(paper),
                    ink=float(ink), mean=round(mean, 1), glare_share=round(share, 4))


def _glare_share(g: np.ndarray) -> float:
    """Share of the photo inside blown-out blobs that sit within the scene, not at its border.

    A scan's white margin touches the border and has no halo; a reflection is a compact white
    blob in the middle of the document, brighter than the paper around it.
    """
    blown = (g >= GLARE_LEVEL).astype(np.uint8)
    blown = cv2.morphologyEx(blown, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(blown, connectivity=8)
    h, w = g.shape
    total = 0
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        if area < GLARE_MIN_AREA * 0.5 * h * w:
            continue
        if x == 0 or y == 0 or x + bw >= w or y + bh >= h:
            continue
        if area / float(bw * bh) < 0.45:  # a thin frame of white paper, not a blob
            continue
        # Halo: a reflection fades out into the paper, so the ring around it is bright too.
        comp = (labels == i).astype(np.uint8)
        pad = max(3, int(0.25 * math.sqrt(area)))
        ring = cv2.dilate(comp, np.ones((2 * pad + 1, 2 * pad + 1), np.uint8)) & (1 - comp)
        ring_mean = float(g[ring > 0].mean()) if ring.any() else 0.0
        if ring_mean >= 175:
            total += int(area)
    return total / float(h * w)


# ---------------------------------------------------------------- face


_CASCADE: cv2.CascadeClassifier | None = None


def _cascade() -> cv2.CascadeClassifier:
    global _CASCADE
    if _CASCADE is None:
        path = cv2.data.haarcascades + "haarcascade_frontalface_default.xml"
        c = cv2.CascadeClassifier(path)
        if c.empty():
            raise RuntimeError(f"OpenCV face cascade missing at {path} (opencv-python-headless<5 ships it)")
        _CASCADE = c
    return _CASCADE


def faces(grey: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Frontal faces as (x, y, w, h) in shares of the photo's width and height."""
    g = resize_long(grey, FACE_SIDE)
    h, w = g.shape
    g = cv2.equalizeHist(g)
    min_px = max(24, int(FACE_MIN_SHARE * min(h, w)))
    found = _cascade().detectMultiScale(g, scaleFactor=1.1, minNeighbors=5, minSize=(min_px, min_px))
    return [(x / w, y / h, fw / w, fh / h) for (x, y, fw, fh) in (found if len(found) else [])]


def face_present(grey: np.ndarray, card: Outline | None = None) -> bool:
    """A person's face, big enough and not the card's own portrait, is in the photo."""
    found = faces(grey)
    h, w = grey.shape[:2]
    for x, y, fw, fh in found:
        if any(ow <= 0.6 * fw for _, _, ow, _ in found):
            return True  # a face next to a much smaller one: the person and the card's portrait
        if card is not None:
            xs = [c[0] for c in card.corners]
            card_w = max(xs) - min(xs)
            if card.contains(x + fw / 2, y + fh / 2) and fw < PORTRAIT_SHARE * card_w:
                continue  # the portrait printed on the card
        elif fw * w < FACE_ALONE_SHARE * max(h, w):
            continue  # small enough to be a card's portrait filling the frame
        return True
    return False


# ---------------------------------------------------------------- document outline, flatness


def _order(pts: np.ndarray) -> np.ndarray:
    """Corners in order tl, tr, br, bl."""
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]  # clockwise from the left (image y points down)
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def _quad_candidates(g: np.ndarray) -> list[np.ndarray]:
    """Four-cornered shapes from two views: bright paper on a darker desk, and strong edges."""
    blur = cv2.GaussianBlur(g, (5, 5), 0)
    masks = []
    _, otsu = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(cv2.morphologyEx(otsu, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8)))
    edges = cv2.Canny(blur, 40, 120)
    masks.append(cv2.dilate(edges, np.ones((3, 3), np.uint8)))
    quads = []
    support = cv2.dilate(edges, np.ones((5, 5), np.uint8)) > 0
    for m in masks:
        contours, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
            hull = cv2.convexHull(c)
            peri = cv2.arcLength(hull, True)
            for eps in (0.02, 0.03, 0.05):
                approx = cv2.approxPolyDP(hull, eps * peri, True)
                if len(approx) == 4:
                    q = approx.reshape(4, 2).astype(np.float32)
                    if _edge_support(q, support) >= EDGE_SUPPORT:
                        quads.append(q)
                    break
    return quads


def _edge_support(q: np.ndarray, support: np.ndarray) -> float:
    """Share of points along the quad's sides that lie on an image edge (a real paper border)."""
    h, w = support.shape
    hits = total = 0
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        for t in np.linspace(0.05, 0.95, 40):
            x, y = a + (b - a) * t
            xi, yi = int(round(x)), int(round(y))
            if 0 <= xi < w and 0 <= yi < h:
                total += 1
                hits += bool(support[yi, xi])
    return hits / total if total else 0.0


def outline(grey: np.ndarray) -> Outline | None:
    """The largest convincing document outline, or None (e.g. a scan that fills the frame)."""
    g = resize_long(grey, 600)
    h, w = g.shape
    best: Outline | None = None
    for q in _quad_candidates(g):
        area = cv2.contourArea(q) / float(h * w)
        if area < FLAT_MIN_AREA or area > 0.97:
            continue
        # A quad hugging the photo's border is the frame, not a document lying in it.
        if (q[:, 0].min() <= 2 and q[:, 0].max() >= w - 3) and (q[:, 1].min() <= 2 and q[:, 1].max() >= h - 3):
            continue
        o = _geometry(_order(q), w, h, area)
        if best is None or o.area_share > best.area_share:
            best = o
    return best


def _geometry(q: np.ndarray, w: int, h: int, area: float) -> Outline:
    sides = [float(np.linalg.norm(q[(i + 1) % 4] - q[i])) for i in range(4)]
    top, right, bottom, left = sides
    ratio = max(top / max(bottom, 1e-3), bottom / max(top, 1e-3), left / max(right, 1e-3), right / max(left, 1e-3))
    devs = []
    for i in range(4):
        a, b, c = q[i - 1], q[i], q[(i + 1) % 4]
        v1, v2 = a - b, c - b
        cos = float(np.dot(v1, v2) / (np.linalg.norm(v1) * np.linalg.norm(v2) + 1e-6))
        devs.append(abs(math.degrees(math.acos(max(-1.0, min(1.0, cos)))) - 90))
    # Rotation: the longer pair of sides against the nearest axis.
    edge = q[1] - q[0] if top + bottom >= left + right else q[3] - q[0]
    ang = abs(math.degrees(math.atan2(edge[1], edge[0]))) % 90
    rotation = min(ang, 90 - ang)
    corners = [(float(x) / w, float(y) / h) for x, y in q]
    return Outline(corners=corners, area_share=round(area, 4), rotation=round(rotation, 2),
                   side_ratio=round(ratio, 3), corner_dev=round(max(devs), 2))


# ---------------------------------------------------------------- perceptual hash


def phash(image: np.ndarray) -> str:
    """64-bit DCT perceptual hash (as in the imagehash package) as 16 hex digits."""
    g = to_grey(image).astype(np.float32)
    small = cv2.resize(g, (32, 32), interpolation=cv2.INTER_AREA)
    low = cv2.dct(small)[:8, :8]
    bits = (low > np.median(low)).flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return f"{value:016x}"


def phash_distance(a: str, b: str) -> int:
    """Hamming distance between two hashes from ``phash``: 0 = same picture."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")
