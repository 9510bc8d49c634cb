"""Helpers for driving the real shell with Streamlit's AppTest."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core import accounts, codes, db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Secret123"


def new_app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "shell.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def make_account(username: str = "zhangsan", phone: str = "13800138000", identity: str = "individual",
                 role: str = "applicant", **extra: object) -> int:
    with db.session_scope() as session:
        return accounts.create_account(session, username=username, identity=identity, role=role,
                                       phone=phone, password=PASSWORD, **extra).id


def last_code(target: str) -> str:
    return re.search(r"(\d{6})", codes.outbox(target)[0].body).group(1)


def text_input(at: AppTest, label: str):  # noqa: ANN201 - an AppTest TextInput
    matches = [w for w in at.text_input if w.label == label]
    assert matches, f"no text input {label!r}; have {[w.label for w in at.text_input]}"
    return matches[0]


def button(at: AppTest, label: str, index: int = 0):  # noqa: ANN201 - an AppTest Button
    matches = [b for b in at.button if b.label == label]
    assert len(matches) > index, f"no button {label!r}; have {[b.label for b in at.button]}"
    return matches[index]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def login(at: AppTest, identifier: str, password: str = PASSWORD, portal: str = "individual") -> AppTest:
    at.switch_page("pages/applicant/login.py").run()
    at.segmented_control(key="login_portal").set_value(portal).run()
    text_input(at, "用户名/手机号/邮箱").input(identifier)
    text_input(at, "密码").input(password)
    button(at, "登录").click().run()
    assert not at.exception, at.exception
    return at
