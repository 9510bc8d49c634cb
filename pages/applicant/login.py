"""登录: 个人用户 / 企业(管理员) / 工作人员; 密码登录 or 验证码登录."""

import streamlit as st

from core import accounts, demo
from core.config import load_settings
from ui import auth
from ui.forms import FieldErrors, attempt, code_field
from ui.i18n import t

st.title(t("login.title"))
left, right = st.columns([3, 2], gap="large")

with left:
    portal = st.segmented_control(
        t("login.portal"),
        options=list(accounts.PORTALS),
        format_func=lambda p: t(f"login.portal.{p}"),
        default="individual",
        key="login_portal",
    ) or "individual"
    st.caption(t("login.portal_hint"))
    by_password, by_code = st.tabs([t("login.method.password"), t("login.method.code")])

    with by_password, st.form("login_password"):
        errors = FieldErrors()
        identifier = st.text_input(t("login.identifier"), placeholder=t("login.identifier_ph"))
        errors.slot("identifier")
        password = st.text_input(t("login.password"), type="password", placeholder=t("login.password_ph"))
        errors.slot("password")
        errors.slot("portal")
        if st.form_submit_button(t("login.submit"), type="primary", width="stretch"):
            result = attempt(
                lambda: accounts.login_with_password(identifier, password, portal=portal), errors
            )
            if result is not None:
                auth.start_session(result.ticket)
                st.rerun()

    with by_code:
        code_errors = FieldErrors()
        phone = st.text_input(t("login.phone"), placeholder=t("register.phone_ph"), key="login_phone")
        code_errors.slot("phone")
        code = code_field(t("login.code"), "login_code", lambda: accounts.send_login_code(phone), code_errors)
        code_errors.slot("portal")
        if st.button(t("login.submit"), type="primary", key="login_code_submit", width="stretch"):
            result = attempt(lambda: accounts.login_with_code(phone, code, portal=portal), code_errors)
            if result is not None:
                auth.start_session(result.ticket)
                st.rerun()

    links = st.columns(2)
    links[0].page_link("pages/applicant/forgot_password.py", label=t("login.forgot"), icon=":material/lock_reset:")
    links[1].page_link("pages/applicant/register.py", label=t("login.register"), icon=":material/person_add:")

with right:
    st.info(t("login.session_note", days=load_settings().session_days), icon=":material/cookie:")
    hint = demo.login_hint()
    if hint is not None:
        with st.container(border=True):
            st.markdown(f"**{t('login.demo_title')}**")
            st.markdown(t("login.demo_body", username=hint.reviewer, password=hint.password))
            if hint.applicants:
                st.markdown(t("login.demo_applicants", password=hint.password,
                              examples="、".join(hint.applicants)))
