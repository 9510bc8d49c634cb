"""Who is logged in, and the hand-over that turns a log-in into an HttpOnly cookie.

The cookie is read when the browser opens its connection (st.context.cookies); until the
tab reloads, the one-time ticket in st.session_state identifies the user. A small
component posts the ticket to /auth/login, which sets the cookie, then reloads the tab.
"""

from __future__ import annotations

import streamlit as st

from core import sessions
from core.sessions import COOKIE_NAME, Principal

_TICKET = "auth_ticket"

_HANDOVER_JS = """
export default function (component) {
  const { data } = component;
  if (!data || !data.url) return;
  window.__certdeskPosted = window.__certdeskPosted || {};
  if (window.__certdeskPosted[data.nonce]) return;
  window.__certdeskPosted[data.nonce] = true;
  const body = data.ticket ? JSON.stringify({ ticket: data.ticket }) : "{}";
  fetch(data.url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body,
  }).then((response) => {
    if (response.ok) window.location.reload();
  });
}
"""

_handover = st.components.v2.component("certdesk_auth_handover", js=_HANDOVER_JS)


def _cookie() -> str | None:
    # Outside a browser (AppTest) there is no real client and the value may not be a string.
    value = st.context.cookies.get(COOKIE_NAME)
    return value if isinstance(value, str) and value else None


def current_user() -> Principal | None:
    """The logged-in user from the session cookie, or from this tab's fresh log-in ticket."""
    token = _cookie()
    principal = sessions.resolve(token=token) if token else None
    if principal is None and st.session_state.get(_TICKET):
        principal = sessions.resolve(ticket=st.session_state[_TICKET])
        if principal is None:
            del st.session_state[_TICKET]
    return principal


def start_session(ticket: str) -> None:
    """After core accepted the credentials: remember the ticket; the shell hands it over."""
    st.session_state[_TICKET] = ticket
    st.session_state.pop("logged_out", None)


def render_handover() -> None:
    """Post a pending ticket (or a pending log-out) to the auth routes, then reload the tab."""
    ticket = st.session_state.get(_TICKET)
    if ticket and not _cookie():
        _handover(data={"url": "/auth/login", "ticket": ticket, "nonce": ticket[:12]},
                  key="auth_handover", height=0)
    elif st.session_state.get("logged_out") and _cookie():
        _handover(data={"url": "/auth/logout", "nonce": st.session_state["logged_out"]},
                  key="auth_handover", height=0)


def logout(principal: Principal) -> None:
    """End this log-in on the server at once; the cookie is cleared by /auth/logout."""
    sessions.end(principal.session_id)
    st.session_state.pop(_TICKET, None)
    st.session_state["logged_out"] = str(principal.session_id)
