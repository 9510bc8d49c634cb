"""Showing domain errors in Chinese next to the field they belong to, never as a stack trace."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from core.errors import DomainError, FormInvalid
from ui.i18n import t

T = TypeVar("T")


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: object) -> str:
    """Text typed by someone (a name, a software title) shown literally inside st.markdown."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def message(err: DomainError) -> str:
    return t(err.key, **err.params)


class FieldErrors:
    """Reserve a spot under each field; after a failed call, put each error in its spot."""

    def __init__(self) -> None:
        self._slots: dict[str, object] = {}

    def slot(self, field: str) -> None:
        self._slots[field] = st.empty()

    def show(self, err: DomainError) -> None:
        errors = err.errors if isinstance(err, FormInvalid) else {err.field or "form": err}
        unplaced = []
        for field, field_err in errors.items():
            slot = self._slots.get(field)
            if slot is None:
                unplaced.append(field_err)
            else:
                slot.error(message(field_err), icon=":material/error:")
        if isinstance(err, FormInvalid):
            st.error(message(err))
        for field_err in unplaced:
            st.error(message(field_err))


def attempt(call: Callable[[], T], errors: FieldErrors | None = None) -> T | None:
    """Run one core call; on a domain error show it (by its field when known) and return None."""
    try:
        return call()
    except DomainError as err:
        if errors is not None:
            errors.show(err)
        else:
            st.error(message(err))
        return None


def stepper(labels: list[str], current: int) -> None:
    """A horizontal step indicator (① 选择身份 → ② 创建账户 → …) with the current step bold."""
    parts = []
    for i, label in enumerate(labels):
        mark = "✓" if i < current else str(i + 1)
        text = f"**{mark} {label}**" if i == current else f"{mark} {label}"
        parts.append(text if i <= current else f":gray[{text}]")
    st.markdown("  →  ".join(parts))
