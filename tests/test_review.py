"""The reviewer's desk: queue order and filters, claims and their expiry, decisions and races."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core import accounts, audit, certification, db, notices, review, storage
from core.clock import china_moment
from core.errors import ConflictError, NotFoundError, PermissionDenied, StateError, ValidationError
from core.models import CertificationRequest
from tests.cert_helpers import (INDIVIDUAL_FORM, make_account, photo_bytes, quick_checker, ready_draft,
                                verify_contacts)
from tests.race import race

NOW = china_moment(2026, 11, 2, 10)  # Monday


def _reviewer(username: str = "shenhe01", phone: str = "13900000001") -> int:
    return make_account(username, phone, role="reviewer", display_name=f"审核员{username[-2:]}")


def _pending(username: str, phone: str, *, when=NOW, identity: str = "individual", form: dict | None = None,
             seed: int = 0) -> int:
    account_id = make_account(username, phone, identity=identity)
    request_id = ready_draft(account_id, form, now=when, seed=seed)
    certification.submit(account_id, request_id, now=when)
    return request_id


def test_queue_is_ordered_by_due_date_and_marks_overdue() -> None:
    late = _pending("wang01", "13800000001", when=china_moment(2026, 10, 27))  # due 10-30
    early = _pending("wang02", "13800000002", when=china_moment(2026, 10, 20), seed=1,
                     form={**INDIVIDUAL_FORM,
                           "real_name": "王二", "id_number": "440305199208157893",
                           "birth_date": "1992-08-15"})
    fresh = _pending("wang03", "13800000003", seed=2, identity="institution")
    page = review.queue(review.QueueFilter(), now=NOW)
    assert [r.id for r in page.rows] == [early, late, fresh]
    assert [r.overdue for r in page.rows] == [True, True, False]
    assert review.queue(review.QueueFilter(overdue=True), now=NOW).total == 2
    assert [r.id for r in review.queue(review.QueueFilter(identity="institution"), now=NOW).rows] == [fresh]


def test_queue_search_is_exact_on_username_phone_name_and_id_number(any_db: str) -> None:
    request_id = _pending("wang01", "13800000001")
    for term in ("wang01", "138 0000 0001", "张伟", "110105199003071239", f"#{request_id}"):
        assert [r.id for r in review.queue(review.QueueFilter(search=term), now=NOW).rows] == [request_id], term
    assert review.queue(review.QueueFilter(search="张"), now=NOW).total == 0


def test_queue_pages_in_sql() -> None:
    ids = [_pending(f"user{i:02d}", f"1380000{i:04d}", seed=i,
                    form={**INDIVIDUAL_FORM,
                          "id_type": "passport", "id_number": f"E{i:08d}"}) for i in range(5)]
    first = review.queue(review.QueueFilter(), page=1, page_size=2, now=NOW)
    third = review.queue(review.QueueFilter(), page=3, page_size=2, now=NOW)
    assert (first.total, first.pages, [r.id for r in first.rows]) == (5, 3, ids[:2])
    assert [r.id for r in third.rows] == ids[4:]


def test_findings_filter_uses_the_stored_photo_findings() -> None:
    clean = _pending("wang01", "13800000001")
    flagged_account = make_account("wang02", "13800000002")
    flagged = certification.open_draft(flagged_account, now=NOW).id
    verify_contacts(flagged_account, flagged, "w2@example.com", now=NOW)
    certification.save_draft(flagged_account, flagged, {**INDIVIDUAL_FORM, "id_type": "passport",
                                                        "id_number": "E00000001"})
    blurry = lambda data, slot: {"problems": ["blurry"], "phash": None}  # noqa: E731
    for i, slot in enumerate(("handheld", "id_copy")):
        certification.attach_photo(flagged_account, flagged, slot, photo_bytes(seed=90 + i), checker=blurry)
    certification.submit(flagged_account, flagged, now=NOW)
    assert [r.id for r in review.queue(review.QueueFilter(has_findings=True), now=NOW).rows] == [flagged]
    assert clean != flagged


def test_two_reviewers_cannot_hold_the_same_request_until_the_claim_goes_idle() -> None:
    request_id = _pending("wang01", "13800000001")
    first, second = _reviewer(), _reviewer("shenhe02", "13900000002")
    review.claim(request_id, first, now=NOW)
    with pytest.raises(ConflictError) as err:
        review.claim(request_id, second, now=NOW + timedelta(minutes=29))
    assert err.value.key == "review.claimed_by_other" and err.value.params["name"] == "审核员01"
    review.claim(request_id, second, now=NOW + timedelta(minutes=30, seconds=1))
    with pytest.raises(ConflictError):
        review.decide(request_id, first, approve=True, now=NOW + timedelta(minutes=31))


def test_working_on_a_case_keeps_the_claim_alive() -> None:
    request_id = _pending("wang01", "13800000001")
    first, second = _reviewer(), _reviewer("shenhe02", "13900000002")
    review.claim(request_id, first, now=NOW)
    assert review.touch(request_id, first, now=NOW + timedelta(minutes=25))
    with pytest.raises(ConflictError):
        review.claim(request_id, second, now=NOW + timedelta(minutes=50))


def test_next_takes_the_earliest_unclaimed_request() -> None:
    early = _pending("wang01", "13800000001", when=china_moment(2026, 10, 27))
    late = _pending("wang02", "13800000002", seed=1, form={
        **INDIVIDUAL_FORM,
        "id_type": "passport", "id_number": "E00000002"})
    first, second = _reviewer(), _reviewer("shenhe02", "13900000002")
    assert review.next_request(first, now=NOW) == early
    assert review.next_request(second, now=NOW) == late
    assert review.next_request(second, now=NOW) is None


def test_counters() -> None:
    _pending("wang01", "13800000001", when=china_moment(2026, 10, 20))
    mine = _pending("wang02", "13800000002", seed=1, form={
        **INDIVIDUAL_FORM,
        "id_type": "passport", "id_number": "E00000002"})
    reviewer = _reviewer()
    review.claim(mine, reviewer, now=NOW)
    assert review.counters(reviewer, now=NOW) == review.Counters(waiting=2, overdue=1, claimed_by_me=1,
                                                                 decided_today=0)
    review.decide(mine, reviewer, approve=True, now=NOW)
    assert review.counters(reviewer, now=NOW) == review.Counters(1, 1, 0, 1)


def test_reject_with_reasons_reaches_the_applicant_and_the_status() -> None:
    request_id = _pending("wang01", "13800000001")
    reviewer = _reviewer()
    review.claim(request_id, reviewer, now=NOW)
    review.decide(request_id, reviewer, approve=False, reasons=["blurry", "watermark"],
                  text="手持照片对焦不清", now=NOW)
    status = certification.status_of(accounts.find_account_id("wang01"))
    assert status.code == "rejected" and status.current.reasons == ["blurry", "watermark"]
    inbox = notices.inbox(status.current.account_id)
    assert inbox[0].kind == "rejected" and inbox[0].params["text"] == "手持照片对焦不清"


@pytest.mark.parametrize(
    "reasons, text, key",
    [([], "", "review.reason_required"), (["made_up"], "", "review.reason_unknown"),
     (["other"], "", "review.other_needs_text")],
)
def test_a_rejection_needs_listed_reasons(reasons: list[str], text: str, key: str) -> None:
    request_id = _pending("wang01", "13800000001")
    reviewer = _reviewer()
    review.claim(request_id, reviewer, now=NOW)
    with pytest.raises(ValidationError) as err:
        review.decide(request_id, reviewer, approve=False, reasons=reasons, text=text, now=NOW)
    assert err.value.key == key
    assert review.queue(review.QueueFilter(), now=NOW).rows[0].status == "pending"


def test_deciding_without_a_claim_or_twice_is_refused() -> None:
    request_id = _pending("wang01", "13800000001")
    reviewer = _reviewer()
    with pytest.raises(ConflictError) as err:
        review.decide(request_id, reviewer, approve=True, now=NOW)
    assert err.value.key == "review.claim_first"
    review.claim(request_id, reviewer, now=NOW)
    review.decide(request_id, reviewer, approve=True, now=NOW)
    with pytest.raises(ConflictError) as err:
        review.decide(request_id, reviewer, approve=False, reasons=["blurry"], now=NOW)
    assert err.value.key == "review.already_decided_by"
    with pytest.raises(StateError):
        review.claim(request_id, reviewer, now=NOW)


def test_concurrent_double_decision_gives_exactly_one(any_db: str) -> None:
    request_id = _pending("wang01", "13800000001")
    reviewer = _reviewer()
    review.claim(request_id, reviewer, now=NOW)
    def decide(approve: bool) -> str:
        review.decide(request_id, reviewer, approve=approve, reasons=None if approve else ["blurry"], now=NOW)
        return "approved" if approve else "rejected"

    outcomes = race(lambda: decide(True), lambda: decide(False))
    assert sorted(outcomes)[0] in ("approved", "rejected") and "review.already_decided_by" in outcomes
    decisions = [r.action for r in audit.search(audit.AuditFilter(entity_id=request_id))[0]
                 if r.action in ("request.approved", "request.rejected")]
    assert len(decisions) == 1
    assert len(notices.inbox(_account_of(request_id))) == 2  # submitted + one decision


def test_two_reviewers_racing_to_claim_then_one_holds_it(any_db: str) -> None:
    request_id = _pending("wang01", "13800000001")
    reviewers = [_reviewer(), _reviewer("shenhe02", "13900000002")]
    outcomes = race(*[lambda r=r: review.claim(request_id, r, now=NOW) for r in reviewers], ok="claimed")
    assert sorted(outcomes) == ["claimed", "review.claimed_by_other"]


def _account_of(request_id: int) -> int:
    with db.session_scope() as session:
        return session.get(CertificationRequest, request_id).account_id


def test_case_masks_ids_reveal_is_audited_and_findings_checked() -> None:
    request_id = _pending("wang01", "13800000001")
    reviewer = _reviewer()
    case = review.case(request_id, reviewer, now=NOW)
    assert case.masked == {"id_number": "1101********1239"}
    assert {f.code: f.ok for f in case.data_findings} == {"id_checksum": True, "birth_gender": True,
                                                          "dup_id_number": True, "dup_phone": True}
    assert review.reveal_id(request_id, reviewer, now=NOW) == {"id_number": "110105199003071239"}
    assert [r.action for r in audit.search(audit.AuditFilter(action="request.id_revealed"))[0]] == [
        "request.id_revealed"]


def test_case_flags_the_same_id_number_on_another_account_and_shows_history() -> None:
    first = _pending("wang01", "13800000001")
    reviewer = _reviewer()
    review.claim(first, reviewer, now=NOW)
    review.decide(first, reviewer, approve=False, reasons=["blurry"], now=NOW)
    owner = _account_of(first)
    second_round = ready_draft(owner, now=NOW)
    certification.submit(owner, second_round, now=NOW)
    other = _pending("wang02", "13800000002", seed=4)  # same ID number as wang01
    case = review.case(other, reviewer, now=NOW)
    dup = [f for f in case.data_findings if f.code == "dup_id_number"][0]
    assert not dup.ok and dup.params["accounts"] == [owner]
    assert case.account_names == {owner: "wang01"}  # the reviewer reads a username, not an id
    assert "duplicate" in case.suggested_reasons
    history = review.case(second_round, reviewer, now=NOW).history
    assert [(h.id, h.status, h.reasons) for h in history] == [(first, "rejected", ["blurry"])]


def test_applicants_cannot_use_the_desk() -> None:
    request_id = _pending("wang01", "13800000001")
    with pytest.raises(PermissionDenied):
        review.claim(request_id, _account_of(request_id), now=NOW)
    with pytest.raises(NotFoundError):
        review.case(99999, _reviewer(), now=NOW)
    assert date(2026, 11, 5) == review.queue(review.QueueFilter(), now=NOW).rows[0].due_date


def test_case_names_the_account_a_reused_photo_came_from(any_db: str) -> None:
    first = _pending("wang01", "13800000001")
    copied = certification.get_request(_account_of(first), first).photos["handheld"].sha256
    other = make_account("wang02", "13800000002")
    draft = ready_draft(other, now=NOW, seed=3)
    certification.attach_photo(other, draft, "handheld", storage.get(copied), checker=quick_checker, now=NOW)
    certification.submit(other, draft, now=NOW)
    case = review.case(draft, _reviewer(), now=NOW)
    assert case.request.photos["handheld"].findings["reused_by"] == [_account_of(first)]
    assert case.account_names[_account_of(first)] == "wang01"
