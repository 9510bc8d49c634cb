"""Where the CJK font lives: the stamping tool and the test photo set draw with it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

# Face indexes inside NotoSansCJK-Regular.ttc (0 JP, 1 KR, 2 SC, 3 TC, 4 HK).
SIMPLIFIED = 2
TRADITIONAL = 3


@lru_cache(maxsize=1)
def font_path() -> Path:
    """The Noto Sans CJK collection shipped by the ``noto-cjk-sans-otc`` package."""
    from noto_cjk_sans_otc import FONT_PATH

    path = Path(str(FONT_PATH))
    if not path.is_file():
        raise FileNotFoundError(f"CJK font missing at {path}; reinstall noto-cjk-sans-otc")
    return path


@lru_cache(maxsize=64)
def cjk_font(size: int, index: int = SIMPLIFIED) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK at ``size`` px (Simplified Chinese unless ``index`` says otherwise)."""
    return ImageFont.truetype(str(font_path()), size, index=index)


# The UI's web font: Noto Sans SC cut down to what the desk shows, served by Streamlit's static
# file serving (.streamlit/config.toml), so Chinese renders the same on a thin client or a
# kiosk browser that has no CJK font of its own. Characters outside the subset (a rare
# character in a name) fall back to the browser's own fonts.
WEB_FONT = Path(__file__).resolve().parents[1] / "static" / "fonts" / "NotoSansSC-Regular.woff2"
# Latin-1, general punctuation, CJK punctuation and full-width forms.
_WEB_RANGES = ((0x20, 0x7F), (0xA0, 0x100), (0x2000, 0x2070), (0x2190, 0x2200), (0x3000, 0x3040),
               (0xFF00, 0xFFF0))


def web_font_text() -> str:
    """Every character the web font must hold: the GB2312 characters (the 6,763 in everyday
    use, names and addresses included), punctuation, and every character of the UI text."""
    from core.messages import LANGUAGES, catalogue

    chars = {chr(c) for lo, hi in _WEB_RANGES for c in range(lo, hi)}
    for c in range(0x4E00, 0xA000):
        try:
            chr(c).encode("gb2312")
        except UnicodeEncodeError:
            continue
        chars.add(chr(c))
    for lang in LANGUAGES:
        chars.update("".join(catalogue(lang).values()))
    return "".join(sorted(c for c in chars if c.isprintable()))


def build_web_font(out: Path = WEB_FONT) -> Path:
    """Write the UI's WOFF2 web font (about 2.4 MB) from the Simplified Chinese face of the
    bundled collection; takes 15-30 s."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(font_path()), fontNumber=SIMPLIFIED)
    options = subset.Options()
    options.layout_features = ["*"]  # vertical forms, full-width punctuation
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=web_font_text())
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".part")
    font.flavor = "woff2"
    font.save(str(partial))
    partial.replace(out)  # a server never serves a half-written font
    return out


if __name__ == "__main__":
    import sys

    print(build_web_font(Path(sys.argv[1]) if len(sys.argv) > 1 else WEB_FONT))
