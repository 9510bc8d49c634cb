"""审核队列: pending requests by due date, counters, filters, search, 下一个."""

import streamlit as st

from core import review
from ui.chrome import require_staff
from ui.forms import attempt
from ui.i18n import day, t, when

principal = require_staff()
state = st.session_state
st.title(t("nav.queue"))


def open_case(request_id: int) -> None:
    state.case_id = request_id
    st.switch_page("pages/review/case.py", query_params={"id": str(request_id)})


numbers = review.counters(principal.account_id)
cols = st.columns([1, 1, 1, 1, 1.3], vertical_alignment="center")
cols[0].metric(t("queue.waiting"), numbers.waiting)
cols[1].metric(t("queue.overdue"), numbers.overdue)
cols[2].metric(t("queue.claimed_by_me"), numbers.claimed_by_me)
cols[3].metric(t("queue.decided_today"), numbers.decided_today)
if cols[4].button(t("queue.next"), type="primary", icon=":material/skip_next:", width="stretch"):
    taken = attempt(lambda: review.next_request(principal.account_id))
    if taken:
        open_case(taken)
    else:
        st.toast(t("queue.nothing_left"))

with st.expander(t("queue.filters"), expanded=True, icon=":material/filter_list:"):
    f1, f2, f3, f4 = st.columns(4)
    status = f1.selectbox(t("queue.status"), ("pending", "approved", "rejected", "all"), key="q_status",
                          format_func=lambda s: t(f"queue.status.{s}"))
    identity = f2.selectbox(t("queue.identity"), (None, "individual", "institution"), key="q_identity",
                            format_func=lambda s: t("audit.all") if s is None else t(f"accounts.identity.{s}"))
    reviewer = f3.text_input(t("queue.reviewer"), key="q_reviewer", placeholder=t("queue.reviewer_ph"))
    search = f4.text_input(t("queue.search"), key="q_search", placeholder=t("queue.search_ph"))
    g1, g2, _ = st.columns([1, 1, 2])
    overdue = g1.toggle(t("queue.only_overdue"), key="q_overdue")
    findings = g2.toggle(t("queue.only_findings"), key="q_findings")

flt = review.QueueFilter(identity=identity, status=status, overdue=overdue, has_findings=findings,
                         reviewer=reviewer or None, search=search or None)
page_no = state.get("q_page", 1)
result = review.queue(flt, page=page_no)
if page_no != result.page:
    state.q_page = result.page  # the filters shrank the list; allowed before the widget exists

if not result.rows:
    st.info(t("queue.empty"), icon=":material/inbox:")
else:
    table = [{
        t("queue.col.id"): f"#{r.id}",
        t("queue.col.due"): day(r.due_date) + (t("queue.estimated_mark") if r.due_estimated else ""),
        t("queue.col.state"): (t("queue.overdue_mark") if r.overdue else "") + t(f"queue.status.{r.status}"),
        t("queue.col.applicant"): r.username,
        t("queue.col.name"): r.holder_name or "",
        t("queue.col.identity"): t(f"accounts.identity.{r.identity}"),
        t("queue.col.round"): t("queue.round", round=r.round) + (t("queue.recert") if r.kind == "recert" else ""),
        t("queue.col.findings"): "⚠️" if r.has_findings else "",
        t("queue.col.submitted"): when(r.submitted_at),
        t("queue.col.reviewer"): r.claimed_by or r.decided_by or "",
    } for r in result.rows]
    picked = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun",
                          selection_mode="single-row", key="q_table")
    chosen = picked.selection.rows if picked is not None else []
    c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
    c1.caption(t("queue.count", total=result.total, page=result.page, pages=result.pages))
    c2.number_input(t("queue.page"), min_value=1, max_value=result.pages, key="q_page")
    if chosen and c3.button(t("queue.open"), type="primary", width="stretch"):
        open_case(result.rows[chosen[0]].id)

with st.form("open_by_number", border=False):
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    number = c1.number_input(t("queue.open_number"), min_value=1, step=1, value=None, key="q_number")
    if c2.form_submit_button(t("queue.open"), width="stretch") and number:
        open_case(int(number))
