"""`make apps` as a trainer runs it (scripts/apps_server.py): the class code, the address
for learners, where it listens, culling and a pool sized to the class list.

The launcher's helpers are tested directly first; then real servers on free ports.
"""

from __future__ import annotations

import argparse
import importlib.util
import ipaddress
import json
import os
import re
import stat
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field

import psutil
import pytest

from browser_helpers import VoilaServer, wait_until
from helpers import ROOT

CODE = re.compile(r"^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$")
APPS = sorted(p.stem for p in (ROOT / "apps").glob("*.ipynb"))


def _launcher():
    spec = importlib.util.spec_from_file_location("apps_server", ROOT / "scripts" / "apps_server.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("apps_server", module)
    spec.loader.exec_module(module)
    return module


launcher = _launcher()


# -- the launcher's pieces ---------------------------------------------------------------


def test_class_codes_are_long_random_and_unambiguous():
    codes = {launcher.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(CODE.match(code) for code in codes)
    assert not set("".join(codes)) & set("01ILO")


def test_the_class_code_is_made_once_then_read_back(tmp_path):
    code, source = launcher.class_code(tmp_path, {})
    path = tmp_path / "ma-lop.txt"
    assert CODE.match(code) and source == str(path)
    assert path.read_text(encoding="utf-8").strip() == code
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it unlocks the trainer role
    assert launcher.class_code(tmp_path, {}) == (code, str(path))


def test_a_class_code_in_the_environment_wins(tmp_path):
    (tmp_path / "ma-lop.txt").write_text("FILE-CODE-AAAA\n", encoding="utf-8")
    env = {"KYNANGSO_CLASS_CODE": "TEST-CODE-2345"}
    assert launcher.class_code(tmp_path, env) == ("TEST-CODE-2345", "KYNANGSO_CLASS_CODE")
    assert (tmp_path / "ma-lop.txt").read_text(encoding="utf-8") == "FILE-CODE-AAAA\n"


def test_the_store_folder_of_a_path_a_folder_and_a_url(tmp_path):
    folder = launcher.store_folder
    assert folder(str(tmp_path / "sandbox.sqlite")) == tmp_path
    assert folder(str(tmp_path)) == tmp_path
    assert folder(f"sqlite:///{tmp_path}/lop.sqlite") == tmp_path
    assert folder("postgresql://lop@db/kns") == ROOT / "classroom"
    assert folder(None) == ROOT / "classroom"


def test_the_class_size_is_the_class_lists_rows(tmp_path):
    assert launcher.class_size(tmp_path) == (0, None)
    (tmp_path / "lop.csv").write_text(
        "nguoi,ho_ten,vai\nlan-1a2b,Nguyễn Thị Lan,trainee\nbinh-3c4d,Trần Văn Bình,official\n",
        encoding="utf-8")
    assert launcher.class_size(tmp_path) == (2, None)


def test_memory_is_said_as_vietnamese_writes_it():
    assert launcher.gigabytes(30) == "1,7 GB"
    assert launcher.gigabytes(3) == "171 MB"


def test_lan_addresses_leave_out_loopback():
    for address in launcher.lan_addresses():
        ip = ipaddress.IPv4Address(address)
        assert not ip.is_loopback and not ip.is_link_local


def test_voila_options_given_by_hand_win_over_the_launchers():
    args = argparse.Namespace(
        host="127.0.0.1", port=8866, cull_idle=3600,
        voila=["--MappingKernelManager.cull_idle_timeout=4"])
    argv = launcher.voila_argv(args)
    assert [a for a in argv if "cull_idle_timeout" in a] == [
        "--MappingKernelManager.cull_idle_timeout=4"]
    assert "--MappingKernelManager.cull_interval=60" in argv


def test_voila_passes_the_browsers_cookies_and_culls_after_an_hour():
    config = json.loads((ROOT / "etc" / "voila" / "voila.json").read_text(encoding="utf-8"))
    assert "Cookie" in config["VoilaConfiguration"]["http_header_envs"]
    assert config["MappingKernelManager"]["cull_idle_timeout"] >= 3600
    assert "CULL_IDLE ?= 3600" in (ROOT / "Makefile").read_text(encoding="utf-8")


# -- real servers ------------------------------------------------------------------------


def launcher_process(apps: VoilaServer) -> psutil.Process:
    assert apps.proc is not None
    for child in psutil.Process(apps.proc.pid).children(recursive=True):
        if "apps_server.py" in " ".join(child.cmdline()):
            return child
    raise AssertionError("no scripts/apps_server.py process under make")


def listening(apps: VoilaServer) -> set[str]:
    process = launcher_process(apps)
    return {c.laddr.ip for c in process.net_connections(kind="inet")
            if c.status == psutil.CONN_LISTEN and c.laddr.port == apps.port}


def kernel_environ(apps: VoilaServer) -> list[dict[str, str]]:
    found = []
    for child in launcher_process(apps).children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                found.append(child.environ())
        except psutil.NoSuchProcess:
            continue
    return found


@dataclass
class MakeApps(VoilaServer):
    """`make apps` with the make variables and environment a trainer would give it
    (VoilaServer sets the browser tests' own class code)."""

    variables: dict[str, str] = field(default_factory=dict)
    environ: dict[str, str] = field(default_factory=dict)

    def start(self) -> MakeApps:
        self.log = self.store.parent / f"voila-{self.port}.log"
        env = {k: v for k, v in os.environ.items()
               if k not in ("KYNANGSO_CLASS_CODE", "HOST", "CULL_IDLE", "CLASS_APP")}
        env["JUPYTER_CONFIG_DIR"] = str(self.store.parent / "jupyter-config")
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "apps", f"APPS_PORT={self.port}",
             f"KYNANGSO_STORE={self.store}",
             *(f"{name}={value}" for name, value in self.variables.items())],
            cwd=ROOT, stdout=self.log.open("w"), stderr=subprocess.STDOUT, text=True,
            start_new_session=True, env={**env, **self.environ})
        assert wait_until(lambda: "Mã lớp" in self.log_text() or self.proc.poll() is not None,
                          timeout=120)
        assert self.proc.poll() is None, self.log_text()
        return self


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    """`make apps` as it starts by default, with a class list of three."""
    store = tmp_path_factory.mktemp("apps-local") / "sandbox.sqlite"
    store.parent.joinpath("lop.csv").write_text(
        "nguoi,ho_ten,vai\nlan-1a2b,Lan,trainee\nhoa-3c4d,Hoa,trainee\nbinh-5e6f,Bình,official\n",
        encoding="utf-8")
    with MakeApps(store, variables={"CULL_IDLE": "120"}) as apps:
        assert wait_until(lambda: "Đã sẵn sàng" in apps.log_text(), timeout=120), apps.log_text()
        yield apps


@pytest.mark.server
@pytest.mark.xdist_group("servers")
def test_make_apps_prints_the_local_address_and_the_class_code(local):
    log = local.log_text()
    code = (local.store.parent / "ma-lop.txt").read_text(encoding="utf-8").strip()
    assert CODE.match(code)
    assert f"Mã lớp (chỉ dành cho giảng viên): {code}" in log
    assert f"Địa chỉ trên máy này: http://127.0.0.1:{local.port}/" in log
    assert "make apps HOST=0.0.0.0" in log  # how to open it to the class
    # Every kernel knows the code (the trainer role checks it).
    kernels = kernel_environ(local)
    assert kernels and all(k.get("KYNANGSO_CLASS_CODE") == code for k in kernels)


@pytest.mark.server
@pytest.mark.xdist_group("servers")
def test_by_default_it_listens_on_this_machine_only(local):
    assert listening(local) == {"127.0.0.1"}


@pytest.mark.server
@pytest.mark.xdist_group("servers")
def test_culling_waits_as_long_as_make_says(local):
    assert "idle durations > 120 seconds at 30 second intervals" in local.log_text()


@pytest.mark.server
@pytest.mark.xdist_group("servers")
def test_a_class_list_fills_a_pool_for_the_first_app_that_does_not_grow_back(local):
    log = local.log_text()
    assert "Lớp có 3 học viên" in log and "chuẩn bị sẵn 3 phiên cho ứng dụng portal" in log
    assert "171 MB" in log
    assert "Đã sẵn sàng 3 phiên cho ứng dụng portal" in log
    # Three for the portal, one for every other app.
    assert local.settled_kernels() == 3 + len(APPS) - 1
    # A learner opens the portal: a pooled kernel serves the page and none replaces it
    # (two are still waiting), so the class's kernels stay what the class needs.
    with urllib.request.urlopen(local.url("portal", "nguoi=lan-1a2b"), timeout=120) as page:
        assert page.status == 200 and "jupyter-config-data" in page.read().decode("utf-8")
    assert "Using pre-heated kernel" in local.log_text()
    time.sleep(5)  # longer than fill_delay (3 s): a refill would have started
    assert local.settled_kernels() == 3 + len(APPS) - 1


@pytest.fixture(scope="module")
def lan(tmp_path_factory):
    """`make apps HOST=0.0.0.0` with a class code set by hand."""
    store = tmp_path_factory.mktemp("apps-lan") / "sandbox.sqlite"
    with MakeApps(store, variables={"HOST": "0.0.0.0"},
                  environ={"KYNANGSO_CLASS_CODE": "LOP1-THU2-BA34"}) as apps:
        yield apps


@pytest.mark.server
@pytest.mark.xdist_group("servers")
def test_host_0000_serves_the_lan_and_names_its_addresses(lan):
    log = lan.log_text()
    assert listening(lan) == {"0.0.0.0"}
    assert "Mã lớp (chỉ dành cho giảng viên): LOP1-THU2-BA34" in log
    assert not (lan.store.parent / "ma-lop.txt").exists()
    addresses = launcher.lan_addresses()
    if not addresses:
        pytest.skip("this machine has no non-loopback IPv4 address")
    assert "Địa chỉ cho học viên" in log
    for address in addresses:
        assert f"http://{address}:{lan.port}/" in log
    # Learners reach it at that address.
    with urllib.request.urlopen(f"http://{addresses[0]}:{lan.port}/", timeout=30) as page:
        assert "Các ứng dụng tập dượt" in page.read().decode("utf-8")


def test_the_class_code_file_is_not_in_git():
    # classroom/ holds the practice world and the code: neither belongs in the repository.
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "classroom/" in ignored or "classroom" in ignored.split()
