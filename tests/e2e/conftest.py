"""A real `streamlit run app.py` server and a real Chromium (Debian package) driven by Playwright."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright

from core import db
from tests.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SHOTS = ROOT / "tests" / "e2e" / "screenshots"


class Server:
    """One `streamlit run app.py` process on loopback, restartable on the same port and data."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "CERTDESK_DATA_DIR": str(self.data_dir), "CERTDESK_DEMO": "1"}
        env.pop("DATABASE_URL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
             f"--server.port={self.port}", "--server.address=127.0.0.1",
             "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(self.data_dir / "server.log", "ab"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"streamlit did not start; see {self.data_dir / 'server.log'}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("e2e-data")
    srv = Server(data_dir)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def server_database(request: pytest.FixtureRequest, data_dir: Path) -> None:
    """Point this test process's core at the server's database, so tests can arrange and check."""
    if "server" in request.fixturenames:
        srv: Server = request.getfixturevalue("server")
        os.environ["CERTDESK_DATA_DIR"] = str(srv.data_dir)
        db.use_database(f"sqlite:///{srv.data_dir / 'certdesk.db'}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Chromium is missing: run `make test`, which installs it")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(20_000)
    pg = context.new_page()
    yield pg
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def wait_idle(page: Page) -> None:
    """Wait until the script has finished its run."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()


def click_then_reload(page: Page, target: Locator) -> None:
    """Click a log-in or log-out button and wait for the tab's own reload after the cookie
    hand-over, so the test never races that reload with one of its own."""
    with page.expect_navigation(wait_until="load"):
        target.click()
    wait_idle(page)
