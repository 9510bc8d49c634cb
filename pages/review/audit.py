"""审计日志: every action, who, when, on which request; filter and export as CSV."""

from datetime import timedelta

import streamlit as st

from core import audit
from core.clock import china_date, utcnow
from ui.chrome import require_staff
from ui.i18n import t, when

require_staff()
st.title(t("audit.title"))
st.caption(t("audit.caption"))

today = china_date(utcnow())
with st.container(border=True):
    c1, c2, c3, c4 = st.columns([2, 2, 1, 2])
    action = c1.selectbox(t("audit.action"), [""] + audit.actions(),
                          format_func=lambda a: t("audit.all") if not a else t(f"audit.action.{a}"),
                          key="audit_action")
    actor = c2.text_input(t("audit.actor"), key="audit_actor")
    entity_id = c3.number_input(t("audit.request_id"), min_value=0, step=1, value=0, key="audit_entity")
    period = c4.date_input(t("audit.period"), value=(today - timedelta(days=30), today), key="audit_period")

start, end = (period if isinstance(period, tuple) and len(period) == 2 else (None, None))
flt = audit.AuditFilter(action=action or None, actor=actor or None,
                        entity="request" if entity_id else None,
                        entity_id=int(entity_id) or None, start=start, end=end)
page_size = 50
page_no = st.session_state.get("audit_page", 1)
rows, total = audit.search(flt, limit=page_size, offset=(page_no - 1) * page_size)
pages = max(1, -(-total // page_size))
if page_no > pages:
    # The filters shrank the result: go to its last page (allowed before the widget exists).
    st.session_state.audit_page = pages
    st.rerun()

top = st.columns([3, 1])
top[0].caption(t("audit.count", total=total))
top[1].download_button(t("audit.export"), data=lambda: audit.to_csv(flt), file_name="audit.csv",
                       mime="text/csv", icon=":material/download:", width="stretch")
if rows:
    st.dataframe(
        [{
            t("audit.col.time"): when(r.at),
            t("audit.col.actor"): r.actor or t("audit.system"),
            t("audit.col.action"): t(f"audit.action.{r.action}"),
            t("audit.col.entity"): f"{r.entity} #{r.entity_id}" if r.entity_id else r.entity,
            t("audit.col.detail"): ", ".join(f"{k}={v}" for k, v in sorted(r.detail.items())),
        } for r in rows],
        hide_index=True, width="stretch",
    )
else:
    st.info(t("audit.empty"))
st.number_input(t("audit.page", pages=pages), min_value=1, max_value=pages, key="audit_page")
