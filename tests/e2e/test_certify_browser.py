"""In Chromium: an applicant certifies with real uploads and real photo checks, a reviewer takes
the request with 下一个 and rejects it with a reason, and the applicant sees why."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from core import accounts, codes, db
from tests.cert_helpers import photo_bytes
from tests.e2e.conftest import SHOTS, Server, click_then_reload, wait_idle

pytestmark = pytest.mark.e2e
PASSWORD = "Secret123"


def _code(target: str) -> str:
    return re.search(r"(\d{6})", codes.outbox(target)[0].body).group(1)


def _ensure(username: str, phone: str, role: str = "applicant") -> None:
    if accounts.find_account_id(username) is None:
        with db.session_scope() as session:
            accounts.create_account(session, username=username, identity="individual", role=role,
                                    password=PASSWORD, phone=phone, display_name="审核员 王静" if role != "applicant" else None)


def _log_in(page: Page, server: Server, username: str, portal: str | None = None) -> None:
    page.goto(server.url)
    if portal:
        page.get_by_text(portal, exact=True).click()
        wait_idle(page)
    page.get_by_label("用户名/手机号/邮箱").fill(username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    click_then_reload(page, page.get_by_role("button", name="登录").first)


def _date(page: Page, label: str, year: int, month: int, day: int) -> None:
    """Type a date into Streamlit's date field, one segment (spinbutton) at a time."""
    for part, value in (("year", f"{year:04d}"), ("month", f"{month:02d}"), ("day", f"{day:02d}")):
        page.get_by_role("spinbutton", name=f"{part}, {label}").click()
        page.keyboard.type(value)
    page.keyboard.press("Tab")
    wait_idle(page)


def test_certify_then_reject_then_applicant_sees_the_reason(browser: Browser, server: Server, tmp_path) -> None:  # noqa: ANN001
    _ensure("certuser", "13800138011")
    _ensure("shenhe09", "13900000009", role="reviewer")
    applicant = browser.new_context(viewport={"width": 1280, "height": 1600}, locale="zh-CN").new_page()
    applicant.set_default_timeout(30_000)
    _log_in(applicant, server, "certuser")
    expect(applicant.get_by_role("heading", name="用户中心")).to_be_visible()
    applicant.get_by_role("link", name="实名认证").first.click()
    applicant.get_by_role("button", name="开始实名认证").click()
    applicant.get_by_role("button", name="下一步").click()
    applicant.get_by_label("邮箱", exact=True).fill("certuser@example.com")
    applicant.get_by_role("button", name="发送验证码").nth(0).click()
    expect(applicant.get_by_text("验证码已发送至 certuser@example.com")).to_be_visible()
    wait_idle(applicant)
    applicant.get_by_role("button", name="发送验证码").nth(1).click()
    expect(applicant.get_by_text("验证码已发送至 138****8011")).to_be_visible()
    applicant.get_by_label("邮箱验证码").fill(_code("certuser@example.com"))
    applicant.get_by_label("手机验证码").fill(_code("13800138011"))
    wait_idle(applicant)
    applicant.get_by_role("button", name="下一步").click()
    expect(applicant.get_by_label("真实姓名")).to_be_visible()
    applicant.get_by_label("真实姓名").fill("张伟")
    applicant.get_by_role("textbox", name="证件号码").fill("110105199003071239")
    applicant.get_by_role("textbox", name="证件号码").press("Tab")
    wait_idle(applicant)
    expect(applicant.get_by_role("spinbutton", name="year, 出生日期")).to_have_attribute("aria-valuenow", "1990")
    expect(applicant.get_by_role("spinbutton", name="day, 出生日期")).to_have_attribute("aria-valuenow", "7")
    _date(applicant, "起始日期", 2015, 5, 1)
    applicant.get_by_text("长期", exact=True).click()
    wait_idle(applicant)
    for index, name in enumerate(("hand.jpg", "copy.jpg")):
        path = tmp_path / name
        path.write_bytes(photo_bytes(seed=index + 20))
        applicant.locator('[data-testid="stFileUploaderDropzoneInput"]').nth(index).set_input_files(str(path))
        expect(applicant.locator('[data-testid="stImage"]').nth(index)).to_be_visible(timeout=60_000)
        wait_idle(applicant)
    SHOTS.mkdir(parents=True, exist_ok=True)
    applicant.screenshot(path=str(SHOTS / "certify_form_filled.png"), full_page=True)
    applicant.get_by_role("button", name="提交认证").click()
    expect(applicant.get_by_text("您已提交实名认证申请,我们将在1-3个工作日内审核")).to_be_visible()
    applicant.screenshot(path=str(SHOTS / "certify_submitted.png"))

    reviewer = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="zh-CN").new_page()
    reviewer.set_default_timeout(30_000)
    _log_in(reviewer, server, "shenhe09", portal="工作人员")
    expect(reviewer.get_by_role("heading", name="审核队列")).to_be_visible()
    reviewer.get_by_role("button", name="下一个").click()
    expect(reviewer.get_by_text("您已领取此申请")).to_be_visible()
    # The data table is a canvas grid: its cells are in the accessibility tree, not visible text.
    expect(reviewer.locator("td", has_text="1101********1239")).to_be_attached()
    reviewer.screenshot(path=str(SHOTS / "review_case.png"), full_page=True)
    reviewer.get_by_text("驳回原因(可多选)").click()
    reviewer.keyboard.type("照片模糊")
    reviewer.keyboard.press("Enter")
    reviewer.keyboard.press("Escape")
    reviewer.get_by_label("给申请人的说明").fill("手持照片对焦不清,请重新拍摄")
    wait_idle(reviewer)
    reviewer.get_by_role("button", name="驳回", exact=True).click()
    expect(reviewer.get_by_role("heading", name="审核队列")).to_be_visible()

    applicant.reload()
    applicant.get_by_role("link", name="实名认证").first.click()
    expect(applicant.get_by_text("认证失败")).to_be_visible()
    expect(applicant.get_by_text("照片模糊不清").first).to_be_visible()
    expect(applicant.get_by_text("手持照片对焦不清,请重新拍摄")).to_be_visible()
    applicant.screenshot(path=str(SHOTS / "certify_rejected.png"), full_page=True)
    applicant.context.close()
    reviewer.context.close()
