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
    broken: 'Không hiển thị được phần này của ứng dụng. Hãy tải lại trang (F5); ' +
      'nếu vẫn lỗi, báo cho giảng viên. Dữ liệu tập dượt đã lưu không bị mất.',
    lost: 'Mất kết nối với máy chủ tập dượt. Hãy kiểm tra mạng rồi tải lại trang (F5); ' +
      'hồ sơ và giao dịch đã lưu vẫn còn.',
    restarted: 'Ứng dụng vừa được khởi động lại. Hãy tải lại trang (F5) để tiếp tục; ' +
      'hồ sơ và giao dịch đã lưu vẫn còn.',
  },
  en: {
    broken: 'This part of the app cannot be shown. Reload the page (F5); if it still ' +
      'fails, tell your trainer. Saved practice data is not lost.',
    lost: 'The connection to the practice server was lost. Check the network, then ' +
      'reload the page (F5); saved dossiers and payments are still there.',
    restarted: 'The app has just restarted. Reload the page (F5) to carry on; saved ' +
      'dossiers and payments are still there.',
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

// One banner at the top of the page, replaced as the connection changes.
function announce(text) {
  document.getElementById('kns-connection')?.remove();
  if (!text) return;
  const el = notice(text, 'kns-page-connection');
  el.id = 'kns-connection';
  document.body.prepend(el);
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

// A restarted kernel has lost the screen's widgets: that notice stays, even once the
// socket reconnects. A lost connection clears when it comes back.
function watch(kernel) {
  let restarted = false;
  kernel.connectionStatusChanged.connect((_, status) => {
    if (status === 'disconnected') announce(restarted ? message('restarted') : message('lost'));
    else if (status === 'connected' && !restarted) announce(null);
  });
  kernel.statusChanged.connect((_, status) => {
    if (status === 'restarting' || status === 'autorestarting') {
      restarted = true;
      announce(message('restarted'));
    } else if (status === 'dead') {
      announce(message('lost'));
    }
  });
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
  watch(kernel);
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
