"""AppTest journeys: certify as an individual (uploads included), bad files, resuming a draft,
a rejection and resubmission, the filing gate, 一表一码, messages and account management."""

from __future__ import annotations

from datetime import date

import pytest

from core import accounts, certification, filing, notices
from tests.cert_helpers import (
    code_for, make_account, photo_bytes, quick_checker, ready_draft, submit_and_decide,
)
from tests.pages.apptest_helpers import button, errors, login, new_app, text_input


@pytest.fixture
def quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OCR-based check is exercised elsewhere; here the pages and the flow are the subject."""
    monkeypatch.setattr(certification, "default_checker", quick_checker)


def _date(at, label: str, index: int = 0):  # noqa: ANN001, ANN202
    return [d for d in at.date_input if d.label == label][index]


def _start(at) -> None:  # noqa: ANN001
    at.switch_page("pages/applicant/certify.py").run()
    button(at, "开始实名认证").click().run()
    button(at, "下一步").click().run()


def _contacts(at, phone: str = "13800138000", email: str = "zw@example.com") -> None:  # noqa: ANN001
    text_input(at, "邮箱").input(email)
    button(at, "发送验证码", 0).click().run()
    button(at, "发送验证码", 1).click().run()
    text_input(at, "邮箱验证码").input(code_for(email))
    text_input(at, "手机验证码").input(code_for(phone))
    button(at, "下一步").click().run()
    assert not at.exception, at.exception


def test_individual_certifies_end_to_end_with_uploads(quick_checks: None) -> None:
    make_account()
    at = login(new_app(), "zhangwei")
    _start(at)
    _contacts(at)
    text_input(at, "真实姓名").input("张伟")
    text_input(at, "证件号码").input("110105199003071239").run()
    # The ID number filled the birth date and gender.
    assert _date(at, "出生日期").value == date(1990, 3, 7)
    assert at.radio[0].value == "male"
    _date(at, "起始日期").set_value(date(2015, 5, 1))
    _date(at, "截止日期").set_value(date(2035, 5, 1)).run()
    for i, name in enumerate(("handheld.jpg", "copy.png")):
        at.file_uploader[i].set_value((name, photo_bytes(seed=i, fmt="JPEG" if i == 0 else "PNG"),
                                       "image/jpeg" if i == 0 else "image/png")).run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success].count("照片检查通过") == 2
    button(at, "提交认证").click().run()
    assert not at.exception, at.exception
    texts = " ".join(s.value for s in at.success) + " ".join(m.value for m in at.markdown)
    assert "您已提交实名认证申请,我们将在1-3个工作日内审核。审核通过后您可直接登录系统,如审核不通过,请修改信息后再提交。" in texts
    assert "预计审核完成日期" in texts
    assert certification.status_of(accounts.find_account_id("zhangwei")).code == "pending"


def test_a_pdf_named_jpg_is_refused_with_a_clear_message(quick_checks: None) -> None:
    account_id = make_account()
    at = login(new_app(), "zhangwei")
    _start(at)
    _contacts(at)
    at.file_uploader[0].set_value(("scan.jpg", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "image/jpeg")).run()
    assert not at.exception
    assert any("不是图片" in e or "jpg" in e for e in errors(at)), errors(at)
    draft = certification.status_of(account_id).current
    assert draft.photos == {}


def test_leaving_and_coming_back_keeps_the_draft(quick_checks: None) -> None:
    account_id = make_account()
    at = login(new_app(), "zhangwei")
    _start(at)
    _contacts(at)
    text_input(at, "真实姓名").input("张伟").run()
    at.switch_page("pages/applicant/home.py").run()
    at.switch_page("pages/applicant/certify.py").run()
    assert text_input(at, "真实姓名").value == "张伟"
    # A fresh browser session (log in again) still finds it: the draft is in the database.
    again = login(new_app(), "zhangwei")
    again.switch_page("pages/applicant/certify.py").run()
    assert text_input(again, "真实姓名").value == "张伟"
    assert certification.status_of(account_id).current.data["real_name"] == "张伟"


def test_rejection_shows_reasons_and_resubmission_reopens_the_data(quick_checks: None) -> None:
    submit_and_decide(make_account(), approve=False, reasons=["blurry"], text="请重新拍摄手持照片")
    at = login(new_app(), "zhangwei")
    at.switch_page("pages/applicant/certify.py").run()
    assert [e.value for e in at.error][0] == "认证失败"
    shown = " ".join(m.value for m in at.markdown)
    assert "照片模糊不清" in shown and "请在光线充足处对焦后重新拍摄" in shown
    assert "请重新拍摄手持照片" in [t.value for t in at.text]
    button(at, "修改后重新提交").click().run()
    assert text_input(at, "真实姓名").value == "张伟"
    assert any("第2次提交" in i.value for i in at.info)
    at.switch_page("pages/applicant/messages.py").run()
    assert "实名认证未通过" in " ".join(m.value for m in at.markdown)


def test_uncertified_account_meets_the_modal_on_every_business() -> None:
    make_account()
    at = login(new_app(), "zhangwei")
    at.switch_page("pages/applicant/filing.py").run()
    button(at, "立即办理", 0).click().run()
    assert not at.exception
    assert "您还未实名认证,请先实名认证再操作" in " ".join(m.value for m in at.markdown)
    assert "前往实名认证" in [b.label for b in at.button]


def test_certified_account_files_r11_with_its_own_code(quick_checks: None) -> None:
    account_id = make_account()
    submit_and_decide(account_id, approve=True)
    at = login(new_app(), "zhangwei")
    at.switch_page("pages/applicant/filing.py").run()
    button(at, "立即办理", 0).click().run()
    text_input(at, "软件全称").input("星河图像识别系统")
    [d for d in at.date_input if d.label == "开发完成日期"][0].set_value(date(2026, 8, 1))
    button(at, "获取授权码").click().run()
    text_input(at, "授权码").input(code_for("13800138000"))
    button(at, "提交申请").click().run()
    assert not at.exception, at.exception
    assert any("已提交" in s.value for s in at.success)
    assert [f.status for f in filing.forms(account_id)] == ["submitted"]
    at.switch_page("pages/applicant/query.py").run()
    assert list(at.dataframe[0].value["软件全称"]) == ["星河图像识别系统"]


def test_messages_page_lists_and_marks_read(quick_checks: None) -> None:
    account_id = make_account()
    certification.submit(account_id, ready_draft(account_id))
    assert notices.unread_count(account_id) == 1
    at = login(new_app(), "zhangwei")
    at.switch_page("pages/applicant/messages.py").run()
    assert "实名认证申请已提交" in " ".join(m.value for m in at.markdown)
    assert notices.unread_count(account_id) == 0


def test_account_page_adds_an_address_and_an_employee() -> None:
    admin = make_account("xinghe", "13700137000", identity="institution", institution_name="星河软件")
    at = login(new_app(), "xinghe", portal="institution")
    at.switch_page("pages/applicant/account.py").run()
    assert not at.exception, at.exception
    text_input(at, "用户名").input("xh_wang")
    text_input(at, "员工姓名").input("王芳")
    [w for w in at.text_input if w.label == "密码"][0].input("Staff1234")
    text_input(at, "确认密码").input("Staff1234")
    button(at, "添加员工账户").click().run()
    assert not at.exception, at.exception
    assert [e.username for e in accounts.employees(admin)] == ["xh_wang"]
    assert any("员工账户 xh_wang 已添加" in s.value for s in at.success)
    assert text_input(at, "员工姓名").value == ""
    text_input(at, "收件人").input("王芳")
    text_input(at, "联系电话").input("13700137000")
    text_input(at, "所在地区").input("北京市海淀区")
    text_input(at, "详细地址").input("中关村大街1号")
    button(at, "保存地址").click().run()
    assert [a.detail for a in accounts.addresses(admin)] == ["中关村大街1号"]
    assert text_input(at, "详细地址").value == ""


def test_a_photo_with_problems_warns_but_submission_stays_possible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(certification, "default_checker",
                        lambda data, slot: {"problems": ["blurry"], "phash": None})
    make_account()
    at = login(new_app(), "zhangwei")
    _start(at)
    _contacts(at)
    at.file_uploader[0].set_value(("hand.jpg", photo_bytes(seed=3), "image/jpeg")).run()
    assert any("照片模糊,请在光线充足处对焦后重拍" in w.value for w in at.warning)
    assert any("您仍可提交" in w.value for w in at.warning)
    assert "提交认证" in [b.label for b in at.button]


def test_a_watermark_with_places_left_unread_names_them_and_how_to_retake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(certification, "default_checker",
                        lambda data, slot: {"problems": ["watermark_wrong"], "phash": None,
                                            "watermark": "wrong", "watermark_unread": "使用"})
    make_account()
    at = login(new_app(), "zhangwei")
    _start(at)
    _contacts(at)
    at.file_uploader[0].set_value(("hand.jpg", photo_bytes(seed=3), "image/jpeg")).run()
    assert not at.exception, at.exception
    assert any("水印文字不符合要求" in w.value for w in at.warning)
    assert any("水印中的“使用”未能确认" in c.value and "纯色的桌面" in c.value for c in at.caption)


def test_the_watermark_tool_stamps_and_offers_the_download() -> None:
    from tests.test_stamping import _licence_photo

    at = new_app()
    at.switch_page("pages/applicant/watermark.py").run()
    at.file_uploader[0].set_value(("licence.jpg", _licence_photo(), "image/jpeg")).run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["已添加水印,并已通过水印检查"]
    assert len(at.get("download_button")) == 1


def test_applicant_typed_text_is_shown_literally_not_as_markdown() -> None:
    make_account("xinghe", "13700137000", identity="institution", institution_name="**星河**<b>软件</b>")
    at = login(new_app(), "xinghe", portal="institution")
    at.switch_page("pages/applicant/account.py").run()
    shown = [m.value for m in at.markdown]
    assert r"\*\*星河\*\*\<b\>软件\</b\>" in shown
    assert not any("<b>" in value.replace(r"\<b\>", "") for value in shown)


def test_user_centre_shows_the_status_and_the_next_step(quick_checks: None) -> None:
    account_id = make_account()
    at = login(new_app(), "zhangwei")
    assert "未认证" in " ".join(m.value for m in at.markdown)
    certification.submit(account_id, ready_draft(account_id))
    at.run()
    shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "认证中" in shown and "您的申请正在审核中,预计" in shown
    assert "您有 1 条未读消息" in shown
