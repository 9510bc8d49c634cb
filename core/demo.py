"""Realistic synthetic demo data for stakeholders and the pilot. No real personal data.

``python -m core.demo`` seeds an empty database and prints the demo credentials;
on a database that already has accounts it does nothing.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from core import accounts, db
from core.config import load_settings
from core.models import ADMIN, INDIVIDUAL, INSTITUTION
from core.models import REVIEWER as REVIEWER_ROLE

DEMO_PASSWORD = "Demo2026"
DEMO_REVIEWER = ("shenhe01", "13900000001", "审核员 王静")
DEMO_REVIEWER_2 = ("shenhe02", "13900000002", "审核员 李强")
DEMO_ADMIN = ("admin01", "13900000009", "管理员 赵敏")
APPLICANTS = [
    ("zhangwei", "13811110001", INDIVIDUAL, None),
    ("lina2026", "13811110002", INDIVIDUAL, None),
    ("xinghe_tech", "13811110003", INSTITUTION, "北京星河软件技术有限公司"),
]


@dataclass(frozen=True)
class LoginHint:
    reviewer: str
    password: str
    applicants: list[str]


def login_hint() -> LoginHint | None:
    """Demo credentials for the log-in page — only in demo mode and only if the seed made them."""
    if not load_settings().demo_mode or accounts.find_account_id(DEMO_REVIEWER[0]) is None:
        return None
    present = [name for name, *_ in APPLICANTS if accounts.find_account_id(name) is not None]
    return LoginHint(DEMO_REVIEWER[0], DEMO_PASSWORD, present[:3])


def seed() -> list[str]:
    """Create the demo accounts in one transaction; returns lines to print."""
    lines = []
    with db.session_scope() as session:
        staff = ((DEMO_REVIEWER, REVIEWER_ROLE), (DEMO_REVIEWER_2, REVIEWER_ROLE), (DEMO_ADMIN, ADMIN))
        for (username, phone, name), role in staff:
            accounts.create_account(session, username=username, identity=INDIVIDUAL, role=role,
                                    phone=phone, password=DEMO_PASSWORD, display_name=name)
            lines.append(f"  {role:<9} {username:<14} {DEMO_PASSWORD}")
        for username, phone, identity, org in APPLICANTS:
            accounts.create_account(session, username=username, identity=identity, phone=phone,
                                    password=DEMO_PASSWORD, institution_name=org)
            lines.append(f"  applicant {username:<14} {DEMO_PASSWORD}")
    return lines



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seed CertDesk demo data into an empty database.")
    parser.add_argument("--if-empty", action="store_true", help="do nothing when accounts exist")
    args = parser.parse_args(argv)
    db.init_db()
    if accounts.count_accounts() > 0:
        if args.if_empty:
            print("CertDesk: database already has accounts; demo seed skipped.")
            return 0
        print("CertDesk: database is not empty; refusing to seed.", file=sys.stderr)
        return 1
    if not load_settings().demo_mode:
        print("CertDesk: CERTDESK_DEMO=0, no demo data seeded.")
        return 0
    lines = seed()
    print("CertDesk demo accounts (demo mode only):")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
