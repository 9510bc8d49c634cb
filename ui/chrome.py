"""What every page shares: the database made ready once, the sidebar, the log-in guard."""

from __future__ import annotations

import streamlit as st

from core import accounts, db
from core.config import load_settings
from core.sessions import Principal
from ui import auth
from ui.i18n import language_switch, t


@st.cache_resource(show_spinner=False)
def _init(url: str) -> bool:
    db.init_db(db.engine_for(url))
    return True


def ensure_database() -> None:
    """Create tables once per database URL and process (cached across reruns and tabs)."""
    _init(str(db.get_engine().url.render_as_string(hide_password=False)))


def sidebar(principal: Principal | None) -> None:
    with st.sidebar:
        st.markdown(f"### {t('app.name')}")
        if principal is not None:
            name = principal.display_name or principal.username
            st.caption(t("app.logged_in_as", name=name))
            if st.button(t("nav.logout"), icon=":material/logout:", key="logout"):
                auth.logout(principal)
                st.rerun()
        language_switch()
        if load_settings().demo_mode:
            st.caption(t("app.demo_mode"))


def require_user() -> Principal:
    """The logged-in user, or stop the page (navigation normally prevents this)."""
    principal = st.session_state.get("principal")
    if principal is None:
        st.warning(t("app.login_required"))
        st.stop()
    return principal


def require_staff() -> Principal:
    principal = require_user()
    if not principal.is_staff:
        st.error(t("app.staff_only"))
        st.stop()
    return principal


def current_contacts() -> list[str]:
    """The logged-in user's phone and e-mail (where codes for them are sent)."""
    principal = st.session_state.get("principal")
    if principal is None:
        return []
    info = accounts.get_account(principal.account_id)
    return [contact for contact in (info.phone, info.email) if contact]
