"""The business gate and 一表一码: one fresh authorisation code per form, never reused."""

from __future__ import annotations

import pytest

from core import accounts, filing
from core.clock import china_moment
from core.errors import CodeError, FormInvalid, PermissionDenied, StateError
from tests.cert_helpers import code_for, make_account, submit_and_decide

NOW = china_moment(2026, 11, 2, 10)
R11 = {"software_name": "星河图像识别系统", "version": "V1.0", "completed_on": "2026-08-01",
       "published": True, "published_on": "2026-09-01", "published_place": "北京",
       "rights_holders": ["北京星河软件技术有限公司"]}


def _certified(username: str = "xinghe", phone: str = "13700137000", identity: str = "institution") -> int:
    account_id = make_account(username, phone, identity=identity)
    submit_and_decide(account_id, approve=True, now=NOW)
    return account_id


@pytest.mark.parametrize("kind", filing.BUSINESSES)
def test_given_uncertified_account_then_every_business_is_gated(kind: str) -> None:
    account_id = make_account()
    with pytest.raises(PermissionDenied) as err:
        filing.open_business(account_id, kind)
    assert err.value.key == "filing.not_certified"


def test_given_certified_account_then_r11_opens_and_others_are_offline() -> None:
    account_id = _certified()
    filing.open_business(account_id, "R11")
    with pytest.raises(StateError):
        filing.open_business(account_id, "R41")


def test_given_a_form_then_it_needs_its_own_code_and_that_code_fails_for_another_form() -> None:
    account_id = _certified()
    form = filing.start_form(account_id, now=NOW)
    filing.send_form_code(account_id, form.id, now=NOW)
    first_code = code_for("13700137000")
    assert "授权码" in accounts.codes.outbox("13700137000")[0].body
    done = filing.submit_form(account_id, form.id, R11, first_code, now=NOW)
    assert done.status == "submitted"
    second = filing.start_form(account_id, now=NOW)
    assert second.id != form.id
    with pytest.raises(CodeError):
        filing.submit_form(account_id, second.id, R11, first_code, now=NOW)
    with pytest.raises(StateError):
        filing.send_form_code(account_id, form.id, now=NOW)


def test_given_no_code_sent_for_this_form_then_refused() -> None:
    account_id = _certified()
    form = filing.start_form(account_id, now=NOW)
    with pytest.raises(CodeError) as err:
        filing.submit_form(account_id, form.id, R11, "123456", now=NOW)
    assert err.value.key == "codes.not_sent"


def test_given_bad_r11_fields_then_each_reported() -> None:
    account_id = _certified()
    form = filing.start_form(account_id, now=NOW)
    bad = {**R11, "software_name": "", "version": "first", "published_on": "2026-07-01",
           "published_place": "", "rights_holders": []}
    with pytest.raises(FormInvalid) as err:
        filing.submit_form(account_id, form.id, bad, "123456", now=NOW)
    assert set(err.value.errors) == {"software_name", "version", "published_on", "published_place",
                                     "rights_holders"}


def test_given_employee_then_files_for_institution_with_code_to_its_phone() -> None:
    admin = _certified()
    employee = accounts.add_employee(admin, username="xh_wang", display_name="王芳",
                                     password="Staff1234", confirm="Staff1234", phone="13600136000")
    form = filing.start_form(employee.id, now=NOW)
    filing.send_form_code(employee.id, form.id, now=NOW)
    assert accounts.codes.outbox("13600136000") == []
    filing.submit_form(employee.id, form.id, R11, code_for("13700137000"), now=NOW)
    assert [f.status for f in filing.forms(admin)] == ["submitted"]
