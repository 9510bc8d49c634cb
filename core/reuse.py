"""Reused photos: the same or nearly the same picture uploaded on another account.

The 64-bit perceptual hash (``quality.phash``) finds candidates cheaply, but it sees only the
picture's coarse layout: every scan of a resident ID card, or every business licence laid on a
desk, has nearly the same layout, and the hashes of two different people's scans are often
equal. So each candidate is confirmed by laying its thumbnail onto the new photo's and looking
for content one of them has and the other lacks (a name, a number, a portrait). A photo saved
again smaller, recompressed, brightened or cropped by a few per cent shows no such content.
"""

from __future__ import annotations

import cv2
import numpy as np

from core import photos, quality

THUMB_SIDE = 384  # px, long side: a licence's small print still shows as distinct blobs
# Share of the thumbnail where the two pictures differ beyond resampling and recompression.
# Measured on the generated set: the same picture resaved, brightened or cropped up to 5 %
# differs on at most 0.02 %; two different ID scans or licences of one layout on 0.7 % or more
# (tests/test_reuse.py).
SAME_SHARE = 0.003
MAX_CANDIDATES = 20  # candidates confirmed per upload, nearest hash first (about 20 ms each)
_MARGIN = THUMB_SIDE // 20  # the thumbnail's rim is left out: a crop leaves nothing to compare there
_BLUR = 1.0  # px: resampling moves a stroke by a fraction of a pixel; this evens that out
_DIFFER = 0.8  # standard deviations of brightness between two pixels that show different content


def thumbnail(data: bytes) -> np.ndarray:
    """A photo's grey thumbnail (float32, ``THUMB_SIDE`` on the long side), EXIF applied."""
    rgb = np.asarray(photos.load_photo(data, max_side=THUMB_SIDE).image)
    grey = quality.to_grey(rgb).astype(np.float32)
    h, w = grey.shape
    k = THUMB_SIDE / max(h, w)
    return cv2.resize(grey, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)


def _alignment(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The affine map from ``a``'s pixels to ``b``'s: the picture's own corners (ORB) give a
    first guess when one of the two is cropped, and ECC refines it; identity when neither
    finds one (the pictures then do not share content)."""
    warp = np.eye(2, 3, dtype=np.float32)
    orb = cv2.ORB_create(500)
    ka, da = orb.detectAndCompute(a.astype(np.uint8), None)
    kb, db = orb.detectAndCompute(b.astype(np.uint8), None)
    if da is not None and db is not None and len(ka) >= 8 and len(kb) >= 8:
        matches = cv2.BFMatcher(cv2.NORM_HAMMING, crossCheck=True).match(da, db)
        if len(matches) >= 8:
            pa = np.float32([ka[m.queryIdx].pt for m in matches])
            pb = np.float32([kb[m.trainIdx].pt for m in matches])
            guess, inliers = cv2.estimateAffinePartial2D(pa, pb, method=cv2.RANSAC, ransacReprojThreshold=2.0)
            if guess is not None and int(inliers.sum()) >= 8:
                warp = guess.astype(np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 100, 1e-5)
    try:
        return cv2.findTransformECC(a, b, warp.copy(), cv2.MOTION_AFFINE, criteria, None, 5)[1]
    except cv2.error:
        # ECC does not converge when the two pictures share little content: the first guess.
        return warp


def differing_share(a: np.ndarray, b: np.ndarray) -> float:
    """The share of thumbnail ``a`` where thumbnail ``b``, laid onto it, shows other content."""
    b = cv2.resize(b, (a.shape[1], a.shape[0]), interpolation=cv2.INTER_AREA)
    # Aligned at half size (a quarter of the work); the shift then doubles.
    half = (a.shape[1] // 2, a.shape[0] // 2)
    warp = _alignment(cv2.resize(a, half, interpolation=cv2.INTER_AREA), cv2.resize(b, half, interpolation=cv2.INTER_AREA))
    warp[:, 2] *= 2
    laid = cv2.warpAffine(b, warp, (a.shape[1], a.shape[0]),
                          flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)
    x = cv2.GaussianBlur(a, (0, 0), _BLUR)
    y = cv2.GaussianBlur(laid, (0, 0), _BLUR)
    # Brightness and contrast are evened out: a brightened copy is the same picture.
    diff = np.abs((x - x.mean()) / (x.std() + 1e-3) - (y - y.mean()) / (y.std() + 1e-3))
    inner = diff[_MARGIN:-_MARGIN, _MARGIN:-_MARGIN]
    return float((inner > _DIFFER).mean()) if inner.size else 1.0


def same_picture(a: np.ndarray, b: np.ndarray) -> bool:
    """Are two thumbnails the same picture (resaved, resized, brightened or slightly cropped)?"""
    return differing_share(a, b) <= SAME_SHARE
