"""Certification: forms checked with python-stdnum, photos by content, one-transaction submit,
the status machine, resubmission and re-certification keeping the old data in force."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import numpy as np
import pytest
from PIL import Image
from sqlmodel import select

from core import certification, db, notices, storage
from core.clock import china_moment
from core.errors import ConflictError, FormInvalid, PhotoError, StateError, ValidationError
from core.models import AuditEvent, CertificationRequest, Notice, Photo
from tests.cert_helpers import (
    INDIVIDUAL_FORM, INSTITUTION_FORM, make_account, photo_bytes, quick_checker, ready_draft,
)
from tests.race import race

TODAY = date(2026, 11, 2)
NOW = china_moment(2026, 11, 2, 10)


def _errors(form: dict, identity: str = "individual", **kw) -> dict[str, str]:
    with pytest.raises((FormInvalid, ValidationError)) as err:
        certification.validate_form(identity, form, today=TODAY, **kw)
    if isinstance(err.value, FormInvalid):
        return {field: e.key for field, e in err.value.errors.items()}
    return {err.value.field: err.value.key}


# --- forms -----------------------------------------------------------------------------------


def test_given_valid_individual_form_then_clean_data() -> None:
    clean = certification.validate_form("individual", INDIVIDUAL_FORM, today=TODAY)
    assert clean["id_number"] == "110105199003071239" and clean["gender"] == "male"


def test_given_valid_institution_form_then_clean_data() -> None:
    clean = certification.validate_form("institution", INSTITUTION_FORM, today=TODAY)
    assert clean["cert_number"] == "91350100M000100Y43" and clean["cert_long_term"] is True


def test_id_number_fills_birth_date_and_gender() -> None:
    assert certification.autofill_from_id("440305199208157893") == {"birth_date": "1992-08-15",
                                                                   "gender": "male"}
    assert certification.autofill_from_id("440305199208157890") is None


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"id_number": "110105199003071230"}, {"id_number": "identity.id_checksum"}),
        ({"birth_date": "1990-03-08"}, {"birth_date": "cert.birth_mismatch"}),
        ({"gender": "female"}, {"gender": "cert.gender_mismatch"}),
        ({"id_valid_to": "2026-11-01"}, {"id_valid_to": "cert.expired"}),
        ({"id_valid_to": "2014-01-01"}, {"id_valid_to": "cert.valid_to_before_from"}),
        ({"id_valid_from": "2027-01-01"}, {"id_valid_from": "cert.valid_from_future"}),
        ({"real_name": "张"}, {"real_name": "identity.name_invalid"}),
        ({"id_type": "passport", "id_number": "E1"}, {"id_number": "cert.other_id_invalid"}),
    ],
)
def test_given_bad_individual_field_then_error_on_that_field(change: dict, expected: dict) -> None:
    assert _errors({**INDIVIDUAL_FORM, **change}) == expected


def test_given_long_term_validity_then_no_end_date_needed() -> None:
    form = {**INDIVIDUAL_FORM, "id_valid_to": None, "id_long_term": True}
    assert certification.validate_form("individual", form, today=TODAY)["id_valid_to"] is None


def test_given_other_id_type_then_no_resident_checks_but_format() -> None:
    form = {**INDIVIDUAL_FORM, "id_type": "passport", "id_number": "e12345678"}
    assert certification.validate_form("individual", form, today=TODAY)["id_number"] == "E12345678"


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"cert_number": "91350100M000100Y44"}, {"cert_number": "identity.credit_code_checksum"}),
        ({"province": "火星"}, {"province": "cert.province_required"}),
        ({"org_type": None}, {"org_type": "cert.org_type_required"}),
        ({"founded_on": "2030-01-01"}, {"founded_on": "cert.founded_future"}),
        ({"admin_id_number": "110108198511204566"}, {"admin_id_number": "identity.id_checksum"}),
        ({"admin_birth_date": "1985-11-21"}, {"admin_birth_date": "cert.birth_mismatch"}),
        ({"cert_long_term": False, "cert_valid_to": "2020-01-01"}, {"cert_valid_to": "cert.expired"}),
    ],
)
def test_given_bad_institution_field_then_error_on_that_field(change: dict, expected: dict) -> None:
    assert _errors({**INSTITUTION_FORM, **change}, "institution") == expected


def test_given_empty_form_then_every_required_field_reported() -> None:
    errors = _errors({}, "institution")
    assert {"org_name", "cert_number", "province", "city", "admin_real_name", "admin_id_number",
            "admin_gender", "cert_valid_from"} <= set(errors)


# --- photos by content -----------------------------------------------------------------------


def _draft() -> tuple[int, int]:
    account_id = make_account()
    return account_id, certification.open_draft(account_id, now=NOW).id


@pytest.mark.parametrize(
    "data, code",
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "not_image"),
        ("这不是图片".encode(), "not_image"),
        (photo_bytes()[:4000], "corrupt"),
        (photo_bytes(fmt="GIF"), "unsupported_format"),
    ],
)
def test_given_a_non_photo_named_jpg_then_refused_and_nothing_changes(data: bytes, code: str) -> None:
    account_id, draft_id = _draft()
    with pytest.raises(PhotoError) as err:
        certification.attach_photo(account_id, draft_id, "handheld", data, checker=quick_checker)
    assert err.value.code == code
    assert certification.get_request(account_id, draft_id).photos == {}
    assert not (storage._root()).exists() or not any(storage._root().rglob("*"))


def test_given_a_bomb_then_refused_before_decoding() -> None:
    account_id, draft_id = _draft()
    # A PNG whose header claims 20000 x 10000 pixels, far beyond the cap.
    image = Image.new("1", (20000, 10000))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    with pytest.raises(PhotoError) as err:
        certification.attach_photo(account_id, draft_id, "handheld", buffer.getvalue(), checker=quick_checker)
    assert err.value.code == "too_many_pixels"


def test_given_cmyk_jpeg_and_rotated_exif_photo_then_accepted_with_oriented_size() -> None:
    account_id, draft_id = _draft()
    cmyk = io.BytesIO()
    Image.new("CMYK", (1200, 900), (0, 30, 60, 0)).save(cmyk, "JPEG")
    view = certification.attach_photo(account_id, draft_id, "id_copy", cmyk.getvalue(), checker=quick_checker)
    assert (view.format, view.width, view.height) == ("jpeg", 1200, 900)
    rotated = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    Image.open(io.BytesIO(photo_bytes(1600, 1000))).save(rotated, "JPEG", exif=exif)
    view = certification.attach_photo(account_id, draft_id, "handheld", rotated.getvalue(), checker=quick_checker)
    assert (view.width, view.height) == (1000, 1600)


def test_given_a_photo_then_stored_by_content_and_replaceable_in_its_slot() -> None:
    account_id, draft_id = _draft()
    first = certification.attach_photo(account_id, draft_id, "handheld", photo_bytes(seed=1), checker=quick_checker)
    assert storage.get(first.sha256) == photo_bytes(seed=1)
    second = certification.attach_photo(account_id, draft_id, "handheld", photo_bytes(seed=2), checker=quick_checker)
    photos = certification.get_request(account_id, draft_id).photos
    assert list(photos) == ["handheld"] and photos["handheld"].id == second.id


def test_given_the_same_photo_on_another_account_then_reuse_finding() -> None:
    first_id = make_account()
    draft = certification.open_draft(first_id, now=NOW)
    certification.attach_photo(first_id, draft.id, "handheld", photo_bytes(seed=5), checker=quick_checker)
    second_id = make_account("lisi", "13900139000")
    other = certification.open_draft(second_id, now=NOW)
    view = certification.attach_photo(second_id, other.id, "handheld", photo_bytes(seed=5), checker=quick_checker)
    assert view.findings["reused_by"] == [first_id]


# --- submit ----------------------------------------------------------------------------------


def test_given_ready_draft_when_submitted_then_pending_with_due_date_notice_and_audit() -> None:
    account_id = make_account()
    draft_id = ready_draft(account_id, now=NOW)
    result = certification.submit(account_id, draft_id, now=NOW)
    assert result.request.status == "pending"
    assert result.due == certification.workdays.DueDate(date(2026, 11, 5), False)
    assert certification.status_of(account_id).code == "pending"
    assert [n.kind for n in notices.inbox(account_id)] == ["submitted"]
    assert notices.unread_count(account_id) == 1


def test_given_missing_photo_and_bad_field_then_both_reported_and_still_draft() -> None:
    account_id = make_account()
    draft = certification.open_draft(account_id, now=NOW)
    from tests.cert_helpers import verify_contacts

    verify_contacts(account_id, draft.id, "a@example.com", now=NOW)
    certification.save_draft(account_id, draft.id, {**INDIVIDUAL_FORM, "gender": "female"})
    with pytest.raises(FormInvalid) as err:
        certification.submit(account_id, draft.id, now=NOW)
    assert {"gender", "handheld", "id_copy"} <= set(err.value.errors)
    assert certification.get_request(account_id, draft.id).status == "draft"


def test_given_a_failure_midway_through_submit_then_no_half_request(monkeypatch: pytest.MonkeyPatch) -> None:
    account_id = make_account()
    draft_id = ready_draft(account_id, now=NOW)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while writing the notice")

    monkeypatch.setattr(notices, "notify", broken)
    with pytest.raises(RuntimeError):
        certification.submit(account_id, draft_id, now=NOW)
    with db.session_scope() as session:
        row = session.get(CertificationRequest, draft_id)
        assert (row.status, row.submitted_at, row.due_date, row.holder_name) == ("draft", None, None, None)
        assert session.exec(select(Notice)).all() == []
        actions = {e.action for e in session.exec(select(AuditEvent)).all()}
    assert "request.submitted" not in actions


def test_given_contacts_not_verified_then_cannot_submit() -> None:
    account_id = make_account()
    draft = certification.open_draft(account_id, now=NOW)
    with pytest.raises(ValidationError) as err:
        certification.submit(account_id, draft.id, now=NOW)
    assert err.value.key == "cert.contacts_first"


# --- status machine ----------------------------------------------------------------------------


def _decide(request_id: int, approve: bool, reasons: list[str] | None = None) -> None:
    with db.session_scope() as session:
        row = session.get(CertificationRequest, request_id)
        if approve:
            certification.apply_approval(session, row, reviewer_id=row.account_id, now=NOW)
        else:
            certification.apply_rejection(session, row, reviewer_id=row.account_id,
                                           reasons=reasons or ["blurry"], text="", now=NOW)


def test_given_a_draft_then_it_cannot_be_approved() -> None:
    _, draft_id = _draft()
    with pytest.raises(StateError):
        _decide(draft_id, approve=True)


def test_given_pending_request_then_no_new_draft_and_no_editing() -> None:
    account_id = make_account()
    draft_id = ready_draft(account_id, now=NOW)
    certification.submit(account_id, draft_id, now=NOW)
    with pytest.raises(StateError) as err:
        certification.open_draft(account_id, now=NOW)
    assert err.value.key == "cert.already_pending"
    with pytest.raises(StateError):
        certification.save_draft(account_id, draft_id, {"real_name": "王五"})
    with pytest.raises(StateError):
        certification.submit(account_id, draft_id, now=NOW)


def test_given_rejection_then_resubmission_is_a_new_round_with_the_same_data() -> None:
    account_id = make_account()
    first = ready_draft(account_id, now=NOW)
    certification.submit(account_id, first, now=NOW)
    _decide(first, approve=False, reasons=["blurry", "watermark"])
    status = certification.status_of(account_id)
    assert status.code == "rejected" and status.current.reasons == ["blurry", "watermark"]
    again = certification.open_draft(account_id, now=china_moment(2026, 11, 4))
    assert again.round == 2 and again.data["real_name"] == "张伟"
    assert set(again.photos) == {"handheld", "id_copy"}
    later = china_moment(2026, 11, 6, 10)  # Friday: a new 1-3 working days
    result = certification.submit(account_id, again.id, now=later)
    assert result.due.day == date(2026, 11, 11)


def test_given_two_tabs_opening_a_draft_at_once_then_one_draft(any_db: str) -> None:
    account_id = make_account()
    opened = lambda: str(certification.open_draft(account_id, now=NOW).id)  # noqa: E731
    outcomes = race(opened, opened)
    with db.session_scope() as session:
        drafts = session.exec(select(CertificationRequest)).all()
    assert len(drafts) == 1
    # Either both saw the same draft, or the later one was told another tab made it.
    assert set(outcomes) <= {str(drafts[0].id), "cert.draft_exists"}


def test_given_certified_account_when_recertifying_then_old_data_stays_in_force_until_approved() -> None:
    account_id = make_account()
    first = ready_draft(account_id, now=NOW)
    certification.submit(account_id, first, now=NOW)
    _decide(first, approve=True)
    info = certification.certified_info(account_id)
    assert ("id_number", "1101********1239", False) in info.rows
    recert = certification.open_draft(account_id, now=NOW)
    assert recert.kind == "recert" and recert.data["real_name"] == "张伟"
    certification.save_draft(account_id, recert.id, {"real_name": "张伟伟", "id_number": "110108198511204565"})
    assert certification.get_request(account_id, recert.id).data["id_number"] == "110105199003071239"
    certification.submit(account_id, recert.id, now=NOW)
    status = certification.status_of(account_id)
    assert status.code == "approved" and status.recert_pending
    assert status.certified.data["real_name"] == "张伟"
    _decide(recert.id, approve=True)
    assert certification.status_of(account_id).certified.data["real_name"] == "张伟伟"


def test_given_rejected_recertification_then_old_data_still_in_force() -> None:
    account_id = make_account()
    first = ready_draft(account_id, now=NOW)
    certification.submit(account_id, first, now=NOW)
    _decide(first, approve=True)
    recert = certification.open_draft(account_id, now=NOW)
    certification.save_draft(account_id, recert.id, {"real_name": "张伟伟"})
    certification.submit(account_id, recert.id, now=NOW)
    _decide(recert.id, approve=False)
    status = certification.status_of(account_id)
    assert status.code == "approved" and status.recert_rejected
    assert status.certified.data["real_name"] == "张伟"


def test_given_an_individual_id_already_certified_elsewhere_then_approval_refused() -> None:
    first = make_account()
    req = ready_draft(first, now=NOW)
    certification.submit(first, req, now=NOW)
    _decide(req, approve=True)
    second = make_account("lisi", "13900139000")
    other = ready_draft(second, now=NOW, seed=3)
    certification.submit(second, other, now=NOW)
    with pytest.raises(ConflictError) as err:
        _decide(other, approve=True)
    assert err.value.key == "cert.holder_taken"


def test_given_institution_then_licence_and_id_copy_slots() -> None:
    account_id = make_account("xinghe", "13700137000", identity="institution")
    draft_id = ready_draft(account_id, now=NOW)
    result = certification.submit(account_id, draft_id, now=NOW)
    assert set(result.request.photos) == {"licence", "id_copy"}
    assert result.request.data["org_name"] == "北京星河软件技术有限公司"
    with db.session_scope() as session:
        assert session.get(CertificationRequest, draft_id).credit_code == "91350100M000100Y43"
        assert len(session.exec(select(Photo)).all()) == 2


def _hash_checker(data: bytes, slot: str) -> dict:
    """The real check without the OCR: these tests are about telling reuse apart."""
    from core import checks

    return checks.check_photo(data, kind=slot, ocr=False).to_record()


def _id_scan(seed: int, *, scale: float = 1.0, q: int = 90) -> bytes:
    from core import synthetic

    scan = Image.fromarray(synthetic.scan_scene(synthetic.draw_id_card(np.random.default_rng(seed), 1100), 1600, 1100))
    buf = io.BytesIO()
    scan.resize((round(1600 * scale), round(1100 * scale))).save(buf, "JPEG", quality=q)
    return buf.getvalue()


def test_given_a_resaved_smaller_copy_of_a_photo_on_another_account_then_reuse_finding(any_db: str) -> None:
    first_id = make_account()
    draft = certification.open_draft(first_id, now=NOW)
    certification.attach_photo(first_id, draft.id, "id_copy", _id_scan(21), checker=_hash_checker)
    second_id = make_account("lisi", "13900139000")
    other = certification.open_draft(second_id, now=NOW)
    view = certification.attach_photo(second_id, other.id, "id_copy", _id_scan(21, scale=0.6, q=60),
                                      checker=_hash_checker)
    assert view.findings["reused_by"] == [first_id]


def test_given_another_persons_scan_of_the_same_card_layout_then_no_reuse_finding(any_db: str) -> None:
    from core import quality

    mine, theirs = _id_scan(21), _id_scan(22)
    # Their hashes alone would call it reuse: every ID scan has about the same layout.
    assert quality.phash_distance(_hash_checker(mine, "id_copy")["phash"],
                                  _hash_checker(theirs, "id_copy")["phash"]) <= quality.PHASH_NEAR
    first_id = make_account()
    draft = certification.open_draft(first_id, now=NOW)
    certification.attach_photo(first_id, draft.id, "id_copy", theirs, checker=_hash_checker)
    second_id = make_account("lisi", "13900139000")
    other = certification.open_draft(second_id, now=NOW)
    view = certification.attach_photo(second_id, other.id, "id_copy", mine, checker=_hash_checker)
    assert "reused_by" not in view.findings


def test_given_a_stored_candidate_that_no_longer_decodes_then_the_upload_still_goes_through(caplog) -> None:  # noqa: ANN001
    first_id = make_account()
    draft = certification.open_draft(first_id, now=NOW)
    stored = certification.attach_photo(first_id, draft.id, "id_copy", _id_scan(21), checker=_hash_checker)
    path = storage._path(stored.sha256)
    path.write_bytes(path.read_bytes()[:2000])  # the disk lost the rest of that file
    second_id = make_account("lisi", "13900139000")
    other = certification.open_draft(second_id, now=NOW)
    view = certification.attach_photo(second_id, other.id, "id_copy", _id_scan(21, scale=0.6, q=60),
                                      checker=_hash_checker)
    assert "reused_by" not in view.findings
    assert "reuse check skipped stored photo" in caplog.text
