"""Which person a page is for: the URL's query, also in Voila's preheated kernels."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from kynangso.ui.session import page_query


def test_page_query_reads_the_url_outside_voila(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "nguoi=an&ma=TRUCLAM-251110-0001")
    assert page_query() == {"nguoi": "an", "ma": "TRUCLAM-251110-0001"}


def test_page_query_waits_once_for_voilas_request_in_a_preheated_kernel(monkeypatch):
    # Voila 0.5's protocol: the kernel connects to voila/query/<kernel id> and receives
    # the request's variables as one JSON message.
    from websockets.sync.server import serve

    paths = []

    def hand_over(socket):
        paths.append(socket.request.path)
        socket.send(json.dumps({"QUERY_STRING": "nguoi=chi-hoa&ma=TRUCLAM-251110-0002"}))

    with serve(hand_over, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        monkeypatch.setenv("VOILA_APP_PORT", str(server.socket.getsockname()[1]))
        monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
        monkeypatch.setenv("VOILA_SERVER_URL", "/")
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.delenv("VOILA_WS_BASE_URL", raising=False)
        monkeypatch.delenv("QUERY_STRING", raising=False)
        assert page_query()["ma"] == "TRUCLAM-251110-0002"
        assert page_query()["nguoi"] == "chi-hoa"
        server.shutdown()
    assert paths == ["/voila/query/k-1"]  # a second wait would block: Voila sends it once


def test_a_preheated_kernel_without_voila_opens_with_the_defaults(monkeypatch):
    monkeypatch.setenv("VOILA_APP_PORT", "9")  # nothing listens there
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-2")
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.delenv("QUERY_STRING", raising=False)
    assert page_query() == {}


def test_an_app_kernel_never_imports_voila_or_sqlalchemy(tmp_path):
    # Each costs a preheated app kernel tens of MB (docs/benchmarks.md).
    code = ("import sys, os\n"
            f"os.environ['KYNANGSO_STORE'] = {str(tmp_path / 's.sqlite')!r}\n"
            "from kynangso.ui import backoffice, kiosk, portal, trader, vneid, wallet\n"
            "kiosk.kiosk_app(); portal.portal_app(); backoffice.backoffice_app()\n"
            "vneid.vneid_app(); wallet.wallet_app(); trader.trader_app()\n"
            "heavy = {m.split('.')[0] for m in sys.modules} & "
            "{'voila', 'sqlalchemy', 'holidays', 'jupyter_server', 'pandas'}\n"
            "assert not heavy, heavy\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_server_that_is_not_voila_leaves_the_defaults(monkeypatch):
    from websockets.sync.server import serve

    with serve(lambda socket: socket.send("not json"), "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        monkeypatch.setenv("VOILA_APP_PORT", str(server.socket.getsockname()[1]))
        monkeypatch.setenv("VOILA_KERNEL_ID", "k-3")
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.delenv("QUERY_STRING", raising=False)
        assert page_query() == {}
        server.shutdown()
