"""注册: 用户协议 → 选择身份 → 创建账户 → 注册成功."""

import streamlit as st

from core import accounts
from ui.forms import FieldErrors, attempt, code_field, stepper
from ui.i18n import t

STEPS = ["register.step.identity", "register.step.account", "register.step.done"]
state = st.session_state
state.setdefault("reg_step", "agreement")

st.title(t("register.title"))
st.page_link("pages/applicant/login.py", label=t("register.have_account"), icon=":material/login:")

if state.reg_step == "agreement":
    with st.container(border=True):
        st.subheader(t("register.agreement_title"))
        st.markdown(t("register.agreement_body"))
    if st.button(t("register.agree"), type="primary"):
        state.reg_step = "identity"
        st.rerun()

elif state.reg_step == "identity":
    stepper([t(k) for k in STEPS], 0)
    st.subheader(t("register.choose_identity"))
    columns = st.columns(2)
    for column, identity in zip(columns, accounts.IDENTITIES):
        with column.container(border=True):
            st.markdown(f"### {t(f'accounts.identity.{identity}')}")
            st.caption(t(f"accounts.identity.{identity}_help"))
            if st.button(t(f"accounts.identity.{identity}"), key=f"reg_identity_{identity}",
                         type="primary", width="stretch"):
                state.reg_identity = identity
                state.reg_step = "account"
                st.rerun()

elif state.reg_step == "account":
    stepper([t(k) for k in STEPS], 1)
    st.caption(f"{t('register.choose_identity')}: **{t(f'accounts.identity.{state.reg_identity}')}**")
    errors = FieldErrors()
    username = st.text_input(t("register.username"), placeholder=t("register.username_ph"), key="reg_username")
    errors.slot("username")
    prefix, number = st.columns([1, 4])
    prefix.selectbox(t("register.region"), [t("register.country")], disabled=True, key="reg_country")
    phone = number.text_input(t("register.phone"), placeholder=t("register.phone_ph"), key="reg_phone")
    errors.slot("phone")
    st.caption(t("register.phone_note"))
    code = code_field(t("register.code"), "reg_code", lambda: accounts.send_register_code(phone), errors)
    password = st.text_input(t("register.password"), type="password",
                             placeholder=t("register.password_ph"), key="reg_password")
    errors.slot("password")
    confirm = st.text_input(t("register.confirm"), type="password",
                            placeholder=t("register.confirm_ph"), key="reg_confirm")
    errors.slot("confirm")
    back, nxt = st.columns([1, 4])
    if back.button(t("register.back"), key="reg_back"):
        state.reg_step = "identity"
        st.rerun()
    if nxt.button(t("register.next"), type="primary", key="reg_next"):
        created = attempt(
            lambda: accounts.register(identity=state.reg_identity, username=username, phone=phone,
                                      code=code, password=password, confirm=confirm),
            errors,
        )
        if created is not None:
            state.reg_created = created.username
            state.reg_step = "done"
            for key in ("reg_password", "reg_confirm", "reg_code"):
                state.pop(key, None)
            st.rerun()

else:
    stepper([t(k) for k in STEPS], 2)
    with st.container(border=True):
        st.success(t("register.success"), icon=":material/check_circle:")
        st.markdown(t("register.success_note"))
        go_login, go_filing = st.columns(2)
        if go_login.button(t("register.go_login"), type="primary", width="stretch"):
            state.reg_step = "agreement"
            st.switch_page("pages/applicant/login.py")
        if go_filing.button(t("register.go_filing"), width="stretch"):
            state.reg_step = "agreement"
            state.after_login = "filing"
            st.switch_page("pages/applicant/login.py")
