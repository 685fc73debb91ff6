"""What happens to an app's kernel when its page goes: a closed page shuts it down at
once, with a request that carries the XSRF token; a page that never says goodbye (a
crashed browser, a dropped Wi-Fi) leaves it to the culler."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import uuid

import pytest

from browser_helpers import VoilaServer, browser_page, open_app, wait_until

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("voila")]

REFUSED = re.compile(r"^(\[Voila\] )?403 [A-Z]+ /", re.M)  # the server's log of a 403
PAGE_CONFIG = "JSON.parse(document.getElementById('jupyter-config-data').textContent)"


def test_a_closed_page_shuts_its_kernel_down_with_its_xsrf_token(voila, who):
    baseline = voila.settled_kernels()
    log_start = len(voila.log_text())
    refused: list[tuple[int, str]] = []
    with browser_page({"width": 480, "height": 900}) as (page, rec):
        page.on("response", lambda r: refused.append((r.status, r.url))
                if r.status >= 400 else None)
        open_app(page, voila.url("kiosk", f"nguoi={who('nguoi-dan')}"))
        kernel_id = page.evaluate(f"{PAGE_CONFIG}.kernelId")
        assert voila.kernel_alive(kernel_id)
        page.close()
        assert wait_until(lambda: not voila.kernel_alive(kernel_id))
        assert wait_until(lambda: voila.kernels() <= baseline)
    assert refused == [] and rec.console_errors == [] and rec.page_errors == []
    # The browser no longer reports a closed page's requests; the server's log does: the
    # page's request stopped the kernel (not the culler), and nothing was refused.
    log = voila.log_text()[log_start:]
    assert f"Kernel shutdown: {kernel_id}" in log
    assert not [line for line in log.splitlines() if "Culling" in line and kernel_id in line]
    assert not REFUSED.search(log) and "xsrf" not in log.lower()


def test_a_shutdown_request_without_the_token_is_refused(voila):
    # XSRF checking is on (etc/voila/voila.json no longer disables it): another site
    # cannot make a trainee's browser stop a kernel.
    request = urllib.request.Request(f"{voila.base}/voila/api/shutdown/{uuid.uuid4()}",
                                     data=b"", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    # What the closed-page test looks for in the log, were its request refused.
    assert REFUSED.search(voila.log_text())


@pytest.fixture(scope="module")
def culling(tmp_path_factory):
    """`make apps` with a culler that acts within seconds (the shared server keeps the
    classroom's hour (make apps CULL_IDLE, 3600 s by default), and no preheated pool, which only slows
    the start and is not what this tests."""
    store = tmp_path_factory.mktemp("culling") / "sandbox.sqlite"
    with VoilaServer(store, extra="--MappingKernelManager.cull_idle_timeout=4 "
                                  "--MappingKernelManager.cull_interval=1 "
                                  "--VoilaConfiguration.preheat_kernel=False") as server:
        yield server


# As if the browser crashed or the Wi-Fi dropped: the page never sends its goodbye.
NO_GOODBYE = """
const add = window.addEventListener;
window.addEventListener = function (type, ...rest) {
  if (type !== 'pagehide') return add.call(this, type, ...rest);
};
"""


def test_kernels_of_pages_that_never_said_goodbye_are_culled(culling):
    baseline = culling.settled_kernels()
    with browser_page() as (page, _):
        page.add_init_script(NO_GOODBYE)
        for n in range(10):
            open_app(page, culling.url("kiosk", f"nguoi=nguoi-dan-{n}"))
        page.goto("about:blank")
    culled = "seconds of inactivity"  # the culler's log line, one per kernel
    assert wait_until(lambda: culling.log_text().count(culled) >= 10, timeout=90)
    assert "Kernel shutdown" not in culling.log_text().split(culled)[0]
    assert wait_until(lambda: culling.kernels() <= baseline)
