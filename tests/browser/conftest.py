"""Browser tests: the whole app served by uvicorn on a free port, driven by Playwright in Debian's Chromium.

They are skipped when ``/usr/bin/chromium`` (or ``KAWAL_CHROMIUM``) is missing, unless ``KAWAL_REQUIRE_BROWSER=1``
(``.ci/run`` sets it, so CI fails rather than skips). Screenshots go to ``build/screenshots/``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from app.clock import Clock
from app.web import create_app
from tests.conftest import make_settings
from tests.web.console import seed

CHROMIUM = os.environ.get("KAWAL_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
SLOW_MACHINE = 60.0
"""Seconds an HTTP call may take before the test gives up: a correctness limit, never a speed check (CI is slow)."""
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


@dataclass
class LiveServer:
    url: str
    clock: Clock
    app: object

    def say(self, phone: str, text: str) -> list[dict[str, object]]:
        """A chat message through the simulator API; the bot's replies."""
        say.counter += 1
        response = httpx.post(f"{self.url}/simulator/messages", json={"phone": phone, "client_id": f"browser-{say.counter:08d}-{time.time_ns()}", "text": text},
                              timeout=SLOW_MACHINE)
        response.raise_for_status()
        return response.json()["replies"]

    def sign_in_link(self, phone: str) -> str:
        replies = self.say(phone, "web")  # news queued for the person earlier may come along
        found = re.search(r"https?://[^/\s]+(/console/masuk/\S+)", " ".join(str(r["text"]) for r in replies))
        assert found, replies
        return self.url + found.group(1)


def say() -> None: ...


say.counter = 0  # type: ignore[attr-defined]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(tmp_path: Path, sqlite_template: Path) -> Iterator[LiveServer]:
    path = tmp_path / "kawal.db"
    shutil.copy(sqlite_template, path)
    port = _free_port()
    settings = make_settings(f"sqlite:///{path}", media_dir=tmp_path / "media", web_base_url=f"http://127.0.0.1:{port}",
                             simulator_enabled=True)  # served to 127.0.0.1: the page and httpx both come from here
    clock = Clock()
    seed(settings, clock.now())
    app = create_app(settings, clock=clock, background=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", clock, app)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        if os.environ.get("KAWAL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread while it is open: it is opened per module, and
    # closed before the next module's tests (some call asyncio.run()).
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(params=["phone", "laptop"])
def page(request: pytest.FixtureRequest, browser):  # type: ignore[no-untyped-def]
    """A fresh page at 390 px (a phone) and at 1280 px (a laptop): every browser test runs at both."""
    context = browser.new_context(viewport=PHONE if request.param == "phone" else LAPTOP, locale="id-ID",
                                  accept_downloads=True)  # fmt: skip
    opened = context.new_page()
    opened.width_name = request.param
    yield opened
    context.close()


def sign_in(page, server: LiveServer, phone: str) -> None:  # type: ignore[no-untyped-def]
    """Signs in as a chat user would: "web" in chat, open the link, tap the button."""
    page.goto(server.sign_in_link(phone))
    page.get_by_role("button", name=re.compile("masuk|sign in", re.I)).click()
    page.wait_for_url(re.compile(r"/console$"))


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.width_name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in bad)


def assert_no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
