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
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from core.fonts import font_path

OFFICIAL = "仅供办理中国版权保护中心各项申请使用"
TRADITIONAL = "僅供辦理中國版權保護中心各項申請使用"
HELD_OUT_SEED = 20261128

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志文斌宇浩凯健俊帆帅旭宁龙林欣琳晨雪梅淑珍海峰"
PROVINCES = ["北京市东城区", "上海市浦东新区", "广东省深圳市南山区", "浙江省杭州市西湖区",
             "江苏省南京市鼓楼区", "四川省成都市武侯区", "湖北省武汉市洪山区", "山东省青岛市市南区",
             "福建省福州市鼓楼区", "陕西省西安市雁塔区", "河南省郑州市金水区", "湖南省长沙市岳麓区"]
STREETS = ["建国路", "人民路", "中山北路", "解放大道", "科技园南路", "文三路", "长江路", "和平街",
           "学院路", "滨江大道", "朝阳门内大街", "天府大道"]
ETHNIC = ["汉", "回", "满", "壮", "苗", "蒙古", "藏", "土家"]
COMPANY_WORDS = ["华信", "远景", "星辰", "博雅", "云图", "创新", "智联", "鼎盛", "卓越", "蓝海",
                 "天元", "恒通", "启明", "瑞丰", "新思维", "万象"]
COMPANY_KINDS = ["科技有限公司", "软件有限公司", "文化传媒有限公司", "信息技术有限公司",
                 "网络科技股份有限公司", "数字科技有限公司"]
SCOPES = [
    "软件开发;信息技术咨询服务;数据处理和存储支持服务;",
    "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广;",
    "计算机系统服务;网络技术服务;广告设计、代理;会议及展览服务;",
    "图书出版物零售;文艺创作;版权代理;知识产权服务(专利代理服务除外);",
    "互联网信息服务;第二类增值电信业务;动漫游戏开发;",
    "(依法须经批准的项目,经相关部门批准后方可开展经营活动)",
]

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


_FONTS: dict[tuple[int, int], ImageFont.FreeTypeFont] = {}


def font(size: int, index: int = 2) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK at ``size`` px; index 2 = Simplified Chinese, 3 = Traditional."""
    key = (size, index)
    if key not in _FONTS:
        _FONTS[key] = ImageFont.truetype(str(font_path()), size, index=index)
    return _FONTS[key]


def _person_name(rng: np.random.Generator) -> str:
    n = int(rng.integers(1, 3))
    return SURNAMES[int(rng.integers(0, len(SURNAMES)))] + "".join(
        GIVEN[int(rng.integers(0, len(GIVEN)))] for _ in range(n))


def _address(rng: np.random.Generator) -> str:
    return (str(rng.choice(PROVINCES)) + str(rng.choice(STREETS))
            + f"{int(rng.integers(1, 300))}号{int(rng.integers(1, 30))}栋{int(rng.integers(101, 2800))}室")


def draw_face(size: int, rng: np.random.Generator) -> Image.Image:
    """A cartoon head that OpenCV's frontal-face Haar cascade detects (checked in tests)."""
    w, h = size, int(size * 1.3)
    bg = tuple(int(v) for v in rng.integers(150, 235, 3))
    im = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(im)
    skin = (int(rng.integers(200, 240)), int(rng.integers(160, 195)), int(rng.integers(130, 165)))
    hair = tuple(int(v) for v in rng.integers(15, 70, 3))
    d.ellipse([w * 0.12, h * 0.02, w * 0.88, h * 0.62], fill=hair)
    d.ellipse([w * 0.18, h * 0.12, w * 0.82, h * 0.86], fill=skin)
    d.rectangle([w * 0.4, h * 0.8, w * 0.6, h], fill=tuple(int(c * 0.9) for c in skin))
    d.rectangle([w * 0.2, h * 0.93, w * 0.8, h], fill=tuple(int(v) for v in rng.integers(20, 120, 3)))
    brow = (50, 35, 30)
    d.rectangle([w * 0.28, h * 0.36, w * 0.45, h * 0.39], fill=brow)
    d.rectangle([w * 0.55, h * 0.36, w * 0.72, h * 0.39], fill=brow)
    for x0 in (0.30, 0.56):
        d.ellipse([w * x0, h * 0.42, w * (x0 + 0.14), h * 0.48], fill=(250, 250, 250))
        d.ellipse([w * (x0 + 0.04), h * 0.425, w * (x0 + 0.10), h * 0.475], fill=(30, 20, 20))
    d.polygon([(w * 0.5, h * 0.47), (w * 0.45, h * 0.6), (w * 0.55, h * 0.6)],
              fill=tuple(int(c * 0.85) for c in skin))
    d.ellipse([w * 0.4, h * 0.66, w * 0.6, h * 0.71], fill=(150, 60, 60))
    return im.filter(ImageFilter.GaussianBlur(max(size / 700, 0.4)))


def _text(d: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int,
          fill: tuple[int, ...], bold: bool = False) -> None:
    d.text(xy, text, font=font(size), fill=fill, stroke_width=1 if bold else 0, stroke_fill=fill)


def draw_id_card(rng: np.random.Generator, width: int) -> Image.Image:
    """A resident-ID-card-like front (name side), ``width`` px wide, 85.6 x 54 mm."""
    h = int(width * 54 / 85.6)
    base = np.array([int(rng.integers(225, 248)), int(rng.integers(232, 250)), int(rng.integers(238, 253))])
    yy, xx = np.mgrid[0:h, 0:width].astype(np.float32)
    # The security print: faint guilloche-like waves, so the card is not a flat colour.
    wave = 6 * np.sin(xx / width * 40 + np.sin(yy / h * 9) * 3) * np.cos(yy / h * 25)
    arr = np.clip(base[None, None, :] + wave[..., None], 0, 255).astype(np.uint8)
    im = Image.fromarray(arr, "RGB")
    d = ImageDraw.Draw(im)
    s = width / 1000
    label = (int(rng.integers(40, 90)), int(rng.integers(90, 130)), int(rng.integers(150, 190)))
    ink = tuple(int(v) for v in rng.integers(10, 45, 3))
    fs = int(s * rng.uniform(34, 42))
    x0, y = int(s * 60), int(s * 60)
    gap = int(fs * 1.75)
    _text(d, (x0, y), "姓 名", fs, label)
    _text(d, (x0 + fs * 3.2, y), _person_name(rng), int(fs * 1.1), ink, bold=True)
    y += gap
    _text(d, (x0, y), "性 别", fs, label)
    _text(d, (x0 + fs * 3.2, y), str(rng.choice(["男", "女"])), fs, ink)
    _text(d, (x0 + fs * 6.5, y), "民 族", fs, label)
    _text(d, (x0 + fs * 9.5, y), str(rng.choice(ETHNIC)), fs, ink)
    y += gap
    _text(d, (x0, y), "出 生", fs, label)
    _text(d, (x0 + fs * 3.2, y),
          f"{int(rng.integers(1950, 2005))} 年 {int(rng.integers(1, 13))} 月 {int(rng.integers(1, 29))} 日",
          fs, ink)
    y += gap
    _text(d, (x0, y), "住 址", fs, label)
    addr = _address(rng)
    cut = int(rng.integers(10, 14))
    _text(d, (x0 + fs * 3.2, y), addr[:cut], fs, ink)
    _text(d, (x0 + fs * 3.2, y + fs * 1.3), addr[cut:], fs, ink)
    y = int(h - s * 120)
    _text(d, (x0, y), "公民身份号码", fs, label)
    number = "".join(str(int(v)) for v in rng.integers(0, 10, 17)) + str(rng.choice(list("0123456789X")))
    _text(d, (x0 + fs * 6.8, y - fs * 0.1), number, int(fs * 1.15), ink)
    # The portrait, as on the real card: right side, light background.
    pw = int(width * 0.27)
    face = draw_face(pw, rng)
    im.paste(face.resize((pw, int(pw * 1.25))), (int(width * 0.66), int(h * 0.12)))
    return im


def draw_qr(rng: np.random.Generator, modules: int = 29) -> np.ndarray:
    """A QR-code-like module pattern (random data, three finder squares), 0/1 array."""
    m = (rng.random((modules, modules)) < 0.5).astype(np.uint8)
    for r, c in ((0, 0), (0, modules - 7), (modules - 7, 0)):
        m[r:r + 7, c:c + 7] = 1
        m[r + 1:r + 6, c + 1:c + 6] = 0
        m[r + 2:r + 5, c + 2:c + 5] = 1
    return m


def draw_licence(rng: np.random.Generator, width: int) -> Image.Image:
    """A business-licence-like page (landscape), with a QR-code pattern and a red seal."""
    h = int(width * 0.72)
    paper = tuple(int(v) for v in rng.integers(236, 252, 3))
    im = Image.new("RGB", (width, h), paper)
    d = ImageDraw.Draw(im)
    s = width / 1000
    border = (int(rng.integers(150, 200)), int(rng.integers(60, 110)), int(rng.integers(30, 70)))
    for k in range(3):
        d.rectangle([s * (18 + 6 * k), s * (18 + 6 * k), width - s * (18 + 6 * k), h - s * (18 + 6 * k)],
                    outline=border, width=max(1, int(s * 2)))
    ink = tuple(int(v) for v in rng.integers(5, 40, 3))
    # The emblem: a red disc with a ring.
    cx = width / 2
    d.ellipse([cx - s * 34, s * 40, cx + s * 34, s * 108], fill=(200, 30, 30))
    d.ellipse([cx - s * 20, s * 54, cx + s * 20, s * 94], outline=(250, 210, 60), width=max(1, int(s * 4)))
    _text(d, (cx - s * 150, s * 115), "营 业 执 照", int(s * 72), ink, bold=True)
    fs = int(s * rng.uniform(20, 25))
    _text(d, (s * 70, s * 140), "统一社会信用代码", fs, ink)
    _text(d, (s * 70, s * 140 + fs * 1.4), "91350100M000100Y43", fs, ink)
    name = str(rng.choice(["北京", "上海", "深圳", "杭州", "成都"])) + str(rng.choice(COMPANY_WORDS)) \
        + str(rng.choice(COMPANY_KINDS))
    rows = [("名 称", name), ("类 型", str(rng.choice(["有限责任公司(自然人投资或控股)", "股份有限公司", "有限责任公司"]))),
            ("法定代表人", _person_name(rng)), ("注册资本", str(rng.choice(["壹佰万元整", "伍佰万元整", "叁仟万元整"]))),
            ("成立日期", f"{int(rng.integers(1998, 2024))}年{int(rng.integers(1, 13)):02d}月{int(rng.integers(1, 29)):02d}日"),
            ("营业期限", "长期"), ("住 所", _address(rng))]
    y = s * 250
    lx, vx = s * 90, s * 250
    for i, (k, v) in enumerate(rows):
        col = 0 if i < 4 else 1
        yy = y + (i % 4) * fs * 2.1
        _text(d, (lx + col * s * 430, yy), k, fs, ink)
        _text(d, (vx + col * s * 430, yy), v[:16], fs, ink)
    yy = y + 4 * fs * 2.1
    _text(d, (lx, yy), "经营范围", fs, ink)
    scope = "".join(rng.choice(SCOPES, 3, replace=False))
    per = int((width - vx - s * 120) / fs)
    for j in range(3):
        _text(d, (vx, yy + j * fs * 1.45), scope[j * per:(j + 1) * per], fs, ink)
    # QR code, bottom left, as on the real licence.
    q = draw_qr(rng)
    qs = int(s * 130)
    qr = Image.fromarray(((1 - q) * 255).astype(np.uint8)).resize((qs, qs), Image.NEAREST).convert("RGB")
    im.paste(qr, (int(s * 70), int(h - s * 60 - qs)))
    # The registration authority's red seal over its line.
    sx, sy = width - s * 260, h - s * 200
    _text(d, (sx - s * 40, sy + s * 60), "登记机关", fs, ink)
    seal = Image.new("RGBA", im.size, (0, 0, 0, 0))
    sd = ImageDraw.Draw(seal)
    sd.ellipse([sx, sy, sx + s * 150, sy + s * 150], outline=(210, 30, 40, 170), width=max(1, int(s * 6)))
    sd.regular_polygon((sx + s * 75, sy + s * 75, s * 22), 5, fill=(210, 30, 40, 170))
    im = Image.alpha_composite(im.convert("RGBA"), seal).convert("RGB")
    d = ImageDraw.Draw(im)
    _text(d, (sx - s * 10, sy + s * 160), f"{int(rng.integers(2015, 2025))}年{int(rng.integers(1, 13))}月{int(rng.integers(1, 29))}日", fs, ink)
    return im


# ---------------------------------------------------------------- scenes


def background(rng: np.random.Generator, w: int, h: int, kind: str) -> np.ndarray:
    """A desk or wall: plain, wood grain or cloth, as an RGB uint8 array."""
    if kind == "plain":
        c = rng.integers(40, 200, 3).astype(np.float32)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        shade = 1 + 0.15 * (xx / w - 0.5) + 0.1 * (yy / h - 0.5)
        arr = c[None, None, :] * shade[..., None]
        arr += rng.normal(0, 2, (h, w, 1))
        return np.clip(arr, 0, 255).astype(np.uint8)
    if kind == "wood":
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        ang = rng.uniform(-0.3, 0.3)
        u = xx * math.cos(ang) + yy * math.sin(ang)
        v = -xx * math.sin(ang) + yy * math.cos(ang)
        period = rng.uniform(0.01, 0.025) * h
        warp = 8 * np.sin(u / w * rng.uniform(3, 8)) + 4 * np.sin(u / w * 23 + 1.3)
        grain = np.sin((v + warp * period / 6) / period * 2 * math.pi)
        fine = np.sin((v + warp) / (period / 7) * 2 * math.pi + np.sin(u / 37.0))
        t = 0.55 + 0.3 * grain + 0.12 * fine
        dark = np.array([95, 55, 25], np.float32) * rng.uniform(0.8, 1.2)
        light = np.array([190, 135, 80], np.float32) * rng.uniform(0.85, 1.1)
        arr = dark[None, None, :] * (1 - t[..., None]) + light[None, None, :] * t[..., None]
        arr += rng.normal(0, 3, (h, w, 1))
        return np.clip(arr, 0, 255).astype(np.uint8)
    # cloth: a fine woven texture
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    p = rng.uniform(3, 6)
    t = 0.5 + 0.25 * np.sin(xx / p * 2 * math.pi) * np.sin(yy / p * 2 * math.pi)
    c = rng.integers(60, 200, 3).astype(np.float32)
    arr = c[None, None, :] * (0.75 + 0.5 * t[..., None]) + rng.normal(0, 4, (h, w, 1))
    return np.clip(arr, 0, 255).astype(np.uint8)


def place(scene: np.ndarray, doc: Image.Image, quad: np.ndarray, shadow: bool = True) -> np.ndarray:
    """Warp ``doc`` onto ``scene`` at the four corners ``quad`` (tl, tr, br, bl)."""
    h, w = scene.shape[:2]
    src = np.float32([[0, 0], [doc.width, 0], [doc.width, doc.height], [0, doc.height]])
    m = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    warped = cv2.warpPerspective(np.asarray(doc), m, (w, h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((doc.height, doc.width), 255, np.uint8), m, (w, h))
    out = scene.astype(np.float32)
    if shadow:
        sh = cv2.GaussianBlur(mask, (0, 0), max(w, h) / 150).astype(np.float32) / 255
        sh = np.roll(sh, (int(h / 200), int(w / 200)), (0, 1))
        out *= (1 - 0.35 * sh)[..., None]
    a = (mask.astype(np.float32) / 255)[..., None]
    out = out * (1 - a) + warped.astype(np.float32) * a
    return np.clip(out, 0, 255).astype(np.uint8)


def doc_quad(rng: np.random.Generator, w: int, h: int, aspect: float, fill: float,
             rotate_deg: float, tilt: float) -> np.ndarray:
    """Corners of a document filling ``fill`` of the frame width, rotated and tilted."""
    dw = fill * w
    dh = dw / aspect
    if dh > 0.92 * h:
        dh = 0.92 * h
        dw = dh * aspect
    cx = w / 2 + rng.uniform(-1, 1) * (w - dw) / 2 * 0.6
    cy = h / 2 + rng.uniform(-1, 1) * (h - dh) / 2 * 0.6
    pts = np.array([[-dw / 2, -dh / 2], [dw / 2, -dh / 2], [dw / 2, dh / 2], [-dw / 2, dh / 2]])
    # Perspective: the far edge (top) shorter, as when the phone is not held straight above.
    pts[0, 0] *= 1 - tilt
    pts[1, 0] *= 1 - tilt
    pts[0, 1] *= 1 - tilt / 2
    pts[1, 1] *= 1 - tilt / 2
    pts += rng.normal(0, 0.004 * dw, pts.shape)
    a = math.radians(rotate_deg)
    r = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    return pts @ r.T + np.array([cx, cy])


def handheld_scene(rng: np.random.Generator, w: int, h: int, with_face: bool = True) -> np.ndarray:
    """A person's head with the ID card held beside it (or just the card in a hand)."""
    scene = background(rng, w, h, "plain")
    img = Image.fromarray(scene)
    if with_face:
        fw = int(w * rng.uniform(0.22, 0.32))
        face = draw_face(fw, rng)
        fx = int(w * rng.uniform(0.05, 0.15))
        img.paste(face, (fx, int(h * rng.uniform(0.05, 0.2))))
        # shoulders
        d = ImageDraw.Draw(img)
        d.rectangle([fx - fw * 0.2, h * 0.05 + face.height * 1.05, fx + fw * 1.2, h], fill=tuple(int(v) for v in rng.integers(20, 140, 3)))
    card = draw_id_card(rng, int(w * rng.uniform(0.45, 0.55)) if with_face else int(w * 0.6))
    arr = np.asarray(img).copy()
    fill = card.width / w
    quad = doc_quad(rng, w, h, card.width / card.height, fill, rng.uniform(-8, 8), rng.uniform(0, 0.06))
    shift = np.array([w * 0.22, h * 0.1]) if with_face else np.array([0.0, 0.0])
    quad = quad + shift
    over = quad[:, 0].max() - (w - 4)
    if over > 0:
        quad[:, 0] -= over
    arr = place(arr, card, quad)
    # fingers holding the card at its lower-left corner
    d = ImageDraw.Draw(img2 := Image.fromarray(arr))
    skin = (int(rng.integers(200, 235)), int(rng.integers(160, 190)), int(rng.integers(130, 160)))
    bx, by = quad[3]
    for k in range(3):
        d.rounded_rectangle([bx - w * 0.05 + k * w * 0.025, by - h * 0.06, bx - w * 0.05 + k * w * 0.025 + w * 0.022, by + h * 0.05],
                            radius=int(w * 0.01), fill=skin)
    return np.asarray(img2)


def flat_scene(rng: np.random.Generator, doc: Image.Image, w: int, h: int, bg: str, fill: float,
               rotate_deg: float, tilt: float) -> np.ndarray:
    scene = background(rng, w, h, bg)
    quad = doc_quad(rng, w, h, doc.width / doc.height, fill, rotate_deg, tilt)
    return place(scene, doc, quad)


def scan_scene(doc: Image.Image, w: int, h: int) -> np.ndarray:
    """A flat scan: the document on white, filling the frame."""
    page = Image.new("RGB", (w, h), (250, 250, 250))
    d = doc.copy()
    d.thumbnail((int(w * 0.9), int(h * 0.9)), Image.LANCZOS)
    page.paste(d, ((w - d.width) // 2, (h - d.height) // 2))
    return np.asarray(page)


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


def watermark(arr: np.ndarray, text: str, *, mode: str, color: tuple[int, int, int], opacity: float,
              angle: float, size: int, index: int = 2, region: tuple[int, int, int, int] | None = None,
              rng: np.random.Generator | None = None) -> np.ndarray:
    """Stamp ``text`` over the photo the way a phone app does: tiled or one big line."""
    h, w = arr.shape[:2]
    f = font(size, index)
    tw = int(f.getlength(text))
    th = int(size * 1.3)
    if mode == "single":
        layer = Image.new("L", (tw + 20, th + 20), 0)
        ImageDraw.Draw(layer).text((10, 5), text, font=f, fill=255)
        layer = layer.rotate(angle, expand=True, resample=Image.BICUBIC)
        x0, y0, x1, y1 = region or (0, 0, w, h)
        cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
        canvas = Image.new("L", (w, h), 0)
        canvas.paste(layer, (cx - layer.width // 2, cy - layer.height // 2))
        alpha = np.asarray(canvas, np.float32) / 255 * opacity
    else:
        diag = int(math.hypot(w, h)) + tw
        layer = Image.new("L", (diag, diag), 0)
        d = ImageDraw.Draw(layer)
        gap_x = int(tw + size * (rng.uniform(1.5, 4) if rng is not None else 2.5))
        gap_y = int(size * (rng.uniform(3.5, 6) if rng is not None else 4.5))
        offset = rng.uniform(0, gap_x) if rng is not None else 0
        for row, y in enumerate(range(0, diag, gap_y)):
            shift = (offset + row * gap_x * 0.5) % gap_x
            for x in range(-gap_x, diag, gap_x):
                d.text((x + shift, y), text, font=f, fill=255)
        layer = layer.rotate(angle, resample=Image.BICUBIC)
        left, top = (diag - w) // 2, (diag - h) // 2
        alpha = np.asarray(layer.crop((left, top, left + w, top + h)), np.float32) / 255 * opacity
    out = arr.astype(np.float32) * (1 - alpha[..., None]) + np.array(color, np.float32) * alpha[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


COLORS = {"grey": (110, 110, 110), "red": (215, 35, 35), "blue": (40, 80, 210)}


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


def watermark_set(seed: int, n: int, *, subtle_only: bool = False) -> Iterator[Sample]:
    """Photos with no watermark, the exact one, or a wrong one; labelled ``watermark``.

    ``subtle_only``: every photo carries a wrong watermark of a kind one character or a few
    away from the phrase (``SUBTLE_KINDS``), to measure how often a wrong one passes as exact.
    """
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
                wrong_texts(rng, SUBTLE_KINDS if subtle_only else WRONG_KINDS)
            mode = "single" if rng.random() < 0.3 else "tiled"
            cname = str(rng.choice(list(COLORS)))
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
            before = arr
            arr = watermark(arr, text, mode=mode, color=COLORS[cname], opacity=opacity, angle=angle,
                            size=size, index=index, rng=rng)
            shown = overlay_contrast(before, arr)
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
