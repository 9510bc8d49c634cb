"""账户管理: 基本信息 with 修改, 实名认证 (masked, 重新认证), 员工账户, 地址管理."""

import streamlit as st

from core import accounts, certification
from core.identity import mask_email, mask_phone
from ui.chrome import require_user
from ui.forms import FieldErrors, attempt, code_field, done_and_reset, md_escape, show_flash
from ui.i18n import t, when

principal = require_user()
me = principal.account_id
info = accounts.get_account(me)
status = certification.status_of(principal.acting_account_id)
is_admin = info.is_institution_admin

st.title(t("nav.account"))
show_flash()
tab_names = [t("account.tab.basic"), t("account.tab.cert"), t("account.tab.address")]
if is_admin:
    tab_names.insert(2, t("account.tab.employees"))
tabs = dict(zip(["basic", "cert"] + (["employees"] if is_admin else []) + ["address"], st.tabs(tab_names)))


@st.dialog(t("account.change_phone"))
def change_phone() -> None:
    errors = FieldErrors()
    st.caption(t("account.change_phone_note"))
    old_code = code_field(t("account.old_phone_code", phone=mask_phone(info.phone)), "cp_old_code",
                          lambda: accounts.send_change_code(me, "old_phone"), errors, field="old_code",
                          shown_target=mask_phone)
    new_phone = st.text_input(t("account.new_phone"), key="cp_new_phone")
    errors.slot("new_phone")
    new_code = code_field(t("account.new_phone_code"), "cp_new_code",
                          lambda: accounts.send_change_code(me, "new_phone", new_phone), errors, field="new_code")
    if st.button(t("account.confirm_change"), type="primary", key="cp_ok"):
        if attempt(lambda: accounts.change_phone(me, old_code, new_phone, new_code), errors):
            st.rerun()


@st.dialog(t("account.change_email"))
def change_email() -> None:
    errors = FieldErrors()
    new_email = st.text_input(t("account.new_email"), key="ce_new_email")
    errors.slot("new_email")
    code = code_field(t("account.new_email_code"), "ce_code",
                      lambda: accounts.send_change_code(me, "new_email", new_email), errors, field="new_code")
    if st.button(t("account.confirm_change"), type="primary", key="ce_ok"):
        if attempt(lambda: accounts.change_email(me, new_email, code), errors):
            st.rerun()


@st.dialog(t("account.change_password"))
def change_password() -> None:
    errors = FieldErrors()
    old = st.text_input(t("account.old_password"), type="password", key="pw_old")
    errors.slot("old_password")
    new = st.text_input(t("forgot.new_password"), type="password", key="pw_new")
    errors.slot("password")
    confirm = st.text_input(t("forgot.confirm"), type="password", key="pw_confirm")
    errors.slot("confirm")
    st.caption(t("account.password_logout_note"))
    if st.button(t("account.confirm_change"), type="primary", key="pw_ok"):
        if attempt(lambda: accounts.change_password(me, old, new, confirm) or True, errors):
            st.rerun()


@st.dialog(t("account.change_institution_name"))
def change_name() -> None:
    errors = FieldErrors()
    name = st.text_input(t("account.institution_name"), value=info.institution_name or "", key="cn_name")
    errors.slot("institution_name")
    if st.button(t("account.confirm_change"), type="primary", key="cn_ok"):
        if attempt(lambda: accounts.change_institution_name(me, name), errors):
            st.rerun()


with tabs["basic"]:
    def row(label: str, value: str, action=None, key: str = "") -> None:  # noqa: ANN001
        c1, c2, c3 = st.columns([1, 3, 1], vertical_alignment="center")
        c1.caption(label)
        c2.markdown(md_escape(value))
        if action is not None and c3.button(t("account.edit"), key=key, icon=":material/edit:"):
            action()

    with st.container(border=True):
        row(t("account.username"), info.username)
        row(t("account.user_type"), t(info.user_type_key))
        if info.identity == "institution":
            row(t("account.institution_name"), info.institution_name or t("account.not_set"),
                change_name if is_admin else None, "edit_name")
        row(t("account.phone"), mask_phone(info.phone) or t("account.not_set"), change_phone, "edit_phone")
        row(t("account.email"), mask_email(info.email) or t("account.not_set"), change_email, "edit_email")
        row(t("account.password"), "********", change_password, "edit_password")
        row(t("account.cert_status"), t(status.label_key))

with tabs["cert"]:
    certified = certification.certified_info(principal.acting_account_id)
    st.markdown(f"**{t('account.cert_status')}:** {t(status.label_key)}")
    if status.recert_pending:
        st.info(t("cert.recert_pending_note"), icon=":material/schedule:")
    if certified is None:
        st.page_link("pages/applicant/certify.py", label=t("cert.go_certify"), icon=":material/verified_user:")
    else:
        with st.container(border=True):
            for name, value, coded in certified.rows:
                c1, c2 = st.columns([1, 3])
                c1.caption(t(f"cert.field.{name}"))
                c2.markdown(md_escape(t(f"cert.value.{value}") if coded else value))
            st.caption(t("account.certified_at", at=when(certified.certified_at)))
        if info.can_certify and status.screen == "done":
            if st.button(t("cert.recertify"), icon=":material/edit_document:"):
                if attempt(lambda: certification.open_draft(me)) is not None:
                    st.switch_page("pages/applicant/certify.py")

if is_admin:
    with tabs["employees"]:
        staff = accounts.employees(me)
        if staff:
            for employee in staff:
                c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="center")
                c1.markdown(f"**{md_escape(employee.display_name)}** ({md_escape(employee.username)})")
                c2.caption(f"{mask_phone(employee.phone) or '—'} · "
                           f"{t('account.active') if employee.is_active else t('account.inactive')}")
                label = t("account.disable") if employee.is_active else t("account.enable")
                if c3.button(label, key=f"emp_{employee.id}"):
                    accounts.set_employee_active(me, employee.id, not employee.is_active)
                    st.rerun()
        else:
            st.caption(t("account.no_employees"))
        with st.form("add_employee", clear_on_submit=False):
            st.markdown(f"**{t('account.add_employee')}**")
            errors = FieldErrors()
            username = st.text_input(t("register.username"), key="emp_username")
            errors.slot("username")
            display_name = st.text_input(t("account.employee_name"), key="emp_name")
            errors.slot("display_name")
            phone = st.text_input(t("account.employee_phone"), key="emp_phone")
            errors.slot("phone")
            password = st.text_input(t("register.password"), type="password", key="emp_password")
            errors.slot("password")
            confirm = st.text_input(t("register.confirm"), type="password", key="emp_confirm")
            errors.slot("confirm")
            if st.form_submit_button(t("account.add_employee"), type="primary"):
                added = attempt(lambda: accounts.add_employee(me, username=username, display_name=display_name,
                                                              password=password, confirm=confirm, phone=phone),
                                errors)
                if added is not None:
                    done_and_reset(t("account.employee_added", username=added.username), "emp_")

with tabs["address"]:
    for address in accounts.addresses(me):
        with st.container(border=True):
            c1, c2 = st.columns([4, 1], vertical_alignment="center")
            default = f" · **{t('account.default')}**" if address.is_default else ""
            c1.markdown(f"{md_escape(address.recipient)} · {mask_phone(address.phone)}{default}")
            c1.caption(md_escape(f"{address.region} {address.detail} {address.postcode}"))
            if not address.is_default and c2.button(t("account.make_default"), key=f"def_{address.id}"):
                accounts.set_default_address(me, address.id)
                st.rerun()
            if c2.button(t("account.delete"), key=f"del_{address.id}"):
                accounts.delete_address(me, address.id)
                st.rerun()
    with st.form("add_address"):
        st.markdown(f"**{t('account.add_address')}**")
        errors = FieldErrors()
        c1, c2 = st.columns(2)
        recipient = c1.text_input(t("account.recipient"), key="addr_recipient")
        phone = c2.text_input(t("account.address_phone"), key="addr_phone")
        errors.slot("recipient")
        errors.slot("address_phone")
        region = st.text_input(t("account.region"), placeholder=t("account.region_ph"), key="addr_region")
        errors.slot("region")
        detail = st.text_input(t("account.detail"), key="addr_detail")
        errors.slot("detail")
        postcode = st.text_input(t("account.postcode"), key="addr_postcode")
        errors.slot("postcode")
        make_default = st.checkbox(t("account.make_default"), key="addr_default")
        if st.form_submit_button(t("account.save_address"), type="primary"):
            saved = attempt(lambda: accounts.save_address(me, recipient=recipient, phone=phone, region=region,
                                                          detail=detail, postcode=postcode,
                                                          make_default=make_default), errors)
            if saved is not None:
                done_and_reset(t("account.address_saved"), "addr_")
