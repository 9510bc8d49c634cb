"""The 申请认证 form: individual or institution fields, photos with instant checks, autosave."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from core import certification
from core.certification import RequestView
from ui.forms import FieldErrors, attempt
from ui.i18n import t
from ui.photo import findings_panel

state = st.session_state
_MIN, _MAX = date(1900, 1, 1), date(2100, 12, 31)
_DATES = {"birth_date", "id_valid_from", "id_valid_to", "admin_birth_date", "admin_id_valid_from",
          "admin_id_valid_to", "founded_on", "cert_valid_from", "cert_valid_to"}


def _key(name: str) -> str:
    return f"cf_{name}"


def _init(draft: RequestView, names: list[str]) -> None:
    """Give each widget the draft's value the first time it is drawn (or after leaving the page)."""
    for name in names:
        if _key(name) in state:
            continue
        value = draft.data.get(name)
        if name in _DATES and isinstance(value, str) and value:
            value = date.fromisoformat(value)
        if name.endswith("long_term"):
            value = bool(value)
        state[_key(name)] = value


def _collect(names: list[str]) -> dict[str, Any]:
    values = {}
    for name in names:
        value = state.get(_key(name))
        values[name] = value.isoformat() if isinstance(value, date) else value
    return values


def _autofill(prefix: str) -> None:
    filled = certification.autofill_from_id(state.get(_key(f"{prefix}id_number")) or "")
    if filled:
        state[_key(f"{prefix}birth_date")] = date.fromisoformat(filled["birth_date"])
        state[_key(f"{prefix}gender")] = filled["gender"]


def _person(errors: FieldErrors, prefix: str, *, id_fixed: bool) -> None:
    k = lambda name: _key(prefix + name)  # noqa: E731 - tiny local shorthand
    st.text_input(t("cert.field.real_name"), key=k("real_name"))
    errors.slot(prefix + "real_name")
    c1, c2 = st.columns(2)
    c1.selectbox(t("cert.field.id_type"), certification.ID_TYPES, key=k("id_type"), placeholder=t("cert.choose"),
                 format_func=lambda v: t(f"cert.id_type.{v}"), disabled=id_fixed)
    c2.text_input(t("cert.field.id_number"), key=k("id_number"), on_change=_autofill, args=(prefix,),
                  disabled=id_fixed, help=t("cert.id_number_help"))
    errors.slot(prefix + "id_number")
    c1, c2 = st.columns(2)
    c1.radio(t("cert.field.gender"), certification.GENDERS, key=k("gender"), horizontal=True,
             format_func=lambda v: t(f"cert.gender.{v}"), index=None)
    c2.date_input(t("cert.field.birth_date"), key=k("birth_date"), min_value=_MIN, max_value=_MAX)
    errors.slot(prefix + "gender")
    errors.slot(prefix + "birth_date")
    _validity(errors, prefix + "id", t("cert.field.id_validity"))


def _validity(errors: FieldErrors, prefix: str, label: str) -> None:
    st.markdown(f"**{label}**")
    c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    c1.date_input(t("cert.field.valid_from"), key=_key(f"{prefix}_valid_from"), min_value=_MIN, max_value=_MAX)
    long_term = c3.checkbox(t("cert.field.long_term"), key=_key(f"{prefix}_long_term"))
    c2.date_input(t("cert.field.valid_to"), key=_key(f"{prefix}_valid_to"), min_value=_MIN, max_value=_MAX,
                  disabled=long_term)
    errors.slot(f"{prefix}_valid_from")
    errors.slot(f"{prefix}_valid_to")


def _institution(errors: FieldErrors) -> None:
    c1, c2 = st.columns(2)
    c1.selectbox(t("cert.field.nationality"), certification.NATIONALITIES, key=_key("nationality"),
                 format_func=lambda v: t(f"cert.nationality.{v}"), placeholder=t("cert.choose"))
    c2.selectbox(t("cert.field.org_type"), certification.ORG_TYPES, key=_key("org_type"), index=None,
                 format_func=lambda v: t(f"cert.org_type.{v}"), placeholder=t("cert.choose"))
    errors.slot("org_type")
    c1, c2 = st.columns(2)
    c1.selectbox(t("cert.field.province"), certification.PROVINCES, key=_key("province"), index=None,
                 placeholder=t("cert.choose"))
    c2.text_input(t("cert.field.city"), key=_key("city"))
    errors.slot("province")
    errors.slot("city")
    st.text_input(t("cert.field.org_name"), key=_key("org_name"), help=t("cert.org_name_help"))
    errors.slot("org_name")
    st.date_input(t("cert.field.founded_on"), key=_key("founded_on"), min_value=_MIN, max_value=_MAX)
    errors.slot("founded_on")
    c1, c2 = st.columns(2)
    c1.selectbox(t("cert.field.cert_type"), certification.CERT_TYPES, key=_key("cert_type"),
                 format_func=lambda v: t(f"cert.cert_type.{v}"), placeholder=t("cert.choose"))
    c2.text_input(t("cert.field.cert_number"), key=_key("cert_number"), help=t("cert.cert_number_help"))
    errors.slot("cert_number")
    _validity(errors, "cert", t("cert.field.cert_validity"))


def _photos(account_id: int, draft: RequestView, errors: FieldErrors) -> RequestView:
    """The photo slots; returns the draft as it is after any upload."""
    st.subheader(t("cert.photos"))
    st.caption(t("cert.photo_rules"))
    for slot in draft.slots:
        with st.container(border=True):
            st.markdown(f"**{t(f'cert.slot.{slot}')}**")
            st.caption(t(f"cert.slot.{slot}.help"))
            upload = st.file_uploader(t("cert.upload"), type=["jpg", "jpeg", "png"], key=f"up_{slot}_{draft.id}")
            if slot == "handheld" and st.toggle(t("cert.use_camera"), key=f"cam_on_{draft.id}"):
                upload = st.camera_input(t("cert.camera"), key=f"cam_{draft.id}") or upload
            if upload is not None and state.get(f"done_{slot}_{draft.id}") != upload.file_id:
                state[f"done_{slot}_{draft.id}"] = upload.file_id
                with st.spinner(t("cert.checking")):
                    attempt(lambda: certification.attach_photo(account_id, draft.id, slot, upload.getvalue()),
                            errors)
                draft = certification.get_request(account_id, draft.id)
            errors.slot(slot)
            photo = draft.photos.get(slot)
            if photo is not None:
                left, right = st.columns([1, 2])
                left.image(certification.photo_bytes(account_id, photo.id), width="stretch")
                with right:
                    st.caption(t("cert.photo_meta", fmt=photo.format.upper(), w=photo.width, h=photo.height,
                                 kb=photo.size_bytes // 1024))
                    findings_panel(photo.problems, photo.findings)
    return draft


def render_form(account_id: int, draft: RequestView) -> None:
    """The whole 申请认证 step for one draft."""
    if draft.kind == "recert":
        st.info(t("cert.recert_note"), icon=":material/info:")
    if draft.round > 1:
        st.info(t("cert.round_note", round=draft.round), icon=":material/replay:")
    if draft.identity == "individual":
        names = certification.person_fields()
    else:
        names = certification.institution_fields() + certification.person_fields("admin_")
    _init(draft, names)
    errors = FieldErrors()
    if draft.identity == "individual":
        st.subheader(t("cert.section.person"))
        _person(errors, "", id_fixed=draft.kind == "recert")
    else:
        st.subheader(t("cert.section.org"))
        _institution(errors)
        st.subheader(t("cert.section.admin"))
        _person(errors, "admin_", id_fixed=False)
    values = _collect(names)
    if any(values.get(n) != draft.data.get(n) for n in names):
        # Autosave: what was typed survives leaving the page, a reload, or a new log-in.
        draft = certification.save_draft(account_id, draft.id, values)
    draft = _photos(account_id, draft, errors)
    errors.slot("form")
    if any(p.problems or p.findings.get("reused_by") for p in draft.photos.values()):
        # The reviewer decides, but the applicant should know a rejection is likely.
        st.warning(t("cert.submit_with_problems"), icon=":material/report:")
    save_col, submit_col = st.columns([1, 3])
    if save_col.button(t("cert.save"), icon=":material/save:"):
        certification.save_draft(account_id, draft.id, values)
        st.toast(t("cert.saved"))
    if submit_col.button(t("cert.submit"), type="primary"):
        if attempt(lambda: certification.submit(account_id, draft.id), errors) is not None:
            for key in [k for k in state if str(k).startswith("cf_")]:
                del state[key]
            st.rerun()
