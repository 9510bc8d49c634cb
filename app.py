"""Entry point: `streamlit run app.py`.

st.App serves the Streamlit shell plus two small routes that set and clear the HttpOnly
session cookie (no Streamlit call can set a cookie, and JavaScript must never see the token).
"""

import logging
import secrets

import streamlit as st
from starlette.routing import Route

from ui import routes

log = logging.getLogger("certdesk")


def friendly_error(exc: Exception) -> bool:
    """Log the trace for staff with a reference; show the user only a calm message with it."""
    from ui.i18n import t

    ref = secrets.token_hex(4)
    log.error("unexpected error ref=%s", ref, exc_info=exc)
    st.error(t("common.unexpected", ref=ref), icon=":material/error:")
    return True


app = st.App(
    "shell.py",
    routes=[
        Route("/auth/login", routes.login, methods=["POST"]),
        Route("/auth/logout", routes.logout, methods=["POST"]),
    ],
    on_script_error=friendly_error,
)
