"""Real servers and a real browser for end-to-end tests.

`VoilaServer` runs `make apps` (the command a trainer runs) on a free port with its
own practice store (browser tests share one: tests/browser/conftest.py); `browser_page` drives Debian's Chromium through Playwright (no
browser download) and records every request and console error, so a test fails on
a request that leaves the machine or on any console error.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import psutil

from helpers import ROOT, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
ARTIFACTS = ROOT / "test-artifacts"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
CLASS_CODE = "TEST-KNS4-LOP7"  # the trainer role's code on every test server


def _wait_http(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{proc.stdout.read() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # the server answered, even if not with 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not answer {url} within {timeout} s") from None
            time.sleep(0.3)


@dataclass
class VoilaServer:
    """`make apps` on a free port with a store of its own."""

    store: Path
    port: int = field(default_factory=free_port)
    extra: str = ""
    proc: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, app: str, query: str = "") -> str:
        return f"{self.base}/voila/render/{app}.ipynb" + (f"?{query}" if query else "")

    def start(self) -> VoilaServer:
        self.log = self.store.parent / f"voila-{self.port}.log"
        handle = self.log.open("w")
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "apps", f"APPS_PORT={self.port}",
             f"KYNANGSO_STORE={self.store}", f"VOILA_ARGS={self.extra}"],
            cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
            env={**os.environ, "JUPYTER_CONFIG_DIR": str(self.store.parent / "jupyter-config"),
                 "KYNANGSO_CLASS_CODE": CLASS_CODE})
        _wait_http(self.base + "/", self.proc)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)

    def _kernel_argv(self) -> list[str]:
        assert self.proc is not None
        found = []
        for child in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                argv = " ".join(child.cmdline())
            except psutil.NoSuchProcess:
                continue
            if "ipykernel_launcher" in argv:
                found.append(argv)
        return found

    def kernels(self) -> int:
        """Kernel processes the server is running now."""
        return len(self._kernel_argv())

    def kernel_alive(self, kernel_id: str) -> bool:
        """Whether the kernel a page names (its ``kernelId``) still runs."""
        return any(f"kernel-{kernel_id}.json" in argv for argv in self._kernel_argv())

    def settled_kernels(self, quiet: float = 4) -> int:
        """The kernel count once it has held for ``quiet`` s: the pool refills a used
        kernel after its fill_delay (3 s, etc/voila/voila.json)."""
        count, since = self.kernels(), time.monotonic()
        while time.monotonic() - since < quiet:
            time.sleep(0.5)
            if (now := self.kernels()) != count:
                count, since = now, time.monotonic()
        return count

    def log_text(self) -> str:
        assert self.log is not None
        return self.log.read_text(errors="replace")

    def __enter__(self) -> VoilaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class NotebookVoila:
    """Voila on one notebook: stock (no project config, no preheating) by default.

    ``project=True`` serves it as `make apps` would (template, configuration, pool),
    with culling off: an app's kernel waits busy for its page (wait_for_request), but
    an ordinary notebook's is idle, and the culler may take it between the page's HTML
    and its websocket.
    """

    def __init__(self, notebook: Path, workdir: Path, *, project: bool = False,
                 extra: tuple[str, ...] = ()):
        self.notebook, self.workdir, self.project = notebook, workdir, project
        self.extra = list(extra)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> NotebookVoila:
        env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
        env["JUPYTER_CONFIG_DIR"] = str(self.workdir / "voila-config")
        config, extra = "[]", list(self.extra)
        if self.project:
            env["JUPYTER_PATH"] = str(ROOT / "share" / "jupyter")
            config = f"['{ROOT / 'etc' / 'voila'}']"
            extra.append("--MappingKernelManager.cull_idle_timeout=0")
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "voila"), str(self.notebook), "--no-browser",
             f"--port={self.port}", "--Voila.ip=127.0.0.1",
             f"--Voila.config_file_paths={config}", *extra],
            cwd=self.workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            start_new_session=True)
        _wait_http(f"http://127.0.0.1:{self.port}/voila/no-such-page", self.proc)
        return self

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(30)


@dataclass
class Recorder:
    """What a page asked for and complained about."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        return [u for u in self.requests
                if urlparse(u).scheme in ("http", "https", "ws", "wss")
                and urlparse(u).hostname not in LOOPBACK]


@contextmanager
def browser_page(viewport: dict | None = None) -> Iterator[tuple[object, Recorder]]:
    """A fresh Chromium page (Playwright sync API) and its recorder."""
    from playwright.sync_api import sync_playwright

    record = Recorder()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900},
                                      locale="vi-VN")
        page = context.new_page()
        page.on("request", lambda r: record.requests.append(r.url))
        page.on("console", lambda m: record.console_errors.append(m.text)
                if m.type == "error" else None)
        page.on("pageerror", lambda e: record.page_errors.append(str(e)))
        try:
            yield page, record
        finally:
            context.close()
            browser.close()


def open_app(page: object, url: str, timeout: float = 90_000) -> None:
    """Go to a Voila app and wait until its widgets are on screen and connected.

    The page script (frontend/) keeps ``#rendered_cells`` hidden until every output is
    drawn; the practice banner is the first thing each screen draws.
    """
    page.goto(url)  # type: ignore[attr-defined]
    page.locator("#rendered_cells").wait_for(state="visible", timeout=timeout)  # type: ignore[attr-defined]
    page.locator(".kns-banner").first.wait_for(state="visible", timeout=timeout)  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]


def screenshot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


class TcpProxy:
    """A cable between the browser and the server that a test can pull out: ``cut()``
    drops every open connection and refuses new ones (a phone losing its network, not a
    page closing), ``restore()`` plugs it back in."""

    def __init__(self, target_port: int):
        import socket
        import threading

        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: list = []
        self._cut = False
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _accept(self) -> None:
        import socket
        import threading

        while not self._stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self._cut:
                client.close()
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.close()
                except OSError:
                    pass

    def cut(self) -> None:
        import socket

        self._cut = True
        with self._lock:
            for sock in self._open:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                except OSError:
                    pass
            self._open = []

    def restore(self) -> None:
        self._cut = False

    def close(self) -> None:
        self._stopped = True
        self.cut()
        self.listener.close()


PRACTICE_PASSWORD, PRACTICE_PASSCODE = "Truclam@2025", "246813"


def activate_vneid(store: Path, actor: str, person, *, level2: bool = False) -> None:
    """``actor`` activates ``person``'s practice VNeID account as the VNeID app does
    (through the store; the VNeID app has its own browser tests)."""
    import re

    from kynangso.sandbox.store import Sandbox

    with Sandbox.open(store, actor=actor, role="resident") as box:
        if level2:
            box.as_actor("gv", "trainer").vneid.upgrade_level2(person.cccd)
        notice = box.vneid.request_activation(person.cccd, person.phone)
        box.vneid.verify_activation_code(person.cccd, re.search(r"\b(\d{6})\b", notice.text)[1])
        box.vneid.complete_activation(person.cccd, password=PRACTICE_PASSWORD,
                                      password_again=PRACTICE_PASSWORD,
                                      passcode=PRACTICE_PASSCODE,
                                      passcode_again=PRACTICE_PASSCODE)


def wait_until(condition, timeout: float = 60) -> bool:
    """Poll ``condition`` every half second; False if it never held within ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True
