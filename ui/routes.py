"""HTTP routes mounted beside Streamlit by st.App: set and clear the HttpOnly session cookie."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from core import sessions
from core.config import load_settings
from core.sessions import COOKIE_NAME


def _same_origin(request: Request) -> bool:
    """Refuse cross-site posts (log-in CSRF): the Origin must be this server."""
    origin = request.headers.get("origin")
    if not origin:
        return False
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def login(request: Request) -> JSONResponse:
    """Redeem a one-time log-in ticket for the session cookie."""
    if not _same_origin(request):
        return JSONResponse({"ok": False, "error": "origin"}, status_code=403)
    try:
        payload = await request.json()
    except ValueError:
        return JSONResponse({"ok": False, "error": "body"}, status_code=400)
    ticket = payload.get("ticket") if isinstance(payload, dict) else None
    if not isinstance(ticket, str):
        return JSONResponse({"ok": False, "error": "ticket"}, status_code=400)
    token = await run_in_threadpool(sessions.redeem_ticket, ticket)
    if token is None:
        return JSONResponse({"ok": False, "error": "ticket"}, status_code=400)
    settings = load_settings()
    response = JSONResponse({"ok": True})
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=settings.session_days * 86400,
        path="/",
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
    )
    return response


async def logout(request: Request) -> JSONResponse:
    """End the session the cookie names and clear the cookie."""
    if not _same_origin(request):
        return JSONResponse({"ok": False, "error": "origin"}, status_code=403)
    token = request.cookies.get(COOKIE_NAME)
    if token:
        await run_in_threadpool(sessions.end_by_token, token)
    response = JSONResponse({"ok": True})
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="strict")
    return response
