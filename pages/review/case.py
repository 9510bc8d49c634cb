"""审核详情: the applicant's data beside the photos, findings, history, and the decision."""

import streamlit as st

from core import review, viewer
from core.errors import DomainError
from ui.chrome import require_staff
from ui.forms import FieldErrors, attempt, message
from ui.i18n import day, t, when
from ui.photo import account_list, findings_panel, photo_view

principal = require_staff()
me = principal.account_id
state = st.session_state

raw_id = st.query_params.get("id") or state.get("case_id")
st.title(t("nav.case"))
if not raw_id or not str(raw_id).isdigit():
    st.info(t("case.pick_one"))
    st.page_link("pages/review/queue.py", label=t("nav.queue"), icon=":material/list:")
    st.stop()
request_id = int(raw_id)
state.case_id = request_id

try:
    case = review.case(request_id, me)
except DomainError as err:
    st.error(message(err))
    st.stop()
if case.claimed_by_me:
    review.touch(request_id, me)
req = case.request

# --- header and claim ---------------------------------------------------------------------------
st.subheader(t("case.header", id=req.id, user=case.username))
facts = [
    (t("case.status"), t(f"queue.status.{req.status}")),
    (t("case.due"), day(req.due_date) + (t("queue.estimated_mark") if req.due_estimated else "")),
    (t("case.round"), t("queue.round", round=req.round) + (t("queue.recert") if req.kind == "recert" else "")),
    (t("case.identity"), t(f"accounts.identity.{req.identity}")),
]
st.markdown(" · ".join(f"{label}:**{value}**" for label, value in facts))

if req.status == "pending":
    if case.claimed_by_me:
        c1, c2 = st.columns([3, 1], vertical_alignment="center")
        c1.success(t("case.claimed_by_me"), icon=":material/lock:")
        if c2.button(t("case.release"), width="stretch"):
            review.release(request_id, me)
            st.rerun()
    elif case.claimed_by:
        st.warning(t("case.claimed_by_other", name=case.claimed_by), icon=":material/lock:")
    elif st.button(t("case.claim"), type="primary", icon=":material/front_hand:"):
        if attempt(lambda: review.claim(request_id, me) or True):
            st.rerun()

left, right = st.columns([2, 3], gap="large")

# --- data and findings ------------------------------------------------------------------------------
with left:
    st.markdown(f"**{t('case.applicant')}**")
    revealed = state.get(f"revealed_{request_id}", {})
    rows = [(t("account.username"), case.username), (t("account.phone"), case.phone_masked),
            (t("account.email"), case.email or "—"), (t("case.submitted_at"), when(req.submitted_at))]
    for name, value in req.data.items():
        if name in ("contacts_verified", "email") or value in (None, ""):
            continue
        if name in case.masked:
            value = revealed.get(name, case.masked[name])
        elif isinstance(value, bool):
            value = t("case.yes") if value else t("case.no")
        elif name.endswith(("gender", "id_type", "org_type", "cert_type", "nationality")):
            value = t(f"cert.value.{value}")
        rows.append((t(f"cert.field.{name}"), str(value)))
    st.dataframe({t("case.field"): [r[0] for r in rows], t("case.value"): [r[1] for r in rows]},
                 hide_index=True, width="stretch", height=min(36 * (len(rows) + 1), 700))
    if case.masked and not revealed and st.button(t("case.reveal"), icon=":material/visibility:"):
        state[f"revealed_{request_id}"] = review.reveal_id(request_id, me)
        st.rerun()

    st.markdown(f"**{t('case.data_findings')}**")
    for finding in case.data_findings:
        text = t(f"finding.{finding.code}.{'ok' if finding.ok else 'bad'}",
                 accounts=account_list(finding.params.get("accounts", []), case.account_names))
        (st.success if finding.ok else st.warning)(text, icon=":material/check:" if finding.ok else ":material/warning:")

    st.markdown(f"**{t('case.history')}**")
    if not case.history:
        st.caption(t("case.no_history"))
    for item in case.history:
        reasons = "、".join(t(f"reason.{r}") for r in item.reasons)
        st.caption(t("case.history_item", id=item.id, round=item.round, status=t(f"queue.status.{item.status}"),
                     at=when(item.decided_at or item.submitted_at), reasons=reasons or "—"))
        if item.reason_text:
            st.text(item.reason_text)

# --- photos -------------------------------------------------------------------------------------------
with right:
    st.markdown(f"**{t('case.photos')}**")
    tabs = st.tabs([t(f"cert.slot.{slot}") for slot in req.slots])
    for tab, slot in zip(tabs, req.slots):
        with tab:
            photo = req.photos.get(slot)
            if photo is None:
                st.warning(t("case.photo_missing"))
                continue
            c1, c2, c3, c4 = st.columns(4)
            rotate = c1.selectbox(t("case.rotate"), viewer.ROTATIONS, key=f"rot_{photo.id}",
                                  format_func=lambda r: f"{r}°")
            zoom = c2.selectbox(t("case.zoom"), viewer.ZOOMS, key=f"zoom_{photo.id}", format_func=lambda z: f"{z:g}×")
            cx = c3.slider(t("case.pan_x"), 0.0, 1.0, 0.5, key=f"cx_{photo.id}", disabled=zoom == 1.0)
            cy = c4.slider(t("case.pan_y"), 0.0, 1.0, 0.5, key=f"cy_{photo.id}", disabled=zoom == 1.0)
            st.image(photo_view(me, photo.id, rotate, zoom, cx, cy), width="stretch")
            st.download_button(t("case.original"), lambda pid=photo.id: review.photo_for_review(me, pid),
                               file_name=f"request{req.id}_{slot}.{photo.format}",
                               mime=f"image/{photo.format}", icon=":material/download:", key=f"dl_{photo.id}")
            st.caption(t("cert.photo_meta", fmt=photo.format.upper(), w=photo.width, h=photo.height,
                         kb=photo.size_bytes // 1024))
            findings_panel(photo.problems, photo.findings, audience="staff", names=case.account_names)
            details = photo.findings
            if details.get("sharpness") is not None:
                st.caption(t("case.sharpness", score=details["sharpness"],
                             verdict=t("case.sharp") if details.get("sharp") else t("case.blurry")))
            if details.get("watermark"):
                st.caption(t("case.watermark", verdict=t(f"photo.watermark.{details['watermark']}"),
                             text=details.get("watermark_text") or "—"))
            if slot == "handheld" and details.get("face_found") is not None:
                st.caption(t("case.face_yes") if details["face_found"] else t("case.face_no"))

# --- decision ------------------------------------------------------------------------------------------
st.divider()
if req.status != "pending":
    st.info(t("case.decided", status=t(f"queue.status.{req.status}"), at=when(req.decided_at)))
    if req.reasons:
        st.markdown("、".join(t(f"reason.{r}") for r in req.reasons))
    if req.reason_text:
        st.text(req.reason_text)
elif not case.claimed_by_me:
    st.caption(t("case.claim_to_decide"))
else:
    errors = FieldErrors()
    approve_col, reject_col = st.columns([1, 2], gap="large")
    with approve_col:
        st.markdown(f"**{t('case.approve_title')}**")
        if st.button(t("case.approve"), type="primary", icon=":material/verified:", width="stretch"):
            if attempt(lambda: review.decide(request_id, me, approve=True) or True, errors):
                st.toast(t("case.approved_toast", id=request_id))
                state.pop("case_id", None)
                st.switch_page("pages/review/queue.py")
    with reject_col:
        st.markdown(f"**{t('case.reject_title')}**")
        reasons = st.multiselect(t("case.reasons"), review.REASONS, default=case.suggested_reasons,
                                 placeholder=t("case.reasons_ph"),
                                 format_func=lambda r: t(f"reason.{r}"), key=f"reasons_{request_id}")
        errors.slot("reasons")
        for reason in reasons:
            st.caption(f"{t(f'reason.{reason}')}:{t(f'reason.{reason}.help')}")
        text = st.text_area(t("case.note"), key=f"note_{request_id}", max_chars=500,
                            placeholder=t("case.note_ph"))
        errors.slot("text")
        if st.button(t("case.reject"), icon=":material/block:", width="stretch"):
            if attempt(lambda: review.decide(request_id, me, approve=False, reasons=reasons, text=text) or True,
                       errors):
                st.toast(t("case.rejected_toast", id=request_id))
                state.pop("case_id", None)
                st.switch_page("pages/review/queue.py")
    errors.slot("form")
