"""版权登记: R11 / R41 / contract hub; uncertified accounts meet the 实名认证 modal; R11 with 一表一码."""

from datetime import date

import streamlit as st

from core import filing
from core.errors import DomainError, PermissionDenied
from ui.chrome import require_user
from ui.forms import FieldErrors, attempt, code_field, message
from ui.i18n import t

principal = require_user()
me = principal.account_id
state = st.session_state
st.title(t("nav.filing"))
st.caption(t("filing.hub_caption"))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@st.dialog(t("filing.gate_title"))
def gate() -> None:
    st.markdown(t("filing.not_certified"))
    if st.button(t("filing.go_certify"), type="primary"):
        st.switch_page("pages/applicant/certify.py")


columns = st.columns(3)
for column, kind in zip(columns, filing.BUSINESSES):
    with column.container(border=True, height="stretch"):
        st.markdown(f"#### {t(f'filing.business.{kind}')}")
        st.caption(t(f"filing.business.{kind}.help"))
        if st.button(t("filing.open"), key=f"open_{kind}", type="primary" if kind == "R11" else "secondary"):
            try:
                filing.open_business(me, kind)
                state.filing_kind = kind
            except PermissionDenied:
                gate()
            except DomainError as err:
                st.info(message(err))

if state.get("filing_kind") == "R11":
    form = attempt(lambda: filing.start_form(me, "R11"))
    if form is not None:
        st.divider()
        st.subheader(t("filing.r11_title"))
        errors = FieldErrors()
        data = form.data
        name = st.text_input(t("filing.software_name"), value=data.get("software_name", ""), key=f"r11_name_{form.id}")
        errors.slot("software_name")
        version = st.text_input(t("filing.version"), value=data.get("version", "V1.0"), key=f"r11_ver_{form.id}")
        errors.slot("version")
        completed = st.date_input(t("filing.completed_on"), value=_day(data.get("completed_on")),
                                  key=f"r11_done_{form.id}", min_value=date(1970, 1, 1))
        errors.slot("completed_on")
        published = st.toggle(t("filing.published"), value=bool(data.get("published")), key=f"r11_pub_{form.id}")
        published_on, place = None, ""
        if published:
            c1, c2 = st.columns(2)
            published_on = c1.date_input(t("filing.published_on"), value=_day(data.get("published_on")),
                                         key=f"r11_pubon_{form.id}", min_value=date(1970, 1, 1))
            place = c2.text_input(t("filing.published_place"), value=data.get("published_place", ""),
                                  key=f"r11_place_{form.id}")
            errors.slot("published_on")
            errors.slot("published_place")
        holders = st.text_area(t("filing.rights_holders"), value="\n".join(data.get("rights_holders", [])),
                               key=f"r11_holders_{form.id}", help=t("filing.rights_holders_help"))
        errors.slot("rights_holders")
        values = {"software_name": name, "version": version, "completed_on": completed,
                  "published": published, "published_on": published_on, "published_place": place,
                  "rights_holders": holders.splitlines()}
        if filing.draft_changed(form, values):
            filing.save_form(me, form.id, values)  # autosave: nothing typed is lost
        st.caption(t("filing.auth_code_note"))
        code = code_field(t("filing.auth_code"), f"r11_code_{form.id}", lambda: filing.send_form_code(me, form.id),
                          errors, field="auth_code", button=t("filing.get_code"), sent_message=t("filing.code_sent"),
                          placeholder=t("filing.auth_code_ph"))
        if st.button(t("filing.submit"), type="primary", key=f"r11_submit_{form.id}"):
            done = attempt(lambda: filing.submit_form(me, form.id, values, code), errors)
            if done is not None:
                state.filing_kind = None
                state.filing_done = done.id
                st.rerun()

if state.get("filing_done"):
    st.success(t("filing.submitted", form_id=state.filing_done), icon=":material/check_circle:")
