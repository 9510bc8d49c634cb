"""The navigation each role gets. Pages a role does not have are simply not registered."""

from __future__ import annotations

import streamlit as st

from core import codes, notices
from core.sessions import Principal
from ui.i18n import t


def _page(path: str, title_key: str, icon: str, *, default: bool = False, **title_params: object) -> st.Page:
    return st.Page(path, title=t(title_key, **title_params), icon=icon, default=default)


def public_pages() -> list[st.Page]:
    pages = [
        _page("pages/applicant/login.py", "nav.login", ":material/login:", default=True),
        _page("pages/applicant/register.py", "nav.register", ":material/person_add:"),
        _page("pages/applicant/forgot_password.py", "nav.forgot", ":material/lock_reset:"),
        _page("pages/applicant/watermark.py", "nav.watermark", ":material/branding_watermark:"),
    ]
    if codes.sending_is_simulated():
        pages.append(_page("pages/applicant/outbox.py", "nav.outbox", ":material/sms:"))
    return pages


def applicant_pages(unread: int) -> list[st.Page]:
    messages = ("nav.messages_unread", {"count": unread}) if unread else ("nav.messages", {})
    pages = [
        _page("pages/applicant/home.py", "nav.home", ":material/home:", default=True),
        _page("pages/applicant/account.py", "nav.account", ":material/manage_accounts:"),
        _page("pages/applicant/certify.py", "nav.certify", ":material/verified_user:"),
        _page("pages/applicant/filing.py", "nav.filing", ":material/app_registration:"),
        _page("pages/applicant/query.py", "nav.query", ":material/search:"),
        _page("pages/applicant/messages.py", messages[0], ":material/mail:", **messages[1]),
        _page("pages/applicant/watermark.py", "nav.watermark", ":material/branding_watermark:"),
    ]
    if codes.sending_is_simulated():
        pages.append(_page("pages/applicant/outbox.py", "nav.outbox", ":material/sms:"))
    return pages


def staff_pages() -> list[st.Page]:
    return [
        _page("pages/review/queue.py", "nav.queue", ":material/inbox:", default=True),
        _page("pages/review/case.py", "nav.case", ":material/fact_check:"),
        _page("pages/review/dashboard.py", "nav.dashboard", ":material/monitoring:"),
        _page("pages/review/audit.py", "nav.audit", ":material/history:"),
    ]


def build(principal: Principal | None) -> st.Page:
    """st.navigation for this user; returns the page to run."""
    if principal is None:
        pages = public_pages()
    elif principal.is_staff:
        pages = staff_pages()
    else:
        pages = applicant_pages(notices.unread_count(principal.acting_account_id))
    return st.navigation(pages, position="top")
