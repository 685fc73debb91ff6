// The page script of the Kỹ Năng Số Voila apps.
//
// Voila's own page starts a whole JupyterLab front end (about 90 files, 4.3 MB) to show
// a few widgets; on the classroom's two-core machines that took most of a page's time.
// This script does only what the apps need: connect to the page's kernel, load the
// widget models ipywidgets already holds, and draw the cells' outputs. The apps use the
// standard controls only; any other widget module is reported, not silently dropped.

import { ManagerBase } from '@jupyter-widgets/base-manager';
import * as base from '@jupyter-widgets/base';
import * as controls from '@jupyter-widgets/controls';
import { KernelConnection } from '@jupyterlab/services/lib/kernel/default';
import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import { Widget } from '@lumino/widgets';

import '@jupyter-widgets/controls/css/labvariables.css';
import '@jupyter-widgets/controls/css/widgets-base.css';
// Lumino's own rules: without them a Tab, Accordion or Stack shows every child at once.
import '@lumino/widgets/style/index.css';
import './page.css';

const WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json';
const CELL_OUTPUT = 'script[type="application/vnd.voila.cell-output+json"]';
const MODULES = {
  '@jupyter-widgets/base': base,
  '@jupyter-widgets/controls': controls,
};

// Trainees read these; the screens' own text comes from the Python message catalogue.
// A screen switched to English marks its root `kns-lang-en` (kynangso.ui.base.Screen).
const MESSAGES = {
  vi: {
    broken: 'Không hiển thị được phần này của ứng dụng. Hãy tải lại trang; ' +
      'nếu vẫn lỗi, báo cho giảng viên. Dữ liệu tập dượt đã lưu không bị mất.',
    lost: 'Mất kết nối với máy chủ tập dượt. Đang thử kết nối lại… ' +
      'Hồ sơ và giao dịch đã lưu vẫn còn.',
    gone: 'Ứng dụng đã dừng (để lâu không dùng, hoặc máy chủ vừa khởi động lại). ' +
      'Bấm “Tải lại trang” để tiếp tục: bạn sẽ quay về đúng bước đang làm.',
    restarted: 'Ứng dụng vừa được khởi động lại. Bấm “Tải lại trang” để tiếp tục; ' +
      'hồ sơ và giao dịch đã lưu vẫn còn.',
    reload: 'Tải lại trang',
    scroll: 'Bảng, vuốt ngang để xem hết',
  },
  en: {
    broken: 'This part of the app cannot be shown. Reload the page; if it still ' +
      'fails, tell your trainer. Saved practice data is not lost.',
    lost: 'The connection to the practice server was lost. Reconnecting… ' +
      'Saved dossiers and payments are still there.',
    gone: 'The app has stopped (unused for a long time, or the server restarted). ' +
      'Press “Reload page” to carry on: you will come back to the step you were on.',
    restarted: 'The app has just restarted. Press “Reload page” to carry on; saved ' +
      'dossiers and payments are still there.',
    reload: 'Reload page',
    scroll: 'Table, swipe sideways to see all of it',
  },
};

function message(key) {
  const language = document.querySelector('.kns-lang-en') ? 'en' : 'vi';
  return MESSAGES[language][key];
}

class Manager extends ManagerBase {
  constructor(kernel) {
    super();
    this.kernel = kernel;
    // Screens create widgets after the page has loaded (a new step, a receipt).
    kernel.registerCommTarget(this.comm_target_name, (comm, msg) =>
      this.handle_comm_open(new base.shims.services.Comm(comm), msg));
  }

  async loadClass(className, moduleName) {
    const cls = MODULES[moduleName]?.[className];
    if (!cls) throw new Error(`widget ${moduleName} ${className} is not in the page bundle`);
    return cls;
  }

  async _create_comm(targetName, modelId, data, metadata, buffers) {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) comm.open(data, metadata, buffers);
    return new base.shims.services.Comm(comm);
  }

  async _get_comm_info() {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === 'ok' ? reply.content.comms : {};
  }

  loadFromKernel() {
    return this._loadFromKernel();
  }
}

function notice(text, className) {
  const el = document.createElement('div');
  el.className = `kns-page-notice ${className}`;
  el.setAttribute('role', 'alert');
  el.textContent = text;
  return el;
}

// One banner at the top of the page, replaced as the connection changes; a kernel that
// is gone gets one button, which reloads the page (the screen restores its step).
function announce(text, { reload = false } = {}) {
  document.getElementById('kns-connection')?.remove();
  if (!text) return;
  const el = notice(text, 'kns-page-connection');
  el.id = 'kns-connection';
  if (reload) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'kns-reload';
    button.textContent = message('reload');
    button.addEventListener('click', () => window.location.reload());
    el.append(' ', button);
  }
  document.body.prepend(el);
  if (reload) el.querySelector('button').focus();
}

// Streams and errors arrive as HTML (the template words errors); the rest as data.
async function renderOutput(manager, output, el) {
  const data = output.data || {};
  if (data[WIDGET_VIEW]) {
    const model = await manager.get_model(data[WIDGET_VIEW].model_id);
    if (!model) throw new Error(`no widget model ${data[WIDGET_VIEW].model_id}`);
    // The manager stands in an error widget for a class it could not load.
    if (model.get('_view_name') === 'ErrorWidgetView') throw new Error(model.get('msg'));
    const view = await manager.create_view(model);
    Widget.attach(view.luminoWidget, el);
  } else if (data['text/html'] !== undefined) {
    el.innerHTML = data['text/html'];
  } else if (data['image/png'] || data['image/jpeg']) {
    const img = document.createElement('img');
    const type = data['image/png'] ? 'image/png' : 'image/jpeg';
    img.src = `data:${type};base64,${data[type]}`;
    el.appendChild(img);
  } else if (output.output_type === 'stream' || data['text/plain'] !== undefined) {
    const pre = document.createElement('pre');
    const text = output.text ?? data['text/plain'];
    pre.textContent = Array.isArray(text) ? text.join('') : text;
    el.appendChild(pre);
  }
}

// A phone that locks drops its socket; the kernel waits (culled only after a long idle
// time), so the page keeps trying: at once when the phone wakes or the network returns,
// and every few seconds meanwhile. If the server answers that the kernel is gone, the
// page says so with one button to reload. A restarted kernel has lost the screen's
// widgets: that notice stays, even once the socket reconnects.
const RETRY_MS = 5000;
// The server does not close a page's socket when it culls or stops the kernel: ask now
// and then (and when the phone wakes) whether the kernel is still there.
const ALIVE_MS = 15000;

async function kernelGone(page) {
  try {
    const reply = await fetch(`${page.baseUrl}api/kernels/${page.kernelId}`,
      { credentials: 'same-origin', cache: 'no-store' });
    return reply.status === 404;
  } catch {
    return false;  // the server itself is out of reach: keep trying
  }
}

function watch(kernel, page) {
  let restarted = false;
  let gone = false;
  let timer = null;
  const retry = async () => {
    clearTimeout(timer);
    timer = null;
    if (gone || restarted || kernel.isDisposed || kernel.connectionStatus === 'connected') return;
    if (await kernelGone(page)) {
      gone = true;
      announce(message('gone'), { reload: true });
      return;
    }
    if (kernel.connectionStatus === 'disconnected') kernel.reconnect().catch(() => {});
    timer = setTimeout(retry, RETRY_MS);
  };
  kernel.connectionStatusChanged.connect((_, status) => {
    if (gone) return;
    if (status === 'connected') {
      if (!restarted) announce(null);
      return;
    }
    if (restarted) return;
    announce(message('lost'));
    if (!timer) timer = setTimeout(retry, status === 'disconnected' ? 0 : RETRY_MS);
  });
  kernel.statusChanged.connect((_, status) => {
    if (status === 'restarting' || status === 'autorestarting') {
      restarted = true;
      announce(message('restarted'), { reload: true });
    } else if (status === 'dead') {
      gone = true;
      announce(message('gone'), { reload: true });
    }
  });
  const check = async () => {
    if (gone || restarted || document.visibilityState !== 'visible') return;
    if (await kernelGone(page)) {
      gone = true;
      announce(message('gone'), { reload: true });
    }
  };
  setInterval(check, ALIVE_MS);
  const wake = () => {
    if (kernel.connectionStatus !== 'connected') retry();
    else check();
  };
  window.addEventListener('online', wake);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') wake();
  });
}

// -- what the screens ask of the page (kynangso.ui.base.Screen) --------------------------
// ipywidgets has no attribute for a keypad, a max length, aria-invalid or focus, and no
// way to write a cookie: a screen marks widgets with classes and sends commands in a
// hidden `.kns-bridge` element; this pass applies them after each change of the page.

const COOKIE_AGE = 60 * 60 * 24 * 365;
const applied = new Set();
let lastFocused = null;

function setCookie(name, value) {
  document.cookie = value === null
    ? `${name}=; path=/; max-age=0; SameSite=Lax`
    : `${name}=${encodeURIComponent(value)}; path=/; max-age=${COOKIE_AGE}; SameSite=Lax`;
}

const shown = (el) => Boolean(el) && el.offsetParent !== null;

function focusOn(target) {
  if (!target.matches('input, select, textarea, button')) target.setAttribute('tabindex', '-1');
  lastFocused = target;
  target.focus();
}

// The screen on show (a gate hides itself once the app it opened is drawn).
function visibleRoot() {
  return [...document.querySelectorAll('.kns-root')].find(shown);
}

// Where focus goes when a step has no heading of its own, or focus was lost with the
// control that held it: the step's heading, else the app's title.
function focusTitle() {
  const root = visibleRoot();
  const target = root && ([...root.querySelectorAll('.kns-step')].find(shown) ||
    root.querySelector('h1.kns-title'));
  if (target) focusOn(target);
  return Boolean(target);
}

// A new step's widgets are drawn a moment after the command, while the old step's heading
// may still be on the page: prefer an element that was not there when the command came
// (`before`), and settle for any after a second.
function focusLater(selector, before = new Set(), tries = 40) {
  const found = [...document.querySelectorAll(selector)]
    .filter((el) => el !== lastFocused && shown(el));
  const target = found.find((el) => !before.has(el)) || (tries <= 20 ? found[0] : undefined);
  if (target) {
    focusOn(target);
  } else if (tries > 0) {
    setTimeout(() => focusLater(selector, before, tries - 1), 50);
  } else if (document.activeElement === document.body) {
    focusTitle();  // a screen whose steps have no heading: never leave focus on the body
  }
}

const FOCUS = {
  step: '.kns-root .kns-step',
  invalid: '.kns-invalid input, .kns-invalid select, .kns-invalid textarea',
};

function runBridge(el) {
  const nonce = el.dataset.nonce;
  if (!nonce || applied.has(nonce)) return;
  applied.add(nonce);
  const cookies = JSON.parse(el.dataset.cookies || '{}');
  for (const [name, value] of Object.entries(cookies)) setCookie(name, value);
  if (el.dataset.go === 'fresh') {
    // Forget the person: reload without the URL's ?nguoi= (or it would name them again).
    const url = new URL(window.location.href);
    for (const key of ['nguoi', 'ma_lop']) url.searchParams.delete(key);
    window.location.replace(url.toString());
  } else if (el.dataset.go === 'reload') {
    window.location.reload();
  }
  if (el.dataset.focus && FOCUS[el.dataset.focus]) {
    const selector = FOCUS[el.dataset.focus];
    lastFocused = document.activeElement;
    focusLater(selector, el.dataset.focus === 'step'
      ? new Set(document.querySelectorAll(selector)) : new Set());
  }
}

function labelText(control) {
  const box = control.closest('.widget-inline-hbox, .jupyter-widgets');
  const label = box?.querySelector(':scope > .widget-label, :scope > label');
  return label?.textContent.trim() || control.getAttribute('placeholder') ||
    control.closest('[title]')?.getAttribute('title') || '';
}

// The control the learner last focused: when a step replaces it, focus would fall to the
// page body (a screen reader then starts again from the top).
let learnerFocus = null;
document.addEventListener('focusin', (event) => {
  if (event.target instanceof Element && event.target.closest('.kns-root')) {
    learnerFocus = event.target;
  }
});

// The visible screen's message area is the page's one polite live region; a hidden
// screen's (the gate, once the app is open) gives the name and the role up.
function liveRegion() {
  const areas = [...document.querySelectorAll('.kns-root .kns-message')];
  const area = areas.find((a) => shown(a.closest('.kns-root'))) || areas[0];
  for (const other of areas) {
    if (other !== area && other.id === 'kns-message') {
      other.removeAttribute('id');
      other.removeAttribute('role');
      other.removeAttribute('aria-live');
    }
  }
  if (area && area.id !== 'kns-message') {
    area.id = 'kns-message';
    area.setAttribute('role', 'status');
    area.setAttribute('aria-live', 'polite');
  }
}

function enhance() {
  document.querySelectorAll('.kns-bridge[data-nonce]').forEach(runBridge);
  // (A hidden control may still hold focus until the browser's next frame.) Until the
  // new screen is drawn there is nowhere to go: the next change of the page tries again.
  const active = document.activeElement;
  if (learnerFocus && (active === document.body || active === learnerFocus) &&
      (!learnerFocus.isConnected || !shown(learnerFocus))) {
    focusTitle();  // its focus event makes the heading the one to watch
  }
  for (const input of document.querySelectorAll('.kns-numeric input')) {
    input.inputMode = 'numeric';
    input.setAttribute('pattern', '[0-9]*');
    input.autocomplete = 'off';
    const max = [...input.closest('.kns-numeric').classList].find((c) => c.startsWith('kns-max-'));
    if (max) input.maxLength = Number(max.slice(8));
  }
  liveRegion();
  // A++ on a phone shows each table row as a card (base.CSS): each cell carries its
  // column's heading.
  for (const table of document.querySelectorAll('.kns-root table.kns-table')) {
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    for (const row of heads.length ? table.querySelectorAll('tbody tr') : []) {
      [...row.children].forEach((cell, i) => {
        if (heads[i] && cell.dataset.label !== heads[i]) cell.dataset.label = heads[i];
      });
    }
  }
  // A table wider than its box scrolls there: the keyboard must reach it too.
  for (const box of document.querySelectorAll('.kns-root .kns-scroll')) {
    if (box.scrollWidth > box.clientWidth + 1) {
      if (box.getAttribute('tabindex') !== '0') {
        box.setAttribute('tabindex', '0');
        box.setAttribute('role', 'region');
      }
      if (box.getAttribute('aria-label') !== message('scroll')) {
        box.setAttribute('aria-label', message('scroll'));
      }
    } else if (box.hasAttribute('tabindex')) {
      for (const name of ['tabindex', 'role', 'aria-label']) box.removeAttribute(name);
    }
  }
  // A picture's words: a screen gives an ipywidgets Image a tooltip (its only text).
  for (const img of document.querySelectorAll('.kns-root img:not([alt])')) {
    const title = img.getAttribute('title');
    if (title) img.alt = title;
  }
  for (const control of document.querySelectorAll('.kns-root input, .kns-root select, .kns-root textarea')) {
    if (control.closest('.kns-invalid')) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', 'kns-message');
    } else if (control.hasAttribute('aria-invalid')) {
      control.removeAttribute('aria-invalid');
      control.removeAttribute('aria-describedby');
    }
    if (!control.labels?.length && !control.getAttribute('aria-label')) {
      const text = labelText(control);
      if (text) control.setAttribute('aria-label', text);
    }
  }
  const english = Boolean(document.querySelector('.kns-lang-en'));
  document.documentElement.lang = english ? 'en' : 'vi';
  const title = document.querySelector('.kns-root .kns-title');
  if (title) {
    const wanted = `${title.textContent.trim()} — Kỹ Năng Số`;
    if (document.title !== wanted) document.title = wanted;
  }
}

function observe() {
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => { queued = false; enhance(); });
  }).observe(document.body, { childList: true, subtree: true, attributes: true,
    attributeFilter: ['class', 'data-nonce', 'style'] });
  window.addEventListener('resize', () => enhance());  // a phone turned: tables refit
  enhance();
}

// Voila's preheated pages come from its kernel pool, never through the code that sets
// Jupyter's `_xsrf` cookie. The token is tornado's kind (a random value kept in a cookie
// and repeated in a header); a page of another site can neither read nor set it.
function xsrfToken() {
  const found = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
  if (found) return decodeURIComponent(found[1]);
  const token = [...crypto.getRandomValues(new Uint8Array(16))]
    .map((b) => b.toString(16).padStart(2, '0')).join('');
  document.cookie = `_xsrf=${token}; path=/; SameSite=Strict`;
  return token;
}

// A closed page frees its kernel at once instead of holding it (and its memory) until
// the culler notices; keepalive lets the request outlive the page.
function releaseOnLeave(page) {
  xsrfToken();  // set the cookie now, not while the page is going away
  window.addEventListener('pagehide', () => {
    // Read again: a lab open in another tab may have replaced the cookie meanwhile.
    fetch(`${page.baseUrl}voila/api/shutdown/${page.kernelId}`, {
      method: 'POST', keepalive: true, credentials: 'same-origin',
      headers: { 'X-XSRFToken': xsrfToken() },
    }).catch(() => {});
  });
  // A page restored from the back-forward cache has lost its kernel: load it afresh.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
}

async function main() {
  const page = JSON.parse(document.getElementById('jupyter-config-data').textContent);
  releaseOnLeave(page);
  const kernel = new KernelConnection({
    model: { id: page.kernelId, name: 'python3' },
    serverSettings: ServerConnection.makeSettings({ baseUrl: page.baseUrl }),
    handleComms: true,
  });
  watch(kernel, page);
  observe();
  const manager = new Manager(kernel);
  await manager.loadFromKernel();
  const outputs = [...document.querySelectorAll(CELL_OUTPUT)].map((script) => {
    const el = document.createElement('div');
    el.className = 'kns-output';
    script.replaceWith(el);
    return renderOutput(manager, JSON.parse(script.textContent), el).catch((error) => {
      console.error('Kỹ Năng Số: an output could not be drawn', error);
      el.replaceChildren(notice(message('broken'), 'kns-page-error'));
    });
  });
  await Promise.all(outputs);
  document.getElementById('loading')?.remove();
  document.getElementById('rendered_cells').style.display = '';
}

function start() {
  main().catch((error) => {
    console.error('Kỹ Năng Số: the page could not start', error);
    document.getElementById('loading')?.remove();
    announce(message('lost'));
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
