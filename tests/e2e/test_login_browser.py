"""In Chromium: the log-in survives a refresh and a server restart; log-out and a password
change end it; the session token lives only in an HttpOnly, SameSite=Strict cookie."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from core import accounts, codes, db
from tests.e2e.conftest import Server, click_then_reload, wait_idle

pytestmark = pytest.mark.e2e
PASSWORD = "Secret123"


def _account(username: str, phone: str) -> None:
    if accounts.find_account_id(username) is None:
        with db.session_scope() as session:
            accounts.create_account(session, username=username, identity="individual",
                                    password=PASSWORD, phone=phone)


def _log_in(page: Page, server: Server, username: str, password: str = PASSWORD) -> None:
    page.goto(server.url)
    page.get_by_label("用户名/手机号/邮箱").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    click_then_reload(page, page.get_by_role("button", name="登录").first)
    expect(page.get_by_role("heading", name="用户中心")).to_be_visible()


def _session_cookie(page: Page, *, present: bool = True) -> dict:
    """The session cookie once it is (or is no longer) set; the hand-over takes a moment."""
    for _ in range(100):
        found = [c for c in page.context.cookies() if c["name"] == "certdesk_session"]
        if bool(found) == present:
            return found[0] if found else {}
        page.wait_for_timeout(100)
    return found[0] if found else {}


def test_login_survives_refresh_and_restart_and_cookie_is_httponly(page: Page, server: Server) -> None:
    _account("browseruser", "13800138001")
    _log_in(page, server, "browseruser")
    cookie = _session_cookie(page)
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert "certdesk_session" not in page.evaluate("document.cookie")
    assert cookie["value"] not in page.url
    page.reload()
    expect(page.get_by_role("heading", name="用户中心")).to_be_visible()
    server.restart()
    page.reload()
    expect(page.get_by_role("heading", name="用户中心")).to_be_visible()


def test_logout_ends_the_session_and_clears_the_cookie(page: Page, server: Server) -> None:
    _account("browseruser2", "13800138002")
    _log_in(page, server, "browseruser2")
    click_then_reload(page, page.get_by_role("button", name="退出登录"))
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    assert _session_cookie(page, present=False) == {}
    page.reload()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_password_reset_elsewhere_logs_this_browser_out(page: Page, server: Server) -> None:
    _account("browseruser3", "13800138003")
    _log_in(page, server, "browseruser3")
    accounts.send_reset_code("phone", "13800138003")
    code = re.search(r"(\d{6})", codes.outbox("13800138003")[0].body).group(1)
    grant = accounts.verify_reset_code("phone", "13800138003", code)
    accounts.reset_password(grant, "NewPass456", "NewPass456")
    page.reload()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_register_then_log_in_with_the_outbox_code(page: Page, server: Server) -> None:
    page.goto(server.url)
    page.get_by_role("link", name="注册").first.click()
    page.get_by_role("button", name="同意并继续").click()
    page.get_by_role("button", name="个人").click()
    page.get_by_label("用户名").fill("newcomer")
    page.get_by_label("手机号").fill("13800138004")
    page.get_by_role("button", name="发送验证码").click()
    expect(page.get_by_text("验证码已发送至 13800138004")).to_be_visible()
    code = re.search(r"(\d{6})", codes.outbox("13800138004")[0].body).group(1)
    page.get_by_label("验证码").fill(code)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    wait_idle(page)
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("注册成功")).to_be_visible()
    page.get_by_role("button", name="去登录").click()
    expect(page.get_by_label("用户名/手机号/邮箱")).to_be_visible()
    page.get_by_label("用户名/手机号/邮箱").fill("newcomer")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    click_then_reload(page, page.get_by_role("button", name="登录").first)
    expect(page.get_by_role("heading", name="用户中心")).to_be_visible()


def test_the_login_route_refuses_foreign_origins_and_stale_tickets(page: Page, server: Server) -> None:
    """Log-in CSRF: only a post from the app's own origin with a fresh ticket sets the cookie."""
    from core import sessions

    _account("routeuser", "13800138005")
    ticket = sessions.begin(accounts.find_account_id("routeuser"))
    post = page.request.post
    foreign = post(f"{server.url}/auth/login", data={"ticket": ticket},
                   headers={"Origin": "https://evil.example", "Content-Type": "application/json"})
    assert foreign.status == 403
    no_origin = post(f"{server.url}/auth/login", data={"ticket": ticket},
                     headers={"Content-Type": "application/json"})
    assert no_origin.status == 403
    made_up = post(f"{server.url}/auth/login", data={"ticket": "made-up"},
                   headers={"Origin": server.url, "Content-Type": "application/json"})
    assert made_up.status == 400
    good = post(f"{server.url}/auth/login", data={"ticket": ticket},
                headers={"Origin": server.url, "Content-Type": "application/json"})
    assert good.status == 200
    cookie = good.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    again = post(f"{server.url}/auth/login", data={"ticket": ticket},
                 headers={"Origin": server.url, "Content-Type": "application/json"})
    assert again.status == 400


def test_the_chinese_ui_is_drawn_with_the_font_the_desk_serves(page: Page, server: Server) -> None:
    # A kiosk or thin-client browser may have no CJK font at all (this Chromium has none):
    # without the served font every character would be an empty box.
    page.goto(server.url)
    heading = page.get_by_role("heading", name="登录")
    expect(heading).to_be_visible()
    faces = page.evaluate("document.fonts.ready.then(() => [...document.fonts]"
                          ".filter(f => f.family.replace(/[\"']/g, '') === 'certdesk-sc').map(f => f.status))")
    assert faces == ["loaded"]
    assert heading.evaluate("e => getComputedStyle(e).fontFamily").startswith("certdesk-sc")
    assert page.evaluate("document.fonts.check('16px certdesk-sc', '实名认证')")
