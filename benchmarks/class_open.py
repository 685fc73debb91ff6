"""A whole class opening the portal at the same moment, with and without a class list.

Run ``python benchmarks/class_open.py [--sizes 10 30] [--runs 1] [--no-write]``.

For each class size N, in one run, two `make apps` servers (scripts/apps_server.py),
each fresh, each given time to fill its pool before anyone arrives:

- baseline: `make apps` as it starts without a class list (one preheated kernel per app);
- class pool: the same with a class list of N learners (``lop.csv`` beside the store),
  so the portal's pool holds N preheated kernels;

then N learners open the portal at once. N - 1 of them are simulated as the page script
does it, over HTTP and the kernel's websocket: the page's HTML (page complete), then the
widgets' state through ipywidgets' control comm (``request_states``), which is what the
page needs to draw its first control. One is a real page in Debian's Chromium (Playwright),
timed from navigation to its first usable control. Thirty Chromium pages on this
two-core machine would measure the browsers rather than the server: in a classroom each
learner's own phone draws their page.

Also: resident memory (RSS) of the server's kernels before learners arrive and once every
page is ready, and how long the class pool took to fill. Ratios divide the class pool's
figures by the baseline's in the same run. Target (issue 13): with the class pool, 30
learners each see their first control in under 1 s. Writes its section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import psutil  # noqa: E402

from kynangso.sandbox.classroom import Learner, write_roster  # noqa: E402
from kynangso.sandbox.store import Sandbox  # noqa: E402

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, VoilaServer  # noqa: E402
from report import markers, write_section  # noqa: E402

APP = "portal"
APPS = sorted(p.stem for p in (ROOT / "apps").glob("*.ipynb"))
APP_READY = ".kns-root button:not([disabled]), .kns-root input:not([disabled])"
CONFIG = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                    re.S)
START, END = markers("class_open")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TARGET = 1.0  # seconds to the first control, every learner, with the class pool
TIMEOUT = 600
CHROMIUM_TIMEOUT = 180


# -- servers -----------------------------------------------------------------------------


def kernel_rss(server: VoilaServer) -> list[float]:
    assert server.proc is not None
    sizes = []
    for child in psutil.Process(server.proc.pid).children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                sizes.append(child.memory_info().rss / 2**20)
        except psutil.NoSuchProcess:
            continue
    return sizes


def cpu_seconds(server: VoilaServer) -> dict[str, float]:
    """CPU time (user + system) so far of the Voila process and of its kernels; a kernel
    that is gone no longer counts, one started since counts from its start."""
    assert server.proc is not None
    used = {"server": 0.0, "kernels": 0.0}
    for process in psutil.Process(server.proc.pid).children(recursive=True):
        try:
            argv = " ".join(process.cmdline())
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        if "ipykernel_launcher" in argv:
            used["kernels"] += times.user + times.system
        elif "apps_server.py" in argv:
            used["server"] += times.user + times.system
    return used


def wait(condition, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the server's pool did not fill")
        time.sleep(0.5)


def serve(work: Path, size: int, class_pool: bool) -> tuple[VoilaServer, float | None]:
    """A started `make apps` whose pool is full, and the seconds its class pool took."""
    folder = work / f"{'class' if class_pool else 'default'}-{size}"
    folder.mkdir()
    store = folder / "sandbox.sqlite"
    Sandbox.open(store, start=datetime(2025, 11, 10, 8, 0), clock_running=False).close()
    if class_pool:
        write_roster(folder / "lop.csv", [Learner(learner(i), f"Học viên {i + 1}")
                                          for i in range(size)])
    server = VoilaServer(store).start()
    fill = None
    if class_pool:
        wait(lambda: "Đã sẵn sàng" in server.log_text())
        found = re.search(r"Đã sẵn sàng \d+ phiên .* sau (\d+) giây", server.log_text())
        fill = float(found.group(1)) if found else None
    wait(lambda: server.kernels() >= len(APPS) - 1 + (size if class_pool else 1))
    server.settled_kernels(quiet=6)
    return server, fill


def learner(index: int) -> str:
    return f"hoc-vien-{index + 1:02d}"


# -- learners ----------------------------------------------------------------------------


def message(msg_type: str, content: dict, session: str, metadata: dict | None = None) -> str:
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "username": "hoc-vien", "session": session,
                   "msg_type": msg_type, "version": "5.3",
                   "date": datetime.now(UTC).isoformat()},
        "parent_header": {}, "metadata": metadata or {}, "content": content,
        "channel": "shell", "buffers": []})


def decode(frame: str | bytes) -> dict:
    """A kernel message from the websocket; binary frames carry buffers after the JSON."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 * (i + 1):4 * (i + 2)], "big") for i in range(count)]
    return json.loads(frame[offsets[0]:offsets[1] if count > 1 else len(frame)])


async def simulated(base: str, actor: str, go: asyncio.Event, sockets: list) -> dict:
    """One learner as the page script: the HTML, then the widgets' state."""
    from tornado.httpclient import AsyncHTTPClient
    from tornado.websocket import websocket_connect

    await go.wait()
    began = time.perf_counter()
    reply = await AsyncHTTPClient().fetch(f"{base}/voila/render/{APP}.ipynb?nguoi={actor}",
                                          request_timeout=TIMEOUT, connect_timeout=TIMEOUT)
    page = time.perf_counter() - began
    html = reply.body.decode("utf-8")
    found = CONFIG.search(html)
    if not found:
        raise RuntimeError(f"{actor}: the page has no kernel")
    # A page whose app output never came (Voila dropped it) shows nothing at all.
    empty = WIDGET_VIEW not in html
    kernel = json.loads(found.group(1))["kernelId"]
    session, comm = uuid.uuid4().hex, uuid.uuid4().hex
    socket = await websocket_connect(
        f"{base.replace('http', 'ws', 1)}/api/kernels/{kernel}/channels?session_id={session}",
        connect_timeout=TIMEOUT)
    sockets.append(socket)  # kept open, as a page keeps it, until every learner is done
    await socket.write_message(message(
        "comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
        session, {"version": "1.0.0"}))
    await socket.write_message(message(
        "comm_msg", {"comm_id": comm, "data": {"method": "request_states"}}, session))
    while True:
        frame = await asyncio.wait_for(socket.read_message(), TIMEOUT)
        if frame is None:
            raise RuntimeError(f"{actor}: the kernel's socket closed")
        msg = decode(frame)
        content = msg.get("content", {})
        if (msg.get("msg_type") == "comm_msg" and content.get("comm_id") == comm
                and content.get("data", {}).get("method") == "update_states"):
            break
    return {"page": page, "control": time.perf_counter() - began, "kernel": kernel,
            "empty": empty}


async def in_chromium(browser_page, url: str, go: asyncio.Event) -> dict:
    """One learner in a real browser: navigation to the first usable control (None, and
    a screenshot in test-artifacts/, if it never came)."""
    await go.wait()
    began = time.perf_counter()
    try:
        await browser_page.goto(url, wait_until="commit", timeout=CHROMIUM_TIMEOUT * 1000)
        await browser_page.locator(APP_READY).first.wait_for(
            state="visible", timeout=CHROMIUM_TIMEOUT * 1000)
    except Exception as error:  # Playwright's TimeoutError and a dropped page alike
        print(f"Chromium learner: {error}", file=sys.stderr)
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        await browser_page.screenshot(path=str(ROOT / "test-artifacts" / "class-open-failed.png"))
        return {"page": None, "control": None}
    control = time.perf_counter() - began
    page = await browser_page.evaluate(
        "() => performance.getEntriesByType('navigation')[0].responseEnd / 1000")
    return {"page": page, "control": control}


async def class_opens(server: VoilaServer, size: int) -> tuple[list[dict], dict]:
    from playwright.async_api import async_playwright
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=size + 10)
    go = asyncio.Event()
    sockets: list = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 390, "height": 844},
                                            locale="vi-VN")
        page = await context.new_page()
        tasks = [asyncio.create_task(in_chromium(page, server.url(APP, f"nguoi={learner(0)}"),
                                                 go))]
        tasks += [asyncio.create_task(simulated(server.base, learner(i), go, sockets))
                  for i in range(1, size)]
        await asyncio.sleep(1)  # every learner waiting at the door
        go.set()
        results = await asyncio.gather(*tasks)
        await asyncio.sleep(2)  # let the kernels settle before their memory is read
        for socket in sockets:
            socket.close()
        await browser.close()
    return list(results[1:]), results[0]


# -- the run -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the value at or below which ``share`` of the values lie."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "p90": percentile(values, 0.9),
            "max": max(values)}


def measure(sizes: list[int], runs: int) -> dict:
    results: dict = {"sizes": sizes, "runs": runs, "load": os.getloadavg(), "rows": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            for size in sizes:
                for class_pool in (False, True):
                    work = Path(tmp) / f"run{run}"
                    work.mkdir(exist_ok=True)
                    server, fill = serve(work, size, class_pool)
                    try:
                        before, cpu = kernel_rss(server), cpu_seconds(server)
                        learners, chromium = asyncio.run(class_opens(server, size))
                        after, spent = kernel_rss(server), cpu_seconds(server)
                    finally:
                        server.stop()
                    row = results["rows"].setdefault((size, class_pool), {
                        "page": [], "control": [], "chromium": [], "chromium_failed": 0,
                        "before": [], "after": [], "kernels": [], "per_kernel": [],
                        "fill": [], "empty": 0, "server_cpu": [], "kernel_cpu": []})
                    row["page"] += [r["page"] for r in learners]
                    row["empty"] += sum(r["empty"] for r in learners)
                    row["server_cpu"].append((spent["server"] - cpu["server"]) / size)
                    row["kernel_cpu"].append((spent["kernels"] - cpu["kernels"]) / size)
                    row["control"] += [r["control"] for r in learners]
                    if chromium["control"] is None:
                        row["chromium_failed"] += 1
                    else:
                        row["chromium"].append(chromium["control"])
                    row["before"].append(sum(before))
                    row["after"].append(sum(after))
                    row["kernels"].append(len(after))
                    row["per_kernel"].append(statistics.median(after))
                    if fill is not None:
                        row["fill"].append(fill)
                    print(f"N={size} {'class pool' if class_pool else 'baseline'}: "
                          f"{summary(row['control'])}", file=sys.stderr)
    return results


def seconds(stats: dict) -> str:
    return f"{stats['median']:.2f} / {stats['p90']:.2f} / {stats['max']:.2f}"


def label(size: int, class_pool: bool) -> str:
    return f"class pool ({size})" if class_pool else "baseline (1)"


def section(results: dict) -> str:
    load = ", ".join(f"{value:.1f}" for value in results["load"])
    median = statistics.median
    lines = [
        START,
        "## A class opening the portal at once (`benchmarks/class_open.py`)",
        "",
        f"Run on {date.today().isoformat()}, {os.cpu_count()} CPU(s), Python "
        f"{platform.python_version()}, load average {load} at the start (other work on "
        f"the machine); {results['runs']} run(s). For each class size N, two fresh `make "
        "apps` servers, each with its pool full before anyone arrives: the baseline as "
        "`make apps` starts without a class list (one preheated kernel per app), and the "
        "class pool, the same with a class list of N learners (N preheated kernels for the "
        "portal). Then N learners open the portal at the same moment.",
        "",
        "N − 1 learners are simulated over HTTP and the kernel's websocket, as the page "
        "script does it: *page complete* is the whole HTML received; *widgets ready* is when "
        "the widgets' state has arrived over ipywidgets' control comm, what the page needs "
        "to draw its first control (the learner's own phone then draws it). One learner is "
        "a real page in Debian's Chromium (Playwright), timed from navigation to its first "
        "usable control. Thirty Chromium pages on two cores would measure the browsers, not "
        "the server. *Empty* counts pages whose app output never arrived.",
        "",
        "| N | pool | page complete (s) median / p90 / max | widgets ready (s) median / "
        "p90 / max | Chromium: first control (s) | empty |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for size in results["sizes"]:
        stats = {}
        for class_pool in (False, True):
            row = results["rows"][(size, class_pool)]
            page, control = summary(row["page"]), summary(row["control"])
            chromium = max(row["chromium"], default=math.inf)
            stats[class_pool] = (control, chromium)
            shown = f"{median(row['chromium']):.2f}" if row["chromium"] else "–"
            if row["chromium_failed"]:
                shown += f" ({row['chromium_failed']} never showed a control)"
            lines.append(f"| {size} | {label(size, class_pool)} | {seconds(page)} | "
                         f"{seconds(control)} | {shown} | {row['empty']} |")
        (base, base_chromium), (pool, pool_chromium) = stats[False], stats[True]
        row = results["rows"][(size, True)]
        # The CPU the class pool still needs once learners arrive, spread over every core:
        # no order of work brings the last page in sooner.
        floor = size * (statistics.median(row["server_cpu"])
                        + statistics.median(row["kernel_cpu"])) / (os.cpu_count() or 1)
        verdicts.append((size, pool["median"] / base["median"], pool["max"] / base["max"],
                         pool_chromium / base_chromium, max(pool["max"], pool_chromium),
                         floor))
    lines += [
        "",
        "Memory and CPU: kernel RSS summed over the server's kernels before the class "
        "arrives and once every page is ready; CPU time (user + system) spent while the "
        "class arrived, per learner, by the Voila process and by the kernels (kernels "
        "started meanwhile count whole).",
        "",
        "| N | pool | kernels after | kernel RSS before → after (MB) | RSS per kernel (MB) "
        "| CPU per learner: Voila / kernels (s) | pool filled in (s) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in results["sizes"]:
        for class_pool in (False, True):
            row = results["rows"][(size, class_pool)]
            fill = f"{max(row['fill']):.0f}" if row["fill"] else "–"
            lines.append(
                f"| {size} | {label(size, class_pool)} | {median(row['kernels']):.0f} | "
                f"{median(row['before']):,.0f} → {median(row['after']):,.0f} | "
                f"{median(row['per_kernel']):.0f} | {median(row['server_cpu']):.2f} / "
                f"{median(row['kernel_cpu']):.2f} | {fill} |")
    lines += ["", "Class pool against the baseline in the same run:", ""]
    for size, median_ratio, max_ratio, chromium_ratio, slowest, floor in verdicts:
        lines.append(f"- N = {size}: widgets ready median {median_ratio:.2f}x, slowest "
                     f"learner {max_ratio:.2f}x, Chromium's first control "
                     f"{chromium_ratio:.2f}x; slowest with the class pool {slowest:.2f} s "
                     f"(target: under {TARGET:.0f} s for every learner): "
                     + ("met" if slowest < TARGET else "missed")
                     + f". The CPU the class pool still spends per learner, spread over "
                     f"{os.cpu_count()} cores, alone takes {floor:.1f} s for {size} learners.")
    lines.append(END)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    text = section(measure(args.sizes, args.runs))
    print(text)
    if not args.no_write:
        write_section("class_open", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
