"""统计看板: turnaround in working days, the 3-day promise, backlog, reasons, rounds, throughput."""

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from core import analytics
from core.clock import china_date, utcnow
from ui.chrome import require_staff
from ui.i18n import t

require_staff()
st.title(t("nav.dashboard"))
today = china_date(utcnow())
period = st.date_input(t("dash.period"), value=(today - timedelta(weeks=8), today), key="dash_period",
                       max_value=today + timedelta(days=366))
if not (isinstance(period, tuple) and len(period) == 2):
    st.info(t("dash.pick_range"))
    st.stop()
start, end = period
with st.spinner(t("dash.loading")):
    board = analytics.dashboard(start, end)

if board.empty:
    st.info(t("dash.empty"), icon=":material/insights:")
    st.stop()

s = board.summary
m = st.columns(5)
m[0].metric(t("dash.decisions"), s.decisions)
m[1].metric(t("dash.median"), "—" if s.median is None else t("dash.days", n=f"{s.median:g}"))
m[2].metric(t("dash.p90"), "—" if s.p90 is None else t("dash.days", n=f"{s.p90:g}"))
m[3].metric(t("dash.within"), "—" if s.within_share is None else f"{s.within_share:.0%}")
rate = board.passes.first_time_pass_rate
m[4].metric(t("dash.first_pass"), "—" if rate is None else f"{rate:.0%}")


def chart(title: str, caption: str, spec: alt.Chart | None, table: pd.DataFrame, name: str) -> None:
    """One chart with its one-line caption and the CSV of the table behind it."""
    with st.container(border=True):
        st.markdown(f"**{title}**")
        st.caption(caption)
        if spec is None or table.empty:
            st.caption(t("dash.no_data"))
        else:
            st.altair_chart(spec, width="stretch")
        st.download_button(t("dash.csv"), analytics.to_csv(table), file_name=f"{name}_{start}_{end}.csv",
                           mime="text/csv", icon=":material/download:", key=f"csv_{name}")


# Weeks as ordered labels, so bars are as wide as their week instead of hairlines on a time axis.
week = alt.X("label:O", title=t("dash.week"), sort=None)
by_week = board.by_week.assign(label=[w.strftime("%m-%d") for w in board.by_week["week"]])
long_week = by_week.melt(id_vars=["week", "label"], value_vars=["median", "p90"], var_name="measure",
                        value_name="days")
long_week["measure"] = long_week["measure"].map({"median": t("dash.median"), "p90": t("dash.p90")})
left, right = st.columns(2)
with left:
    chart(t("dash.turnaround_title"), t("dash.turnaround_caption"),
          alt.Chart(long_week).mark_line(point=True).encode(
              week, alt.Y("days:Q", title=t("dash.workdays")), alt.Color("measure:N", title=None),
              tooltip=["label:O", "measure:N", "days:Q"]), board.by_week, "turnaround_by_week")
with right:
    promise = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(strokeDash=[4, 4], color="gray").encode(y="y:Q")
    chart(t("dash.within_title"), t("dash.within_caption"),
          alt.Chart(by_week).mark_bar().encode(
              week, alt.Y("within_share:Q", title=t("dash.share"), axis=alt.Axis(format="%"),
                          scale=alt.Scale(domain=[0, 1])),
              tooltip=["label:O", alt.Tooltip("within_share:Q", format=".0%"), "decisions:Q"]) + promise,
          board.by_week[["week", "decisions", "within_share"]], "within_promise")

left, right = st.columns(2)
with left:
    chart(t("dash.distribution_title"), t("dash.distribution_caption"),
          alt.Chart(board.distribution).mark_bar().encode(
              alt.X("turnaround:O", title=t("dash.workdays")), alt.Y("decisions:Q", title=t("dash.decisions")),
              color=alt.condition(alt.datum.turnaround > analytics.PROMISE, alt.value("#c0392b"),
                                  alt.value("#1d5fa6")),
              tooltip=["turnaround:O", "decisions:Q"]), board.distribution, "distribution")
with right:
    flows = board.backlog.melt(id_vars="day", value_vars=["arrivals", "decisions"], var_name="flow", value_name="n")
    flows["flow"] = flows["flow"].map({"arrivals": t("dash.arrivals"), "decisions": t("dash.decided")})
    day_axis = alt.X("day:T", title=t("dash.day"), axis=alt.Axis(format="%m-%d"))
    waiting = alt.Chart(board.backlog).mark_area(opacity=0.2, line=True, color="#1d5fa6").encode(
        day_axis, alt.Y("waiting:Q", title=t("dash.requests")), tooltip=["day:T", "waiting:Q"])
    lines = alt.Chart(flows).mark_line(strokeWidth=1.5, interpolate="step-after").encode(
        day_axis, alt.Y("n:Q"), alt.Color("flow:N", title=None, scale=alt.Scale(range=["#e67e22", "#27ae60"])),
        tooltip=["day:T", "flow:N", "n:Q"])
    chart(t("dash.backlog_title"), t("dash.backlog_caption"), waiting + lines, board.backlog, "backlog")

left, right = st.columns(2)
with left:
    reasons = board.reasons.assign(label=[t(f"reason.{r}") for r in board.reasons["reason"]])
    chart(t("dash.reasons_title"), t("dash.reasons_caption"),
          alt.Chart(reasons).mark_bar().encode(
              alt.X("rejections:Q", title=t("dash.rejections")),
              alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240)),
              tooltip=["label:N", "rejections:Q"]), board.reasons, "rejections_by_reason")
with right:
    rounds = board.passes.rounds
    chart(t("dash.rounds_title"), t("dash.rounds_caption"),
          alt.Chart(rounds).mark_bar().encode(
              alt.X("round:O", title=t("dash.round")), alt.Y("approvals:Q", title=t("dash.approvals")),
              tooltip=["round:O", "approvals:Q"]), rounds, "rounds_needed")

chart(t("dash.throughput_title"), t("dash.throughput_caption"),
      alt.Chart(board.throughput).mark_bar().encode(
          alt.X("day:T", title=t("dash.day"), axis=alt.Axis(format="%m-%d")),
          alt.Y("decisions:Q", title=t("dash.decisions")), alt.Color("reviewer:N", title=t("dash.reviewer")),
          tooltip=["day:T", "reviewer:N", "decisions:Q"]), board.throughput, "throughput")
