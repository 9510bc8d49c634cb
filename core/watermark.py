"""Read the watermark with OCR, judge it against the official phrase, and stamp the official one.

The rule (from the seed): a watermark is optional, but when there is one it must read exactly
``OFFICIAL`` and nothing else. The verdicts:

* ``none``  - no overlay text found;
* ``exact`` - the overlay says the phrase, in order, and nothing else (tiles may wrap from
  "...使用" to "仅供...");
* ``wrong`` - anything else: other or extra words, a missing, changed, traditional or look-alike
  character, words reordered, English, a prefix or a suffix, only part of the phrase.

A wrong watermark judged ``exact`` is the worst mistake, so doubt resolves to ``wrong``.

How it reads (``check_watermark``):

1. The photo: text boxes are detected at ``DET_SIDE``; boxes that are plainly the document's own
   print (crisp, dark, neutral, along the document's text) are not recognised at all, which is
   most of the OCR time saved; the rest are read and classified as overlay or print: close to
   the phrase, tilted against the print, faint, or repeated (``classify``).
2. Unless that already reads ``exact``: the overlay layer (``overlay_layer``: the print taken out
   by its darkness, a coloured overlay kept by its tint even over ink) is read the same way,
   without what is only the remains of print; a few long lines (one big watermark) are read
   again whole along a level strip, out to where the phrase's characters the layer did not box
   would be (``strip_reach``), and once more with the strip's ends beyond the boxed extent, and
   what lies off the document's paper out to where it begins, taken from the photo itself
   (``_photo_ends``, ``end_strokes``: the loss of saturation over a coloured ground, the colour
   departure elsewhere; an end over a dark or coloured desk or the holder beside the card is
   lost or garbled on the layer; crisp print there, such as an ID card's labels, is left out),
   reaching far enough that a prefix or suffix there reads as words. Only the layer's readings
   are then judged, unless the photo read a look-alike surely more than once (``_sure_swaps``):
   then the photo's readings of the phrase are weighed with them. Still ``wrong``, tiles over a
   wood or cloth desk, which the detector does not box on the photo or the layer, are read on
   the ``desk_layer`` (the loss of the desk's chroma) and weighed with the layer's readings,
   strictly: a change is outvoted only by readings sure of the phrase's character.
3. When one big line (on the layer, or else on the photo) is then still ``wrong``: a coloured one
   is read on its ``chroma_shift`` strip (print and a desk's grain gone, only the overlay's hue
   left), and is ``exact`` when that clean reading is the whole phrase, read with confidence,
   and no reading shows words beyond its ends (``clean_reading``). Otherwise its strip is read
   on the photo itself (as it is, contrast-stretched, and as its colour departure:
   ``other_readings``). These readings are not judged; they may only rescue a place the layer's
   readings all read wrong (``rescue``).

A line read on the photo that lies across other lines of print, a few degrees off them, is overlay
even when it runs nearly level with the print (``_crosses``); a box several print heights tall is
never taken for print (``_print_sized``): it is a big overlay line boxed with the print it crosses.
The document's direction is taken again from the lines read as print (``direction_after_reading``),
and other words on the layer count only when read with confidence (``LAYER_SURE``).

The phrase read whole only by joining fragments of one line stands only if a reading of the whole
line shows nothing inserted where it was split (``_stitch_confirmed``), and tiles judged ``exact``
are read again on the layer beyond the ends that reach the phrase's start or end: words there in
two tiles are a prefix or suffix the tiles' boxes left out (``_end_words``). On the layer, short
other words along the print or at right angles to it are its remains, a column of print read
across its rows among them (``_overlay_only``), unless in letters taller than the print's and a
few degrees off its rows (``_big_across``); a line holding five characters of the phrase in a row
is never taken for the remains of print (``_holds_piece``). An ID card's printed label read in
one tile only is the card, not words of the watermark (``_without_labels``).

The verdict (``judge``) weighs all readings together: one reading must show the whole phrase, or,
with several readings (tiles, or one line read more than once), every character and every pair
of neighbours must be read right somewhere and each difference must be outvoted ``MAJORITY`` to
one by readings of that very place (a real change is in every tile; an OCR slip is not).
Each reading keeps the recogniser's confidence in each of its characters (``Reading``): a
character read as another in doubt is no witness to a change, while a look-alike read surely
in two readings or more needs ``SURE_MAJORITY`` sure right readings each (``_slip``): the
recogniser expects the phrase's own characters and reads a look-alike as one of them in many
tiles. A character left out is a slip when at least as many readings read it between its
neighbours: the recogniser drops a faint character but does not invent one.
Characters before a reading's first (or after its last) right character are weighed as
misreadings of the phrase's own characters as far as the phrase has room for them there (an end
character over a busy desk); beyond that they are extra, and two or more extra characters in a
single reading are words (a prefix or suffix), never outvoted. A rescue (step 3) needs every
layer reading to differ from the phrase only by characters read as others or left out, at no more
than ``RESCUE_PLACES`` places, each read right (between its right neighbours) by at least
``RESCUE_VOTES`` photo readings and read as another character by none: the layer loses strokes
where a character crosses a dark patch (the portrait's hair), a look-alike is on the photo too;
a place two layer readings read surely as the same other character is never rescued.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import cv2
import numpy as np
from PIL import Image, ImageDraw

from core.fonts import cjk_font
from core.quality import resize_long

OFFICIAL = "仅供办理中国版权保护中心各项申请使用"
OCR_SIDE = 1280  # long side the recogniser reads crops from
DET_SIDE = 960  # long side the detector sees: a tile's characters are still 20-30 px there
INK_RATIO = 0.55  # darker than this share of the local paper level: ink, not overlay
OPAQUE_RATIO = 0.3  # a tinted pixel between this and INK_RATIO is opaque coloured print
PAPER_RATIO = 0.94  # lighter than this: paper
TINT_MIN = 20.0  # colour shift (0-255 scale) below which a pixel is not tinted
TINT_SHARE = 0.004  # share of the photo a tint must cover to be taken for an overlay
OTHER_MATCH = 0.4  # a reading matching less than this share of its characters is other words
INK_SHARE = 0.3  # a box whose darkened pixels are at least this share ink-dark is print
MIN_SCORE = 0.5  # recogniser confidence below which a line is noise (rapidocr's own default)
COLORS: dict[str, tuple[int, int, int]] = {"grey": (128, 128, 128), "red": (220, 40, 40), "blue": (40, 90, 220)}

# A line is "close to the phrase" when its edit distance to some stretch of the (repeated)
# phrase is at most this share of its length.
PHRASE_CLOSE = 0.34
TILT_LIMIT = 8.0  # degrees between a line and the document's text that make it an overlay
FAINT_LIMIT = 0.45  # stroke contrast below this share of the background: a translucent overlay
COLOUR_LIMIT = 60.0  # mean saturation x value of the strokes above this: coloured overlay
BIG_LINE = 1.5  # a coloured line this many times taller than the print is an overlay
TILE_RUNS = 3  # from this many runs on, a watermark is judged by the tiles' consensus
EXTRA_WORD = 2  # this many characters beyond the phrase's start or end, read once, are words
MAJORITY = 2  # right readings needed per one-off misreading at the same place
STRIP_REACH = 1.2  # character heights read beyond a line's ends (a character the detector left out)
REREAD_GROUPS = 3  # up to this many watermark lines are read again along their strip
RULE_WIDTH = 3  # px: a document's ruled line or edge on the layer is thinner than this
THICK_LINE = 40  # px: a line of characters this tall has strokes thicker than a ruled line
EDGE_REACH = 3.0  # characters read beyond a line's ends on the photo's colour departure
RESCUE_PLACES = 2  # at most this many places of one line read wrong by every layer reading
RESCUE_VOTES = 2  # photo readings that must read the phrase's character at such a place
DEPARTURE_MIN = 12.0  # Lab colour distance below which a strip's ends show no strokes
GROUND_LIGHT = 0.7  # a ground darker than this share of the light paper (a strip's, or the photo's) is a desk, not paper
SATURATED = 0.12  # HSV saturation from which a pixel is coloured (a wood or cloth desk), not paper
# Share of its background's saturation a pixel lost that makes a full stroke: the strip's own
# strongest loss, within these (a faint grey overlay over purple loses only about a fifth).
FADE_FAINT, FADE_FULL = 0.25, 0.5
FADE_FLOOR = 0.4  # a loss below this share of a full stroke's is no stroke (a desk's grain)
CHROMA_MIN = 8.0  # Lab chroma shift below which a strip holds no coloured overlay
CHROMA_LINE = 17.0  # Lab chroma shift from which a line is coloured: grey ones over a desk measure 13-14
CHROMA_SURE = 0.95  # recogniser confidence a clean (chroma) reading of the phrase needs
CROSS_SHARE = 0.12  # share of the smaller box two boxes of text overlap by when one crosses the other
CROSS_TILT = 3.0  # degrees between two overlapping boxes from which one crosses the other
PRINT_TALL = 1.4  # a box taller than this many print heights is not a line of print
LAYER_SURE = 0.7  # recogniser confidence other words read on the overlay layer need
LONG_LINE = 8  # characters from which a line on the layer no print accounts for is overlay
BIG_WORDS = 4  # characters from which a tall line a few degrees across the print is overlay
LATIN_WORD = 4  # Latin letters from which a word on the layer is overlay even along the print
LATIN_TILTED = 3  # Latin letters from which a word on the layer laid off the print is overlay
SURE_CHAR = 0.95  # recogniser confidence in one character below which that character is in doubt
SURE_MAJORITY = 3  # sure right readings needed per sure reading of a look-alike, from two on
RULE_STROKES = set("一二三—-_=")  # what a ruled line of a form reads as, row after row
DATE = re.compile(r"\d{2,4}年\d{1,2}月(\d{1,2}日)?")  # a date written out: 2016年4月20日
PIECE = 5  # characters of the phrase in a row that no print holds
END_REACH = 2.5  # character advances read beyond a tile's first or last character
BAND_SHARE = 0.3  # share of the densest band's pixels a band next to it needs to belong to the line
DESK_WINDOW = 31  # px at OCR_SIDE: a desk's local chroma is a median over a window wider than a stroke
DESK_CHROMA = 8.0  # Lab chroma under which a ground is neutral (paper, print): it shows no loss
DESK_FULL = 0.5  # share of its ground's chroma a pixel lost that makes a full stroke on the desk layer
DESK_SHARE = 0.1  # share of the photo a coloured ground must cover before the desk layer is read

# The fields printed on the front of every resident ID card: a tile crossing one (blue, like a
# blue overlay, so it stays on the overlay layer) is read with it.
ID_LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码")
# A business licence's printed title and field labels, each printed once like the above.
LICENCE_LABELS = ("营业执照", "统一社会信用代码", "名称", "类型", "法定代表人", "注册资本", "经营范围",
                  "成立日期", "营业期限", "住所", "登记机关")
PRINTED_LABELS = ID_LABELS + LICENCE_LABELS
UNCONFIRMED = "the phrase read whole only by joining pieces of a line, and not along the whole line"
NEVER_READ = "never read"  # how a reason begins when places of the phrase were read in no reading

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
                    # We size the detector's input ourselves (DET_SIDE): never enlarge it.
                    "Det.limit_type": "min",
                    "Det.limit_side_len": 32,
                }
                for key in ("Det.model_path", "Cls.model_path", "Rec.model_path"):
                    if not Path(params[key]).is_file():
                        raise RuntimeError(f"OCR model missing: {params[key]} (reinstall rapidocr)")
                _ENGINE = RapidOCR(params=params)
                logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return _ENGINE


class Reading(str):
    """Text as read, knowing which characters the recogniser was sure of: ``sure`` has "1" for
    each character read with confidence ``SURE_CHAR`` or more, "0" for one in doubt."""

    sure: str

    def __new__(cls, text: str, sure: str | None = None) -> "Reading":
        obj = super().__new__(cls, text)
        obj.sure = sure if sure is not None and len(sure) == len(text) else "1" * len(text)
        return obj


def _sure(text: str) -> str:
    """The ``Reading.sure`` marks of any text (plain text: every character sure)."""
    return text.sure if isinstance(text, Reading) else "1" * len(text)


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
    ink: float = 1.0  # share of the box's darkened pixels that are ink-dark (print), not mid-tone
    ground: float = 1.0  # brightness of the box's background, as a share of the photo's paper
    colour: float = 0.0
    is_watermark: bool = False
    why: str = ""
    source: str = "photo"  # read on the photo itself, or on the overlay layer


@dataclass
class WatermarkReport:
    """The verdict, the watermark text read (runs joined by " / "), and the evidence."""

    verdict: str  # none | exact | wrong
    text: str | None
    runs: list[str] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    reason: str = ""

    @property
    def unread(self) -> str | None:
        """The phrase's characters that no reading read in place (or, two of them, side by side)
        when that is why the verdict is ``wrong``: missing from the watermark or changed in every
        tile, or hidden where print, a QR code or a desk's pattern crosses it. None otherwise."""
        if self.verdict != "wrong" or not self.reason.startswith(NEVER_READ):
            return None
        return self.reason.partition(": ")[2].partition(" (")[0] or None


# ---------------------------------------------------------------- OCR


def _models() -> tuple[Any, Any]:
    """The engine's detector and recogniser (rapidocr 3.x loads them lazily on first use).

    They are called directly rather than through ``RapidOCR.__call__`` so that detection can run
    on a smaller image than recognition, and so that only the boxes worth reading are read:
    recognition is most of the OCR time.
    """
    eng = engine()
    return eng._load_det_model(), eng._load_rec_model()


def detect(img: np.ndarray, det_side: int) -> list[np.ndarray]:
    """Text boxes (4 x 2 corners, in ``img`` pixels) found on ``img`` shrunk to ``det_side``."""
    return detect_with_bands(img, det_side)[0]


def detect_with_bands(img: np.ndarray,
                      det_side: int) -> tuple[list[np.ndarray], Callable[[], list[np.ndarray]]]:
    """``detect``'s boxes, and a function giving, from the same run of the detector, boxes along
    the main line of each region its own post-processing drops (``_dropped_bands``); those are
    only worked out when asked for."""
    small = resize_long(img, det_side)
    k = img.shape[1] / small.shape[1]
    if small.ndim == 2:
        small = cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
    det, _ = _models()
    with _RUN_LOCK:  # onnxruntime sessions are shared; one photo at a time
        prep = det.get_preprocess()(np.ascontiguousarray(small))
        if prep is None:
            return [], lambda: []
        pred = det.session(prep)
    found, _ = det.postprocess_op(pred, small.shape[:2])
    boxes = [np.asarray(b, np.float32) * k for b in (det.sorted_boxes(found) if len(found) else [])]

    def bands() -> list[np.ndarray]:
        return [b * k for b in _dropped_bands(np.asarray(pred)[0, 0], det.postprocess_op, small.shape[:2])]

    return boxes, bands


def _dropped_bands(prob: np.ndarray, post: Any, shape: tuple[int, int]) -> list[np.ndarray]:
    """Boxes for the text regions the detector's post-processing drops as mostly empty.

    It scores a region by the mean text probability inside its enclosing rectangle. A long line
    of overlay joined to a remain of print it crosses (a stroke of 公民身份号码 left on the
    layer) gets a rectangle several lines tall, mostly empty, and is dropped although the region
    itself is solid text: such a region is boxed along its main line instead.
    """
    mask = (prob > post.thresh).astype(np.uint8)
    if post.dilation_kernel is not None:  # as the post-processing itself does
        mask = cv2.dilate(mask, post.dilation_kernel)
    contours, _ = cv2.findContours(mask * 255, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for contour in contours:
        rect, short = post.get_mini_boxes(contour)
        if short < post.min_size or post.box_score_fast(prob, rect.reshape(-1, 2)) >= post.box_thresh \
                or post.box_score_slow(prob, contour) < post.box_thresh:
            continue
        box = _band_box(prob, contour, post)
        if box is not None:
            box = np.clip(box * [shape[1] / prob.shape[1], shape[0] / prob.shape[0]], 0, [shape[1], shape[0]])
            out.append(box.astype(np.float32))
    return out


def _band_box(prob: np.ndarray, contour: np.ndarray, post: Any) -> np.ndarray | None:
    """The box of a region's main line: its pixels within the densest band across the line
    the region runs along (found twice, the second time on the first band's pixels alone)."""
    region = np.zeros(prob.shape, np.uint8)
    cv2.drawContours(region, [contour], -1, 1, -1)
    ys, xs = np.nonzero(region & (prob > post.thresh))
    pts = np.column_stack([xs, ys]).astype(np.float32)
    for _ in range(2):
        if len(pts) < 20:
            return None
        vx, vy, x0, y0 = cv2.fitLine(pts, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        across = (pts[:, 1] - y0) * vx - (pts[:, 0] - x0) * vy
        counts, edges = np.histogram(across, bins=np.arange(np.floor(across.min()), across.max() + 4, 2))
        peak = lo = hi = int(counts.argmax())
        while lo > 0 and counts[lo - 1] >= BAND_SHARE * counts[peak]:
            lo -= 1
        while hi < len(counts) - 1 and counts[hi + 1] >= BAND_SHARE * counts[peak]:
            hi += 1
        pts = pts[(across >= edges[lo]) & (across <= edges[hi + 1])]
    if len(pts) < 20:
        return None
    rect = cv2.boxPoints(cv2.minAreaRect(pts))
    if post.box_score_fast(prob, rect.copy()) < post.box_thresh:
        return None
    box, short = post.get_mini_boxes(post.unclip(rect))
    return np.asarray(box, np.float32) if short >= post.min_size + 2 else None


def recognise(img: np.ndarray, boxes: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text and confidence of each box, cut out of ``img`` (BGR or grey) and turned level."""
    if not boxes:
        return []
    return _recognise_crops(_level_crops(img, boxes))


def _level_crops(img: np.ndarray, boxes: list[np.ndarray]) -> list[np.ndarray]:
    """Each box cut out of ``img`` (BGR or grey; the crops are BGR) and turned level."""
    if img.ndim == 2:
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    from rapidocr.utils.process_img import get_rotate_crop_image

    return [get_rotate_crop_image(img, b.astype(np.float32)) for b in boxes]


def _recognise_crops(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text (a ``Reading``) and confidence of each level BGR crop, in one batch of the
    recogniser."""
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    _, rec = _models()
    with _RUN_LOCK:
        # The word boxes carry each character's own confidence (the line's is their mean).
        out = rec(TextRecInput(img=[np.ascontiguousarray(c) for c in crops], return_word_box=True))
    read = []
    for t, s, words in zip(out.txts, out.scores, out.word_results):
        confs = list(getattr(words, "confs", None) or [])
        sure = "".join("1" if c >= SURE_CHAR else "0" for c in confs) if len(confs) == len(t) else None
        read.append((Reading(str(t), sure), float(s)))
    return read


def _read_strips(strips: list[np.ndarray]) -> list[str]:
    """The normalised text of each level strip read with confidence (the others left out)."""
    read = [(normalise(t), s) for t, s in _recognise_crops(strips)]
    return [t for t, s in read if s >= MIN_SCORE and t]


def _boxes(boxes: list[np.ndarray], grey: np.ndarray, hsv: np.ndarray,
           ratio: np.ndarray | None = None) -> list[OcrLine]:
    """Detected boxes described (geometry, and appearance on the photo), not yet read.

    ``ratio`` (``paper_ratio``) tells ink from a translucent overlay: a tile crossing a line
    of print has dark pixels too, but most of its darkened pixels are mid-tone. With it, each
    box's ground is also compared with the photo's paper (its light level).
    """
    light = float(np.percentile(grey, 95)) if ratio is not None else 0.0
    out = []
    for box in boxes:
        line = _geometry(box, "??", 0.0)
        line.text = ""
        line.contrast, line.colour, bg = _appearance(grey, hsv, line.box)
        if ratio is not None:
            line.ink = _ink_share(ratio, line.box)
            line.ground = bg / max(light, 1.0)
        out.append(line)
    return out


def _ink_share(ratio: np.ndarray, box: np.ndarray) -> float:
    x, y, w, h = cv2.boundingRect(box.astype(np.int32))
    mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [(box - [x, y]).astype(np.int32)], 1)
    r = ratio[y:y + h, x:x + w][mask[:ratio[y:y + h].shape[0], :ratio.shape[1] - x] > 0] \
        if w > 0 and h > 0 else np.empty(0)
    darkened = r < PAPER_RATIO
    return float((r[darkened] < INK_RATIO).mean()) if darkened.sum() >= 20 else 1.0


def _read(img: np.ndarray, lines: list[OcrLine], source: str) -> list[OcrLine]:
    """Recognise the boxes of ``lines`` on ``img``; keep the lines read with confidence."""
    out = []
    for line, (text, score) in zip(lines, recognise(img, [ln.box for ln in lines])):
        text = normalise(text)
        if not text or score < MIN_SCORE:
            continue
        if line.height > line.length * 1.5 and len(text) > 1:
            # A steep line boxed along its short side: redo the geometry now the text is known.
            line = replace(_geometry(line.box, text, score), contrast=line.contrast, colour=line.colour)
        line.text, line.score, line.source = text, score, source
        out.append(line)
    return out


def document_direction(lines: list[OcrLine], fallback: bool = True) -> tuple[float, float] | None:
    """The document's text direction and print height, from crisp, dark, neutral boxes.

    The length-weighted median direction: the print outnumbers any overlay on a document.
    Without ``fallback``, only from boxes mostly ink-dark, and None unless there are three.
    """
    crisp = [ln for ln in lines if ln.contrast >= FAINT_LIMIT and ln.colour < COLOUR_LIMIT
             and ln.length >= 2 * ln.height and not (ln.text and close_to_phrase(ln.text))]
    # Mostly ink-dark pixels: print, not a tile crossing print (tiles can outnumber the print).
    doc = [ln for ln in crisp if ln.ink >= INK_SHARE]
    if len(doc) < 3:
        if not fallback:
            return None
        doc = crisp  # faint or small print: the ink test would leave too little to go by
    if not doc:
        return None
    angle = _weighted_median([ln.angle for ln in doc], [ln.length for ln in doc])
    return angle, float(np.median([ln.height for ln in doc]))


def direction_after_reading(doc: tuple[float, float] | None, lines: list[OcrLine]) -> tuple[float, float] | None:
    """The document's direction again, once the boxes in doubt are read. The phrase is then
    known not to be print: tiles crossing a small card can outnumber its print among the boxes
    and pull the first estimate their way, while three or more ink-dark lines read as other
    text than the phrase are print, and tell the direction when they disagree."""
    read = document_direction(lines, fallback=False) or _direction_of_words(doc, lines)
    if read is not None and (doc is None or _angle_diff(read[0], doc[0]) >= TILT_LIMIT):
        return read
    return doc


def _direction_of_words(doc: tuple[float, float] | None, lines: list[OcrLine]) -> tuple[float, float] | None:
    """The direction of the words read that are not the phrase, when the first estimate is
    the phrase's own: a coloured overlay crossing a small card's print makes its lines look
    neither crisp nor neutral, so the tiles were all the estimate had to go by; one big line,
    weighed by its length, can outweigh a dim licence's faint print on its own. Only words
    no fainter than print count (overlay words of a second overlay are fainter)."""
    if doc is None:
        return None
    phrase = [ln.angle for ln in lines if close_to_phrase(ln.text)]
    words = [ln for ln in lines if not close_to_phrase(ln.text) and len(ln.text) >= 2
             and ln.contrast >= FAINT_LIMIT / 2 and ln.length >= 1.5 * ln.height]
    if not phrase or len(words) < 3 or _angle_diff(float(np.median(phrase)), doc[0]) >= TILT_LIMIT:
        return None
    angle = _weighted_median([ln.angle for ln in words], [ln.length for ln in words])
    return angle, float(np.median([ln.height for ln in words]))


def print_like(lines: list[OcrLine], doc: tuple[float, float] | None) -> list[bool]:
    """Which unread boxes are plainly the document's own print: not worth recognising.

    Print is crisp, dark and neutral, runs along the document's text direction, is no taller
    than the print around it, and lies on the paper; a semi-transparent overlay is faint or
    coloured, and usually tilted or bigger. Anything in doubt is read. A grey overlay over a
    dark desk is lighter than the desk, crisp and neutral: only its ground, the desk, tells it
    from print.
    """
    if doc is None:
        return [False] * len(lines)
    angle, height = doc
    return [ln.contrast >= FAINT_LIMIT and ln.colour < COLOUR_LIMIT and ln.ink >= INK_SHARE
            and _angle_diff(ln.angle, angle) < TILT_LIMIT
            and ln.height < 1.3 * height and ln.ground >= GROUND_LIGHT for ln in lines]


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), no spaces or punctuation, Latin upper case; a
    ``Reading`` stays one, each character keeping its mark."""
    chars, marks = [], []
    for c, mark in zip(text, _sure(text)):
        for n in unicodedata.normalize("NFKC", c):
            if unicodedata.category(n)[0] in "LN":
                chars.append(n.upper())
                marks.append(mark * len(chars[-1]))
    out = "".join(chars)
    return Reading(out, "".join(marks)) if isinstance(text, Reading) else out


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


def _appearance(grey: np.ndarray, hsv: np.ndarray, box: np.ndarray) -> tuple[float, float, float]:
    """Stroke contrast (share of the background's brightness), stroke colourfulness, and the
    background's brightness."""
    mask = np.zeros(grey.shape, np.uint8)
    cv2.fillPoly(mask, [box.astype(np.int32)], 1)
    vals = grey[mask > 0]
    if vals.size < 20:
        return 1.0, 0.0, 255.0
    lo, bg = np.percentile(vals, [8, 85])
    contrast = float((bg - lo) / max(bg, 1.0))
    strokes = (mask > 0) & (grey <= lo + 0.35 * (bg - lo))
    sv = hsv[strokes]
    colour = float((sv[:, 1].astype(np.float32) * sv[:, 2] / 255).mean()) if sv.size else 0.0
    return contrast, colour, float(bg)


# ---------------------------------------------------------------- alignment with the phrase


def align(text: str, phrase: str = OFFICIAL, copies: int = 3) -> tuple[int, list[tuple[str, int, str]]]:
    """Edit distance of ``text`` to its best-matching stretch of the repeated phrase.

    Returns (distance, ops); ops are ("=", k, c) match, ("~", k, c) substitution, ("-", k, "")
    phrase character k missing, ("+", k, c) extra character c before phrase position k.
    ``copies`` is a floor: a reading running across more tiles than that is aligned with as
    many copies as it can span (else its first tile's end reads as words before the phrase).
    """
    ref = phrase * max(copies, len(text) // len(phrase) + 2)
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
    dist = min(d[m])
    # Of equally good ends, the first that ends on a character read right: a tile's last
    # character misread where the next tile's first ones were lost ("使中理中国" for
    # "使用仅供办理中国") is the phrase running on into the next tile, not words after it.
    ends = [jj for jj in range(1, n + 1) if d[m][jj] == dist and text[m - 1] == ref[jj - 1]
            and d[m - 1][jj - 1] == dist]
    j = ends[0] if ends else d[m].index(dist)
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


def _off_rows(angle: float, doc: tuple[float, float]) -> float:
    """Degrees between a line and the nearer of the document's rows and columns of print."""
    return min(_angle_diff(angle, doc[0]), _angle_diff(angle, doc[0] + 90))


def classify(lines: list[OcrLine], doc: tuple[float, float] | None = None) -> None:
    """Mark each line as watermark or the document's own print (in place).

    ``doc`` is the document's text direction and print height when known from boxes that were
    not read (``document_direction``); otherwise it is found from the lines themselves.
    """
    if not lines:
        return
    close = [close_to_phrase(ln.text) for ln in lines]
    counts: dict[str, int] = {}
    for ln in lines:
        if len(ln.text) >= 2:
            counts[ln.text] = counts.get(ln.text, 0) + 1
    doc = doc or document_direction([ln for ln in lines if len(ln.text) >= 2])
    doc_angle, doc_height = doc or (0.0, 0.0)
    for ln, c in zip(lines, close):
        reasons = []
        if c:
            reasons.append("phrase")
        # A box of two characters has a noisy direction (a word of print comes out a few
        # degrees off): it must be tilted twice as much to count.
        tilt = TILT_LIMIT if len(ln.text) >= 3 or ln.length > 3 * ln.height else 2 * TILT_LIMIT
        if _angle_diff(ln.angle, doc_angle) >= tilt and (len(ln.text) >= 2 or ln.length > 2 * ln.height):
            reasons.append("tilted")
        # Faint alone is not enough (ID cards print their labels in light blue): the overlay is
        # also taller than the print, or fainter than any print. A row that begins with one of
        # those labels is the card's (性别男 on a dim hand-held card measured fainter than any
        # print: fresh seed 10405, photo 36, no watermark at all).
        if len(ln.text) >= 2 and (ln.contrast < FAINT_LIMIT / 2
                                  or (ln.contrast < FAINT_LIMIT and ln.height >= 1.3 * doc_height)) \
                and not ln.text.startswith(ID_LABELS):
            reasons.append("faint")
        if counts.get(ln.text, 0) >= 3:
            reasons.append("repeated")
        # One big coloured line laid along the document's own text: print is neither that
        # much taller than the print around it nor coloured (the licence's title is black).
        if len(ln.text) >= 4 and ln.colour >= COLOUR_LIMIT and doc_height and ln.height >= BIG_LINE * doc_height:
            reasons.append("big")
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
    runs: list[str] = []
    for g in _line_groups([ln for ln in lines if ln.is_watermark]):
        ra = math.radians(g[0].angle)
        ux, uy = math.cos(ra), math.sin(ra)
        items = sorted(((ux * ln.cx + uy * ln.cy, ln) for ln in g), key=lambda t: t[0])
        cur, sure, cur_end = "", "", None
        for t, ln in items:
            start, end = t - ln.length / 2, t + ln.length / 2
            char = max(ln.height, 1.0)
            if cur and cur_end is not None and start - cur_end <= 1.0 * char:
                merged = _merge_overlap(cur, ln.text) if start - cur_end < -0.5 * char else cur + ln.text
                sure += _sure(ln.text)[len(cur) + len(ln.text) - len(merged):]
                cur, cur_end = merged, max(cur_end, end)
            else:
                if cur:
                    runs.append(Reading(cur, sure))
                cur, sure, cur_end = ln.text, _sure(ln.text), end
        if cur:
            runs.append(Reading(cur, sure))
    return runs


def _merge_overlap(a: str, b: str) -> str:
    """Join two readings of overlapping boxes: drop b's head where it repeats a's tail."""
    for k in range(min(len(a), len(b)), 0, -1):
        if a.endswith(b[:k]):
            return a + b[k:]
    return a + b


# ---------------------------------------------------------------- the verdict


def judge(runs: list[str], fill: list[str] | None = None, strict: bool = False) -> tuple[str, str]:
    """Verdict and reason for the stitched watermark runs.

    ``fill``: readings that show places of the phrase no run read at all (read surely) beside
    their neighbours, and a character some runs left out; they are no votes against a character
    read as another, two neighbours the runs read but never side by side, or words.
    ``strict``: a character read as another, surely or in doubt, is outvoted only by readings
    *sure* of the phrase's character there, ``MAJORITY`` to one (``_slip``)."""
    runs = [r for r in runs if r]
    if not runs:
        return "none", "no overlay text"
    bad = [r for r in runs if not is_piece(r)]
    whole = any(OFFICIAL in r for r in runs)
    if not bad and whole:
        return "exact", "every run is a piece of the phrase"
    if len(runs) < TILE_RUNS:
        if not bad:
            return "wrong", "only part of the phrase"
        return "wrong", f"not the phrase: {bad[0]}"
    return _judge_tiles(runs, fill or [], strict)


def _judge_tiles(runs: list[str], fill: list[str], strict: bool = False) -> tuple[str, str]:
    """Many readings: what the watermark says is what the readings agree on.

    Every character of the phrase, and every pair of neighbours in it, must be read right by
    some reading: the phrase is there, in order. Each difference from the phrase (a character
    read as another, extra characters between two, characters skipped) is weighed against the
    readings that read that very place right; it is an OCR slip only when those outnumber it
    ``MAJORITY`` to one. A real change (look-alike, missing or reordered words) is in every
    tile, so it is read about as often as the right text would be, and is never outvoted.
    Where one tile ends and the next begins (after "使用", before "仅供") characters may be
    lost or print may slip in: skipped characters there are forgiven, but the same extra
    characters there in two readings are a prefix or a suffix.
    """
    size = len(OFFICIAL)
    runs = _without_labels(runs)
    correct: dict[int, int] = {}
    sure: dict[int, int] = {}  # readings of phrase character k right, and sure of it
    joined: dict[int, int] = {}  # readings with phrase characters k-1 and k side by side
    devs: dict[tuple[str, int, str], int] = {}
    doubts: dict[tuple[str, int, str], int] = {}  # characters read as another, not sure of it
    edge: dict[tuple[str, str], int] = {}
    seam: dict[str, int] = {}
    other: list[str] = []
    for r in runs:
        for kind, key in _differences(r, correct, joined, sure):
            if kind == "doubt":
                doubts[key] = doubts.get(key, 0) + 1
            elif kind == "edge":
                edge[key] = edge.get(key, 0) + 1
            elif kind == "seam":
                seam[key] = seam.get(key, 0) + 1
            elif kind == "other":
                other.append(key)
            elif kind == "extra":
                other.append(f"extra words: {key}")
            else:
                devs[key] = devs.get(key, 0) + 1
    if other and not _garbled(other):
        return "wrong", other[0] if other[0].startswith("extra words") else f"other words: {other[0]}"
    shown: dict[int, int] = {}  # characters the fill reads surely, in place
    shown_joined: dict[int, int] = {}
    for r in fill:
        _differences(r, {}, shown_joined, shown)
    missing = [k for k in range(size) if correct.get(k, 0) == 0]
    filled = [k for k in missing if shown.get(k, 0)]
    missing = [k for k in missing if not shown.get(k, 0)]
    if missing:
        return "wrong", f"{NEVER_READ}: {''.join(OFFICIAL[k] for k in missing)}"
    # Two neighbours the runs read, but never side by side, are not filled in: closed, a
    # look-alike tile's 申国 reads 中国, and the pair was all that kept it from passing
    # (look-alike seed 556, photo 7). A pair beside a character filled in is filled in with it.
    beside_filled = {j for k in filled for j in (k, k + 1)}  # k: the pair (k - 1, k) holds one
    apart = [k for k in range(1, size) if joined.get(k, 0) == 0
             and not (k in beside_filled and shown_joined.get(k, 0))]
    if apart:
        return "wrong", f"{NEVER_READ} side by side: {OFFICIAL[apart[0] - 1]}{OFFICIAL[apart[0]]}"
    for (side, c), n in edge.items():
        # A prefix or suffix is the same characters at the same end of tile after tile;
        # print that a tile happens to touch differs from tile to tile.
        if n >= 2:
            return "wrong", f"extra {c} {side} the phrase in {n} readings"
    for text, n in seam.items():
        if n >= 2:
            return "wrong", f"extra {text} between the phrase's end and start in {n} readings"
    for (op, k, c) in sorted(set(devs) | set(doubts), key=lambda key: -devs.get(key, 0) - doubts.get(key, 0)):
        n, unsure = devs.get((op, k, c), 0), doubts.get((op, k, c), 0)
        if op == "~":
            right = correct.get(k, 0)
        elif op == "+":
            right = joined.get(k, 0)
        else:
            # The fill never adds a stroke, so it cannot make up a character that is not there.
            beside = {j: joined.get(j, 0) + shown_joined.get(j, 0) for j in (k, k + 1)}
            right = min(beside[k], beside[k + 1]) if k + 1 < size else beside[k]
        if _slip(op, n, unsure, right, sure.get(k, 0), strict):
            continue
        return "wrong", f"difference {op}{c or ''} at {OFFICIAL[k]} read {n + unsure}x ({unsure} in doubt), right {right}x"
    if filled:
        shown_places = "".join(OFFICIAL[k] for k in filled)
        return "exact", f"readings agree with the phrase; {shown_places} read only with thin lines closed"
    return "exact", "readings agree with the phrase; one-off misreadings outvoted"


def _garbled(other: list[str]) -> bool:
    """Is what the tiles' readings have besides the phrase one reading of other words, in
    doubt of half its characters or more? A faint tile over print or a busy desk is sometimes
    misread into such garbage (各顶情便用, 保护项甲清币), and like a character read in doubt it
    is no witness to words. Words stamped with the phrase are in every tile; and of the 414
    wrong watermarks captured while testing whose readings had one reading of other words,
    forgiving that reading, sure or not, let none pass."""
    if len(other) != 1 or other[0].startswith("extra words"):
        return False
    return _sure(other[0]).count("0") * 2 >= len(other[0])


def _without_labels(runs: list[str]) -> list[str]:
    """The tiles' readings, each without a label printed on an ID card or a licence that only
    it read.

    A tile crossing a label (blue like a blue overlay, so it stays on the overlay layer) is
    read with it ("使用性别仅供"), and a licence's title crossed by a tile on a dim photo is
    read as a line of its own (营业执照). Each label is printed once, so one reading has it; a
    prefix, suffix or other words are in every tile, and a label read twice is kept.
    """
    labels = [_printed_label(r) for r in runs]
    out = []
    for r, lb in zip(runs, labels):
        if lb and sum(lb in other for other in runs) == 1:
            i = r.index(lb)
            r = Reading(r[:i] + r[i + len(lb):], _sure(r)[:i] + _sure(r)[i + len(lb):])
        if r:
            out.append(r)
    return out


def _printed_label(text: str) -> str:
    """The longest stretch of ``text`` that is a label printed on an ID card or a licence
    (``ID_LABELS``, ``LICENCE_LABELS``) or three characters or more of one, or "". Two of a
    longer label are too common a word (身份 of 身份证) to tell a tile's crossing from a suffix."""
    stretches = (text[i:j] for i in range(len(text)) for j in range(i + EXTRA_WORD, len(text) + 1))
    pieces = [t for t in stretches if t in PRINTED_LABELS
              or (len(t) > EXTRA_WORD and any(t in label for label in PRINTED_LABELS))]
    return max(pieces, key=len, default="")


def _slip(op: str, n: int, unsure: int, right: int, sure: int, strict: bool = False) -> bool:
    """Is a difference ``op`` read ``n`` times surely and ``unsure`` times in doubt an OCR slip,
    given ``right`` readings of that place that read it right, ``sure`` of them sure of it?

    Outvoted ``MAJORITY`` to one, it is, with two exceptions either way for a character read as
    another ("~"). The recogniser expects the phrase's own characters and reads a look-alike
    as one of them in many tiles (申国 as 中国); reading the look-alike surely, twice, against
    that expectation is strong evidence, outweighed only ``SURE_MAJORITY`` to one by sure
    right readings. And a recogniser in doubt between two look-alikes (请 or 清 in a faint
    tile) is no witness to a change: readings in doubt are also outweighed by sure right
    readings that outnumber the sure wrong ones ``MAJORITY`` to one, are no fewer than the
    readings in doubt, and are at least ``MAJORITY``, when the phrase's character is read there
    more often than the change (blue tiles of 仅供办理申国… read 申 once surely and once in
    doubt, 中 twice). When no reading at all is sure of the change, as many readings of the
    phrase's own character there (sure or not), and at least ``MAJORITY``, outweigh it:
    the three readings of a faint single line often misread one character in doubt, while in
    the readings of about 2,200 photos captured while testing, every changed character of a
    wrong watermark that decided its verdict was read surely at least once, but one (a
    look-alike read in doubt once, the phrase's character once). ``strict``, for readings soft
    throughout (the desk layer's), a character read as another is outvoted only by sure right
    readings, ``MAJORITY`` to one: there a look-alike is read in doubt, and so is the phrase's.
    """
    if op == "~" and n >= 2 and sure < SURE_MAJORITY * n:
        return False
    if op == "~" and strict:
        return sure >= MAJORITY * (n + unsure)
    if right >= MAJORITY * (n + unsure):
        return True
    if op == "-":
        # The recogniser drops a faint character, but does not read one that is not there
        # between its two right neighbours (in 65 tiled watermarks missing a character, no
        # reading had it): as many such readings as readings without it show it is in the tiles.
        return right >= max(n, 1)
    if op == "~" and n == 0 and unsure > 0:
        # One reading of each is no majority either way: a red 申国 look-alike line read 申
        # in doubt once and 中 once (look-alike seed 559, photo 1) passed.
        return right >= max(unsure, MAJORITY)
    return op == "~" and unsure > 0 and sure >= MAJORITY * n and sure >= unsure and right > n + unsure


def _differences(run: str, correct: dict[int, int], joined: dict[int, int],
                 sure: dict[int, int]) -> list[tuple[str, Any]]:
    """Align one reading with the repeated phrase; count what it reads right (in place; in
    ``sure`` only the characters the recogniser was sure of) and return its differences as
    ("edge", (k, c)), ("seam", text), ("dev", (op, k, c)) or, for a character read as another
    without being sure of it, ("doubt", ("~", k, c))."""
    size = len(OFFICIAL)
    _, ops = align(run)
    at = [i for i, o in enumerate(ops) if o[0] == "="]
    if len(at) < OTHER_MATCH * len(run):
        # Hardly anything of the phrase: other words on the overlay.
        return [("other", run)]
    doubt = _in_doubt(run, ops)
    out = _ends(ops, at[0], at[-1], doubt)
    prev = None
    for i in at:
        k = ops[i][1]
        correct[k] = correct.get(k, 0) + 1
        if not doubt[i]:
            sure[k] = sure.get(k, 0) + 1
        if prev is not None:
            block = ops[prev + 1:i]
            pk = ops[prev][1]
            if not block and (pk + 1) % size == k:
                joined[k] = joined.get(k, 0) + 1
            elif block:
                out += _block(block, pk, k, doubt[prev + 1:i])
        prev = i
    return out


def _in_doubt(run: str, ops: list[tuple[str, int, str]]) -> list[bool]:
    """For each op of ``run``'s alignment: does it stand for a character read in doubt?"""
    marks = iter(_sure(run))
    return [o[0] != "-" and next(marks) == "0" for o in ops]  # "-" reads no character


def _ends(ops: list[tuple[str, int, str]], first: int, last: int, doubt: list[bool]) -> list[tuple[str, Any]]:
    """What a reading has before its first and after its last character read right.

    Characters there are a neighbour of the tile, a prefix or suffix, or the phrase's own
    characters misread (an end character over a busy desk). As many as the phrase has left on
    that side may be misreadings: they are weighed like any misreading, at the place they
    would stand ("dev", or "doubt" when ``doubt`` marks the recogniser unsure of it); only those
    beyond the phrase's end are necessarily extra ("edge").
    """
    size = len(OFFICIAL)
    out: list[tuple[str, Any]] = []
    head = [i for i in range(first) if ops[i][0] in "+~"]
    before = [ops[i][2] for i in head]
    room = ops[first][1]  # phrase characters before the first one read right
    for i, c in enumerate(before):
        k = room - len(before) + i
        if k < 0:
            out.append(("edge", ("before", c)))
        elif c != OFFICIAL[k]:
            out.append(("doubt" if doubt[head[i]] else "dev", ("~", k, c)))
    tail = [i for i in range(last + 1, len(ops)) if ops[i][0] in "+~"]
    after = [ops[i][2] for i in tail]
    for i, c in enumerate(after):
        k = ops[last][1] + 1 + i
        if k >= size:
            out.append(("edge", ("after", c)))
        elif c != OFFICIAL[k]:
            out.append(("doubt" if doubt[tail[i]] else "dev", ("~", k, c)))
    # Two or more characters beyond the phrase's start or end are words, not a stray stroke
    # of print: a prefix or suffix, even when only one reading shows it.
    for side, chars in (("before", before[:max(0, len(before) - room)]),
                        ("after", after[max(0, size - 1 - ops[last][1]):])):
        if len(chars) >= EXTRA_WORD:
            out.append(("extra", f"{''.join(chars)} {side} the phrase"))
    return out


def _block(block: list[tuple[str, int, str]], before: int, after: int,
           doubt: list[bool]) -> list[tuple[str, Any]]:
    """Differences between two characters read right at phrase positions ``before``, ``after``
    (a character read as another is "doubt" where ``doubt`` marks the recogniser unsure)."""
    size = len(OFFICIAL)
    # Walking the phrase from ``before`` to ``after`` passes its end: one tile's end meets the
    # next tile's start there.
    skipped = [o for o in block if o[0] in "-~"]
    crosses = before == size - 1 or after == 0 or (skipped and any(o[1] == size - 1 for o in skipped)) \
        or after <= before
    if crosses:
        extra = "".join(c for op, _, c in block if op in "+~")
        # What lies between two tiles is also what lies before the one and after the other:
        # a prefix read here and at a tile's start is the same evidence.
        out: list[tuple[str, Any]] = [("seam", extra)] if extra else []
        # Characters standing in for the phrase's own skipped ones are misreadings ("汉共" for
        # "仅供"); only those beyond them are words between the end and the start.
        room = (after - before - 1) % size
        if len(extra) - room >= EXTRA_WORD:
            out.append(("extra", f"{extra} between the phrase's end and start"))
        return out + [("edge", (side, c)) for c in set(extra) for side in ("before", "after")]
    return [("doubt" if o[0] == "~" and d else "dev", o) for o, d in zip(block, doubt)]


# ---------------------------------------------------------------- the overlay layer


def overlay_layer(rgb: np.ndarray, paper: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """The photo with the print taken out: a grey image, dark only where a faint overlay is.

    A semi-transparent overlay darkens the paper by a fraction (30-55 % opacity: the paper keeps
    about 0.6-0.9 of its brightness), while printed ink keeps less than half. Each pixel is
    compared with its local paper level (a grey closing, which wipes out strokes thinner than
    the window but keeps the document's edges, so there is no halo); mid-tones become the layer,
    ink and the rim around it are blanked and then bridged from the overlay strokes around them,
    so a watermark crossing a line of print is not cut in two. A coloured overlay is also found
    by its colour (``_colour_darkness``), which it keeps even where it lies over black ink;
    opaque print of its colour is not kept by it (``_opaque_colour``). ``paper`` is
    ``paper_ratio(rgb)`` when the caller has it already.
    """
    f = rgb.astype(np.float32)
    ratio, paper = paper if paper is not None else paper_ratio(rgb)
    ink = _ink_mask(ratio)
    dark = np.clip((PAPER_RATIO - ratio) / (PAPER_RATIO - INK_RATIO), 0, 1)
    dark[ink] = 0
    bridged = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    dark[ink] = bridged[ink]
    colour = _colour_darkness(paper - f, ~ink)
    if colour is not None:
        colour[_opaque_colour(ratio, colour)] = 0
        dark = np.maximum(dark, colour)
    return (255 - dark * 200).astype(np.uint8)


def _opaque_colour(ratio: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """Pixels of opaque print in the overlay's colour (an ID card's blue labels), and their rim.

    Such print carries the overlay's tint, so the colour alone keeps it; a blue line whose 仅供
    cross the label 住址 was read with the label's strokes in it, and never as 仅供. A translucent
    overlay is told apart by how dark it is: over paper it keeps more than ``INK_RATIO`` of the
    paper's brightness, over black print less than ``OPAQUE_RATIO``; opaque coloured print lies
    in between. There the layer keeps only what the darkness alone shows, as over black ink.
    """
    return _with_rim((ratio < INK_RATIO) & (ratio > OPAQUE_RATIO) & (colour > 0.5))


def _ink_mask(ratio: np.ndarray) -> np.ndarray:
    """Ink-dark pixels (``paper_ratio`` below ``INK_RATIO``) and the rim around them."""
    return _with_rim(ratio < INK_RATIO)


def _with_rim(mask: np.ndarray) -> np.ndarray:
    """``mask`` grown by one pixel: print's anti-aliased rim is neither print nor paper."""
    return cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0


def paper_ratio(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's brightness as a share of its local paper level, and that paper (RGB).

    The paper is a closing (max then min filter) over a window wider than any stroke: strokes
    vanish from it, but the document's edges stay where they are.
    """
    f = rgb.astype(np.float32)
    k = max(9, round(max(rgb.shape[:2]) / 60)) | 1
    paper = cv2.morphologyEx(f, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    luma = np.array([0.299, 0.587, 0.114], np.float32)
    return (f @ luma) / np.maximum(paper @ luma, 1.0), paper


def _colour_darkness(diff: np.ndarray, light: np.ndarray) -> np.ndarray | None:
    """Darkness of a coloured overlay, from each pixel's colour shift against the local paper.

    Grey ink shifts all three channels alike; a tinted overlay of opacity a adds a shift of
    a x (its colour's tint) whether it lies over paper or over ink. The tint that covers the
    most pixels is taken to be the overlay's (a seal or the blue labels of an ID card are
    smaller; ink, whose own slight tint varies from print to print, does not vote: ``light``
    marks the pixels that are not ink); returns None when no tint covers enough of the photo.
    """
    tint = diff - diff.mean(axis=2, keepdims=True)
    # Coordinates in the plane of tints (orthogonal to grey).
    u = (tint[..., 0] - tint[..., 1]) / math.sqrt(2)
    v = (tint[..., 0] + tint[..., 1] - 2 * tint[..., 2]) / math.sqrt(6)
    mag = np.hypot(u, v)
    strong = (mag > TINT_MIN) & light
    if strong.mean() < TINT_SHARE:
        return None
    hue = np.arctan2(v[strong], u[strong])
    h0 = _dominant_hue(hue, mag[strong])
    if (np.abs(np.angle(np.exp(1j * (hue - h0)))) < math.radians(25)).mean() * strong.mean() < TINT_SHARE:
        return None
    along = u * math.cos(h0) + v * math.sin(h0)
    level = float(np.percentile(along[strong], 90))
    return np.clip((along - TINT_MIN) / max(level - TINT_MIN, 1.0), 0, 1).astype(np.float32)


def _dominant_hue(hue: np.ndarray, weight: np.ndarray) -> float:
    """The hue angle (radians) most of the weight shares: the centre of the heaviest of 36 bins."""
    hist, edges = np.histogram(hue, bins=36, range=(-math.pi, math.pi), weights=weight)
    peak = int(np.argmax(hist))
    return float((edges[peak] + edges[peak + 1]) / 2)


def _line_groups(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """Overlay lines grouped by the straight line they sit on (longest first)."""
    groups: list[list[OcrLine]] = []
    for ln in sorted(lines, key=lambda x: -x.length):
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


def _long_groups(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """The overlay's lines of four characters or more (one big line, not stray fragments)."""
    return [g for g in _line_groups(lines) if sum(len(ln.text) for ln in g) >= 4]


def level_strip(img: np.ndarray, group: list[OcrLine],
                reach: float | tuple[float, float] = 1.2) -> np.ndarray:
    """The band of ``img`` along one line of text, turned level and cut to the line's length
    plus ``reach`` character heights at either end (or (before, after)); outside the photo it
    is blank."""
    ref = group[0]
    a = math.radians(ref.angle)
    ux, uy = math.cos(a), math.sin(a)
    corners = np.concatenate([ln.box for ln in group])
    along = corners @ np.array([ux, uy])
    across = corners @ np.array([-uy, ux])
    height = float(np.median([ln.height for ln in group]))
    before, after = reach if isinstance(reach, tuple) else (reach, reach)
    # A character at either end that the detector left out is still in the strip.
    t0, t1 = float(along.min()) - before * height, float(along.max()) + after * height
    mid = float(np.median(across))
    half = 0.6 * height
    w, h = max(8, int(t1 - t0)), max(8, int(2 * half))
    # Crop pixel (x, y) comes from the image at t0 + x along the line, mid - half + y across it.
    m = np.array([[ux, -uy, t0 * ux - (mid - half) * uy], [uy, ux, t0 * uy + (mid - half) * ux]], np.float32)
    # Blank (white) beyond the photo's edge: repeated edge pixels read as strokes.
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))


def strip_reach(group: list[OcrLine], beyond: float = 0.6) -> tuple[float, float]:
    """How far (in character heights) to read beyond a line's ends, before and after.

    When the line reads as a stretch of the phrase: as far as the characters of the phrase it
    lacks at that end would reach (an end character over a dark or busy desk is often not boxed
    at all), plus ``beyond`` characters; at least ``STRIP_REACH`` for the layer's own reading.
    """
    a = math.radians(group[0].angle)
    ux, uy = math.cos(a), math.sin(a)
    ordered = sorted(group, key=lambda ln: ux * ln.cx + uy * ln.cy)
    text = "".join(ln.text for ln in ordered)
    chars = sum(len(ln.text) for ln in group)
    height = float(np.median([ln.height for ln in group]))
    pitch = sum(ln.length for ln in group) / max(chars, 1) / max(height, 1.0)  # advance, in heights
    lack_before = lack_after = 0
    if close_to_phrase(text):
        _, ops = align(text)
        at = [o[1] for o in ops if o[0] == "="]
        if at and at[-1] >= at[0]:  # not wrapping from "使用" to "仅供" (tiles, not one line)
            lack_before, lack_after = at[0], len(OFFICIAL) - 1 - at[-1]
    return (max(STRIP_REACH, (lack_before + beyond) * pitch),
            max(STRIP_REACH, (lack_after + beyond) * pitch))


def reread_lines(layer: np.ndarray, lines: list[OcrLine],
                 photo: np.ndarray | None = None) -> tuple[list[str], list[np.ndarray]]:
    """Read each long overlay line again, whole, along its level strip of the overlay ``layer``.

    Used when there are only a few overlay lines (one big watermark, not tiles): one reading of
    one line is one vote, so a big line gets more than one. With ``photo`` (RGB) it is read a
    third time with its ends beyond what the layer boxed, and wherever it lies off the paper
    before or after the document (a desk, the holder's skin or clothes), taken from the photo's
    strokes there (``_photo_ends``): an end character over a dark or coloured ground is often
    lost on the layer, whose paper level there is that ground.

    Returns those readings, and the strips of lines ``THICK_LINE`` tall or taller with their
    thin lines closed (``_without_rules``), read only when the readings are judged ``wrong``: a
    document's frame or edge crossing a character makes the recogniser leave it out. Closing
    also takes thin parts of strokes away (申 becomes 中), so those readings only show places no
    other reading read (``judge``'s fill).
    """
    groups = _long_groups(lines)
    if not groups or len(groups) > REREAD_GROUPS:
        return [], []
    strips, closed = [], []
    for g in groups:
        height = float(np.median([ln.height for ln in g]))
        own = _line_strips(layer, g, height, photo)
        strips += own
        if height >= THICK_LINE:
            closed += [_without_rules(st) for st in own]
    return _read_strips(strips), closed


def _line_strips(layer: np.ndarray, g: list[OcrLine], height: float,
                 photo: np.ndarray | None) -> list[np.ndarray]:
    """The BGR strips ``reread_lines`` reads one line of (its characters ``height`` px tall):
    the layer's, then (with ``photo``) the layer's with the photo's strokes beyond its ends."""
    strips = [cv2.cvtColor(level_strip(layer, g, strip_reach(g)), cv2.COLOR_GRAY2BGR)]
    if photo is None:
        return strips
    # Out to where a prefix or suffix would show as words, not as a stray character.
    wide = strip_reach(g, EDGE_REACH)
    mixed = level_strip(layer, g, wide)
    colour = level_strip(photo, g, wide)
    # From a little inside the boxed extent (its end character may be cut short on the layer).
    a = int((wide[0] + 0.25) * height)
    b = mixed.shape[1] - int((wide[1] + 0.25) * height)
    if b - a < 4 * height:
        return strips
    # Blank beyond the photo's edge is neither paper nor ground.
    inside = level_strip(np.zeros(photo.shape[:2], np.uint8), g, wide) < 128
    _photo_ends(mixed, colour, inside, (a, b), int(height))
    return strips + [cv2.cvtColor(mixed, cv2.COLOR_GRAY2BGR)]


def _closed_boxes(layer: np.ndarray, lines: list[OcrLine]) -> list[np.ndarray]:
    """Each box of ``lines`` ``THICK_LINE`` tall or taller cut out of the ``layer``, level,
    with its thin lines closed (``_without_rules``): the tiles' fill (``judge``)."""
    tall = [ln.box for ln in lines if ln.height >= THICK_LINE]
    return [_without_rules(crop) for crop in _level_crops(layer, tall)]


def _without_rules(strip: np.ndarray) -> np.ndarray:
    """The strip with dark lines thinner than ``RULE_WIDTH`` closed (a grey closing); the
    strokes of a line ``THICK_LINE`` tall or taller are thicker and stay."""
    return cv2.morphologyEx(strip, cv2.MORPH_CLOSE, np.ones((RULE_WIDTH, RULE_WIDTH), np.uint8))


def _photo_ends(mixed: np.ndarray, colour: np.ndarray, inside: np.ndarray, boxed: tuple[int, int],
                height: int) -> None:
    """Take a line's ends on its ``mixed`` layer strip from the photo's strip ``colour``
    (``end_strokes``, or a coloured line's ``chroma_shift``): beyond the ``boxed`` extent
    (columns a, b) and, further in, what is not paper out to where the document's paper begins
    (a desk, the holder beside the card). ``inside`` marks the strip's pixels within the photo."""
    a, b = boxed
    ratio, ground = paper_ratio(colour)
    paper = _paper_ground(ground, inside)
    first, last = _paper_span(paper) or (a, b)
    left = max(a, first)
    right = max(left, min(b, last))
    use = np.zeros_like(paper)
    use[:, :left] = ~paper[:, :left] & inside[:, :left]
    use[:, right:] = ~paper[:, right:] & inside[:, right:]
    use[:, :a] = True
    use[:, b:] = True
    hue, strength = chroma_shift(colour)
    if strength >= CHROMA_LINE:
        # A red or blue line over a coloured desk adds colour rather than taking it: its ends
        # show by the shift towards its own hue, which a desk's grain does not have.
        ends = hue
    else:
        # A character's width past each cut, so that a stroke cut there keeps its background.
        start = max(0, right - height)
        ends = np.hstack([end_strokes(colour[:, :left + height])[:, :left], np.full_like(mixed[:, left:right], 255),
                          end_strokes(colour[:, start:])[:, right - start:]])
    # Crisp print beside the line's ends (an ID card's labels) is left out: it would read as a
    # prefix or suffix. An overlay over a dark desk is lighter than it, never ink.
    ends[_ink_mask(ratio)] = 255
    mixed[use] = ends[use]


def _paper_ground(ground: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """Where a strip's local paper level (``paper_ratio``) is paper: light and neutral, not a
    coloured or dark ground (a desk, the holder's skin or clothes) the layer reads poorly.
    ``inside`` marks the strip's pixels within the photo; only those can be paper."""
    hi = ground.max(axis=2).astype(np.float32)
    light = float(np.percentile(hi[inside], 90)) if inside.any() else 255.0
    return (_saturation(ground) < SATURATED) & (hi >= GROUND_LIGHT * light) & inside


def _paper_span(paper: np.ndarray) -> tuple[int, int] | None:
    """The first and the end column of a strip that are mostly paper (``_paper_ground``):
    where the document begins and ends along it, or None when no column is."""
    cols = paper.mean(axis=0) >= 0.5
    if not cols.any():
        return None
    return int(np.argmax(cols)), len(cols) - int(np.argmax(cols[::-1]))


def other_readings(lines: list[OcrLine], photo: np.ndarray) -> list[str]:
    """One big line read again along its level strip of the photo itself (RGB), as it is, with
    each channel's contrast stretched, and as its colour departure. These readings are not the
    layer's: print crossing the line makes them worse as a whole, but where the layer lost
    strokes of a character (a dark patch such as the portrait's hair blanked as ink) they may
    read it (``rescue``)."""
    groups = _long_groups(lines)
    if len(groups) != 1:
        return []
    colour = np.ascontiguousarray(level_strip(photo, groups[0], strip_reach(groups[0])))
    f = colour.astype(np.float32)
    lo = np.percentile(f, 2, axis=(0, 1))
    hi = np.percentile(f, 98, axis=(0, 1))
    stretched = np.clip((f - lo) / np.maximum(hi - lo, 1.0) * 255, 0, 255).astype(np.uint8)
    return _read_strips([colour[:, :, ::-1], stretched[:, :, ::-1],
                         cv2.cvtColor(departure(colour), cv2.COLOR_GRAY2BGR)])


def chroma_shift(strip: np.ndarray) -> tuple[np.ndarray, float]:
    """A level RGB strip as grey, dark where its chroma moves towards the overlay's hue, and
    how strongly anything there is coloured (Lab a*b* distance, 97th percentile).

    A tinted overlay moves the chroma of whatever lies under it (paper, black print, a wood
    desk) towards its own hue; print is neutral and a desk's grain changes mostly its
    lightness, so along that hue only the overlay's strokes are left. The background is a
    median over a window wider than a stroke; the hue is the one the strongest shifts share.
    """
    d = _strip_shift(strip, (1, 2))
    mag = np.hypot(d[..., 0], d[..., 1])
    strength = float(np.percentile(mag, 97))
    strong = mag > np.percentile(mag, 90)
    h0 = _dominant_hue(np.arctan2(d[..., 1][strong], d[..., 0][strong]), mag[strong])
    along = d[..., 0] * math.cos(h0) + d[..., 1] * math.sin(h0)
    level = max(float(np.percentile(along, 97)), CHROMA_MIN)
    return (255 - np.clip(along / level, 0, 1) * 200).astype(np.uint8), strength


def clean_reading(lines: list[OcrLine], photo: np.ndarray) -> tuple[str, float] | None:
    """One big coloured line read on its ``chroma_shift`` strip of the photo (RGB), out to where
    a prefix or suffix would show as words: the text and the recogniser's confidence, or None
    when there is not one big line or it is not coloured."""
    groups = _long_groups(lines)
    if len(groups) != 1:
        return None
    strip, strength = chroma_shift(level_strip(photo, groups[0], strip_reach(groups[0], EDGE_REACH)))
    if strength < CHROMA_MIN:
        return None
    text, score = _recognise_crops([cv2.cvtColor(strip, cv2.COLOR_GRAY2BGR)])[0]
    return normalise(text), score


def print_left_out(photo: list[str], layer: list[str]) -> int | None:
    """Which of the photo's readings alone has words besides the phrase (two characters in a
    row, around it or within it) that no reading of the overlay ``layer`` has; None when none
    or more than one has such.

    A line of print crossed by a tile (an address, a date, a company's name) is sometimes boxed
    and read with it, or taken for a line laid over the print, and its words are then read as
    the overlay's, or in the middle of the phrase (理曲国版994保护月18日各项申请: a tile across
    a date of birth). Print is not on the layer; words stamped with the phrase are, in every tile.
    """
    found = []
    for i, r in enumerate(photo):
        words = _words_besides(r)
        besides = words or any(kind in ("other", "extra") for kind, _ in _differences(r, {}, {}, {}))
        if besides and not _on_layer(words, layer):
            found.append(i)
    return found[0] if len(found) == 1 else None


def _exact_but_print(photo: list[str], layer_runs: list[str], lines: list[OcrLine], img: np.ndarray,
                     layer: Callable[[], np.ndarray]) -> tuple[list[str], str] | None:
    """The photo's readings without a line of print read with a tile (``print_left_out``), and
    that line, when they are then judged exact as the first reading is (with no change in
    doubt and no reading running on: those would have sent them to the layer anyway)."""
    i = print_left_out(photo, layer_runs)
    if i is None:
        return None
    kept = photo[:i] + photo[i + 1:]
    if _judge_confirmed(kept, lines, img, layer)[0] != "exact" or _doubted(kept) or any(map(_runs_on, kept)):
        return None
    return kept, photo[i]


def _words_besides(run: str) -> list[str]:
    """The stretches of two characters or more of a reading that are not the phrase's own."""
    words, cur = [], ""
    for op, _k, c in align(run)[1] + [("=", 0, "")]:
        if op in "+~":
            cur += c
        else:
            if len(cur) >= EXTRA_WORD:
                words.append(cur)
            cur = ""
    return words


def _on_layer(words: list[str], layer: list[str]) -> bool:
    """Does any reading of the overlay layer have two characters in a row of ``words``?"""
    return any(w[i:i + 2] in r for w in words for i in range(len(w) - 1) for r in layer)


def _extra_words(runs: list[str]) -> bool:
    """Does any reading of one line have two or more characters beyond the phrase's ends?"""
    for r in runs:
        ops = _align_whole(r)
        at = [i for i, o in enumerate(ops) if o[0] == "="]
        if at and max(sum(o[0] == "+" for o in ops[:at[0]]),
                      sum(o[0] == "+" for o in ops[at[-1] + 1:])) >= EXTRA_WORD:
            return True
    return False


def _align_whole(text: str) -> list[tuple[str, int, str]]:
    """``align`` against the phrase once, end to end (a single line is the whole phrase or
    not): the same ops, with characters beyond the phrase's ends as extra ("+")."""
    ref, n, m = OFFICIAL, len(OFFICIAL), len(text)
    d = [[i + j if i == 0 or j == 0 else 0 for j in range(n + 1)] for i in range(m + 1)]
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            d[i][j] = min(d[i - 1][j - 1] + (text[i - 1] != ref[j - 1]), d[i - 1][j] + 1, d[i][j - 1] + 1)
    ops: list[tuple[str, int, str]] = []
    i, j = m, n
    while i > 0 or j > 0:
        if i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + (text[i - 1] != ref[j - 1]):
            ops.append(("=" if text[i - 1] == ref[j - 1] else "~", j - 1, text[i - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and d[i][j] == d[i - 1][j] + 1:
            ops.append(("+", j, text[i - 1]))
            i -= 1
        else:
            ops.append(("-", j - 1, ""))
            j -= 1
    ops.reverse()
    return ops


def _needed(run: str) -> set[int] | None:
    """The phrase positions one reading of a single line did not read right, each a character
    read as another or left out (None: anything else, such as an extra character or word)."""
    ops = _align_whole(run)
    if sum(o[0] == "=" for o in ops) < max(OTHER_MATCH * len(run), len(OFFICIAL) - RESCUE_PLACES):
        return None
    if any(o[0] == "+" for o in ops):
        return None  # an extra character, inside or beyond the ends: never taken for a slip
    return {o[1] for o in ops if o[0] in "~-"}


def _confirmed(run: str) -> tuple[set[int], set[int]]:
    """Phrase positions a reading reads right with both neighbours right beside it (at the
    phrase's ends: with nothing read beyond), and positions it reads as another character
    between two neighbours read right."""
    size = len(OFFICIAL)
    ops = _align_whole(run)
    right: set[int] = set()
    other: set[int] = set()
    for i, (op, k, _c) in enumerate(ops):
        prev = ops[i - 1] if i > 0 else None
        nxt = ops[i + 1] if i + 1 < len(ops) else None
        ok_prev = (prev is not None and prev[0] == "=" and prev[1] == k - 1) or (k == 0 and prev is None)
        ok_next = (nxt is not None and nxt[0] == "=" and nxt[1] == k + 1) or (k == size - 1 and nxt is None)
        if not (ok_prev and ok_next):
            continue
        if op == "=":
            right.add(k)
        elif op == "~":
            other.add(k)
    return right, other


def rescue(runs: list[str], others: list[str]) -> bool:
    """May one big line whose layer readings all differ from the phrase in the same few places
    be exact after all? Only when every difference is a character read as another or left
    out (never an extra character or word), at no more than ``RESCUE_PLACES`` places, and at
    each of them at least ``RESCUE_VOTES`` of the photo's own readings (``other_readings``)
    actually read the phrase's character between its right neighbours, and none reads another
    character there. A look-alike in a wrong watermark is on the photo too, but the photo's
    readings may take it for the phrase's character, which the recogniser expects there; so a
    place that two layer readings read surely as the same other character is never rescued."""
    if not runs or not others:
        return False
    need: set[int] = set()
    for r in runs:
        n = _needed(r)
        if n is None:
            return False
        need |= n
    if not need or len(need) > RESCUE_PLACES or need & _sure_changes(runs):
        return False
    votes = [_confirmed(o) for o in others]
    for k in need:
        if sum(k in right for right, _ in votes) < RESCUE_VOTES or any(k in other for _, other in votes):
            return False
    return True


def _sure_changes(runs: list[str]) -> set[int]:
    """Phrase places that two or more readings of one line read surely as the same other
    character."""
    seen: dict[tuple[int, str], int] = {}
    for r in runs:
        ops = _align_whole(r)
        for (op, k, c), doubt in zip(ops, _in_doubt(r, ops)):
            if op == "~" and not doubt:
                seen[(k, c)] = seen.get((k, c), 0) + 1
    return {k for (k, _c), n in seen.items() if n >= 2}


def _doubted(runs: list[str]) -> bool:
    """Do two tiles or more read the same other character at one place, in doubt?

    The photo's readings outvote such a change when the phrase's character is read there
    twice as often; but a look-alike is read in doubt too, and on the photo, where print
    crosses the tiles, the recogniser may read the phrase's own character in its place
    (仅供办理申国…: 申 twice in doubt, 中 four times, two of them in doubt). Such a photo is
    also read on the overlay layer, whose readings then decide.
    """
    runs = [r for r in runs if r]
    return len(runs) >= TILE_RUNS and _swapped_twice(_without_labels(runs), "doubt")


def _change_unsettled(lines: list[OcrLine], layer: Callable[[], np.ndarray]) -> set[int]:
    """The places where a tile the photo read with one character as another, in doubt
    (``_changed_places``), fails to read right when its box is read on the overlay ``layer()``.

    The photo's tiles outvote a change one tile reads; but where print or a desk crosses faint
    tiles the recogniser reads a look-alike as the phrase's own character, often surely
    (仅供办理申国…: 申 read in doubt in one tile, 中 in four, three of them surely: fresh seed
    12106, photo 10). The layer shows the tile without what crosses it: unless it reads the
    place right, the layer's readings are weighed there (``_change_outvoted``). One box is read
    here; the whole layer only then."""
    changed = [(ln, places) for ln in lines if ln.is_watermark and (places := _changed_places(ln.text))]
    if not changed:
        return set()
    unsettled: set[int] = set()
    for (_ln, places), (text, _score) in zip(changed, recognise(layer(), [ln.box for ln, _p in changed])):
        right: dict[int, int] = {}
        if text := normalise(text):
            _differences(text, right, {}, {})
        unsettled |= {k for k in places if right.get(k, 0) == 0}
    return unsettled


def _change_outvoted(photo: list[str], layer: list[str], places: set[int]) -> str | None:
    """Why a character read as another at one of ``places`` stands, weighed with the photo's and
    the layer's readings of that place by the tiles' slip rule (``_slip``); None when every such
    change is outvoted there."""
    right: dict[int, int] = {}
    sure: dict[int, int] = {}
    read: dict[tuple[str, int, str], list[int]] = {}  # change: [read surely, read in doubt]
    for r in _without_labels(photo + layer):
        for kind, key in _differences(r, right, {}, sure):
            if kind in ("dev", "doubt") and key[0] == "~" and key[1] in places:
                read.setdefault(key, [0, 0])[kind == "doubt"] += 1
    for (op, k, c), (n, unsure) in read.items():
        if not _slip(op, n, unsure, right.get(k, 0), sure.get(k, 0)):
            return f"difference ~{c} at {OFFICIAL[k]} read {n + unsure}x ({unsure} in doubt), right {right.get(k, 0)}x"
    return None


def _changed_places(run: str) -> set[int]:
    """The place of the phrase a reading reads as another character in doubt, between two it
    reads right, when that is all it reads differently (供办理申国版权…, 申 in doubt): a
    look-alike stamped there, or one misreading. Empty otherwise: a garbled reading, where a
    tile crosses print or meets a desk, is common and no sign of either."""
    ops = align(run)[1]
    changed = [i for i, o in enumerate(ops) if o[0] != "="]
    if len(changed) != 1 or ops[changed[0]][0] != "~" or not 0 < changed[0] < len(ops) - 1 \
            or not _in_doubt(run, ops)[changed[0]]:
        return set()
    return {ops[changed[0]][1]}


def _settled(photo: list[str], layer: list[str]) -> bool:
    """Did the layer's readings read right every place the photo's read as another character in
    doubt in two tiles (``_doubted``), and no reading of either run on past the phrase? The layer
    is read to settle those places; what else it fails to read is no evidence against the photo."""
    places = {k for (_op, k, _c), n in _swaps(_without_labels(photo), "doubt").items() if n >= 2}
    if not places or any(map(_runs_on, photo + layer)):
        return False
    right: dict[int, int] = {}
    for r in layer:
        _differences(r, right, {}, {})
    return all(right.get(k, 0) > 0 for k in places)


def _runs_on(run: str) -> bool:
    """Does a reading go on one character past the phrase's end, read in a row with its last
    two (使用他), or start one before its first two? A suffix's first character that the tile's
    box took in, the rest lost over a desk; the layer, print taken out, reads on (使用他用无效).
    Print a tile touches is seldom read in a row with it."""
    size = len(OFFICIAL)
    ops = align(run)[1]
    at = [i for i, o in enumerate(ops) if o[0] == "="]
    if len(at) < 2:
        return False
    after = (ops[at[-1]][1] == size - 1 and ops[at[-2]][1] == size - 2 and at[-2] + 1 == at[-1]
             and at[-1] + 1 < len(ops) and ops[at[-1] + 1][0] in "+~")
    before = (ops[at[0]][1] == 0 and ops[at[1]][1] == 1 and at[0] + 1 == at[1]
              and at[0] > 0 and ops[at[0] - 1][0] in "+~")
    return after or before


def _swap_outstanding(photo: list[str], layer: list[str]) -> str | None:
    """A character the photo's readings read surely as another that the photo's and the
    layer's readings of that place together do not outvote (``_slip``), as a reason; or None.
    A look-alike (仪 for 仅) read surely once on the photo, where the fainter layer read the
    phrase's own character once, is as much evidence of a change as of a slip."""
    right: dict[int, int] = {}
    sure: dict[int, int] = {}
    swaps: dict[tuple[str, int, str], int] = {}
    on_photo: set[tuple[str, int, str]] = set()
    for i, r in enumerate(photo + layer):
        for kind, key in _differences(r, right, {}, sure):
            if kind == "dev" and key[0] == "~":
                swaps[key] = swaps.get(key, 0) + 1
                if i < len(photo):
                    on_photo.add(key)
    for (op, k, c), n in swaps.items():
        if (op, k, c) in on_photo and not _slip(op, n, 0, right.get(k, 0), sure.get(k, 0)):
            return f"difference ~{c} at {OFFICIAL[k]} read surely {n}x, right {right.get(k, 0)}x"
    return None


def _doubt_tie_broken(photo: list[str], layer: list[str], closed: list[str]) -> str | None:
    """Why the photo's and the layer's readings of many tiles are exact together, when the
    layer's alone are wrong but read no character surely as another; None when that is not so.

    Faint tiles over a desk or print leave the layer few readings of a place: one read right,
    one misread in doubt (名 for 各) is a tie it cannot settle, where the photo read that place
    right in other tiles. Not when the layer read any character surely as another, nor when
    the photo read one look-alike surely twice (the recogniser expects the phrase's own
    characters, so a real change is read surely at least once), and only with ``TILE_RUNS``
    readings or more on each side."""
    if len(photo) < TILE_RUNS or len(layer) < TILE_RUNS:
        return None
    if _swaps(_without_labels(layer), "dev") or _sure_swaps(photo):
        return None
    verdict, reason = judge(photo + layer, closed)
    return reason if verdict == "exact" else None


def _sure_swaps(runs: list[str]) -> bool:
    """Do two readings or more read surely the same other character at one place of the
    (repeated) phrase?"""
    return _swapped_twice(runs, "dev")


def _swapped_twice(runs: list[str], kind: str) -> bool:
    """Do two readings or more have the same character read as another at one place of the
    (repeated) phrase, as a difference of ``kind`` ("dev": read surely, "doubt": in doubt)?"""
    return any(n >= 2 for n in _swaps(runs, kind).values())


def _swaps(runs: list[str], kind: str) -> dict[tuple[str, int, str], int]:
    """How many readings read each place of the phrase as each other character, as a difference
    of ``kind``."""
    seen: dict[tuple[str, int, str], int] = {}
    for r in runs:
        for k, key in _differences(r, {}, {}, {}):
            if k == kind and key[0] == "~":
                seen[key] = seen.get(key, 0) + 1
    return seen


def _strip_window(strip: np.ndarray) -> int:
    """Side of the median window a strip's background is taken over: half the strip's height
    (wider than a stroke), odd, and within what ``cv2.medianBlur`` takes on 8-bit images."""
    return min(max(5, round(strip.shape[0] * 0.5)) | 1, 255)


def _strip_shift(strip: np.ndarray, channels: tuple[int, ...]) -> np.ndarray:
    """Each pixel's Lab ``channels`` of a level RGB strip minus the local background's: a median
    over a window half the strip's height, wider than a stroke."""
    lab = cv2.cvtColor(np.ascontiguousarray(strip), cv2.COLOR_RGB2LAB)
    k = _strip_window(strip)
    bg = np.stack([cv2.medianBlur(np.ascontiguousarray(lab[..., c]), k) for c in channels], axis=2)
    return lab[..., list(channels)].astype(np.float32) - bg.astype(np.float32)


def departure(strip: np.ndarray) -> np.ndarray:
    """A piece of level RGB strip as grey, dark where its colour departs from the local
    background: an overlay shifts the colour of whatever lies under it (lighter over a dark
    desk, darker over paper), so the size of the shift, not its direction, shows its strokes.
    The background is a median over a window wider than a stroke."""
    dist = np.linalg.norm(_strip_shift(strip, (0, 1, 2)), axis=2)
    level = max(float(np.percentile(dist, 97)), DEPARTURE_MIN)
    return (255 - np.clip(dist / level, 0, 1) * 200).astype(np.uint8)


def _saturation(strip: np.ndarray) -> np.ndarray:
    """HSV saturation (0-1) of each pixel of an RGB image."""
    f = strip.astype(np.float32)
    hi = f.max(axis=2)
    return (hi - f.min(axis=2)) / np.maximum(hi, 1.0)


def desaturation(strip: np.ndarray) -> np.ndarray:
    """A piece of level RGB strip as grey, dark where a pixel lost much of the saturation of
    its coloured background: a grey or white overlay over a wood or cloth desk.

    The grain of a wood desk or the weave of cloth is its colour darker or lighter, which keeps
    the saturation (about 0.6-0.85 on wood); a translucent grey or white overlay mixes grey in
    and halves it; a faint one over a strongly coloured ground takes less, so a full stroke is
    the strip's own strongest loss (``FADE_FAINT`` to ``FADE_FULL``). The background is a median
    over a window wider than a stroke. Neutral pixels (paper, print, a grey desk) carry no such
    signal and stay blank here: ``end_strokes`` reads them by their ``departure``.
    """
    sat = _saturation(strip)
    bg = cv2.medianBlur(np.round(sat * 255).astype(np.uint8), _strip_window(strip)).astype(np.float32) / 255
    lost = np.clip((bg - sat) / np.maximum(bg, 1e-3), 0, 1)
    coloured = (sat >= SATURATED) & (bg >= SATURATED)
    strongest = np.percentile(lost[coloured], 97) if coloured.any() else FADE_FULL
    full = float(np.clip(strongest, FADE_FAINT, FADE_FULL))
    floor = FADE_FLOOR * full
    dark = np.clip((lost - floor) / (full - floor), 0, 1)
    dark[~coloured] = 0
    return (255 - dark * 200).astype(np.uint8)


def end_strokes(strip: np.ndarray) -> np.ndarray:
    """A piece of level RGB strip beyond a line's ends as grey, dark where overlay strokes are:
    by the loss of saturation where the pixel is coloured, by the colour departure where not."""
    return np.where(_saturation(strip) < SATURATED, departure(strip), desaturation(strip))


def _explained(box: OcrLine, printed: list[OcrLine]) -> bool:
    """Is a line on the overlay layer only the remains of print (the light-blue labels of an ID
    card, the soft rim of big print, a label a tile crosses)? It then lies mostly within a box of
    print read on the photo, running the same way (short boxes have no reliable direction): a
    line of other words tilted across the print is overlay."""
    area = max(cv2.contourArea(box.box), 1.0)
    for p in printed:
        if box.length >= 2 * box.height and _angle_diff(box.angle, p.angle) >= TILT_LIMIT:
            continue
        inter, _ = cv2.intersectConvexConvex(box.box.astype(np.float32), _grown(p))
        if inter >= 0.5 * area:
            return True
    return False


def _crosses(line: OcrLine, boxes: list[OcrLine], doc: tuple[float, float] | None) -> bool:
    """Does a line lie across another box of text, a few degrees off it, and further off the
    document's direction (``doc``) than that box? Boxes of print touch their neighbours (small
    print, padded boxes) but run parallel to them; a line laid over the print nearly level with
    it (in a colour like the print's) runs across. Of two lines crossing, the one along the
    document's text is its print (an address crossed by a tile of the phrase)."""
    area = cv2.contourArea(line.box)
    off = _angle_diff(line.angle, doc[0]) if doc else math.inf
    for other in boxes:
        tilt = _angle_diff(line.angle, other.angle)
        # Steeply across is a tile over the print, whose tilt already tells which is which.
        if other is line or other.box is line.box or tilt < CROSS_TILT or tilt >= TILT_LIMIT:
            continue
        if doc and _angle_diff(other.angle, doc[0]) >= off:
            continue
        inter, _ = cv2.intersectConvexConvex(line.box.astype(np.float32), other.box.astype(np.float32))
        if inter >= CROSS_SHARE * min(area, cv2.contourArea(other.box)):
            return True
    return False


def _print_sized(printed: list[OcrLine], doc: tuple[float, float] | None) -> list[OcrLine]:
    """The print boxes no taller than a line of print: a box several times that tall is a big
    overlay line boxed together with the print it crosses (and read as neither), and must
    not explain that overlay away on the layer."""
    if doc is None:
        return printed
    return [ln for ln in printed if ln.height <= PRINT_TALL * doc[1]]


def _grown(line: OcrLine) -> np.ndarray:
    """A box enlarged by a quarter of its height on every side (boxes differ a little from
    one reading to the other)."""
    c = line.box.mean(axis=0)
    a = math.radians(line.angle)
    u, v = np.array([math.cos(a), math.sin(a)]), np.array([-math.sin(a), math.cos(a)])
    pad = 0.25 * line.height
    grown = [p + pad * (np.sign((p - c) @ u) * u + np.sign((p - c) @ v) * v) for p in line.box]
    return np.asarray(grown, np.float32)


def _overlay_only(lines: list[OcrLine], doc: tuple[float, float] | None) -> list[OcrLine]:
    """The layer's lines that are overlay, marked so; leftovers of print and texture dropped.

    Left on the layer besides the overlay: single characters and short Latin read in a
    texture (``_junk``), and remains of print the photo's reading did not account for. Those
    run along the document's text or at right angles to it (or are too short to tell) and are
    not the phrase; words of an overlay that runs the same way as the print are kept when they
    repeat (tiles).
    """
    # Texture or print crossed by a tile reads as a string of anything, barely above the
    # recogniser's floor; other words are only taken from the layer when read with confidence.
    lines = [ln for ln in lines if not _junk(ln.text) and (ln.score >= LAYER_SURE or close_to_phrase(ln.text))]
    # A date written out along the print is its remains like a number (a licence's date of
    # issue printed over its frame, which the photo's detector may not box: fresh 12306/40),
    # but only on a layer holding nothing of the phrase: a date stamped after the phrase and
    # boxed apart stays other words. Without the phrase, the photo's own verdict stands.
    dates_print = not any(close_to_phrase(ln.text) for ln in lines)
    counts: dict[str, int] = {}
    for ln in lines:
        counts[ln.text] = counts.get(ln.text, 0) + 1
    out = []
    for ln in lines:
        # Across the print, at right angles, is a column of it read from row to row (an ID
        # card's labels 姓性出住); an overlay is laid at up to about 50 degrees.
        with_print = doc is not None and _off_rows(ln.angle, doc) < TILT_LIMIT
        # A box of two or three characters has no reliable direction (an ID card's labels).
        short = len(ln.text) <= 3
        # A long line no box of print accounts for is an overlay even along the print (one
        # big line of other words laid level); print's remains are short words, or numbers
        # and ruled lines of any length. So is a word of Latin letters, which print has none of;
        # laid off the print, three letters are enough (COPY with its Y lost over print reads COP).
        # So are a few words in letters taller than the print's, a few degrees off its rows.
        remains = _number_or_rule(ln.text) or (dates_print and DATE.fullmatch(ln.text) is not None)
        overlay_words = ((len(ln.text) >= LONG_LINE and not remains)
                         or _latin_word(ln.text, LATIN_WORD if doc is None or with_print else LATIN_TILTED)
                         or _big_across(ln, doc))
        # Repeated words are tiles, but a form's ruled lines repeat too: a red frame's double
        # line, under red tiles, is left on the layer in several places and read as 二二.
        repeated = counts[ln.text] >= 2 and not _ruled(ln.text)
        if (with_print or short) and not close_to_phrase(ln.text) and not repeated and not overlay_words:
            continue
        ln.is_watermark, ln.why = True, "layer"
        out.append(ln)
    return out


def _big_across(line: OcrLine, doc: tuple[float, float] | None) -> bool:
    """Is a line on the layer a few words in letters taller than the print's, laid a few degrees
    across it (a blue 与原件一致 7.6 degrees off a scan's rows)? Print's remains run with its
    rows and are no taller than them, but for a licence's title, which a photo's perspective
    may tilt a few degrees off the rows below it (营业执照 2.3 degrees off, fresh 11607/2)."""
    text = line.text
    if doc is None or len(text) < BIG_WORDS or _number_or_rule(text) or _printed_label(text):
        return False
    return line.height >= PRINT_TALL * doc[1] and _off_rows(line.angle, doc) >= CROSS_TILT


def _latin_word(text: str, least: int = LATIN_WORD) -> bool:
    """Is a line read on the layer a word of ``least`` Latin letters or more (SAMPLE, COPY)? A
    Chinese ID card or licence prints none, so along its print too such a word is an overlay's,
    not the print's remains (its credit code and numbers are mostly digits: ``_number_or_rule``).
    One letter repeated (III) never gets here: it is ``_junk``, a texture's."""
    return len(text) >= least and text.isascii() and text.isalpha()


def _ruled(text: str) -> bool:
    """Is ``text`` only the strokes a ruled line reads as (三三三, 二二)?"""
    return set(text) <= RULE_STROKES


def _number_or_rule(text: str) -> bool:
    """Is a line read on the layer a number (an ID number, a date, a credit code: ASCII and
    at least half digits) or a ruled line of a form read as strokes (三三三三)? Along the print
    such a line is the print's remains however long it is: no overlay words are made of them."""
    if _ruled(text):
        return True
    return text.isascii() and text.isalnum() and sum(c.isdigit() for c in text) * 2 >= len(text)


def _layer_lines(layer: np.ndarray, grey: np.ndarray, hsv: np.ndarray, printed: list[OcrLine],
                 doc: tuple[float, float] | None) -> list[OcrLine]:
    """The overlay's lines read on a layer of the photo, without what is the remains of print.

    A line of the phrase is never the remains of print, even where it lies exactly over a line
    of print (level with it) and the photo boxed and read the two together as one.
    """
    boxes, bands = detect_with_bands(layer, DET_SIDE)
    read = _read(layer, _boxes(boxes, grey, hsv), "layer")
    if not any(close_to_phrase(ln.text) for ln in read):
        # A big line joined to a remain of print it crosses is dropped by the detector; boxed
        # along its main line, it is read only when nothing else of the phrase is (a band can
        # also join two tiles through a word between them, which would read as extra words).
        read += _read(layer, _boxes(bands(), grey, hsv), "layer")
    if not any(close_to_phrase(ln.text) for ln in read):
        # A dim photo's noise, which the layer brings out with the overlay's strokes, speckles
        # them until the detector sees no text there; with the specks opened out it does. Its
        # boxes are read on the layer as it is, and taken instead when they hold the phrase.
        found = _read(layer, _boxes(detect(_despeckled(layer), DET_SIDE), grey, hsv), "layer")
        if any(close_to_phrase(ln.text) for ln in found):
            read = found
    return _overlay_only([ln for ln in read if close_to_phrase(ln.text) or _holds_piece(ln.text)
                          or not _explained(ln, printed)], doc)


def desk_layer(rgb: np.ndarray) -> np.ndarray | None:
    """The photo (RGB) as grey, dark where a pixel lost the chroma of its coloured ground: a
    grey overlay over a wood or cloth desk. None when too little of the photo is coloured.

    A desk's grain is its own colour lighter or darker; a grey overlay mixes grey in, and its
    tiles over a wavy desk, lighter than the dark grain and darker than the light, are clear
    here where the photo and the overlay layer (whose paper level there is the desk) show the
    waves. Neutral grounds (paper, print) show nothing.
    """
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    chroma = np.hypot(lab[..., 1] - 128, lab[..., 2] - 128)
    ground = cv2.medianBlur(np.clip(chroma * 4, 0, 255).astype(np.uint8), DESK_WINDOW).astype(np.float32) / 4
    coloured = ground >= DESK_CHROMA
    if coloured.mean() < DESK_SHARE:
        return None
    lost = np.clip((ground - chroma) / np.maximum(ground, 1.0), 0, 1)
    lost[~coloured] = 0
    return (255 - np.clip(lost / DESK_FULL, 0, 1) * 200).astype(np.uint8)


def _desk_lines(rgb: np.ndarray, grey: np.ndarray, hsv: np.ndarray) -> list[OcrLine]:
    """The overlay's lines read on the ``desk_layer``: pieces of the phrase, and other words
    read with confidence (a prefix or suffix over the desk), not the grain's junk."""
    desk = desk_layer(rgb)
    if desk is None:
        return []
    img = cv2.cvtColor(desk, cv2.COLOR_GRAY2BGR)
    read = _read(img, _boxes(detect(img, DET_SIDE), grey, hsv), "desk")
    kept = [ln for ln in read if not _junk(ln.text) and (close_to_phrase(ln.text) or ln.score >= LAYER_SURE)]
    for ln in kept:
        ln.is_watermark, ln.why = True, "desk"
    return kept


def _despeckled(layer: np.ndarray) -> np.ndarray:
    """The layer with light specks inside dark strokes filled (a grey opening, 3 x 3)."""
    return cv2.morphologyEx(layer, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))


def _holds_piece(text: str) -> bool:
    """Does ``text`` hold ``PIECE`` characters or more of the phrase in a row? Print never
    does; a tile with words stamped after it does ("各项申请使用再复印无效")."""
    return any(is_piece(text[i:i + PIECE]) for i in range(len(text) - PIECE + 1))


def _stitch_confirmed(lines: list[OcrLine], img: np.ndarray) -> bool:
    """Is a phrase read whole only by joining fragments of one line also read along that
    whole line? A word inserted into the phrase can lie where the detector split the line
    (over print) and be in neither fragment, so one reading of the line's strip on the image
    the fragments were read on (``img``: the BGR photo or the grey layer) must show no
    characters inserted between the phrase's."""
    marked = [ln for ln in lines if ln.is_watermark]
    if any(OFFICIAL in ln.text for ln in marked):
        return True
    joined = [g for g in _line_groups(marked) if len(g) > 1 and [str(r) for r in stitch(g)] == [OFFICIAL]]
    if not joined:
        return True
    strips = [level_strip(img, g, STRIP_REACH) for g in joined]
    read = _recognise_crops([st if st.ndim == 3 else cv2.cvtColor(st, cv2.COLOR_GRAY2BGR) for st in strips])
    return all(score >= MIN_SCORE and not _inserted(normalise(text)) for text, score in read)


def _judge_confirmed(runs: list[str], lines: list[OcrLine], img: np.ndarray,
                     layer: Callable[[], np.ndarray],
                     fill: list[str] | None = None) -> tuple[str, str]:
    """``judge`` the runs stitched from ``lines`` (with ``fill``); an ``exact`` that stands only
    on joined fragments must also be read along the whole line on ``img`` (``_stitch_confirmed``),
    and tiles must show no words beyond their ends on the overlay ``layer()`` (``_end_words``)."""
    verdict, reason = judge(runs, fill)
    if verdict == "exact" and not _stitch_confirmed(lines, img):
        return "wrong", UNCONFIRMED
    if verdict == "exact" and (words := _end_words(lines, layer())):
        return "wrong", words
    return verdict, reason


def _end_words(lines: list[OcrLine], layer: np.ndarray) -> str | None:
    """Words stamped before the phrase's start or after its end, read beyond the tiles' ends.

    The detector often boxes a tile without its first or last words: the box ends where the
    tile runs onto print or a desk, and a prefix or suffix is then in no reading at all. So
    each tile that reads up to the phrase's start or end is read again along its strip of the
    overlay ``layer`` (print taken out), ``END_REACH`` characters beyond that end. Two tiles
    or more with words there (``EXTRA_WORD`` characters, not a printed label) have them
    stamped; a stray stroke or a label beside one tile is not words in two.
    """
    beyond = _beyond_ends(lines, layer)
    for side in ("before", "after"):
        words = [t for s, t in beyond if s == side]
        words = [w for w in words if len(w.replace(_printed_label(w), "", 1)) >= EXTRA_WORD]
        if len(words) >= 2:
            return f"words {side} the phrase in {len(words)} tiles, read beyond their ends: " + " / ".join(words)
    return None


def _beyond_ends(lines: list[OcrLine], layer: np.ndarray) -> list[tuple[str, str]]:
    """(side, text) read on the grey ``layer`` beyond each tile's start ("before") or end
    ("after"): what stands next to the phrase there (``_outside``)."""
    marked = [ln for ln in lines if ln.is_watermark and len(ln.text) >= 2]
    if len(_line_groups(marked)) < 2:  # one big line is read beyond its ends already
        return []
    size = len(OFFICIAL)
    strips = []
    for ln in marked:
        at = [o[1] for o in align(ln.text)[1] if o[0] == "="]
        start, end = bool(at) and at[0] <= 1, bool(at) and at[-1] >= size - 2
        if start or end:
            reach = END_REACH * ln.length / len(ln.text) / max(ln.height, 1.0)  # in character heights
            strip = level_strip(layer, [ln], (reach if start else 0.3, reach if end else 0.3))
            strips.append(cv2.cvtColor(strip, cv2.COLOR_GRAY2BGR))
    if not strips:
        return []
    return [found for text in _read_strips(strips) for found in _outside(text)]


def _outside(text: str) -> list[tuple[str, str]]:
    """(side, characters) of a reading beyond a tile's start ("before") or end ("after"),
    outward from the phrase: what stands next to it first. Characters standing in for the
    phrase's own, lost at that end, and the next tile's start ("使用仅供") are not beyond it.

    The phrase ends where its last character is first read from its inside out: a suffix may
    begin with that character again (使用他用无效, aligned with its second 用 as the phrase's end,
    leaves only 无 beyond it), and a prefix may end with its first.
    """
    size = len(OFFICIAL)
    ops = align(text)[1]
    at = [i for i, o in enumerate(ops) if o[0] == "="]
    if not at:
        return []
    (first, k_first), (last, k_last) = (at[0], ops[at[0]][1]), (at[-1], ops[at[-1]][1])
    if k_last == size - 1:
        inner = [i for i in at if ops[i][1] < size - 1]
        last = next((i for i in range(inner[-1] + 1 if inner else 0, last) if ops[i][2] == OFFICIAL[-1]), last)
    if k_first == 0:
        inner = [i for i in at if ops[i][1] > 0]
        first = next((i for i in range(inner[0] - 1 if inner else len(ops) - 1, first, -1)
                      if ops[i][2] == OFFICIAL[0]), first)
    out = []
    if k_first <= 1:
        head = [o[2] for o in ops[:first] if o[0] != "-"]
        out.append(("before", "".join(head[:max(0, len(head) - k_first)])))
    if k_last >= size - 2:
        tail = [o[2] for o in ops[last + 1:] if o[0] != "-"]
        out.append(("after", "".join(tail[size - 1 - k_last:])))
    return out


def _inserted(text: str) -> bool:
    """Does a reading of one line have characters between two of the phrase's read right
    that the phrase has not?"""
    ops = _align_whole(text)
    at = [i for i, o in enumerate(ops) if o[0] == "="]
    return bool(at) and any(o[0] == "+" for o in ops[at[0]:at[-1]])


def _junk(text: str) -> bool:
    """Too little to be a watermark: one character, two Latin letters or digits, or one of them
    repeated (a wood desk's grain reads as III in row after row, a dotted rule as 000)."""
    return len(text) < 2 or (text.isascii() and (len(text) < 3 or len(set(text)) == 1))


def check_watermark(rgb: np.ndarray) -> WatermarkReport:
    """Read and judge the watermark of an RGB photo.

    1. The photo is read, except boxes that are plainly the document's own print; each line
       read is classified as overlay or print (``classify``). Tiles over plain paper read well.
    2. Unless that already shows the exact phrase (with no change read in doubt in two tiles:
       ``_doubted``, and no tile read on past the phrase's end or before its start: ``_runs_on``),
       the overlay layer (print taken out) is read too, leaving out what is only the remains of
       print. A big single line crossing the card's print is read whole there, and an overlay
       the first reading missed is found. Judged wrong, what no reading of a big line read may
       be filled in from its strips, or big tiles' boxes, read with thin lines closed; and tiles
       over a coloured desk are read on the ``desk_layer`` and weighed strictly with the rest.
    3. A big line still judged wrong is read on its chroma strip when coloured; otherwise it may
       be rescued by the photo's own readings of its strip.
    4. The photo's readings were exact but for a change read in doubt, and the layer's are wrong
       only for places they never read: when the layer read the places in doubt right
       (``_settled``), both are judged together.
    5. Exact on the photo but for one character read as another in one tile, in doubt, which
       that tile's box read on the layer does not read right (``_change_unsettled``): the
       layer's readings are weighed with the photo's at that place only (``_change_outvoted``).
    6. Still wrong, and wrong on the photo too: the photo's readings are judged again without
       one whose words no reading of the layer has, a line of print read with a tile
       (``print_left_out``).
    The verdict weighs every overlay reading together (``judge``).
    """
    rgb = resize_long(rgb, OCR_SIDE)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    paper = paper_ratio(rgb)
    found = _boxes(detect(bgr, DET_SIDE), grey, hsv, paper[0])
    doc = document_direction(found)
    plain = print_like(found, doc)
    lines = _read(bgr, [ln for ln, p in zip(found, plain) if not p], "photo")
    doc = direction_after_reading(doc, lines)
    classify(lines, doc)
    for ln in lines:
        if not ln.is_watermark and len(ln.text) >= LONG_LINE and _crosses(ln, found, doc):
            ln.is_watermark, ln.why = True, "crossing"
    lines = [ln for ln in lines if not (ln.is_watermark and _junk(ln.text))]
    printed = [ln for ln, p in zip(found, plain) if p] + [ln for ln in lines if not ln.is_watermark]
    printed = _print_sized(printed, doc)
    runs = stitch(lines)
    layer = functools.cache(lambda: overlay_layer(rgb, paper))
    verdict, reason = _judge_confirmed(runs, lines, bgr, layer)
    # Exact on the photo, with nothing that sends it to the layer as a whole.
    photo_exact = verdict == "exact" and not _doubted(runs) and not any(map(_runs_on, runs))
    if photo_exact and (places := _change_unsettled(lines, layer)):
        # Exact on the photo but for one change read once, in doubt, that the layer's reading
        # of its tile did not settle: the layer's readings are more votes at that place, and
        # only there. They are fainter, and no verdict of their own on tiles the photo read
        # well (fresh 11407, photo 9: the layer read blue tiles poorly, and judged alone they
        # were wrong for places the photo had read right in tile after tile).
        more = _layer_lines(layer(), grey, hsv, printed, doc)
        read = stitch(more) + reread_lines(layer(), more, rgb)[0] if more else []
        if why := _change_outvoted(runs, read, places):
            verdict, reason, runs = "wrong", f"{why} (photo and layer readings together)", runs + read
        lines = lines + more
    elif not photo_exact:
        # ``read``: the layer's readings (and a clean chroma reading), against which a character
        # the photo read surely as another is weighed at the end.
        first, first_verdict, read, closed = runs, verdict, [], []
        more = _layer_lines(layer(), grey, hsv, printed, doc)
        if more:
            # The layer has the overlay without the print crossing it: its readings alone are
            # judged (the photo's readings of the same overlay are the same votes, but noisier).
            reread, closable = reread_lines(layer(), more, rgb)
            runs = read = stitch(more) + reread
            verdict, reason = _judge_confirmed(runs, more, layer(), layer)
            # The fill can only turn wrong into exact: read only when it may. Tiles, too many to
            # be read again along strips, give their boxes.
            if verdict == "wrong" and (closable := closable or _closed_boxes(layer(), more)):
                closed = _read_strips(closable)
                verdict, reason = _judge_confirmed(runs, more, layer(), layer, closed)
            reason += " (read on the overlay layer)"
            if verdict == "wrong" and (desk := _desk_lines(rgb, grey, hsv)) \
                    and (both := judge(with_desk := runs + stitch(desk), closed, strict=True))[0] == "exact":
                # Tiles over a wood or cloth desk, which neither the photo nor the layer reads.
                # Its readings are soft (a photo's colour has half its resolution), a look-alike
                # there mostly in doubt, and so are the phrase's own characters: only readings
                # sure of them outvote a change (仪供办理… read 仪 in doubt in four tiles, 仅 in
                # four, surely in one: look-alike seed 559, photo 24).
                verdict, runs = "exact", with_desk
                read = runs
                reason = f"{both[1]}, with the tiles over the desk read on its loss of colour"
                more = more + desk
        if verdict == "wrong":
            # One big line found on the layer, or else on the photo only.
            clean = clean_reading(more or [ln for ln in lines if ln.is_watermark], rgb)
            if clean is not None and clean[0] == OFFICIAL and clean[1] >= CHROMA_SURE and not _extra_words(runs):
                verdict, runs = "exact", runs + [clean[0]]
                read = runs
                reason = f"one coloured line read whole on its chroma strip ({clean[1]:.2f})"
            elif more and rescue(runs, others := other_readings(more, rgb)):
                verdict = "exact"
                reason = f"one line; its places read wrong on the layer read right on the photo: {others}"
        if verdict == "wrong" and first_verdict == "exact" and reason.startswith(NEVER_READ) \
                and _settled(first, runs) and (both := judge(first + runs, closed))[0] == "exact":
            verdict, runs = "exact", first + runs
            reason = f"{both[1]}, photo and layer readings together (the layer read the places in doubt right)"
        if verdict == "wrong" and first_verdict == "wrong" and more \
                and (kept := _exact_but_print(first, runs, lines, bgr, layer)) is not None:
            verdict, runs = "exact", kept[0]
            reason = f"read on the photo, but for one line of print read with a tile ({kept[1]}): " \
                     "its words are nowhere on the overlay layer"
        first = [r for r in first if close_to_phrase(r)]  # not print read as overlay
        if verdict == "wrong" and more and not reason.startswith(NEVER_READ) \
                and (both := _doubt_tie_broken(first, runs, closed)) is not None:
            verdict, runs = "exact", first + runs
            reason = f"{both}, photo and layer readings together (the layer's differ only in doubt)"
        if verdict == "exact" and _sure_swaps(first) and (both := judge(first + runs, closed))[0] != "exact":
            # The photo read a look-alike surely, more than once, where the layer's readings,
            # fainter, took it for the phrase's own character: both are weighed together.
            verdict, reason = "wrong", f"{both[1]} (photo and layer readings together)"
        elif verdict == "exact" and (swap := _swap_outstanding(first, read)):
            # Once is enough where the layer read that place right too seldom to outvote it.
            verdict, reason = "wrong", f"{swap} (photo and layer readings together)"
        lines = lines + more
    return WatermarkReport(
        verdict=verdict,
        text=" / ".join(runs) if runs else None,
        runs=runs,
        lines=[{"text": ln.text, "angle": round(ln.angle, 1), "contrast": round(ln.contrast, 2),
                "colour": round(ln.colour, 1), "watermark": ln.is_watermark, "why": ln.why,
                "source": ln.source} for ln in lines],
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
