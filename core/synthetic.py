"""Synthetic, realistic-looking documents and photos: no real person, no real company.

ID-card-like fronts and business-licence-like pages drawn with the CJK font, a cartoon face that
OpenCV's Haar cascade detects, and scenes that put a document on a desk (plain, wood grain,
cloth) with some perspective or in a hand beside a face. The demo seed uses them for its
applicants' photos and the tests build their labelled photo set on top of them.
"""

from __future__ import annotations

import math
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from core.fonts import font_path

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


def draw_id_card(rng: np.random.Generator, width: int, *, name: str | None = None,
                 gender: str | None = None, birth: tuple[int, int, int] | None = None,
                 number: str | None = None) -> Image.Image:
    """A resident-ID-card-like front (name side), ``width`` px wide, 85.6 x 54 mm.

    Name, gender (男/女), birth (y, m, d) and number are random unless given.
    """
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
    _text(d, (x0 + fs * 3.2, y), name or _person_name(rng), int(fs * 1.1), ink, bold=True)
    y += gap
    _text(d, (x0, y), "性 别", fs, label)
    _text(d, (x0 + fs * 3.2, y), gender or str(rng.choice(["男", "女"])), fs, ink)
    _text(d, (x0 + fs * 6.5, y), "民 族", fs, label)
    _text(d, (x0 + fs * 9.5, y), str(rng.choice(ETHNIC)), fs, ink)
    y += gap
    _text(d, (x0, y), "出 生", fs, label)
    by, bm, bd = birth or (int(rng.integers(1950, 2005)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
    _text(d, (x0 + fs * 3.2, y), f"{by} 年 {bm} 月 {bd} 日", fs, ink)
    y += gap
    _text(d, (x0, y), "住 址", fs, label)
    addr = _address(rng)
    cut = int(rng.integers(10, 14))
    _text(d, (x0 + fs * 3.2, y), addr[:cut], fs, ink)
    _text(d, (x0 + fs * 3.2, y + fs * 1.3), addr[cut:], fs, ink)
    y = int(h - s * 120)
    _text(d, (x0, y), "公民身份号码", fs, label)
    number = number or ("".join(str(int(v)) for v in rng.integers(0, 10, 17))
                        + str(rng.choice(list("0123456789X"))))
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


def draw_licence(rng: np.random.Generator, width: int, *, name: str | None = None,
                 code: str = "91350100M000100Y43") -> Image.Image:
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
    _text(d, (s * 70, s * 140 + fs * 1.4), code, fs, ink)
    name = name or (str(rng.choice(["北京", "上海", "深圳", "杭州", "成都"])) + str(rng.choice(COMPANY_WORDS))
                    + str(rng.choice(COMPANY_KINDS)))
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


def handheld_scene(rng: np.random.Generator, w: int, h: int, with_face: bool = True,
                   card: Image.Image | None = None) -> np.ndarray:
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
    width = int(w * rng.uniform(0.45, 0.55)) if with_face else int(w * 0.6)
    card = card.resize((width, int(width * card.height / card.width))) if card is not None \
        else draw_id_card(rng, width)
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


# ---------------------------------------------------------------- overlays


def _copies(w: int, h: int, text: str, f: Any, mode: str, size: int,
            rng: np.random.Generator | None) -> tuple[tuple[int, int], list[tuple[float, float]]]:
    """The unturned canvas an overlay is drawn on, and where each copy of ``text`` starts."""
    tw = int(f.getlength(text))
    if mode == "single":
        return (tw + 20, int(size * 1.3) + 20), [(10, 5)]
    diag = int(math.hypot(w, h)) + tw
    gap_x = int(tw + size * (rng.uniform(1.5, 4) if rng is not None else 2.5))
    gap_y = int(size * (rng.uniform(3.5, 6) if rng is not None else 4.5))
    offset = rng.uniform(0, gap_x) if rng is not None else 0
    origins = []
    for row, y in enumerate(range(0, diag, gap_y)):
        shift = (offset + row * gap_x * 0.5) % gap_x
        origins += [(x + shift, y) for x in range(-gap_x, diag, gap_x)]
    return (diag, diag), origins


def _turned(layer: Image.Image, w: int, h: int, mode: str, angle: float,
            region: tuple[int, int, int, int] | None, resample: int) -> np.ndarray:
    """The drawn canvas turned by ``angle`` and laid over a w x h photo."""
    if mode == "single":
        layer = layer.rotate(angle, expand=True, resample=resample)
        x0, y0, x1, y1 = region or (0, 0, w, h)
        cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
        canvas = Image.new(layer.mode, (w, h), 0)
        canvas.paste(layer, (cx - layer.width // 2, cy - layer.height // 2))
        return np.asarray(canvas)
    side = layer.width
    layer = layer.rotate(angle, resample=resample)
    left, top = (side - w) // 2, (side - h) // 2
    return np.asarray(layer.crop((left, top, left + w, top + h)))


CHAR_SLOTS = 64  # a character map's value: copy * CHAR_SLOTS + position + 1


def watermark(arr: np.ndarray, text: str, *, mode: str, color: tuple[int, int, int], opacity: float,
              angle: float, size: int, index: int = 2, region: tuple[int, int, int, int] | None = None,
              rng: np.random.Generator | None = None, chars: list[np.ndarray] | None = None,
              font_file: str | None = None) -> np.ndarray:
    """Stamp ``text`` over the photo the way a phone app does: tiled or one big line.

    With ``chars`` (a list), a map of where each character landed is appended to it: 0 where
    none did, else ``copy * CHAR_SLOTS + position + 1`` (the tests' ground truth for which
    characters lie over print or a desk). ``font_file``: another font than Noto Sans CJK (to
    measure the checker on overlays it was not tuned on).
    """
    h, w = arr.shape[:2]
    f = font(size, index) if font_file is None else ImageFont.truetype(font_file, size)
    canvas, origins = _copies(w, h, text, f, mode, size, rng)
    layer = Image.new("L", canvas, 0)
    d = ImageDraw.Draw(layer)
    for x, y in origins:
        d.text((x, y), text, font=f, fill=255)
    alpha = _turned(layer, w, h, mode, angle, region, Image.BICUBIC).astype(np.float32) / 255 * opacity
    if chars is not None:
        chars.append(_char_map(text, f, canvas, origins, w, h, mode, angle, region))
    out = arr.astype(np.float32) * (1 - alpha[..., None]) + np.array(color, np.float32) * alpha[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def _char_map(text: str, f: Any, canvas: tuple[int, int], origins: list[tuple[float, float]],
              w: int, h: int, mode: str, angle: float, region: tuple[int, int, int, int] | None) -> np.ndarray:
    layer = Image.new("I", canvas, 0)
    d = ImageDraw.Draw(layer)
    d.fontmode = "1"  # crisp: a pixel belongs to one character
    advance = [f.getlength(text[:k]) for k in range(len(text))]
    for copy, (x, y) in enumerate(origins):
        for k, ch in enumerate(text):
            d.text((x + advance[k], y), ch, font=f, fill=copy * CHAR_SLOTS + k + 1)
    return _turned(layer, w, h, mode, angle, region, Image.NEAREST).astype(np.int32)


COLORS = {"grey": (110, 110, 110), "red": (215, 35, 35), "blue": (40, 80, 210)}
