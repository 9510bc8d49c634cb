"""The script st.App runs for every browser tab: who is this, which pages may they see."""

from __future__ import annotations

import streamlit as st

from ui import auth, nav
from ui.chrome import ensure_database, sidebar

st.set_page_config(page_title="CertDesk 实名认证", page_icon=":material/verified_user:", layout="wide")
ensure_database()
principal = auth.current_user()
st.session_state["principal"] = principal
page = nav.build(principal)
sidebar(principal)
auth.render_handover()
page.run()
