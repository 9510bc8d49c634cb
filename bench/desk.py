"""Reviewer-desk timings at scale: python bench/desk.py [--requests N] [--pg]. Prints; asserts nothing.

Fills a fresh database (SQLite in a temporary folder, and with --pg also a throwaway PostgreSQL
server) with N certification requests spread over a year: mostly decided, a few thousand
pending, some with findings. Then times what a reviewer does all day: the first queue page,
a filtered page, an exact search, the counters, 下一个 (claim), opening a case, and the 8-week
dashboard. Each figure is the median of several runs, in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from core import accounts, analytics, db, review, workdays  # noqa: E402
from core.clock import CHINA, china_date  # noqa: E402
from core.models import Account, CertificationRequest  # noqa: E402


def fill(requests: int, now: datetime) -> int:
    """Bulk-insert accounts and requests; returns a reviewer id."""
    rng = random.Random(7)
    engine = db.get_engine()
    shared = accounts.hash_password("Bench2026")
    with engine.begin() as conn:
        conn.execute(insert(Account), [
            {"username": f"rev{i}", "identity": "individual", "role": "reviewer", "phone": f"1390000{i:04d}",
             "password_hash": shared, "created_at": now, "password_changed_at": now,
             "failed_logins": 0, "is_active": True} for i in range(1, 6)])
        batch = 5000
        for start in range(0, requests, batch):
            people, rows = [], []
            for i in range(start, min(requests, start + batch)):
                people.append({"username": f"app{i:07d}", "identity": "individual", "role": "applicant",
                               "phone": f"13{i:09d}", "password_hash": shared, "created_at": now,
                               "password_changed_at": now, "failed_logins": 0, "is_active": True})
            conn.execute(insert(Account), people)
            for i in range(start, min(requests, start + batch)):
                submitted = now - timedelta(days=rng.random() * 365)
                pending = rng.random() < 0.03
                decided = None if pending else submitted + timedelta(hours=rng.randrange(1, 120))
                decided = decided if decided is None or decided < now else None
                rows.append({
                    "account_id": i + 6, "identity": "individual", "kind": "initial", "round": 1,
                    "status": "pending" if decided is None else rng.choice(("approved", "approved", "rejected")),
                    "step": 3, "data": {"real_name": f"申请人{i}"}, "holder_name": f"申请人{i}",
                    "id_number": f"{110105000000000000 + i}", "has_findings": rng.random() < 0.2,
                    "created_at": submitted, "updated_at": submitted, "submitted_at": submitted,
                    "due_date": workdays.due_date(submitted).day, "due_estimated": False,
                    "decided_at": decided, "decided_by": rng.randrange(1, 6) if decided else None,
                    "reasons": ["blurry"] if decided and rng.random() < 0.2 else [], "reason_text": "",
                    "version": 1,
                })
            conn.execute(insert(CertificationRequest), rows)
    return 1


def timed(label: str, call, runs: int = 5) -> None:  # noqa: ANN001
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"  {label:44s} {statistics.median(samples):8.1f} ms")


def run(label: str, requests: int) -> None:
    now = datetime.now(CHINA)
    started = time.perf_counter()
    reviewer = fill(requests, now)
    print(f"\n{label}: {requests} requests inserted in {time.perf_counter() - started:.1f} s")
    today = china_date(now)
    pending = review.queue(review.QueueFilter(), now=now)
    print(f"  ({pending.total} pending, {pending.pages} pages of {review.PAGE_SIZE})")
    timed("queue, first page by due date", lambda: review.queue(review.QueueFilter(), now=now))
    timed("queue, page 40", lambda: review.queue(review.QueueFilter(), page=40, now=now))
    timed("queue, overdue + findings filter",
          lambda: review.queue(review.QueueFilter(overdue=True, has_findings=True), now=now))
    timed("queue, all decided, by reviewer", lambda: review.queue(review.QueueFilter(status="all", reviewer="rev2"), now=now))
    timed("exact search by ID number",
          lambda: review.queue(review.QueueFilter(status="all", search=f"{110105000000000000 + requests // 2}"), now=now))
    timed("exact search by phone", lambda: review.queue(review.QueueFilter(status="all", search=f"13{requests // 3:09d}"), now=now))
    timed("counters", lambda: review.counters(reviewer, now=now))
    taken: list[int] = []
    timed("下一个 (find and claim)", lambda: taken.append(review.next_request(reviewer, now=now)))
    timed("open a case", lambda: review.case(taken[0], reviewer, now=now))
    timed("dashboard, last 8 weeks", lambda: analytics.dashboard(today - timedelta(weeks=8), today), runs=3)
    timed("dashboard, last 52 weeks", lambda: analytics.dashboard(today - timedelta(weeks=52), today), runs=3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true", help="also run on a throwaway PostgreSQL server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db.use_database(f"sqlite:///{folder}/bench.db")
        run("SQLite", args.requests)
    if args.pg:
        from tests import pgserver

        with pgserver.running() as base:
            db.use_database(pgserver.fresh_database(base))
            run("PostgreSQL", args.requests)
            db.get_engine().dispose()


if __name__ == "__main__":
    main()
