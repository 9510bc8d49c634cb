"""t(): the catalogue in the language this browser tab chose (zh_CN unless switched)."""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st

from core.clock import china_time

from core.messages import DEFAULT_LANGUAGE, LANGUAGES, translate

_LABELS = {"zh_CN": "中文", "en": "English"}


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANGUAGE)


def t(key: str, **params: object) -> str:
    return translate(key, lang(), **params)


def language_switch() -> None:
    """The one language switch, in the sidebar."""
    st.sidebar.segmented_control(
        t("common.language"),
        options=list(LANGUAGES),
        format_func=_LABELS.get,
        key="lang",
        default=DEFAULT_LANGUAGE,
    )


def when(moment: datetime | None) -> str:
    """A stored moment as Beijing time, e.g. 2026-11-02 09:30."""
    return china_time(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def day(value: date | None) -> str:
    return value.isoformat() if value else "—"
