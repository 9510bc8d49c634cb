"""AppTest: a reviewer takes the next request, rejects it with a reason, and the applicant sees it;
the case view reveals IDs with an audit row; the dashboard draws its charts or a calm empty state."""

from __future__ import annotations

import json
from datetime import date, timedelta

from core import accounts, audit, certification, notices, review
from core.clock import china_date, utcnow
from tests.cert_helpers import make_account, ready_draft
from tests.pages.apptest_helpers import button, login, new_app


def _pending(username: str = "zhangwei", phone: str = "13800138000") -> int:
    account_id = make_account(username, phone)
    request_id = ready_draft(account_id)
    certification.submit(account_id, request_id)
    return request_id


def _reviewer() -> int:
    return make_account("shenhe01", "13900000001", role="reviewer", display_name="王静")


def test_reviewer_takes_next_rejects_with_reason_and_applicant_sees_it() -> None:
    request_id = _pending()
    _reviewer()
    at = login(new_app(), "shenhe01", portal="staff")
    assert [m.value for m in at.metric][:2] == ["1", "0"]
    button(at, "下一个").click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["审核详情"]
    # AppTest follows st.switch_page within one run but reruns the page it was told to run,
    # so pin the case page the script switched to (a browser stays there by itself).
    at.switch_page("pages/review/case.py").run()
    assert at.session_state["case_id"] == request_id
    assert any("您已领取此申请" in s.value for s in at.success)
    at.multiselect(key=f"reasons_{request_id}").set_value(["blurry"])
    at.text_area(key=f"note_{request_id}").input("手持照片对焦不清,请重拍")
    button(at, "驳回").click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["审核队列"]
    owner = accounts.find_account_id("zhangwei")
    status = certification.status_of(owner)
    assert status.code == "rejected" and status.current.reasons == ["blurry"]
    assert notices.inbox(owner)[0].kind == "rejected"
    applicant = login(new_app(), "zhangwei")
    applicant.switch_page("pages/applicant/certify.py").run()
    assert "照片模糊不清" in " ".join(m.value for m in applicant.markdown)


def test_reviewer_approves_and_the_applicant_can_file() -> None:
    request_id = _pending()
    reviewer = _reviewer()
    review.claim(request_id, reviewer)
    at = login(new_app(), "shenhe01", portal="staff")
    at.session_state["case_id"] = request_id
    at.switch_page("pages/review/case.py").run()
    button(at, "通过").click().run()
    assert not at.exception, at.exception
    assert certification.status_of(accounts.find_account_id("zhangwei")).code == "approved"


def test_case_masks_numbers_until_revealed_and_the_reveal_is_audited() -> None:
    request_id = _pending()
    _reviewer()
    at = login(new_app(), "shenhe01", portal="staff")
    at.session_state["case_id"] = request_id
    at.switch_page("pages/review/case.py").run()
    values = list(at.dataframe[0].value["内容"])
    assert "1101********1239" in values and "110105199003071239" not in values
    button(at, "显示完整号码").click().run()
    assert "110105199003071239" in list(at.dataframe[0].value["内容"])
    assert audit.search(audit.AuditFilter(action="request.id_revealed"))[1] == 1


def test_a_second_reviewer_sees_the_claim_and_cannot_decide() -> None:
    request_id = _pending()
    first = _reviewer()
    make_account("shenhe02", "13900000002", role="reviewer")
    review.claim(request_id, first)
    at = login(new_app(), "shenhe02", portal="staff")
    at.session_state["case_id"] = request_id
    at.switch_page("pages/review/case.py").run()
    assert any("王静 正在审核此申请" in w.value for w in at.warning)
    assert "通过" not in [b.label for b in at.button]


def test_dashboard_draws_charts_with_captions_and_csv() -> None:
    request_id = _pending()
    reviewer = _reviewer()
    review.claim(request_id, reviewer)
    review.decide(request_id, reviewer, approve=False, reasons=["watermark"])
    at = login(new_app(), "shenhe01", portal="staff")
    at.switch_page("pages/review/dashboard.py").run()
    assert not at.exception, at.exception
    charts = at.get("vega_lite_chart")
    # Seven panels; "rounds needed" has no approval to count yet and says so instead of drawing.
    assert len(charts) == 6
    assert [c.value for c in at.caption].count("无数据") == 1
    marks = [json.dumps(json.loads(c.proto.spec)) for c in charts]
    assert any('"bar"' in m and "rejections" in m for m in marks)
    assert len([b for b in at.get("download_button")]) == 7
    assert [m.value for m in at.metric][0] == "1"


def test_dashboard_empty_range_is_friendly() -> None:
    _reviewer()
    at = login(new_app(), "shenhe01", portal="staff")
    at.switch_page("pages/review/dashboard.py").run()
    at.date_input(key="dash_period").set_value((date(2024, 1, 1), date(2024, 1, 31))).run()
    assert not at.exception
    assert any("没有提交或审核记录" in i.value for i in at.info)
    assert at.get("vega_lite_chart") == []
