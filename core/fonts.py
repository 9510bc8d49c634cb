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
