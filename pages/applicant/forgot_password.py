"""找回密码: 通过手机找回 / 通过邮箱找回 → 验证码 → 新密码两次 → 恭喜您 重置密码成功."""

import streamlit as st

from core import accounts
from ui.forms import FieldErrors, attempt, code_field, stepper
from ui.i18n import t

STEPS = ["forgot.step.choose", "forgot.step.verify", "forgot.step.reset", "forgot.step.done"]
state = st.session_state
state.setdefault("fp_step", 0)

st.title(t("forgot.title"))
stepper([t(k) for k in STEPS], state.fp_step)

if state.fp_step == 0:
    columns = st.columns(2)
    for column, channel in zip(columns, ("phone", "email")):
        with column.container(border=True):
            icon = ":material/smartphone:" if channel == "phone" else ":material/mail:"
            if st.button(t(f"forgot.by_{channel}"), icon=icon, key=f"fp_{channel}",
                         type="primary", width="stretch"):
                state.fp_channel = channel
                state.fp_step = 1
                st.rerun()

elif state.fp_step == 1:
    errors = FieldErrors()
    label = t("forgot.phone") if state.fp_channel == "phone" else t("forgot.email")
    target = st.text_input(label, key="fp_target")
    errors.slot("target")
    code = code_field(t("forgot.code"), "fp_code", lambda: accounts.send_reset_code(state.fp_channel, target),
                      errors)
    back, nxt = st.columns([1, 4])
    if back.button(t("register.back"), key="fp_back"):
        state.fp_step = 0
        st.rerun()
    if nxt.button(t("forgot.next"), type="primary", key="fp_verify"):
        grant = attempt(lambda: accounts.verify_reset_code(state.fp_channel, target, code), errors)
        if grant is not None:
            state.fp_grant = grant
            state.fp_step = 2
            st.rerun()

elif state.fp_step == 2:
    errors = FieldErrors()
    password = st.text_input(t("forgot.new_password"), type="password", key="fp_password")
    errors.slot("password")
    confirm = st.text_input(t("forgot.confirm"), type="password", key="fp_confirm")
    errors.slot("confirm")
    errors.slot("form")
    if st.button(t("forgot.next"), type="primary", key="fp_reset"):
        done = attempt(lambda: accounts.reset_password(state.fp_grant, password, confirm) or True, errors)
        if done:
            for key in ("fp_grant", "fp_password", "fp_confirm", "fp_code"):
                state.pop(key, None)
            state.fp_step = 3
            st.rerun()

else:
    with st.container(border=True):
        st.success(t("forgot.done_title"), icon=":material/check_circle:")
        st.markdown(t("forgot.done_note"))
        go_login, go_home = st.columns(2)
        if go_login.button(t("forgot.login"), type="primary", width="stretch"):
            state.fp_step = 0
            st.switch_page("pages/applicant/login.py")
        if go_home.button(t("forgot.home"), width="stretch"):
            state.fp_step = 0
            st.switch_page("pages/applicant/login.py")
