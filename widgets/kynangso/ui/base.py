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
  --kns-accent: #0b5394; --kns-bg: #ffffff; background: var(--kns-bg);
  --kns-base: 16px; font-size: calc(var(--kns-base) * var(--kns-scale, 1));
  line-height: 1.45; box-sizing: border-box; max-width: 100%; overflow-wrap: anywhere;
  /* ipywidgets' own rules read these: its 13 px text and pale borders follow the screen. */
  --jp-widgets-font-size: 1em; --jp-widgets-label-color: #1b1b1b;
  --jp-widgets-input-color: #1b1b1b; --jp-widgets-input-background-color: #ffffff;
  --jp-widgets-input-border-color: #5f6b7a; --jp-widgets-input-focus-border-color: #0b5394; }
/* A+ and A++ scale the frame's own base (a percentage would scale the page's 13 px). */
.kns-root.kns-size-1 { --kns-scale: 1.18; } .kns-root.kns-size-2 { --kns-scale: 1.4; }
.kns-root * { box-sizing: border-box; }
/* A phone is drawn only on a wide screen; on a real phone the app fills the screen. */
.kns-root.kns-phone { width: 100%; max-width: 430px; padding: 8px 10px 16px 10px; }
@media (min-width: 600px) {
  .kns-root.kns-phone { width: 414px; min-height: 700px; border: 12px solid #1f2933;
    border-radius: 32px; }
}
/* A website (the portal): full width, content kept readable on a desktop. */
.kns-root.kns-web { width: 100%; max-width: 1100px; padding: 8px 12px; }
@media (min-width: 900px) {
  .kns-root.kns-web { border: 1px solid #c8c8c8; border-radius: 6px; padding: 12px 24px; }
  .kns-root.kns-web .kns-columns { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
}
.kns-root.kns-kiosk { width: 100%; max-width: 1080px; padding: 12px 20px; --kns-base: 20px; }
.kns-root.kns-desktop { width: 100%; max-width: 1180px; border: 1px solid #c8c8c8;
  border-radius: 6px; padding: 10px 16px; }
.kns-banner { background: #fff4ce; border: 2px solid #9a5b00; color: #4a2c00; border-radius: 6px;
  padding: 6px 10px; font-weight: 600; line-height: 1.35; }
.kns-person { color: #1b1b1b; margin: 4px 0; }
.kns-root h1.kns-title { font-size: 1.35em; font-weight: 700; color: var(--kns-accent);
  margin: 6px 0; line-height: 1.3; }
.kns-root h2.kns-step { font-size: 1.15em; font-weight: 700; margin: 6px 0; color: #1b1b1b; }
.kns-msg-error { background: #fde8e8; border-left: 5px solid #b3261e; color: #5f1410;
  padding: 6px 10px; border-radius: 4px; }
.kns-msg-ok { background: #e6f4ea; border-left: 5px solid #137333; color: #0b3d1c;
  padding: 6px 10px; border-radius: 4px; }
.kns-msg-info { background: #e8f0fe; border-left: 5px solid #0b5394; color: #0b2a4a;
  padding: 6px 10px; border-radius: 4px; }
.kns-card { border: 1px solid #c8c8c8; border-radius: 10px; padding: 10px 12px; margin: 6px 0; }
.kns-big { font-size: 2.6em; font-weight: 800; color: var(--kns-accent); letter-spacing: 2px; }
.kns-muted { color: #4f4f4f; font-size: 0.92em; }
.kns-more summary { cursor: pointer; color: #0b5394; text-decoration: underline;
  min-height: 44px; display: flex; align-items: center; }
/* Touch targets of 44 px or more, readable text (ipywidgets fixes 13 px). */
.kns-root .widget-button, .kns-root .jupyter-button { min-height: 44px; font-size: 1em;
  height: auto; line-height: 1.25; white-space: normal; padding: 6px 12px; }
.kns-root .jupyter-button { background: #e4e7eb; color: #1b1b1b; border: 1px solid #5f6b7a; }
.kns-root .jupyter-button.mod-primary, .kns-root .jupyter-button.mod-info,
.kns-root .jupyter-button.mod-active { background: #0b5394; color: #ffffff; }
.kns-root .jupyter-button.mod-success { background: #137333; color: #ffffff; }
.kns-root .jupyter-button.mod-warning { background: #8a4b00; color: #ffffff; }
.kns-root .jupyter-button.mod-danger { background: #b3261e; color: #ffffff; }
.kns-root .widget-toggle-buttons .widget-toggle-button { min-width: 64px; white-space: nowrap; }
.kns-root .kns-forget { width: auto; max-width: 100%; }
/* Not available yet: said by a dashed border and grey words that stay readable (4.5:1),
   not by ipywidgets' 60 % opacity (about 3:1 on a coloured button). */
.kns-root .jupyter-widgets.jupyter-button:disabled { opacity: 1; background: #f1f3f5;
  color: #4f5a66; border: 1px dashed #5f6b7a; cursor: not-allowed; }
.kns-root .widget-text input:disabled, .kns-root .widget-textarea textarea:disabled,
.kns-root .widget-dropdown > select:disabled { opacity: 1; background: #f1f3f5;
  color: #3d4650; }
/* "width: 100%" plus ipywidgets' 2 px margins ran 4 px past the frame: keep them inside. */
.kns-root .jupyter-widgets[style*="width: 100%"] {
  width: calc(100% - 2 * var(--jp-widgets-margin)) !important; }
.kns-root .widget-toggle-button.mod-active, .kns-root .jupyter-button.mod-active {
  background: #0b5394; color: #ffffff; box-shadow: none; }
.kns-root .widget-label, .kns-root input, .kns-root select, .kns-root textarea,
.kns-root .widget-html, .kns-root .widget-html-content, .kns-root .widget-checkbox label,
.kns-root .widget-label-basic { font-size: 1em; line-height: 1.4; }
.kns-root .widget-html-content { white-space: normal; }
/* A field's label wraps rather than running off a phone or ending in "…". */
.kns-root .widget-inline-hbox > .widget-label { white-space: normal; max-width: 100%;
  height: auto; overflow-wrap: anywhere; }
.kns-root .widget-inline-hbox, .kns-root .widget-text, .kns-root .widget-dropdown,
.kns-root .widget-textarea { height: auto; min-height: 44px; flex-wrap: wrap; max-width: 100%; }
/* Text and empty HTML widgets (a style sheet, an empty message) take no 44 px line. */
.kns-root .widget-inline-hbox.widget-html { min-height: 0; }
/* The floor for a finger, above a screen's own sizes (two classes outweigh theirs). */
.kns-root.kns-root .widget-text input, .kns-root.kns-root .widget-dropdown > select,
.kns-root.kns-root .widget-select > select { min-height: 44px; height: auto; max-width: 100%; }
.kns-root .widget-checkbox input[type="checkbox"] { width: 24px; height: 24px; }
.kns-root .widget-checkbox { min-height: 44px; align-items: center; width: auto;
  max-width: 100%; }
.kns-root .widget-checkbox .widget-label-basic { min-height: 44px; display: inline-flex;
  align-items: center; cursor: pointer; white-space: normal; }
.kns-root .widget-radio-box label { min-height: 44px; height: auto; display: flex;
  align-items: center; line-height: 1.3; }
.kns-root ::placeholder { color: #5f6b7a; opacity: 1; }
/* Tabs: readable labels on a 44 px tab; the current one is marked by more than colour. */
.kns-root .jupyter-widgets.jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab {
  min-height: 44px; font-size: 1em; line-height: 1.3; padding: 8px 12px; align-items: center;
  flex: 0 1 auto; background: #e4e7eb; color: #1b1b1b; border-color: #5f6b7a; }
.kns-root .jupyter-widgets.jupyter-widget-tab > .lm-TabBar .lm-TabBar-tabLabel {
  white-space: normal; overflow: visible; }
.kns-root .jupyter-widgets.jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab.lm-mod-current {
  background: #ffffff; color: #0b5394; font-weight: 700; }
.kns-root .jupyter-widgets.jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab.lm-mod-current:before {
  background: #0b5394; height: 4px; }
.kns-root .jupyter-widgets.jupyter-widget-tab > .widget-tab-contents { background: transparent;
  color: inherit; border-color: #5f6b7a; padding: 10px; }
/* ipywidgets removes the focus outline (outline: none !important): put a visible one back. */
.kns-root.kns-root input:focus, .kns-root.kns-root select:focus, .kns-root.kns-root textarea:focus,
.kns-root.kns-root button:focus-visible, .kns-root.kns-root summary:focus-visible,
.kns-root.kns-root [tabindex]:focus-visible, .kns-root.kns-root a:focus-visible {
  outline: 3px solid #b45309 !important; outline-offset: 2px; }
.kns-root .kns-invalid input, .kns-root .kns-invalid select, .kns-root .kns-invalid textarea {
  border: 2px solid #b3261e !important; }
.kns-bridge-host { display: none !important; }
.kns-contrast { --kns-bg: #000000; --kns-accent: #ffd400; background: #000 !important;
  color: #ffffff !important; --jp-widgets-label-color: #ffffff;
  --jp-widgets-input-color: #ffffff; --jp-widgets-input-background-color: #000000;
  --jp-widgets-input-border-color: #ffffff; --jp-widgets-input-focus-border-color: #ffd400; }
.kns-root.kns-contrast ::placeholder { color: #c8c8c8; }
.kns-contrast { --jp-widgets-dropdown-arrow: url("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 18 18'><path fill='white' d='M5.2 5.9 9 9.7l3.8-3.8 1.2 1.2-4.9 5-4.9-5z'/></svg>"); }
/* Pictures drawn for a white page (charts, QR codes) keep their white ground. */
.kns-contrast img { background: #ffffff; }
.kns-contrast .jupyter-widgets.jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab {
  background: #000000; color: #ffffff; border-color: #ffffff; }
.kns-contrast .jupyter-widgets.jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab.lm-mod-current {
  background: #ffd400; color: #000000; }
.kns-contrast .jupyter-widgets.jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab.lm-mod-current:before {
  background: #ffffff; }
.kns-contrast .jupyter-widgets.jupyter-widget-tab > .widget-tab-contents { border-color: #ffffff; }
.kns-contrast .kns-card { border-color: #ffffff; }
.kns-contrast .kns-muted, .kns-contrast .kns-person, .kns-contrast h2.kns-step { color: #ffffff; }
.kns-contrast .kns-more summary, .kns-contrast a { color: #ffd400; }
.kns-contrast .widget-label, .kns-contrast .widget-html-content,
.kns-contrast .widget-checkbox label, .kns-contrast .widget-label-basic,
.kns-contrast .widget-inline-hbox label { color: #ffffff !important; }
.kns-contrast .jupyter-button, .kns-contrast .jupyter-button.mod-primary,
.kns-contrast .jupyter-button.mod-info, .kns-contrast .jupyter-button.mod-success,
.kns-contrast .jupyter-button.mod-warning, .kns-contrast .jupyter-button.mod-danger {
  background: #000000; color: #ffffff; border: 2px solid #ffffff; }
.kns-contrast .jupyter-button.mod-active { background: #ffd400; color: #000000; }
.kns-contrast .jupyter-widgets.jupyter-button:disabled { background: #000000; color: #c8c8c8;
  border: 2px dashed #c8c8c8; }
.kns-contrast .widget-text input:disabled, .kns-contrast .widget-textarea textarea:disabled,
.kns-contrast .widget-dropdown > select:disabled { background: #1a1a1a; color: #e0e0e0; }
.kns-contrast input, .kns-contrast select, .kns-contrast textarea { background: #000000;
  color: #ffffff; border: 2px solid #ffffff; }
.kns-contrast .kns-msg-error, .kns-contrast .kns-msg-ok, .kns-contrast .kns-msg-info,
.kns-contrast .kns-banner { background: #000000; color: #ffffff; border-color: #ffd400; }
.kns-contrast .kns-table th, .kns-contrast .kns-table td { border-color: #ffffff; }
/* Pale status colours keep their meaning in high contrast: dark text on them. */
.kns-contrast .kns-early, .kns-contrast .kns-ontime, .kns-contrast .kns-late,
.kns-contrast .kns-early *, .kns-contrast .kns-ontime *, .kns-contrast .kns-late * {
  color: #000000 !important; }
.kns-table { border-collapse: collapse; width: 100%; table-layout: auto; }
.kns-table th, .kns-table td { border: 1px solid #c8c8c8; padding: 4px 8px; text-align: left;
  overflow-wrap: anywhere; vertical-align: top; }
.kns-scroll { max-width: 100%; overflow-x: auto; }
/* An HTML widget is a flex item: without min-width 0 a wide table stretches it past the
   screen (and out of reach) instead of scrolling inside its .kns-scroll box. */
.kns-root .widget-html, .kns-root .widget-html > .widget-html-content { min-width: 0;
  max-width: 100%; }
/* A++: every cell wraps, so no table is wider than the screen; on a phone each row
   becomes a card of "heading: value" lines (the page script copies the headings into
   data-label), rather than columns one letter wide. */
.kns-root.kns-size-2 .kns-table th, .kns-root.kns-size-2 .kns-table td { white-space: normal; }
@media (max-width: 600px) {
  .kns-root.kns-size-2 .kns-table, .kns-root.kns-size-2 .kns-table tbody,
  .kns-root.kns-size-2 .kns-table tr, .kns-root.kns-size-2 .kns-table td {
    display: block; width: 100%; }
  .kns-root.kns-size-2 .kns-table thead { position: absolute; width: 1px; height: 1px;
    overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  .kns-root.kns-size-2 .kns-table tr { border: 1px solid #5f6b7a; border-radius: 6px;
    margin: 0 0 8px 0; }
  .kns-root.kns-size-2 .kns-table td { border: none; border-bottom: 1px dotted #c8c8c8; }
  .kns-root.kns-size-2 .kns-table td[data-label]::before { content: attr(data-label);
    display: block; font-weight: 700; }
  .kns-contrast.kns-size-2 .kns-table tr { border-color: #ffffff; }
}
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

    ``frame``: "phone" (a real phone app: VNeID, wallets, the trader's), "web" (a
    website: the portal), "kiosk" (the centre's large touch screen) or "desktop" (the
    back office). A phone is drawn around the screen only on a wide display.
    """

    title = N_("Kỹ Năng Số")  # N_(): translated where shown, after a language switch too
    frame = "phone"
    screen_id = "screen"
    shows_person = True  # "Bạn đang tập với tên: …" (not on a wall display or the gate)

    def __init__(self, box: Sandbox):
        from . import session

        self.box = box
        prefs = session.preferences()
        if prefs.language and prefs.language != get_language():
            set_language(prefs.language)
        self.message = W.HTML(layout=W.Layout(min_height="0"))
        self.message.add_class("kns-message")
        self.body = W.VBox()
        self.heading = W.HTML()
        self.person = W.HTML()
        # "initial": a label as wide as its words, never cut to "Ngôn …" at A++.
        self.size = W.ToggleButtons(options=[("A", 0), ("A+", 1), ("A++", 2)], value=prefs.size,
                                    style={"button_width": "auto",
                                           "description_width": "initial"})
        self.contrast = W.Checkbox(value=prefs.contrast, indent=False)
        self.language = W.Dropdown(options=[("Tiếng Việt", "vi"), ("English", "en")],
                                   value=get_language(), layout=W.Layout(width="auto"),
                                   style={"description_width": "initial"})
        self.size.observe(self.guard(self._change_style), "value")
        self.contrast.observe(self.guard(self._change_style), "value")
        self.language.observe(self.guard(self._switch_language), "value")
        self.settings = W.HBox([self.size, self.contrast, self.language],
                               layout=W.Layout(flex_flow="row wrap", align_items="center"))
        self.banner = practice_banner()
        self._bridge = W.HTML()
        self._bridge.add_class("kns-bridge-host")
        self._nonce = 0
        self._commands: list[str] = []
        self._invalid_fields: list[W.Widget] = []
        self.forget_button: W.Button | None = None
        top: list[W.Widget] = [W.HTML(CSS), self.banner, self.heading]
        if self.shows_person:
            self.forget_button = self.button(_("Đổi người tập"), self.forget_person)
            self.forget_button.add_class("kns-forget")  # as wide as its words
            top.append(W.HBox([self.person, self.forget_button],
                              layout=W.Layout(flex_flow="row wrap", align_items="center")))
        self.widget = W.VBox([*top, self.settings, self.body, self.message, self._bridge])
        self.widget.add_class("kns-root")
        self.widget.add_class(f"kns-{self.frame}")
        self.widget.add_class(f"kns-app-{self.screen_id}")
        self._label_settings()
        self._apply_style()
        self.opened()
        self._ready = False  # the first view is not a "new step": focus stays put
        self.guard(self.render)()
        self._ready = True

    def opened(self) -> None:
        self.box.record("screen.opened", self.screen_id)

    # -- shared widgets ------------------------------------------------------------

    def _label_settings(self) -> None:
        # The page script words its own notices (connection lost...) by this class.
        if get_language() == "en":
            self.widget.add_class("kns-lang-en")
        else:
            self.widget.remove_class("kns-lang-en")
        title = esc(translate(self.title))
        self.heading.value = f'<h1 class="kns-title">{title}</h1>'
        self.size.description = _("Cỡ chữ")
        self.size.tooltips = [_("Chữ thường"), _("Chữ lớn"), _("Chữ rất lớn")]
        self.contrast.description = _("Tương phản cao")
        self.language.description = _("Ngôn ngữ")
        if self.forget_button is not None:
            self.forget_button.description = _("Đổi người tập")
            self.forget_button.tooltip = _("Không phải bạn? Nhập tên người đang tập")
        self._show_person()

    def _show_person(self) -> None:
        if not self.shows_person:
            return
        from .session import display_name

        self.person.value = ('<div class="kns-person">' + esc(
            _("Bạn đang tập với tên: {name}").format(name=display_name(self.box))) + "</div>")

    def _apply_style(self) -> None:
        for cls in ("kns-size-1", "kns-size-2", "kns-contrast"):
            self.widget.remove_class(cls)
        if self.size.value:
            self.widget.add_class(f"kns-size-{self.size.value}")
        if self.contrast.value:
            self.widget.add_class("kns-contrast")

    def _remember_preferences(self) -> None:
        from .session import PREFS_COOKIE, Preferences

        prefs = Preferences(self.size.value, self.contrast.value, self.language.value)
        self.page_command(cookies={PREFS_COOKIE: prefs.cookie()})

    def _change_style(self, _change: dict) -> None:
        self._apply_style()
        self._remember_preferences()

    def _switch_language(self, change: dict) -> None:
        set_language(change["new"])
        self._remember_preferences()  # first: the page may be left as soon as it reads English
        self.banner.value = practice_banner().value
        self._label_settings()
        self.render()

    def page_command(self, *, cookies: dict[str, str | None] | None = None,
                     focus: str | None = None, go: str | None = None) -> None:
        """Ask the page script to write cookies (None deletes), move focus ("step",
        "invalid") or reload ("reload"; "fresh" drops ?nguoi= from the URL). The last few
        commands stay in the bridge, so two sent at once both arrive."""
        import json

        self._nonce += 1
        attributes = [f'data-nonce="{id(self):x}-{self._nonce}"']
        if cookies:
            attributes.append(f"data-cookies='{esc(json.dumps(cookies))}'")
        if focus:
            attributes.append(f'data-focus="{esc(focus)}"')
        if go:
            attributes.append(f'data-go="{esc(go)}"')
        self._commands = [*self._commands[-7:],
                          f'<span class="kns-bridge" {" ".join(attributes)}></span>']
        self._bridge.value = "".join(self._commands)

    def forget_person(self) -> None:
        """Another learner takes this browser: forget the name and start again."""
        from .session import NAME_COOKIE, PERSON_COOKIE

        self.page_command(cookies={PERSON_COOKIE: None, NAME_COOKIE: None}, go="fresh")

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

    @staticmethod
    def choice(label: str, options: Sequence[tuple[str, Any]], *, value: Any = None,
               width: str = "100%") -> W.Dropdown:
        """A drop-down that starts on "Chưa chọn" (value None), never on a silent first
        option a learner may not notice."""
        pairs = [(_("Chưa chọn"), None), *[(str(k), v) for k, v in options]]
        dropdown = W.Dropdown(options=pairs, value=value, description=label,
                              style={"description_width": "initial"},
                              layout=W.Layout(width=width))
        if value is None:
            dropdown.index = 0  # ipywidgets reads value None as "no selection": a blank box
        return dropdown

    @staticmethod
    def numeric(widget: W.Widget, max_length: int) -> W.Widget:
        """Ask for a numeric keypad and at most ``max_length`` characters (page script)."""
        widget.add_class("kns-numeric")
        widget.add_class(f"kns-max-{int(max_length)}")
        return widget

    @staticmethod
    def step_title(text: str) -> W.HTML:
        """A step's heading: focus moves here when the step is shown."""
        return W.HTML(f'<h2 class="kns-step" tabindex="-1">{esc(text)}</h2>')

    def show(self, *children: W.Widget) -> None:
        self._unmark_invalid()
        self.body.children = tuple(children)
        if getattr(self, "_ready", False):
            self.page_command(focus="step")

    # -- messages and the guard ------------------------------------------------------

    def _say(self, kind: str, text: str) -> None:
        # The message area itself is the page's one polite live region (page script).
        self.message.value = f'<div class="kns-msg-{kind}">{esc(text)}</div>'

    def _unmark_invalid(self) -> None:
        for widget in self._invalid_fields:
            widget.remove_class("kns-invalid")
        self._invalid_fields = []

    def error(self, text: str) -> None:
        self._say("error", text)

    def field_error(self, widget: W.Widget, text: str) -> None:
        """An error about one field: shown in the message area, the field marked invalid
        (aria-invalid, described by the message) and focused."""
        self._unmark_invalid()
        widget.add_class("kns-invalid")
        self._invalid_fields.append(widget)
        self._say("error", text)
        self.page_command(focus="invalid")

    def mark_invalid(self, *widgets: W.Widget) -> None:
        """Mark more fields invalid beside the one ``field_error`` named (a form with
        several wrong boxes); the next message or step removes every mark."""
        for widget in widgets:
            widget.add_class("kns-invalid")
            self._invalid_fields.append(widget)

    def ok(self, text: str) -> None:
        self._unmark_invalid()
        self._say("ok", text)

    def info(self, text: str) -> None:
        self._unmark_invalid()
        self._say("info", text)

    def clear(self) -> None:
        self._unmark_invalid()
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


def more(plain: str, details: str) -> str:
    """HTML: plain words for a resident, the details (sources, "chưa kiểm chứng") one tap
    away for the official or trainer beside them."""
    return (f'<div class="kns-more-plain">{esc(plain)}</div>'
            f'<details class="kns-more"><summary>{esc(_("Xem chi tiết"))}</summary>'
            f'<div class="kns-muted">{esc(details)}</div></details>')


def table(headers: Sequence[str], rows: Sequence[Sequence[object]],
          row_classes: Sequence[str] | None = None) -> str:
    """An accessible HTML table with escaped cells."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
    return (f'<div class="kns-scroll"><table class="kns-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")
