"""Every page runs for the roles that have it, without an exception; none is forgotten."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pages.apptest_helpers import ROOT, login, make_account, new_app

PUBLIC = ["login", "register", "forgot_password", "watermark", "outbox"]
APPLICANT = ["home", "account", "certify", "filing", "query", "messages", "watermark", "outbox"]
STAFF = ["queue", "case", "dashboard", "audit"]


def _path(name: str) -> str:
    folder = "review" if name in STAFF else "applicant"
    return f"pages/{folder}/{name}.py"


def test_every_page_file_belongs_to_some_role() -> None:
    files = {p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").rglob("*.py")
             if p.name != "__init__.py"}
    assert files == {_path(n) for n in PUBLIC + APPLICANT + STAFF}


@pytest.mark.parametrize("name", PUBLIC)
def test_public_page_runs(name: str) -> None:
    at = new_app()
    at.switch_page(_path(name)).run()
    assert not at.exception, at.exception
    assert at.title, "every page has a title"


@pytest.mark.parametrize("name", APPLICANT)
def test_applicant_page_runs(name: str) -> None:
    make_account()
    at = login(new_app(), "zhangsan")
    at.switch_page(_path(name)).run()
    assert not at.exception, at.exception
    assert at.title


@pytest.mark.parametrize("name", STAFF)
def test_staff_page_runs(name: str) -> None:
    make_account(username="shenhe", phone="13900000001", role="reviewer")
    at = login(new_app(), "shenhe", portal="staff")
    at.switch_page(_path(name)).run()
    assert not at.exception, at.exception
    assert at.title
