"""用户中心: who I am, where my certification stands, what to do next."""

import streamlit as st

from core import accounts
from core.identity import mask_email, mask_phone
from ui.chrome import require_user
from ui.forms import md_escape
from ui.i18n import t, when

principal = require_user()
info = accounts.get_account(principal.account_id)

st.title(t("home.title"))
st.markdown(t("home.welcome", name=md_escape(info.display_name or info.username)))
with st.container(border=True):
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
        left, right = st.columns([1, 3])
        left.caption(label)
        right.markdown(md_escape(value))
