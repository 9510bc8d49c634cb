"""Turnaround tables for the dashboard, computed with SQL and pandas from the decisions.

Definitions (all dates are Beijing dates):
- turnaround: working days after the submission date up to and including the decision date
  (core.workdays), so a decision on the day of submission is 0 and the promise is <= 3;
- median: the usual median (mean of the two middle values for an even count);
- p90: nearest rank, the smallest turnaround that at least 90 % of decisions meet;
- week: the Monday of the decision date's week;
- backlog on a day: requests submitted by the end of that day and not yet decided then;
- first-time pass rate: of first-round decisions (round 1), the share approved;
- rounds needed: for first certifications approved in the range, the round of the approval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import or_
from sqlmodel import col, select

from core import db, workdays
from core.clock import CHINA
from core.models import Account, CertificationRequest

PROMISE = workdays.PROMISE_DAYS


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=CHINA)


def load(start: date, end: date) -> pd.DataFrame:
    """Every submitted request that was open at some point in [start, end] (two SQL queries)."""
    open_in_range = (
        col(CertificationRequest.submitted_at).is_not(None),
        col(CertificationRequest.submitted_at) < _start_of(end + timedelta(days=1)),
        or_(col(CertificationRequest.decided_at).is_(None),
            col(CertificationRequest.decided_at) >= _start_of(start)),
    )
    stmt = (
        select(CertificationRequest.id, CertificationRequest.status, CertificationRequest.round,
               CertificationRequest.kind, CertificationRequest.identity, CertificationRequest.submitted_at,
               CertificationRequest.decided_at, Account.username)
        .join(Account, col(Account.id) == col(CertificationRequest.decided_by), isouter=True)
        .where(*open_in_range)
    )
    # Reasons are JSON; decoding them for every row of a year would dominate, so fetch them
    # only for the rejections.
    reasons_stmt = select(CertificationRequest.id, CertificationRequest.reasons).where(
        *open_in_range, col(CertificationRequest.status) == "rejected")
    with db.session_scope() as session:
        rows = session.exec(stmt).all()
        reasons = dict(session.exec(reasons_stmt).all())
    frame = pd.DataFrame(
        [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], reasons.get(r[0], []), r[7], _day(r[5]), _day(r[6]))
         for r in rows],
        columns=["id", "status", "round", "kind", "identity", "submitted_at", "decided_at", "reasons",
                 "reviewer", "submitted_day", "decided_day"])
    return frame


def _day(moment: datetime | None) -> date | None:
    return moment.astimezone(CHINA).date() if moment is not None else None


def decisions(frame: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Decisions whose decision date lies in the range, with turnaround and week."""
    decided = frame[frame["decided_day"].notna()].copy()
    decided = decided[(decided["decided_day"] >= start) & (decided["decided_day"] <= end)]
    decided["turnaround"] = _turnarounds(decided["submitted_day"], decided["decided_day"])
    decided["within"] = decided["turnaround"] <= PROMISE
    decided["week"] = [d - timedelta(days=d.weekday()) for d in decided["decided_day"]]
    return decided


def _turnarounds(submitted: pd.Series, decided: pd.Series) -> list[int]:
    """workdays.workdays_between for many rows at once, via a running count of working days."""
    if submitted.empty:
        return []
    first, last = min(submitted.min(), decided.min()), max(submitted.max(), decided.max())
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    running, total = {}, 0
    for day in days:
        total += workdays.is_workday(day)
        running[day] = total
    return [max(0, running[d] - running[s]) if d > s else 0 for s, d in zip(submitted, decided)]


def p90(values: pd.Series) -> float:
    """Nearest-rank 90th percentile."""
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)])


def turnaround_by_week(decided: pd.DataFrame) -> pd.DataFrame:
    """Per week: decisions, median and p90 turnaround, share within the promise."""
    if decided.empty:
        return pd.DataFrame(columns=["week", "decisions", "median", "p90", "within_share"])
    grouped = decided.groupby("week")
    table = pd.DataFrame({
        "decisions": grouped.size(),
        "median": grouped["turnaround"].median().astype(float),
        "p90": grouped["turnaround"].apply(p90),
        "within_share": grouped["within"].mean().astype(float),
    }).reset_index()
    return table


def turnaround_distribution(decided: pd.DataFrame) -> pd.DataFrame:
    """How many decisions took 0, 1, 2 ... working days."""
    if decided.empty:
        return pd.DataFrame(columns=["turnaround", "decisions"])
    counts = decided["turnaround"].value_counts().sort_index()
    return pd.DataFrame({"turnaround": counts.index.astype(int), "decisions": counts.values})


def backlog(frame: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Per day: arrivals, decisions, and requests still waiting at the end of the day."""
    days = pd.Index([start + timedelta(days=i) for i in range((end - start).days + 1)], name="day")
    submitted = frame["submitted_day"]
    decided = frame["decided_day"].dropna()
    # Everything loaded was still open at the start of the range, so the queue at the end of a
    # day is what arrived by then minus what was decided by then.
    carried = int((submitted < start).sum())
    arrivals = submitted[submitted >= start].value_counts().reindex(days, fill_value=0)
    decisions_per_day = decided.value_counts().reindex(days, fill_value=0)
    waiting = carried + arrivals.cumsum() - decisions_per_day.cumsum()
    return pd.DataFrame({"day": list(days), "arrivals": arrivals.to_numpy(),
                         "decisions": decisions_per_day.to_numpy(), "waiting": waiting.to_numpy()})


def rejections_by_reason(decided: pd.DataFrame) -> pd.DataFrame:
    rejected = decided[decided["status"] == "rejected"]
    counts: dict[str, int] = {}
    for reasons in rejected["reasons"]:
        for reason in reasons or []:
            counts[reason] = counts.get(reason, 0) + 1
    table = pd.DataFrame(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])),
                         columns=["reason", "rejections"])
    return table


@dataclass(frozen=True)
class PassRates:
    first_round_decisions: int
    first_time_pass_rate: float | None
    rounds: pd.DataFrame  # round, approvals


def pass_rates(decided: pd.DataFrame) -> PassRates:
    first = decided[decided["round"] == 1]
    rate = float((first["status"] == "approved").mean()) if len(first) else None
    approved = decided[(decided["status"] == "approved") & (decided["kind"] == "initial")]
    counts = approved["round"].value_counts().sort_index()
    rounds = pd.DataFrame({"round": counts.index.astype(int), "approvals": counts.values})
    return PassRates(len(first), rate, rounds)


def throughput(decided: pd.DataFrame) -> pd.DataFrame:
    """Decisions per reviewer per day."""
    if decided.empty:
        return pd.DataFrame(columns=["day", "reviewer", "decisions"])
    table = decided.groupby(["decided_day", "reviewer"]).size().reset_index(name="decisions")
    return table.rename(columns={"decided_day": "day"})


@dataclass(frozen=True)
class Summary:
    decisions: int
    median: float | None
    p90: float | None
    within_share: float | None
    waiting_now: int


@dataclass(frozen=True)
class Dashboard:
    summary: Summary
    by_week: pd.DataFrame
    distribution: pd.DataFrame
    backlog: pd.DataFrame
    reasons: pd.DataFrame
    passes: PassRates
    throughput: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.summary.decisions == 0 and self.backlog["arrivals"].sum() == 0


def dashboard(start: date, end: date) -> Dashboard:
    """Every table of the turnaround dashboard for a date range."""
    if end < start:
        start, end = end, start
    frame = load(start, end)
    decided = decisions(frame, start, end)
    back = backlog(frame, start, end)
    summary = Summary(
        decisions=len(decided),
        median=float(decided["turnaround"].median()) if len(decided) else None,
        p90=p90(decided["turnaround"]) if len(decided) else None,
        within_share=float(decided["within"].mean()) if len(decided) else None,
        waiting_now=int(back["waiting"].iloc[-1]) if len(back) else 0,
    )
    return Dashboard(summary, turnaround_by_week(decided), turnaround_distribution(decided), back,
                     rejections_by_reason(decided), pass_rates(decided), throughput(decided))


def to_csv(table: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel reads the Chinese."""
    return ("\ufeff" + table.to_csv(index=False)).encode("utf-8")
