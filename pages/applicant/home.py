"""用户中心: who I am, where my certification stands, what to do next."""

import streamlit as st

from core import accounts, certification, notices
from core.identity import mask_email, mask_phone
from ui.chrome import require_user
from ui.forms import md_escape
from ui.i18n import day, t, when

principal = require_user()
info = accounts.get_account(principal.account_id)
status = certification.status_of(principal.acting_account_id)
unread = notices.unread_count(principal.acting_account_id)

st.title(t("home.title"))
st.markdown(t("home.welcome", name=md_escape(info.display_name or info.username)))

badge = {"none": "gray", "pending": "orange", "approved": "green", "rejected": "red"}[status.code]
with st.container(border=True):
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.markdown(f"**{t('account.cert_status')}** :{badge}-badge[{t(status.label_key)}]")
    left.caption(t(f"home.next.{status.screen}", due=day(status.current.due_date if status.current else None)))
    target = "pages/applicant/filing.py" if status.screen == "done" else "pages/applicant/certify.py"
    right.page_link(target, label=t(f"home.action.{status.screen}"), icon=":material/arrow_forward:")

c1, c2 = st.columns(2)
with c1.container(border=True):
    st.markdown(f"**{t('home.basic_info')}**")
    rows = [
        (t("account.username"), info.username),
        (t("account.user_type"), t(info.user_type_key)),
        (t("account.phone"), mask_phone(info.phone) or "—"),
        (t("account.email"), mask_email(info.email) or t("account.not_set")),
        (t("account.created_at"), when(info.created_at)),
    ]
    if info.institution_name:
        rows.insert(2, (t("account.institution_name"), info.institution_name))
    for label, value in rows:
        a, b = st.columns([1, 2])
        a.caption(label)
        b.markdown(md_escape(value))
with c2.container(border=True):
    st.markdown(f"**{t('nav.messages')}**")
    st.markdown(t("home.unread", count=unread) if unread else t("home.no_unread"))
    st.page_link("pages/applicant/messages.py", label=t("home.open_messages"), icon=":material/mail:")
    st.page_link("pages/applicant/watermark.py", label=t("nav.watermark"), icon=":material/branding_watermark:")
