"""消息中心: submission, decisions and account changes, newest first; opening marks them read."""

import streamlit as st

from core import notices
from ui.chrome import require_user
from ui.forms import md_escape
from ui.i18n import t, when

principal = require_user()
owner = principal.acting_account_id
st.title(t("nav.messages"))

items = notices.inbox(owner)
unread = [n.id for n in items if not n.read]
if unread and st.button(t("messages.mark_all"), icon=":material/done_all:"):
    notices.mark_read(owner)
    st.rerun()
if not items:
    st.info(t("messages.empty"))


def _params(params: dict) -> dict:
    shown = {k: md_escape(v) if isinstance(v, str) else v for k, v in params.items()}
    if "reasons" in shown:
        shown["reasons"] = "、".join(t(f"reason.{r}") for r in shown["reasons"])
    if "what" in shown:
        shown["what"] = t(f"account.{shown['what']}")
    if shown.get("estimated"):
        shown["due"] = t("messages.estimated_due", due=shown.get("due"))
    return shown


for item in items:
    with st.container(border=True):
        badge = "" if item.read else f" :red-badge[{t('messages.new')}]"
        st.markdown(f"**{t(f'notice.{item.kind}.title')}**{badge}")
        st.caption(when(item.created_at))
        st.markdown(t(f"notice.{item.kind}.body", **_params(item.params)))
        if item.params.get("text"):
            st.text(item.params["text"])
        if item.kind == "rejected":
            st.page_link("pages/applicant/certify.py", label=t("cert.resubmit"), icon=":material/edit:")
if unread:
    # Reading the list is opening the messages: they count as read from the next visit on.
    notices.mark_read(owner, unread)
