"""实名认证: 选择身份 → 完善账户信息 → 申请认证 → 审核信息 → 认证成功 (resumable: drafts live in the database)."""

import streamlit as st

from core import accounts, certification
from core.identity import mask_phone
from ui.chrome import require_user
from ui.forms import FieldErrors, attempt, code_field, stepper
from ui.i18n import day, t
from ui.photo import findings_panel

principal = require_user()
state = st.session_state
can_certify = accounts.get_account(principal.account_id).can_certify
STEPS = ["cert.step.identity", "cert.step.contacts", "cert.step.form", "cert.step.review", "cert.step.done"]

st.title(t("nav.certify"))
if not can_certify:
    st.info(t("cert.employee_note"), icon=":material/info:")
    st.stop()

status = certification.status_of(principal.account_id)
stepper([t(k) for k in STEPS], status.step_index)
draft = status.current if status.screen in ("identity", "contacts", "form") else None


def _open_draft() -> None:
    if attempt(lambda: certification.open_draft(principal.account_id)) is not None:
        st.rerun()


# --- screens without a draft ---------------------------------------------------------------------

if status.screen == "start":
    st.markdown(t("cert.start_note"))
    if st.button(t("cert.start"), type="primary"):
        _open_draft()

elif status.screen == "review":
    with st.container(border=True):
        st.success(t("cert.submitted"), icon=":material/schedule:")
        due = status.current.due_date
        st.markdown(t("cert.due_estimated" if status.current.due_estimated else "cert.due", due=day(due)))
        if status.recert_pending:
            st.caption(t("cert.recert_pending_note"))

elif status.screen == "rejected":
    with st.container(border=True):
        st.error(t("cert.status.rejected"), icon=":material/cancel:")
        for reason in status.current.reasons:
            st.markdown(f"- **{t(f'reason.{reason}')}**: {t(f'reason.{reason}.help')}")
        if status.current.reason_text:
            st.markdown(t("cert.reviewer_note"))
            st.text(status.current.reason_text)
        if status.recert_rejected:
            st.caption(t("cert.recert_rejected_note"))
    if st.button(t("cert.resubmit"), type="primary"):
        _open_draft()

elif status.screen == "done":
    st.success(t("cert.status.approved"), icon=":material/verified:")
    st.page_link("pages/applicant/account.py", label=t("cert.see_certified"), icon=":material/badge:")
    if st.button(t("cert.recertify")):
        _open_draft()

# --- step 1: 选择身份 ------------------------------------------------------------------------------

elif status.screen == "identity":
    columns = st.columns(2)
    for column, identity in zip(columns, ("individual", "institution")):
        with column.container(border=True):
            chosen = identity == draft.identity
            st.markdown(f"### {':material/check_circle: ' if chosen else ''}{t(f'accounts.identity.{identity}')}")
            st.caption(t(f"accounts.identity.{identity}_help"))
    st.caption(t("cert.identity_fixed"))
    if st.button(t("register.next"), type="primary"):
        certification.set_step(principal.account_id, draft.id, certification.STEP_CONTACTS)
        st.rerun()

# --- step 2: 完善账户信息 ---------------------------------------------------------------------------

elif status.screen == "contacts":
    info = accounts.get_account(principal.account_id)
    errors = FieldErrors()
    st.text_input(t("account.username"), value=info.username, disabled=True)
    email = st.text_input(t("account.email"), value=info.email or "", key="cc_email",
                          placeholder=t("cert.email_ph"))
    errors.slot("email")
    email_code = code_field(t("cert.email_code"), "cc_email_code",
                            lambda: certification.send_contact_code(principal.account_id, "email", email),
                            errors, field="email_code")
    st.text_input(t("account.phone"), value=f"+86 {mask_phone(info.phone)}", disabled=True)
    phone_code = code_field(t("cert.phone_code"), "cc_phone_code",
                            lambda: certification.send_contact_code(principal.account_id, "phone"),
                            errors, field="phone_code", shown_target=mask_phone)
    if st.button(t("register.next"), type="primary", key="cc_next"):
        done = attempt(lambda: certification.verify_contacts(
            principal.account_id, draft.id, email=email, email_code=email_code, phone_code=phone_code), errors)
        if done is not None:
            st.rerun()

# --- step 3: 申请认证 ------------------------------------------------------------------------------

else:
    from ui.certify_form import render_form

    render_form(principal.account_id, draft)
