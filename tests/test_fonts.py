"""The UI's web font: built from the bundled Noto Sans CJK, holds every character the desk
shows, and is the one .streamlit/config.toml serves."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from core import fonts
from core.messages import LANGUAGES, catalogue

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def web_font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The font `make` built, or one built here when the tests run without make."""
    if fonts.WEB_FONT.is_file():
        return fonts.WEB_FONT
    return fonts.build_web_font(tmp_path_factory.mktemp("font") / fonts.WEB_FONT.name)


def _cmap(path: Path) -> set[int]:
    return set(TTFont(str(path)).getBestCmap())


def test_given_the_web_font_then_it_is_woff2_of_the_simplified_chinese_face(web_font: Path) -> None:
    font = TTFont(str(web_font))
    assert font.flavor == "woff2"
    assert font["name"].getDebugName(1) == "Noto Sans CJK SC"
    assert web_font.stat().st_size < 4_000_000  # cut down: the whole face is about 16 MB


def test_given_any_ui_text_then_the_web_font_holds_every_character(web_font: Path) -> None:
    cmap = _cmap(web_font)
    shown = {c for lang in LANGUAGES for text in catalogue(lang).values() for c in text if c.isprintable()}
    missing = sorted(c for c in shown if ord(c) not in cmap)
    assert shown and not missing


def test_given_names_and_addresses_then_every_gb2312_character_is_in_the_web_font(web_font: Path) -> None:
    cmap = _cmap(web_font)
    everyday = [c for c in range(0x4E00, 0xA000) if _in_gb2312(chr(c))]
    assert len(everyday) == 6763
    assert [chr(c) for c in everyday if c not in cmap] == []


def test_given_the_streamlit_config_then_it_serves_the_built_font_as_the_ui_font() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    faces = config["theme"]["fontFaces"]
    assert [f["url"] for f in faces] == ["app/" + fonts.WEB_FONT.relative_to(ROOT).as_posix()]
    assert config["theme"]["font"].split(",")[0].strip() == faces[0]["family"]


def _in_gb2312(c: str) -> bool:
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
