"""AppTest journeys through register, log-in (both ways), log-out and password recovery."""

from __future__ import annotations

import pytest

from core import accounts
from tests.pages.apptest_helpers import (
    PASSWORD, button, errors, last_code, login, make_account, new_app, text_input,
)


def test_given_a_visitor_when_registering_with_the_outbox_code_then_account_created() -> None:
    at = new_app()
    at.switch_page("pages/applicant/register.py").run()
    button(at, "同意并继续").click().run()
    button(at, "机构").click().run()
    text_input(at, "用户名").input("xinghe")
    text_input(at, "手机号").input("13800138000")
    button(at, "发送验证码").click().run()
    assert any("13800138000" in s.value for s in at.success)
    text_input(at, "验证码").input(last_code("13800138000"))
    text_input(at, "密码").input(PASSWORD)
    text_input(at, "确认密码").input(PASSWORD)
    button(at, "下一步").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["注册成功"]
    assert [b.label for b in at.button if b.label in ("去登录", "去登记")] == ["去登录", "去登记"]
    info = accounts.get_account(accounts.find_account_id("xinghe"))
    assert info.identity == "institution" and info.phone == "13800138000"


def test_given_a_used_phone_when_registering_then_error_next_to_phone_and_nothing_sent() -> None:
    make_account(phone="13800138000")
    at = new_app()
    at.switch_page("pages/applicant/register.py").run()
    button(at, "同意并继续").click().run()
    button(at, "个人").click().run()
    text_input(at, "手机号").input("13800138000")
    button(at, "发送验证码").click().run()
    assert any("该手机号已被注册" in e for e in errors(at))


def test_given_bad_fields_when_registering_then_each_error_shown_and_no_account() -> None:
    at = new_app()
    at.switch_page("pages/applicant/register.py").run()
    button(at, "同意并继续").click().run()
    button(at, "个人").click().run()
    text_input(at, "用户名").input("1a")
    text_input(at, "手机号").input("123")
    text_input(at, "密码").input("abc")
    text_input(at, "确认密码").input("abd")
    button(at, "下一步").click().run()
    shown = errors(at)
    assert any("用户名为4-20位" in e for e in shown)
    assert any("11位" in e for e in shown)
    assert any("请输入验证码" in e for e in shown)
    assert accounts.count_accounts() == 0


def test_given_an_account_when_logging_in_with_password_then_user_centre_and_logout_works() -> None:
    make_account()
    at = login(new_app(), "zhangsan")
    assert at.session_state["principal"].username == "zhangsan"
    assert [t.value for t in at.title] == ["用户中心"]
    button(at, "退出登录").click().run()
    assert at.session_state["principal"] is None
    assert [t.value for t in at.title] == ["登录"]


def test_given_an_account_when_logging_in_with_sms_code_then_logged_in() -> None:
    make_account()
    at = new_app()
    text_input(at, "手机号").input("13800138000")
    button(at, "发送验证码").click().run()
    text_input(at, "验证码").input(last_code("13800138000"))
    button(at, "登录", index=1).click().run()
    assert not at.exception
    assert at.session_state["principal"].username == "zhangsan"


def test_given_wrong_password_then_message_counts_down_and_fifth_locks() -> None:
    make_account()
    at = new_app()
    for expected_left in (4, 3, 2, 1):
        login(at, "zhangsan", password="Wrong1234")
        assert any(f"还可尝试{expected_left}次" in e for e in errors(at))
    login(at, "zhangsan", password="Wrong1234")
    assert any("账户已锁定" in e and "15分钟" in e for e in errors(at))
    login(at, "zhangsan")
    assert any("账户已锁定" in e for e in errors(at))
    assert at.session_state["principal"] is None


def test_given_institution_account_on_individual_portal_then_told_to_switch() -> None:
    make_account(identity="institution")
    at = login(new_app(), "zhangsan", portal="individual")
    assert any("企业(管理员)" in e for e in errors(at))


def test_given_forgotten_password_when_recovering_by_phone_then_new_password_logs_in() -> None:
    make_account()
    at = new_app()
    at.switch_page("pages/applicant/forgot_password.py").run()
    button(at, "通过手机找回").click().run()
    text_input(at, "手机号").input("13800138000")
    button(at, "发送验证码").click().run()
    text_input(at, "验证码").input(last_code("13800138000"))
    button(at, "下一步").click().run()
    text_input(at, "新密码").input("NewPass456")
    text_input(at, "确认新密码").input("NewPass456")
    button(at, "下一步").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["恭喜您 重置密码成功"]
    assert {"登录", "返回首页"} <= {b.label for b in at.button}
    login(at, "zhangsan", password="NewPass456")
    assert at.session_state["principal"].username == "zhangsan"


def test_given_e_mail_recovery_for_unknown_address_then_clear_error() -> None:
    at = new_app()
    at.switch_page("pages/applicant/forgot_password.py").run()
    button(at, "通过邮箱找回").click().run()
    text_input(at, "邮箱").input("nobody@example.com")
    button(at, "发送验证码").click().run()
    assert any("该邮箱未绑定任何账户" in e for e in errors(at))


def test_given_an_applicant_then_reviewer_pages_are_not_reachable() -> None:
    make_account()
    at = login(new_app(), "zhangsan")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/review/audit.py")


def test_given_a_visitor_then_applicant_pages_are_not_reachable() -> None:
    at = new_app()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/applicant/home.py")


def test_given_a_reviewer_then_audit_log_lists_log_ins() -> None:
    make_account(username="shenhe", phone="13900000001", role="reviewer")
    at = login(new_app(), "shenhe", portal="staff")
    assert [t.value for t in at.title] == ["审核队列"]
    at.switch_page("pages/review/audit.py").run()
    frame = at.dataframe[0].value
    assert "登录" in set(frame["操作"])


def test_given_the_outbox_when_typing_a_number_then_its_messages_newest_first() -> None:
    make_account()
    accounts.send_login_code("13800138000")
    at = new_app()
    at.switch_page("pages/applicant/outbox.py").run()
    text_input(at, "手机号或邮箱").input("138 0013 8000").run()
    bodies = [t.value for t in at.text]
    assert len(bodies) == 1 and "您正在登录" in bodies[0]


def test_language_switch_turns_the_ui_english() -> None:
    at = new_app()
    at.segmented_control(key="lang").set_value("en").run()
    assert [t.value for t in at.title] == ["Log in"]


def _place(node: object, label: str, path: tuple[int, ...] = ()) -> tuple[int, ...] | None:
    """Where in the page's element tree the button labelled ``label`` is drawn."""
    if getattr(node, "type", None) == "button" and getattr(node, "label", None) == label:
        return path
    for index, child in getattr(node, "children", {}).items():
        found = _place(child, label, (*path, index))
        if found is not None:
            return found
    return None


def test_given_a_code_sent_then_the_next_button_keeps_its_place_on_later_runs() -> None:
    at = new_app()
    at.switch_page("pages/applicant/register.py").run()
    button(at, "同意并继续").click().run()
    button(at, "个人").click().run()
    before = _place(at.main, "下一步")
    text_input(at, "手机号").input("13800138000")
    button(at, "发送验证码").click().run()
    assert any("13800138000" in s.value for s in at.success)
    sent = _place(at.main, "下一步")
    text_input(at, "验证码").input(last_code("13800138000")).run()
    assert not any("13800138000" in s.value for s in at.success)
    # A button that moves between runs is drawn twice while the browser shows the next run.
    assert before is not None and before == sent == _place(at.main, "下一步")
