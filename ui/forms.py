"""Showing domain errors in Chinese next to the field they belong to, never as a stack trace."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from core import codes
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


def code_field(label: str, key: str, send: Callable[[], object], errors: FieldErrors, *,
               field: str = "code", button: str | None = None, sent_message: str | None = None,
               shown_target: Callable[[str], str] | None = None, placeholder: str | None = None) -> str:
    """A code input with its 发送验证码 button beside it; errors for ``field`` go under both.

    ``send`` is the core call that issues the code (it returns a SentCode); the confirmation
    says where the code went, and that it is only simulated when it is.
    """
    code_col, send_col = st.columns([4, 1], vertical_alignment="bottom")
    code = code_col.text_input(label, key=key, placeholder=placeholder or t("register.code_ph"))
    # The confirmation has a slot on every run, so the widgets below keep their places: a
    # message that comes and goes shifts them, and during the next run the browser briefly
    # shows the old and the new 下一步 button together.
    confirmation = st.empty()
    if send_col.button(button or t("register.send_code"), key=f"{key}_send", width="stretch"):
        sent = attempt(send, errors)
        if sent is not None:
            target = (shown_target or str)(sent.target)
            simulated = "codes.sent_simulated" if codes.sending_is_simulated() else "codes.sent"
            confirmation.success(sent_message or t(simulated, target=target))
    errors.slot(field)
    return code


def stepper(labels: list[str], current: int) -> None:
    """A horizontal step indicator (① 选择身份 → ② 创建账户 → …) with the current step bold."""
    parts = []
    for i, label in enumerate(labels):
        mark = "✓" if i < current else str(i + 1)
        text = f"**{mark} {label}**" if i == current else f"{mark} {label}"
        parts.append(text if i <= current else f":gray[{text}]")
    st.markdown("  →  ".join(parts))


def done_and_reset(message: str, prefix: str) -> None:
    """After a form succeeded: empty its widgets (keys starting with ``prefix``), rerun, say so."""
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]
    st.session_state["_flash"] = message
    st.rerun()


def show_flash() -> None:
    """The confirmation left by done_and_reset, shown once."""
    message = st.session_state.pop("_flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")
