"""The apps server of `make apps`: Voila over apps/, made ready for a class.

Usage (the Makefile's `apps` target runs it; `--` separates Voila's own options):

    python scripts/apps_server.py [--host H] [--port P] [--cull-idle S]
                                  [--class-app NAME] -- [VOILA OPTIONS...]

Before Voila serves, it

- finds the class code: ``KYNANGSO_CLASS_CODE`` if set, else ``ma-lop.txt`` in the
  store's folder (``classroom/`` for `make apps`), written with a new random code on
  the first start; every kernel gets it as ``KYNANGSO_CLASS_CODE``;
- reads the class list (``lop.csv`` beside the store): with one, the first app of the
  session (``--class-app``, the portal by default) gets a preheated pool with a kernel
  per learner, started one after another so the pool is full before learners arrive;
  once learners take them, the pool stays at the usual one kernel instead of refilling
  to the class size (that would double the memory while the class works);
- culls a kernel only after ``--cull-idle`` seconds without activity (a phone that locks
  or a volunteer who stops to explain keeps the app), unless Voila's options say;
- lists the apps with their Vietnamese titles on Voila's file list (the template's
  tree page reads them from the page config this adds);

and once it listens, prints in Vietnamese the address to give learners (the machine's
LAN addresses with ``--host 0.0.0.0``) and the class code.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import secrets
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "apps"
DEFAULT_STORE = ROOT / "classroom" / "sandbox.sqlite"
CODE_FILE = "ma-lop.txt"
ROSTER_FILE = "lop.csv"
CODE_ENV = "KYNANGSO_CLASS_CODE"
# No 0/O, 1/I/L: a code read aloud or copied from a projector is typed right first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4
# A preheated app kernel's resident memory (docs/benchmarks.md, voila_tti).
KERNEL_MB = 57
# Seconds between the starts of the class pool's kernels: about one kernel's CPU on two
# cores, so they start about as fast as if all began at once, without 30 processes
# fighting for the CPUs (and the first ones are ready early).
FILL_STAGGER = 0.5
# Keep this share of the free memory for everything else.
MEMORY_SHARE = 0.8


# -- class code ------------------------------------------------------------------------


def new_code() -> str:
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
              for _ in range(CODE_GROUPS))
    return "-".join(groups)


def class_code(folder: Path, environ: dict[str, str]) -> tuple[str, str]:
    """The class code and where it comes from: the environment, else the folder's file
    (created with a new code when absent or empty)."""
    given = environ.get(CODE_ENV, "").strip()
    if given:
        return given, CODE_ENV
    path = folder / CODE_FILE
    if path.exists():
        code = path.read_text(encoding="utf-8").strip()
        if code:
            return code, str(path)
    code = new_code()
    folder.mkdir(parents=True, exist_ok=True)
    # Only the trainer's account reads it: it unlocks the trainer role.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(code + "\n")
    return code, str(path)


# -- store folder and class list -------------------------------------------------------


def store_folder(store: str | None) -> Path:
    """The folder of the store (where the class list and code live); a server URL's
    class keeps them in classroom/."""
    if not store:
        return DEFAULT_STORE.parent
    if "://" in store:
        if store.startswith("sqlite:///") and len(store) > len("sqlite:///"):
            return Path(store.removeprefix("sqlite:///")).parent
        return DEFAULT_STORE.parent
    path = Path(store).expanduser()
    return path if path.is_dir() else path.parent


def class_size(folder: Path) -> tuple[int, str | None]:
    """Learners on the class list (0 without one), and a message when it is unreadable."""
    from kynangso.errors import DataFileError
    from kynangso.sandbox.classroom import read_roster

    try:
        return len(read_roster(folder / ROSTER_FILE)), None
    except DataFileError as error:  # it names the file and the row
        return 0, f"Không đọc được danh sách lớp: {error}"


def affordable(size: int) -> int:
    """How many kernels the free memory holds, at most ``size``."""
    import psutil

    free_mb = psutil.virtual_memory().available / 2**20
    return max(1, min(size, int(free_mb * MEMORY_SHARE // KERNEL_MB)))


def gigabytes(count: int) -> str:
    """Memory of ``count`` kernels, as Vietnamese writes it ("1,7 GB", "570 MB")."""
    megabytes = count * KERNEL_MB
    if megabytes < 1000:
        return f"{megabytes} MB"
    return f"{megabytes / 1024:.1f} GB".replace(".", ",")


# -- addresses -------------------------------------------------------------------------


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses a classroom LAN reaches (no loopback, no
    link-local), in interface order."""
    import psutil

    found = []
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family != socket.AF_INET:
                continue
            ip = ipaddress.IPv4Address(address.address)
            if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified):
                found.append(str(ip))
    return list(dict.fromkeys(found))


def learner_urls(host: str, port: int) -> list[str]:
    if host in ("0.0.0.0", "", "::"):
        hosts = lan_addresses()
    else:
        hosts = [host]
    return [f"http://{h}:{port}/" for h in hosts]


def announcement(host: str, port: int, code: str, code_source: str) -> list[str]:
    lines = ["", "Kỹ Năng Số — các ứng dụng tập dượt đã mở."]
    urls = learner_urls(host, port)
    local = host in ("127.0.0.1", "localhost", "::1")
    if local:
        lines.append(f"Địa chỉ trên máy này: {urls[0]}")
        lines.append("Chỉ máy này mở được. Để học viên trong lớp vào qua mạng LAN: "
                     "make apps HOST=0.0.0.0")
    elif urls:
        lines.append("Địa chỉ cho học viên (gõ vào trình duyệt trên điện thoại hoặc máy tính "
                     "cùng mạng):")
        lines += [f"    {url}" for url in urls]
        lines.append(f"Trên máy này: http://127.0.0.1:{port}/")
    else:
        lines.append("Máy này chưa có địa chỉ mạng LAN (chưa nối Wi-Fi hoặc cáp mạng?). "
                     f"Trên máy này: http://127.0.0.1:{port}/")
    where = "biến môi trường " + CODE_ENV if code_source == CODE_ENV else code_source
    lines.append(f"Mã lớp (chỉ dành cho giảng viên): {code}  (lưu ở {where})")
    return lines


# -- Voila -----------------------------------------------------------------------------


def notebook_titles(folder: Path, root: Path) -> dict[str, str]:
    """Vietnamese titles (``metadata.kynangso.title``) of the notebooks in ``folder``,
    keyed by their path from ``root`` as Voila's file list names them."""
    titles = {}
    for notebook in sorted(folder.glob("*.ipynb")):
        try:
            meta = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
        except (OSError, ValueError):
            continue
        title = (meta.get("kynangso") or {}).get("title")
        if isinstance(title, str) and title.strip():
            titles[notebook.relative_to(root).as_posix()] = title.strip()
    return titles


def given(options: Sequence[str], name: str) -> bool:
    """Whether Voila's options already set ``name`` (traitlets refuses it twice)."""
    return any(o == name or o.startswith(name + "=") for o in options)


def voila_argv(args: argparse.Namespace) -> list[str]:
    extra = list(args.voila)
    argv = [str(APPS), "--no-browser", f"--Voila.ip={args.host}", f"--Voila.port={args.port}",
            "--Voila.port_retries=0", f"--Voila.config_file_paths={ROOT / 'etc' / 'voila'}"]
    if args.cull_idle is not None:
        cull = {"--MappingKernelManager.cull_idle_timeout": args.cull_idle,
                # Often enough for a short timeout, at most once a minute.
                "--MappingKernelManager.cull_interval": max(1, min(60, args.cull_idle // 4))}
        argv += [f"{name}={value}" for name, value in cull.items() if not given(extra, name)]
    return argv + extra


def make_app_class() -> Any:
    from tornado.ioloop import IOLoop, PeriodicCallback
    from voila import app as voila_app

    # Named as Voila's own class: its log lines keep their "[Voila]" prefix.
    class Voila(voila_app.Voila):
        """Voila with a class-sized pool for one app and the trainer's announcement."""

        classroom: ClassVar[dict[str, Any]] = {}

        def init_settings(self) -> dict:
            self.voila_configuration.page_config_hook = self._page_config
            settings = super().init_settings()
            self._class_tasks: list = []
            self._fill_class_pool()
            return settings

        def _fill_class_pool(self) -> None:
            size, app = self.classroom.get("pool", 0), self.classroom.get("app")
            manager = self.kernel_manager
            if size <= 1 or not app or not hasattr(manager, "kernel_pools_config"):
                return
            notebook = f"{app}.ipynb"
            usual = dict(manager.kernel_pools_config)
            if notebook in usual:  # the configuration names this app's pool: it wins
                return
            default = usual.get("default", {})
            # The manager started the usual pool (one kernel); add the rest one by one.
            for count in range(2, size + 1):
                manager.kernel_pools_config = {**usual,
                                               notebook: {**default, "pool_size": count}}
                manager.fill_if_needed(delay=(count - 1) * FILL_STAGGER,
                                       notebook_name=notebook)
            # Refills after a page takes a kernel follow the usual size: the pool drains
            # as the class arrives instead of growing back to the class's size.
            manager.kernel_pools_config = usual
            self._class_tasks = list(manager._pools.get(notebook, []))

        def _page_config(self, page_config: dict, **kwargs: Any) -> dict:
            # Voila's file list shows each notebook's Vietnamese title (tree.html.j2).
            path = Path(self.root_dir) / (kwargs.get("notebook_path") or "")
            if path.is_dir():
                page_config["knsTitles"] = notebook_titles(path, Path(self.root_dir))
            return page_config

        def init_handlers(self) -> list:
            from tornado import web
            from voila.handler import BaseVoilaHandler

            class NotFound(BaseVoilaHandler):
                """Any other address: the template's Vietnamese 404 page, not tornado's
                English one."""

                def get(self, *args: Any) -> None:
                    raise web.HTTPError(404)

                post = put = delete = get

            return [*super().init_handlers(),
                    (r".*", NotFound, {"voila_configuration": self.voila_configuration})]

        def start(self) -> None:
            IOLoop.current().add_callback(self._announce)
            super().start()

        def _announce(self) -> None:
            room = self.classroom
            lines = announcement(self.ip, self.port, room["code"], room["code_source"])
            lines += room.get("pool_lines", [])
            print("\n".join(lines), flush=True)
            if self._class_tasks:
                began = time.monotonic()

                def ready() -> None:
                    tasks = self._class_tasks
                    if not all(task.done() for task in tasks):
                        return
                    checker.stop()
                    failed = sum(1 for t in tasks if t.cancelled() or t.exception())
                    print(f"Đã sẵn sàng {len(tasks) - failed} phiên cho ứng dụng "
                          f"{room['app']} sau {time.monotonic() - began:.0f} giây: "
                          "học viên có thể mở.", flush=True)
                    if failed:
                        print(f"{failed} phiên không khởi động được (xem nhật ký phía trên); "
                              "học viên đến sau sẽ chờ lâu hơn một chút.", flush=True)

                checker = PeriodicCallback(ready, 1000)
                checker.start()

    return Voila


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--cull-idle", type=int, default=3600,
                        help="seconds an unused app kernel is kept (0: never culled)")
    parser.add_argument("--class-app", default="portal",
                        help="the app the class opens first; empty: no class pool")
    parser.add_argument("--print-code", action="store_true",
                        help="print the class code (made on first use) and stop: `make start`")
    parser.add_argument("--store", default=None, help="the store (default KYNANGSO_STORE)")
    parser.add_argument("voila", nargs="*", help="Voila's own options, after --")
    args = parser.parse_args(argv)
    if args.cull_idle < 0:
        parser.error("--cull-idle: số giây, 0 hoặc lớn hơn")

    folder = store_folder(args.store or os.environ.get("KYNANGSO_STORE"))
    code, source = class_code(folder, dict(os.environ))
    if args.print_code:
        print(code)
        return 0
    os.environ[CODE_ENV] = code  # every kernel inherits the server's environment

    room: dict[str, Any] = {"code": code, "code_source": source, "app": args.class_app,
                            "pool": 0, "pool_lines": []}
    learners, problem = class_size(folder)
    if problem:
        room["pool_lines"].append(problem + " Các ứng dụng vẫn mở, mỗi ứng dụng chuẩn bị "
                                  "sẵn một phiên.")
    if learners and args.class_app:
        if not (APPS / f"{args.class_app}.ipynb").exists():
            room["pool_lines"].append(
                f"Không có ứng dụng {args.class_app} trong apps/ (CLASS_APP): không chuẩn bị "
                "phiên cho cả lớp.")
        elif given(args.voila, "--VoilaConfiguration.preheat_kernel=False"):
            room["pool_lines"].append("Không chuẩn bị sẵn phiên (preheat_kernel=False).")
        else:
            pool = affordable(learners)
            room["pool"] = pool
            roster = folder / ROSTER_FILE
            room["pool_lines"].append(
                f"Lớp có {learners} học viên ({roster}): đang chuẩn bị sẵn {pool} phiên cho "
                f"ứng dụng {args.class_app}, cần khoảng {gigabytes(pool)} bộ nhớ.")
            if pool < learners:
                room["pool_lines"].append(
                    f"Máy không đủ bộ nhớ cho {learners} phiên: {learners - pool} học viên "
                    "đến sau sẽ chờ lâu hơn một chút.")

    app_class = make_app_class()
    app_class.classroom = room
    app_class.launch_instance(argv=voila_argv(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
