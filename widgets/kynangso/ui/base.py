"""What every simulator screen shares: the practice banner, a phone or desktop frame,
settings for older residents (bigger text, high contrast), one message area, and a
guard so that no traceback ever reaches a trainee's screen.

Screens are built from frozen domain values; callbacks go through :meth:`Screen.guard`.
Tests drive a screen in the kernel: set a widget's ``value`` and call ``.click()``.
"""

from __future__ import annotations

import html
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ..errors import KnsError
from ..i18n import N_, _, get_language, set_language, translate

if TYPE_CHECKING:
    from ..sandbox.store import Sandbox

log = logging.getLogger("kynangso.ui")

CSS = """
<style>
.kns-root { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; color: #1b1b1b;
  --kns-accent: #0b5394; --kns-bg: #ffffff; background: var(--kns-bg); }
.kns-root.kns-phone { width: 390px; max-width: 100%; min-height: 700px; border: 12px solid #1f2933;
  border-radius: 32px; padding: 10px 12px 18px 12px; box-sizing: border-box; }
.kns-root.kns-desktop { width: 100%; max-width: 1180px; border: 1px solid #c8c8c8;
  border-radius: 6px; padding: 10px 16px; box-sizing: border-box; }
.kns-banner { background: #fff4ce; border: 2px solid #9a5b00; color: #4a2c00; border-radius: 6px;
  padding: 6px 10px; font-weight: 600; line-height: 1.35; }
.kns-title { font-size: 1.35em; font-weight: 700; color: var(--kns-accent); margin: 6px 0; }
.kns-msg-error { background: #fde8e8; border-left: 5px solid #b3261e; color: #5f1410;
  padding: 6px 10px; border-radius: 4px; }
.kns-msg-ok { background: #e6f4ea; border-left: 5px solid #137333; color: #0b3d1c;
  padding: 6px 10px; border-radius: 4px; }
.kns-msg-info { background: #e8f0fe; border-left: 5px solid #0b5394; color: #0b2a4a;
  padding: 6px 10px; border-radius: 4px; }
.kns-card { border: 1px solid #c8c8c8; border-radius: 10px; padding: 10px 12px; margin: 6px 0; }
.kns-big { font-size: 2.6em; font-weight: 800; color: var(--kns-accent); letter-spacing: 2px; }
.kns-muted { color: #5a5a5a; font-size: 0.92em; }
.kns-root .widget-button, .kns-root .jupyter-button { min-height: 40px; font-size: 1em; }
.kns-root .widget-label, .kns-root input, .kns-root select, .kns-root textarea,
.kns-root .widget-html, .kns-root .widget-checkbox label { font-size: 1em; }
.kns-root :focus-visible { outline: 3px solid #f59e0b !important; outline-offset: 2px; }
.kns-size-1 { font-size: 118%; } .kns-size-2 { font-size: 140%; }
.kns-contrast { --kns-bg: #000000; --kns-accent: #ffd400; background: #000 !important;
  color: #ffffff !important; }
.kns-contrast .kns-card { border-color: #ffffff; }
.kns-contrast .kns-muted { color: #e0e0e0; }
.kns-contrast .widget-label, .kns-contrast .widget-html-content,
.kns-contrast .widget-checkbox label, .kns-contrast .widget-label-basic,
.kns-contrast .widget-inline-hbox label { color: #ffffff !important; }
.kns-table { border-collapse: collapse; width: 100%; }
.kns-table th, .kns-table td { border: 1px solid #c8c8c8; padding: 4px 8px; text-align: left; }
.kns-early { background: #e6f4ea; } .kns-ontime { background: #fff8e1; }
.kns-late { background: #fde8e8; }
</style>
"""

UNEXPECTED = N_("Đã có lỗi ngoài dự kiến. Dữ liệu của bạn vẫn được giữ nguyên. "
                "Hãy thử lại, hoặc báo cho giảng viên.")


def esc(text: object) -> str:
    """Escape user text before it goes into an HTML widget."""
    return html.escape(str(text))


def practice_banner() -> W.HTML:
    return W.HTML(
        '<div class="kns-banner" role="note">'
        + esc(_("MÔI TRƯỜNG TẬP DƯỢT — mọi dữ liệu ở đây là giả lập. Không bao giờ nhập số CCCD, "
                "mã OTP hay mã PIN ngân hàng thật."))
        + "</div>")


class Screen(ABC):
    """Base of a simulator screen. Subclasses set ``title`` and ``frame`` and fill
    :meth:`render`; every callback goes through :meth:`guard` (``self.button`` does it).
    """

    title = N_("Kỹ Năng Số")  # N_(): translated where shown, after a language switch too
    frame = "phone"  # or "desktop"
    screen_id = "screen"

    def __init__(self, box: Sandbox):
        self.box = box
        self.message = W.HTML(layout=W.Layout(min_height="0"))
        self.message.add_class("kns-message")
        self.body = W.VBox()
        self.heading = W.HTML()
        self.size = W.ToggleButtons(options=[("A", 0), ("A+", 1), ("A++", 2)], value=0,
                                    style={"button_width": "64px"})
        self.contrast = W.Checkbox(value=False, indent=False)
        self.language = W.Dropdown(options=[("Tiếng Việt", "vi"), ("English", "en")],
                                   value=get_language(), layout=W.Layout(width="130px"))
        self.size.observe(self.guard(lambda _c: self._apply_style()), "value")
        self.contrast.observe(self.guard(lambda _c: self._apply_style()), "value")
        self.language.observe(self.guard(self._switch_language), "value")
        self.settings = W.HBox([self.size, self.contrast, self.language],
                               layout=W.Layout(flex_flow="row wrap", align_items="center"))
        self.banner = practice_banner()
        self.widget = W.VBox([W.HTML(CSS), self.banner, self.heading, self.settings,
                              self.body, self.message])
        self.widget.add_class("kns-root")
        self.widget.add_class(f"kns-{self.frame}")
        self.widget.add_class(f"kns-app-{self.screen_id}")
        self._label_settings()
        self.box.record("screen.opened", self.screen_id)
        self.guard(self.render)()

    # -- shared widgets ------------------------------------------------------------

    def _label_settings(self) -> None:
        # The page script words its own notices (connection lost...) by this class.
        if get_language() == "en":
            self.widget.add_class("kns-lang-en")
        else:
            self.widget.remove_class("kns-lang-en")
        title = esc(translate(self.title))
        self.heading.value = f'<div class="kns-title" role="heading">{title}</div>'
        self.size.description = _("Cỡ chữ")
        self.size.tooltips = [_("Chữ thường"), _("Chữ lớn"), _("Chữ rất lớn")]
        self.contrast.description = _("Tương phản cao")

    def _apply_style(self) -> None:
        for cls in ("kns-size-1", "kns-size-2", "kns-contrast"):
            self.widget.remove_class(cls)
        if self.size.value:
            self.widget.add_class(f"kns-size-{self.size.value}")
        if self.contrast.value:
            self.widget.add_class("kns-contrast")

    def _switch_language(self, change: dict) -> None:
        set_language(change["new"])
        self.banner.value = practice_banner().value
        self._label_settings()
        self.render()

    def button(self, label: str, on_click: Callable[[], Any], *, style: str = "",
               tooltip: str = "", width: str | None = None) -> W.Button:
        """A button whose handler cannot leak a traceback."""
        button = W.Button(description=label, button_style=style, tooltip=tooltip or label,
                          layout=W.Layout(width=width) if width else W.Layout())
        button.on_click(self.guard(lambda _b: on_click()))
        return button

    @staticmethod
    def html(content: str, *classes: str) -> W.HTML:
        widget = W.HTML(content)
        for cls in classes:
            widget.add_class(cls)
        return widget

    @staticmethod
    def text(label: str, *, value: str = "", placeholder: str = "", password: bool = False,
             width: str = "100%") -> W.Text:
        kind = W.Password if password else W.Text
        return kind(value=value, description=label, placeholder=placeholder,
                    style={"description_width": "initial"}, layout=W.Layout(width=width))

    def show(self, *children: W.Widget) -> None:
        self.body.children = tuple(children)

    # -- messages and the guard ------------------------------------------------------

    def _say(self, kind: str, text: str) -> None:
        role = "alert" if kind == "error" else "status"
        self.message.value = (f'<div class="kns-msg-{kind}" role="{role}" aria-live="polite">'
                              f"{esc(text)}</div>")

    def error(self, text: str) -> None:
        self._say("error", text)

    def ok(self, text: str) -> None:
        self._say("ok", text)

    def info(self, text: str) -> None:
        self._say("info", text)

    def clear(self) -> None:
        self.message.value = ""

    @property
    def message_text(self) -> str:
        """The message shown, as plain text (for tests)."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self.message.value))

    def guard(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a callback: a person's mistake shows its Vietnamese message; anything
        else is logged (and written to the event log) and shown as a friendly message."""
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except KnsError as exc:
                self.error(str(exc))
            except Exception as exc:
                log.exception("unexpected error in %s", self.screen_id)
                try:
                    self.box.record("ui.error", self.screen_id, error=repr(exc)[:500])
                except Exception:
                    log.exception("could not log the error")
                self.error(translate(UNEXPECTED))
            return None

        return wrapped

    @abstractmethod
    def render(self) -> None:
        """Build the first view (also called again after a language switch)."""

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]],
          row_classes: Sequence[str] | None = None) -> str:
    """An accessible HTML table with escaped cells."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
    return (f'<table class="kns-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")
