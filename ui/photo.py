"""Showing a photo's automatic findings in plain words (applicant upload and reviewer case)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.i18n import t


def account_list(ids: list[int], names: dict[int, str]) -> str:
    """Other accounts named by a finding, by username where the reviewer's case knows it."""
    return ", ".join(names.get(i, f"#{i}") for i in ids)


def findings_panel(problems: list[str], findings: dict[str, Any], *, audience: str = "applicant",
                   names: dict[int, str] | None = None) -> None:
    """One line per problem with how to fix it; a calm confirmation when there is none."""
    for code in problems:
        st.warning(t(f"photo.problem.{code}"), icon=":material/warning:")
    if findings.get("watermark_unread"):
        st.caption(t("photo.watermark.unread", chars=findings["watermark_unread"]))
    if findings.get("reused_by"):
        key = "cert.photo_reused_staff" if audience == "staff" else "cert.photo_reused"
        st.warning(t(key, accounts=account_list(findings["reused_by"], names or {})),
                   icon=":material/content_copy:")
    if not problems and not findings.get("reused_by"):
        st.success(t("cert.photo_ok"), icon=":material/check_circle:")
    if findings.get("watermark") == "exact":
        st.caption(t("photo.watermark.exact"))


@st.cache_data(max_entries=64, show_spinner=False)
def photo_view(reviewer_id: int, photo_id: int, rotate: int, zoom: float, cx: float, cy: float) -> bytes:
    """A rotated / zoomed view of a stored photo, cached per reviewer so panning is quick."""
    from core import review, viewer

    return viewer.view(review.photo_for_review(reviewer_id, photo_id), rotate=rotate, zoom=zoom, cx=cx, cy=cy)
