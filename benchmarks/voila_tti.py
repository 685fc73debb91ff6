"""Time to interactive of each Voila app, cold and preheated, beside stock Voila.

Run ``python benchmarks/voila_tti.py [--runs N]``. In one run it measures, in Debian's
Chromium driven by Playwright, the time from navigation to the first usable control:

- reference: stock Voila (its own template, no preheating, none of our config) serving
  benchmarks/reference/one_widget.ipynb, a single IntSlider; cold kernel each load;
- each app in apps/ served by ``make apps`` with preheating turned off (cold), and with
  our configuration (a preheated kernel per app);

and the resident memory (RSS) of the kernel that served each page beside the reference
kernel (a bare ipywidgets kernel). Medians of ``--runs`` loads, after one uncounted load
per page. Targets: cold <= 1.0x the reference cold, preheated <= 0.7x the reference
cold, RSS <= 1.3x. Writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import psutil  # noqa: E402

from kynangso.sandbox.store import Sandbox  # noqa: E402

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, VoilaServer, _wait_http  # noqa: E402
from helpers import free_port  # noqa: E402
from report import markers, write_section  # noqa: E402

APP_READY = ".kns-root button:not([disabled]), .kns-root input:not([disabled])"
REFERENCE_READY = ".widget-slider, .jupyter-widget-slider, .widget-hslider"
START, END = markers("voila")


class StockVoila:
    """Stock Voila on the reference notebook: no project config, no preheating.

    ``project=True`` serves the same notebook with the project's configuration instead
    (template, preheated pool): how fast a Voila page can be here, for context.
    """

    def __init__(self, workdir: Path, *, project: bool = False):
        self.port = free_port()
        self.workdir = workdir
        self.project = project
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> StockVoila:
        env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
        env["JUPYTER_CONFIG_DIR"] = str(self.workdir / "stock-config")
        config = "[]"
        if self.project:
            env["JUPYTER_PATH"] = str(ROOT / "share" / "jupyter")
            config = f"['{ROOT / 'etc' / 'voila'}']"
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "voila"), str(ROOT / "benchmarks" / "reference"
                                                       / "one_widget.ipynb"),
             "--no-browser", f"--port={self.port}", "--Voila.ip=127.0.0.1",
             f"--Voila.config_file_paths={config}"],
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


def kernel_processes(pid: int) -> list[psutil.Process]:
    found = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


def load(browser, url: str, selector: str, server_pid: int) -> tuple[float, float]:
    """Seconds from navigation to the first usable control, and the RSS (MB) of the
    kernel serving the page once it has settled."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    began = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(selector).first.wait_for(state="visible", timeout=120_000)
    elapsed = time.perf_counter() - began
    kernel_id = page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    time.sleep(0.5)  # let the kernel finish what the page asked for
    rss = page_kernel_rss(server_pid, kernel_id)
    context.close()
    return elapsed, rss


def page_kernel_rss(server_pid: int, kernel_id: str) -> float:
    for kernel in kernel_processes(server_pid):
        if f"kernel-{kernel_id}.json" in " ".join(kernel.cmdline()):
            return kernel.memory_info().rss / 2**20
    raise RuntimeError(f"no kernel process for {kernel_id}")


def sample(browser, url: str, selector: str, server_pid: int, runs: int,
           pause: float = 0) -> tuple[float, float]:
    """Median seconds and kernel RSS of ``runs`` loads, after one load that is not
    counted (a server's first page also compiles its templates)."""
    times, rss = [], []
    for index in range(runs + 1):
        time.sleep(pause)
        elapsed, memory = load(browser, url, selector, server_pid)
        if index:
            times.append(elapsed)
            rss.append(memory)
    return statistics.median(times), statistics.median(rss)


def measure(runs: int, apps: list[str] | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    apps = apps or sorted(p.stem for p in (ROOT / "apps").glob("*.ipynb"))
    results: dict = {"apps": {}, "runs": runs}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        work = Path(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=CHROMIUM_ARGS)
        store = work / "bench.sqlite"
        Sandbox.open(store, start=datetime(2025, 11, 10, 8, 0), clock_running=False).close()

        with StockVoila(work) as stock:
            results["reference"] = sample(browser, stock.url(), REFERENCE_READY,
                                          stock.proc.pid, runs)
        # Context, not a target: the same notebook, preheated with the project's
        # configuration, is about as fast as a Voila page can be on this machine.
        with StockVoila(work, project=True) as stock:
            results["reference_warm"] = sample(browser, stock.url(), REFERENCE_READY,
                                               stock.proc.pid, runs, pause=10)[0]

        with VoilaServer(store, extra="--VoilaConfiguration.preheat_kernel=False") as cold:
            for app in apps:
                seconds, rss = sample(browser, cold.url(app), APP_READY, cold.proc.pid, runs)
                results["apps"][app] = {"cold": seconds, "rss": rss}

        with VoilaServer(store) as warm:
            for app in apps:
                # The pool refills 3 s after a load (fill_delay), then preheats.
                seconds, rss = sample(browser, warm.url(app), APP_READY, warm.proc.pid, runs,
                                      pause=10)
                results["apps"][app].update(warm=seconds, rss_warm=rss)
        browser.close()
    return results


def section(results: dict) -> str:
    ref_time, ref_rss = results["reference"]
    lines = [
        START,
        "## Voila apps: time to first usable control and kernel memory (`benchmarks/voila_tti.py`)",
        "",
        f"Run on {date.today().isoformat()}, {os.cpu_count()} CPU(s), Python "
        f"{platform.python_version()}, Debian Chromium via Playwright; median of "
        f"{results['runs']} loads each.",
        "",
        f"Reference: stock Voila serving a one-widget notebook, cold kernel: "
        f"**{ref_time:.2f} s**, kernel RSS **{ref_rss:.0f} MB**. For context, the same "
        f"notebook served preheated with the project's configuration: "
        f"{results['reference_warm']:.2f} s ({results['reference_warm'] / ref_time:.2f}x).",
        "",
        "RSS is the kernel that served the page, cold and preheated; the ratio takes the larger.",
        "",
        "| app | cold (s) | cold / ref | preheated (s) | preheated / ref "
        "| RSS cold (MB) | RSS preheated (MB) | RSS / ref |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for app, r in results["apps"].items():
        cold, warm = r["cold"] / ref_time, r["warm"] / ref_time
        rss = max(r["rss"], r["rss_warm"]) / ref_rss
        lines.append(f"| {app} | {r['cold']:.2f} | {cold:.2f}x | {r['warm']:.2f} | "
                     f"{warm:.2f}x | {r['rss']:.0f} | {r['rss_warm']:.0f} | {rss:.2f}x |")
        verdicts.append((app, cold <= 1.0, warm <= 0.7, rss <= 1.3))
    lines += ["", "Targets: cold <= 1.0x, preheated <= 0.7x of the reference cold time; "
              "RSS <= 1.3x the reference kernel.", ""]
    for app, c, w, m in verdicts:
        missed = [name for name, ok in (("cold", c), ("preheated", w), ("RSS", m)) if not ok]
        lines.append(f"- {app}: " + ("all targets met" if not missed
                                     else "missed: " + ", ".join(missed)))
    lines.append(END)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--apps", nargs="*", help="app names (default: every apps/*.ipynb)")
    args = parser.parse_args(argv)
    text = section(measure(args.runs, args.apps))
    print(text)
    if not args.no_write:
        write_section("voila", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
