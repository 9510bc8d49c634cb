"""模拟短信/邮件: what the SMS gateway and mail server would have delivered, newest first."""

import streamlit as st

from core import codes
from ui.chrome import current_contacts
from ui.forms import md_escape
from ui.i18n import t, when

st.title(t("outbox.title"))
st.info(t("outbox.note"), icon=":material/info:")

mine = current_contacts()
targets = list(mine)
typed = st.text_input(t("outbox.target"), placeholder=t("outbox.target_ph"), key="outbox_target")
if typed.strip():
    targets = [codes.normalise_target(typed)]
st.button(t("outbox.refresh"), icon=":material/refresh:")

messages = codes.outbox(targets) if targets else []
if not messages:
    st.caption(t("outbox.empty"))
for item in messages:
    with st.container(border=True):
        icon = ":material/sms:" if item.channel == "sms" else ":material/mail:"
        st.markdown(f"{icon} **{t(f'outbox.channel.{item.channel}')}** · {t('outbox.to')} {md_escape(item.target)} · "
                    f"{when(item.created_at)}")
        if item.subject:
            st.markdown(f"**{item.subject}**")
        st.text(item.body)
