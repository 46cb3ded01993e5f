// The hub's web console: a small single-page app over the public API (/api/v1), with the user's own
// credentials. It shows exactly what the API lets that key see; it has no data source of its own.
'use strict';

const API = '/api/v1';
const KEY = 'einvoicing-hub.apiKey';
const STATUSES = ['Scheduled', 'Executing', 'Pending', 'Completed', 'Failed', 'Canceled'];
const VERDICTS = ['NotRequested', 'Awaiting', 'Accepted', 'Rejected'];
const PAGE = 50;

// ---- API access ----------------------------------------------------------------------------------------

class Unauthorized extends Error {}
class ApiProblem extends Error {
  constructor(problem, status) {
    super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
    this.problem = problem;
    this.status = status;
  }
}

function authHeaders() {
  const key = sessionStorage.getItem(KEY);
  // Bearer carries an API key as well as a token from the OAuth2 provider
  return key ? { Authorization: 'Bearer ' + key } : {};
}

async function call(path, options = {}) {
  const response = await fetch(API + path, { ...options, headers: { ...authHeaders(), ...(options.headers || {}) } });
  if (response.status === 401) {
    throw new Unauthorized();
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch (e) { /* not JSON */ }
    throw new ApiProblem(problem, response.status);
  }
  return response;
}

async function getJson(path) {
  return (await call(path)).json();
}

async function postJson(path, body) {
  const response = await call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
  return response.json();
}

/** Downloads through fetch, so the key goes in a header, never in a link. */
async function download(path, fallbackName) {
  const response = await call(path);
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename="([^"]+)"/.exec(disposition);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: match ? match[1] : fallbackName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  say('Downloaded ' + (match ? match[1] : fallbackName));
}

// ---- DOM helpers (text only: nothing from the API is ever parsed as HTML) ------------------------------

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  for (const child of children.flat(Infinity)) if (child) el.append(child instanceof Node ? child : String(child));
  return el;
}

function badge(value) {
  return value ? h('span', { class: 'badge s-' + value }, value) : '';
}

function table(caption, headers, rows, numeric = []) {
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((t, i) => h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, t)))),
    h('tbody', {}, rows.length ? rows.map(r => h('tr', {}, r.map((c, i) => h('td', { class: numeric.includes(i) ? 'num' : null }, c))))
      : h('tr', {}, h('td', { colspan: headers.length }, 'None'))));
}

function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function field(labelText, control) {
  const id = control.id || ('f-' + Math.random().toString(36).slice(2));
  control.id = id;
  return h('div', {}, h('label', { for: id }, labelText), control);
}

function select(id, options, value, blank = 'any') {
  return h('select', { id, name: id },
    blank === null ? null : h('option', { value: '' }, blank),
    options.map(o => h('option', { value: o, selected: o === value }, o)));
}

/** Replaces an element's content; arrays of children are flattened, like h's. */
function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false && c !== ''));
  return el;
}

function say(text) {
  const status = document.getElementById('status');
  status.textContent = text;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { status.textContent = ''; }, 4000);
}

function view(title, ...content) {
  const main = document.getElementById('view');
  document.title = title + ' — einvoicing-hub';
  fill(main, h('h1', {}, title), content);
  main.focus();
  return main;
}

// ---- pretty printing -----------------------------------------------------------------------------------

/** A JSON number as it was written (1718.40 stays 1718.40, not 1718.4). */
class JsonNumber {
  constructor(text) { this.text = text; }
}

/** JSON.parse with every number kept as written, for showing a document exactly as it was submitted. */
function parseLossless(text) {
  let i = 0;
  const literal = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  const ws = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i)) { /* skip */ }
  };
  const string = () => {
    let j = i + 1;
    let escaped = false;
    for (;;) {
      j = text.indexOf('"', j);
      let backslashes = 0;
      for (let k = j - 1; text.charCodeAt(k) === 92; k--) backslashes++;
      if (backslashes % 2 === 0) break;
      escaped = true;
      j++;
    }
    const raw = text.slice(i, j + 1);
    i = j + 1;
    return escaped || raw.indexOf('\\') >= 0 ? JSON.parse(raw) : raw.slice(1, -1);
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; const o = {}; ws();
      if (text[i] === '}') { i++; return o; }
      for (;;) { ws(); const k = string(); ws(); i++; o[k] = value(); ws(); if (text[i++] === '}') return o; }
    }
    if (c === '[') {
      i++; const a = []; ws();
      if (text[i] === ']') { i++; return a; }
      for (;;) { a.push(value()); ws(); if (text[i++] === ']') return a; }
    }
    if (c === '"') return string();
    literal.lastIndex = i;
    const m = literal.exec(text);
    if (!m) throw new SyntaxError('Unexpected character at ' + i);
    i = literal.lastIndex;
    return m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : new JsonNumber(m[0]);
  };
  return value();
}

/** The deepest part of a JSON pointer that exists in the value (a pointer may stop short of a list index). */
function existingPointer(value, pointer) {
  let found = '';
  let v = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object' || v instanceof JsonNumber || !(key in v)) break;
    v = v[key];
    found += '/' + raw;
  }
  return found;
}

/**
 * JSON as indented text, and where the value at {@code target} starts and ends in it: one string, so even a
 * 10,000-line invoice renders at once.
 */
function jsonText(value, target) {
  const out = [];
  let length = 0;
  let start = -1;
  let end = -1;
  const put = t => { out.push(t); length += t.length; };
  const node = (v, p, pad) => {
    if (p === target) start = length;
    if (v instanceof JsonNumber) put(v.text);
    else if (Array.isArray(v)) {
      if (!v.length) put('[]');
      else {
        put('[\n');
        v.forEach((item, i) => { put(pad + '  '); node(item, p + '/' + i, pad + '  '); put(i < v.length - 1 ? ',\n' : '\n'); });
        put(pad + ']');
      }
    } else if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      if (!keys.length) put('{}');
      else {
        put('{\n');
        keys.forEach((k, i) => {
          put(pad + '  ' + JSON.stringify(k) + ': ');
          node(v[k], p + '/' + k.replace(/~/g, '~0').replace(/\//g, '~1'), pad + '  ');
          put(i < keys.length - 1 ? ',\n' : '\n');
        });
        put(pad + '}');
      }
    } else put(JSON.stringify(v));
    if (p === target) end = length;
  };
  node(value, '', '');
  return { text: out.join(''), start, end };
}

/** The JSON in a pre, the value at {@code pointer} (or its deepest existing parent) marked. */
function jsonView(value, pointer) {
  const target = pointer ? existingPointer(value, pointer) : null;
  const { text, start, end } = jsonText(value, target);
  if (!target || start < 0) return { pre: h('pre', { class: 'code', tabindex: '0' }, text), hit: null, target };
  const hit = h('mark', { class: 'field-hit', tabindex: '-1', dataset: { pointer: target } }, text.slice(start, end));
  return { pre: h('pre', { class: 'code', tabindex: '0' }, text.slice(0, start), hit, text.slice(end)), hit, target };
}

function prettyXml(text) {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) return text;
  const out = [];
  const walk = (n, depth) => {
    const pad = '  '.repeat(depth);
    if (n.nodeType === Node.ELEMENT_NODE) {
      const attrs = Array.from(n.attributes).map(a => ` ${a.name}="${a.value.replace(/"/g, '&quot;')}"`).join('');
      const kids = Array.from(n.childNodes).filter(c => c.nodeType !== Node.TEXT_NODE || c.nodeValue.trim());
      if (!kids.length) out.push(`${pad}<${n.nodeName}${attrs}/>`);
      else if (kids.length === 1 && kids[0].nodeType === Node.TEXT_NODE) {
        out.push(`${pad}<${n.nodeName}${attrs}>${escapeXml(kids[0].nodeValue.trim())}</${n.nodeName}>`);
      } else {
        out.push(`${pad}<${n.nodeName}${attrs}>`);
        kids.forEach(k => walk(k, depth + 1));
        out.push(`${pad}</${n.nodeName}>`);
      }
    } else if (n.nodeType === Node.TEXT_NODE) out.push(pad + escapeXml(n.nodeValue.trim()));
    else if (n.nodeType === Node.COMMENT_NODE) out.push(`${pad}<!--${n.nodeValue}-->`);
  };
  walk(doc.documentElement, 0);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + out.join('\n');
}

function escapeXml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function prettyText(text, contentType) {
  if (/json/.test(contentType || '')) {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }
  if (/xml/.test(contentType || '')) return prettyXml(text);
  return text;
}

// ---- login ---------------------------------------------------------------------------------------------

function showLogin(message) {
  fill(document.getElementById('view'));
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = message || '';
  document.getElementById('sign-out').hidden = true;
  document.getElementById('api-key').focus();
}

async function signIn(event) {
  event.preventDefault();
  const key = document.getElementById('api-key').value.trim();
  sessionStorage.setItem(KEY, key);
  try {
    await getJson('/submissions/counts');
    document.getElementById('api-key').value = '';
    document.getElementById('login').hidden = true;
    route();
  } catch (e) {
    sessionStorage.removeItem(KEY);
    showLogin(e instanceof Unauthorized ? 'This API key was not accepted.' : e.message);
  }
}

function signOut() {
  sessionStorage.removeItem(KEY);
  location.hash = '#/submissions';
  showLogin('Signed out.');
}

// ---- pages ---------------------------------------------------------------------------------------------

function params() {
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  return { path: path || '/submissions', query: new URLSearchParams(query || '') };
}

function toIso(local) {
  return local ? new Date(local + 'Z').toISOString() : '';
}

function fromIso(iso) {
  return iso ? iso.replace(/(\.\d+)?Z$/, '').slice(0, 16) : '';
}

async function featureIds() {
  if (!featureIds.cache) featureIds.cache = getJson('/features').then(a => a.features.map(f => f.id)).catch(() => []);
  return featureIds.cache;
}

async function submissionsPage(query) {
  const filters = ['legalEntity', 'status', 'verdict', 'feature', 'erpDocumentId', 'createdFrom', 'createdTo'];
  const api = new URLSearchParams();
  filters.forEach(f => query.get(f) && api.set(f, query.get(f)));
  const offset = Number(query.get('offset') || 0);
  api.set('limit', PAGE);
  api.set('offset', offset);
  const [list, counts, features] = await Promise.all([getJson('/submissions?' + api), getJson('/submissions/counts?' + api),
    featureIds()]);
  const go = changes => {
    const next = new URLSearchParams(query);
    Object.entries(changes).forEach(([k, v]) => (v === '' || v === null || v === undefined) ? next.delete(k) : next.set(k, v));
    location.hash = '#/submissions?' + next;
  };
  const form = h('form', { class: 'filters', 'aria-label': 'Filter submissions', onsubmit: e => {
    e.preventDefault();
    const d = new FormData(e.target);
    go({ legalEntity: d.get('legalEntity').trim(), status: d.get('status'), verdict: d.get('verdict'), feature: d.get('feature'),
      erpDocumentId: d.get('erpDocumentId').trim(), createdFrom: toIso(d.get('createdFrom')),
      createdTo: toIso(d.get('createdTo')), offset: '' });
  } },
  field('Legal entity', h('input', { id: 'legalEntity', name: 'legalEntity', value: query.get('legalEntity') || '', size: 8 })),
  field('Status', select('status', STATUSES, query.get('status'))),
  field('Verdict', select('verdict', VERDICTS, query.get('verdict'))),
  field('Feature', select('feature', features, query.get('feature'))),
  field('ERP document id', h('input', { id: 'erpDocumentId', name: 'erpDocumentId', value: query.get('erpDocumentId') || '', size: 18 })),
  field('Created from (UTC)', h('input', { id: 'createdFrom', name: 'createdFrom', type: 'datetime-local', value: fromIso(query.get('createdFrom')) })),
  field('Created before (UTC)', h('input', { id: 'createdTo', name: 'createdTo', type: 'datetime-local', value: fromIso(query.get('createdTo')) })),
  h('button', { type: 'submit' }, 'Apply filters'),
  h('button', { type: 'button', class: 'secondary', onclick: () => { location.hash = '#/submissions'; } }, 'Clear'));
  const countBar = h('div', { class: 'counts', role: 'group', 'aria-label': 'Counts per status' },
    h('button', { type: 'button', 'aria-pressed': String(!query.get('status')), dataset: { status: 'all' },
      onclick: () => go({ status: '', offset: '' }) }, `All ${counts.total}`),
    STATUSES.map(s => h('button', { type: 'button', 'aria-pressed': String(query.get('status') === s), dataset: { status: s },
      onclick: () => go({ status: s, offset: '' }) }, h('span', { class: 's-' + s }, s), ` ${counts.byStatus[s]}`)));
  const rows = list.items.map(s => [
    h('a', { href: '#/submissions/' + s.id, class: 'open', dataset: { id: s.id } }, time(s.createdAt)),
    s.legalEntity, s.erpDocumentId, s.feature.id, badge(s.status), badge(s.verdict), s.statusMessage || '']);
  const paging = h('div', { class: 'paging' },
    h('button', { type: 'button', class: 'secondary', disabled: offset === 0, onclick: () => go({ offset: Math.max(0, offset - PAGE) }) }, 'Previous page'),
    h('span', {}, list.items.length ? `${offset + 1}–${offset + list.items.length}` : 'No submissions'),
    h('button', { type: 'button', class: 'secondary', disabled: list.items.length < PAGE, onclick: () => go({ offset: offset + PAGE }) }, 'Next page'));
  view('Submissions', form, countBar,
    table('Submissions, newest first', ['Created', 'Legal entity', 'ERP document id', 'Feature', 'Status', 'Verdict', 'Message'], rows),
    paging);
}

async function submissionPage(id) {
  const s = await getJson('/submissions/' + encodeURIComponent(id));
  const related = (await getJson('/submissions?' + new URLSearchParams({ erpDocumentId: s.erpDocumentId, legalEntity: s.legalEntity, limit: 20 })))
    .items.filter(r => r.id !== s.id);
  const finished = ['Completed', 'Failed', 'Canceled'].includes(s.status);
  const fileView = h('div', { id: 'file-view' });
  const source = h('div', { id: 'source-view' });
  const invoice = h('div', { id: 'invoice-view' });

  const act = async (what, verb) => {
    if (!confirm(`${verb} submission ${s.erpDocumentId} (${s.id})?`)) return;
    try {
      const after = await postJson(`/submissions/${encodeURIComponent(s.id)}/${what}`);
      say(`${verb}: now ${after.status}`);
    } catch (e) {
      if (e instanceof Unauthorized) throw e;
      say(`${verb} refused: ${e.message}`);
    }
    route();
  };
  const inputs = async (parse = JSON.parse) => {
    const byName = n => s.artifacts.find(a => a.kind === 'input' && a.name === n);
    const [doc, ctx] = await Promise.all(['document', 'context'].map(async n => byName(n) ? parse(await (await call(byName(n).href.replace(API, ''))).text()) : null));
    return { context: ctx, document: doc };
  };
  const showSource = async pointer => {
    const { pre, hit, target } = jsonView(await inputs(parseLossless), pointer);
    fill(source, h('h2', { id: 'source-title' }, 'Submitted JSON'), pre);
    if (hit) {
      hit.scrollIntoView({ block: 'center' });
      hit.focus();
      say('Highlighted ' + target);
    }
  };
  const showFile = async a => {
    const text = await (await call(a.href.replace(API, ''))).text();
    fill(fileView, h('h2', {}, 'File ', a.name), h('pre', { class: 'code', tabindex: '0', id: 'file-content' }, prettyText(text, a.contentType)));
    fileView.scrollIntoView();
  };

  view(`Submission ${s.erpDocumentId}`,
    h('dl', { class: 'summary' }, [
      ['Id', s.id], ['Status', badge(s.status)], ['Verdict', badge(s.verdict)], ['Message', s.statusMessage || ''],
      ['Legal entity', s.legalEntity], ['Country', s.country], ['Document type', s.documentType],
      ['ERP document id', s.erpDocumentId], ['Feature', `${s.feature.id} ${s.feature.version}`], ['Run', s.run],
      ['Created', time(s.createdAt)], ['Finished', time(s.finishedAt)],
      ['Cancel requested', s.cancelRequested ? 'yes' : 'no']].map(([k, v]) => [h('dt', {}, k), h('dd', { dataset: { term: k } }, v)])),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'resubmit', disabled: !finished, onclick: () => act('resubmit', 'Resubmit') }, 'Resubmit'),
      h('button', { type: 'button', id: 'cancel', class: 'secondary', disabled: finished, onclick: () => act('cancel', 'Cancel') }, 'Cancel submission'),
      h('button', { type: 'button', id: 'show-invoice', class: 'secondary', onclick: async () => renderInvoice(invoice, (await inputs()).document) }, 'Show invoice'),
      h('button', { type: 'button', id: 'show-json', class: 'secondary', onclick: () => showSource(null) }, 'Show submitted JSON')),
    h('h2', {}, 'Steps'),
    table(`Steps of run ${s.run}`, ['Step', 'Status', 'Started', 'Duration (ms)', 'Message'],
      s.steps.map(st => [st.name, badge(st.status), time(st.startedAt), st.durationMillis ?? '', st.message || '']), [3]),
    h('h2', {}, 'Findings'),
    table(`${s.findings.length} finding(s)`, ['Rule', 'Severity', 'Message', 'Location', 'Source field'],
      s.findings.map(f => [h('code', { class: 'rule-id' }, f.ruleId), badge(f.severity), f.message || '', h('code', {}, f.location || ''),
        f.sourceField ? h('button', { type: 'button', class: 'link source-field', dataset: { pointer: f.sourceField },
          onclick: () => showSource(f.sourceField), 'aria-label': `Show ${f.sourceField} in the submitted JSON` }, f.sourceField) : '—'])),
    source,
    h('h2', {}, 'Authority outputs'),
    table('Values returned by an authority or network', ['Name', 'Value', 'Received'],
      s.authorityOutputs.map(o => [o.name, o.value, time(o.receivedAt)])),
    h('h2', {}, 'Files'),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'download-zip',
      onclick: () => download(`/submissions/${encodeURIComponent(s.id)}/artifacts.zip`, `submission-${s.id}.zip`) }, 'Download all (ZIP)')),
    table('Stored files', ['Name', 'Kind', 'Type', 'Size (bytes)', 'SHA-256', ''],
      s.artifacts.map(a => [a.name, a.kind, a.contentType, a.size, h('code', {}, a.sha256.slice(0, 16) + '…'),
        h('span', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary view-file', dataset: { name: a.name }, onclick: () => showFile(a) }, 'View'),
          h('button', { type: 'button', class: 'secondary download-file', dataset: { name: a.name },
            onclick: () => download(a.href.replace(API, ''), a.name) }, 'Download'))]), [3]),
    fileView,
    h('h2', {}, 'Status history'),
    table('Every status change of every run', ['At', 'From', 'To', 'Message', 'Node'],
      s.history.map(e => [time(e.at), e.from || '', badge(e.to), e.message || '', e.node || ''])),
    h('h2', {}, 'Related submissions'),
    table(`Other submissions of ${s.erpDocumentId}`, ['Created', 'Status', 'Feature', 'Run'],
      related.map(r => [h('a', { href: '#/submissions/' + r.id }, time(r.createdAt)), badge(r.status), r.feature.id, r.run])),
    invoice);
}

/** A readable rendering of the unified JSON invoice (EN 16931 terms), so nobody needs to read XML. */
function renderInvoice(target, d, allLines = false) {
  if (!d) { fill(target, h('p', {}, 'The submitted document is not available.')); return; }
  const party = (title, p) => h('div', {}, h('h3', {}, title), h('p', {}, p ? [p.name, h('br'),
    p.address ? [p.address.line1 || '', h('br'), `${p.address.postalCode || ''} ${p.address.city || ''}`, h('br'), p.address.countryCode || ''] : '',
    p.vatId ? [h('br'), 'VAT id ', p.vatId] : ''] : ''));
  const money = n => (n === undefined || n === null) ? '' : `${Number(n).toFixed(2)} ${d.currencyCode || ''}`;
  const t = d.totals || {};
  // a very long invoice shows its first lines at once and the rest on request
  const lines = d.lines || [];
  const shown = allLines ? lines : lines.slice(0, 500);
  fill(target, h('section', { class: 'invoice', 'aria-labelledby': 'invoice-title' },
    h('h2', { id: 'invoice-title' }, `${d.typeCode === '381' ? 'Credit note' : 'Invoice'} ${d.number || ''}`),
    h('p', {}, `Issued ${d.issueDate || ''}`, d.dueDate ? ` · due ${d.dueDate}` : '', d.buyerReference ? ` · buyer reference ${d.buyerReference}` : ''),
    h('div', { class: 'parties' }, party('Seller', d.seller), party('Buyer', d.buyer)),
    table(lines.length > shown.length ? `Lines 1–${shown.length} of ${lines.length}` : 'Lines', ['#', 'Item', 'Quantity', 'Unit price', 'VAT', 'Net amount'],
      shown.map(l => [l.id, l.item ? l.item.name : '', `${l.quantity ?? ''} ${l.unitCode || ''}`,
        money(l.price && l.price.netAmount), l.vat ? `${l.vat.categoryCode} ${l.vat.rate ?? ''}%` : '', money(l.netAmount)]), [2, 3, 5]),
    lines.length > shown.length ? h('button', { type: 'button', class: 'secondary', id: 'all-lines',
      onclick: () => renderInvoice(target, d, true) }, `Show all ${lines.length} lines`) : '',
    table('VAT breakdown', ['Category', 'Rate', 'Taxable amount', 'Tax amount'],
      (d.vatBreakdown || []).map(v => [v.categoryCode, v.rate ?? '', money(v.taxableAmount), money(v.taxAmount)]), [1, 2, 3]),
    table('Totals', ['', 'Amount'], [['Sum of line net amounts', money(t.lineNetAmount)], ['Total without VAT', money(t.taxExclusiveAmount)],
      ['VAT', money(t.taxAmount)], ['Total with VAT', money(t.taxInclusiveAmount)], ['Amount due', money(t.payableAmount)]], [1]),
    d.paymentTerms ? h('p', {}, 'Payment terms: ', d.paymentTerms) : ''));
  target.scrollIntoView();
}

const CHART_COLOURS = { Completed: '#1e7b3a', Failed: '#b3261e', Canceled: '#8a93a6', Scheduled: '#d99a00', Executing: '#e5c04a', Pending: '#6d8fd1' };

function usageChart(counts) {
  const periods = [...new Set(counts.map(c => c.period))].sort();
  const per = {};
  counts.forEach(c => { per[c.period] = per[c.period] || {}; per[c.period][c.status] = (per[c.period][c.status] || 0) + c.documents; });
  const max = Math.max(1, ...periods.map(p => Object.values(per[p]).reduce((a, b) => a + b, 0)));
  const W = 720, H = 220, left = 40, bottom = 40, bw = Math.max(8, Math.min(48, (W - left) / Math.max(1, periods.length) - 6));
  const bars = periods.map((p, i) => {
    let y = H - bottom;
    const x = left + i * (bw + 6) + 4;
    return svg('g', {}, STATUSES.filter(s => per[p][s]).map(s => {
      const hgt = (per[p][s] / max) * (H - bottom - 10);
      y -= hgt;
      return svg('rect', { x, y, width: bw, height: hgt, fill: CHART_COLOURS[s] }, svg('title', {}, `${p} ${s}: ${per[p][s]}`));
    }), svg('text', { x: x + bw / 2, y: H - bottom + 14, 'text-anchor': 'middle', 'font-size': 10 }, p.slice(5)));
  });
  return h('figure', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-labelledby': 'chart-caption' },
      svg('line', { x1: left, y1: H - bottom, x2: W, y2: H - bottom, stroke: '#888' }),
      svg('text', { x: left - 6, y: 16, 'text-anchor': 'end', 'font-size': 10 }, String(max)),
      svg('text', { x: left - 6, y: H - bottom, 'text-anchor': 'end', 'font-size': 10 }, '0'),
      bars),
    h('figcaption', { id: 'chart-caption' }, 'Documents per period by status: ',
      periods.map(p => `${p} ${Object.values(per[p]).reduce((a, b) => a + b, 0)}`).join(', ') || 'none'),
    h('div', { class: 'legend' }, STATUSES.map(s => h('span', { style: `--c:${CHART_COLOURS[s]}` }, s))));
}

async function dashboardPage(query) {
  const today = new Date();
  const to = query.get('to') || new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1)).toISOString();
  const from = query.get('from') || new Date(Date.parse(to) - 30 * 86400000).toISOString();
  const api = new URLSearchParams({ from, to, bucket: query.get('bucket') || 'day' });
  ['legalEntity', 'feature'].forEach(f => query.get(f) && api.set(f, query.get(f)));
  const [u, features] = await Promise.all([getJson('/usage?' + api), featureIds()]);
  const form = h('form', { class: 'filters', 'aria-label': 'Usage period and filters', onsubmit: e => {
    e.preventDefault();
    const d = new FormData(e.target);
    const next = new URLSearchParams();
    const set = (k, v) => v && next.set(k, v);
    set('from', toIso(d.get('from')));
    set('to', toIso(d.get('to')));
    set('bucket', d.get('bucket'));
    set('legalEntity', d.get('legalEntity').trim());
    set('feature', d.get('feature'));
    location.hash = '#/dashboard?' + next;
  } },
  field('From (UTC)', h('input', { id: 'from', name: 'from', type: 'datetime-local', value: fromIso(u.from) })),
  field('Before (UTC)', h('input', { id: 'to', name: 'to', type: 'datetime-local', value: fromIso(u.to) })),
  field('Per', select('bucket', ['day', 'week'], u.bucket, null)),
  field('Legal entity', h('input', { id: 'legalEntity', name: 'legalEntity', value: u.legalEntity || '', size: 8 })),
  field('Feature', select('feature', features, u.feature)),
  h('button', { type: 'submit' }, 'Show'));
  const kpi = (label, value, id) => h('div', { class: 'kpi' }, h('span', { class: 'value', id }, value), label);
  view('Usage dashboard', form,
    h('div', { class: 'kpis' },
      kpi('documents', u.documents, 'kpi-documents'),
      kpi('completed', u.byStatus.Completed, 'kpi-completed'),
      kpi('failed', u.failed, 'kpi-failed'),
      kpi('failure rate (of finished)', (u.failureRate * 100).toFixed(1) + ' %', 'kpi-failure-rate'),
      kpi('processing time p50', u.processingMillis.p50 === null ? '—' : u.processingMillis.p50 + ' ms', 'kpi-p50'),
      kpi('processing time p95', u.processingMillis.p95 === null ? '—' : u.processingMillis.p95 + ' ms', 'kpi-p95')),
    usageChart(u.counts),
    h('h2', {}, 'Most frequent rules that failed documents'),
    table('Blocking findings (FATAL, ERROR) by rule', ['Rule', 'Documents', 'Findings'],
      u.topRules.map(r => [h('code', {}, r.ruleId), r.documents, r.findings]), [1, 2]),
    h('h2', {}, 'Documents by period, legal entity, feature and status'),
    table(`Per ${u.bucket} (UTC)`, ['Period', 'Legal entity', 'Feature', 'Status', 'Documents'],
      u.counts.map(c => [c.period, c.legalEntity, c.feature, badge(c.status), c.documents]), [4]));
}

/** Anything a feature declares, shown as it comes from the API (steps and parameters included). */
function anyValue(v) {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) {
    if (v.every(x => x && typeof x === 'object' && !Array.isArray(x))) {
      const keys = [...new Set(v.flatMap(Object.keys))];
      return table('', keys, v.map(x => keys.map(k => anyValue(x[k]))));
    }
    return v.map(x => typeof x === 'object' ? anyValue(x) : String(x)).join(', ');
  }
  if (typeof v === 'object') {
    return h('dl', { class: 'summary' }, Object.entries(v).map(([k, x]) => [h('dt', {}, k), h('dd', {}, anyValue(x))]).flat());
  }
  return String(v);
}

function ruleText(r) {
  if (!r) return '';
  if (r.all) return r.all.length ? '(' + r.all.map(ruleText).join(' and ') + ')' : 'always';
  if (r.any) return '(' + r.any.map(ruleText).join(' or ') + ')';
  return `${r.field} ${r.operator.toLowerCase().replace('_', ' ')} ${r.values.join(', ')}`.trim();
}

async function featuresPage() {
  const list = (await getJson('/features')).features;
  const details = await Promise.all(list.map(f => getJson('/features/' + encodeURIComponent(f.id)).catch(() => ({}))));
  view('Features', h('p', {}, 'Every installed feature, as GET /api/v1/features reports it.'),
    list.map((f, i) => {
      const rest = { ...f };
      ['id', 'version', 'description'].forEach(k => delete rest[k]);
      return h('section', { class: 'feature', 'aria-labelledby': 'feature-' + f.id, dataset: { feature: f.id } },
        h('h2', { id: 'feature-' + f.id }, `${f.id} `, h('small', {}, f.version)),
        h('p', {}, f.description || ''),
        h('p', {}, h('strong', {}, 'Applies when: '), h('span', { class: 'applicability' }, ruleText(details[i].applicability) || 'unknown'),
          ' (unless context.featureHint names a feature)'),
        anyValue(rest),
        h('p', {}, h('a', { href: '#/try?feature=' + encodeURIComponent(f.id) }, `Try a document with ${f.id}`)));
    }));
}

async function tryPage(query) {
  const features = await featureIds();
  const sampleNote = 'Paste a submission {"context": …, "document": …} (see samples/valid/) or load a file.';
  const text = h('textarea', { id: 'try-json', name: 'submission', spellcheck: 'false', required: true });
  const result = h('div', { id: 'try-result', 'aria-live': 'polite' });
  const pick = select('try-feature', features, query.get('feature'), 'let the applicability rules pick');
  const run = async e => {
    e.preventDefault();
    let body;
    try { body = JSON.parse(text.value); } catch (err) { fill(result, h('p', { class: 'error', role: 'alert' }, 'Not JSON: ' + err.message)); return; }
    if (pick.value) { body.context = body.context || {}; body.context.featureHint = pick.value; }
    fill(result, h('p', {}, 'Running…'));
    try {
      const r = await postJson('/features/try', body);
      fill(result, 
        h('h2', {}, 'Result: ', h('span', { id: 'try-outcome', class: 's-' + r.outcome }, r.outcome), ` with ${r.feature.id} ${r.feature.version} in ${r.durationMillis} ms`),
        r.error ? h('p', { class: 'error' }, r.error) : '',
        table(`${r.findings.length} finding(s)`, ['Rule', 'Severity', 'Message', 'Source field'],
          r.findings.map(f => [h('code', { class: 'rule-id' }, f.ruleId), badge(f.severity), f.message || '', f.sourceField || ''])),
        r.files.map(f => [h('h2', {}, 'Generated file ', f.name), h('pre', { class: 'code try-file', tabindex: '0' }, prettyText(f.content, f.contentType))]));
    } catch (err) {
      if (err instanceof Unauthorized) throw err;
      const errors = (err.problem && err.problem.errors) || [];
      fill(result, h('p', { class: 'error', role: 'alert', id: 'try-problem' }, err.message),
        errors.length ? table('Errors', ['Pointer', 'Message'], errors.map(x => [x.pointer, x.message])) : '');
    }
  };
  view('Try a document',
    h('p', {}, 'A dry run: the feature generates and validates the document, nothing is stored and no submission is created.'),
    h('form', { id: 'try-form', onsubmit: e => run(e).catch(handleError) },
      h('label', { for: 'try-json' }, 'Submission JSON'), h('p', { id: 'try-help' }, sampleNote), text,
      h('div', { class: 'filters' },
        field('Load from a file', h('input', { id: 'try-file', type: 'file', accept: 'application/json,.json',
          onchange: async e => { if (e.target.files[0]) text.value = await e.target.files[0].text(); } })),
        field('Feature', pick),
        h('button', { type: 'submit', id: 'try-run' }, 'Run dry run'))),
    result);
  text.setAttribute('aria-describedby', 'try-help');
}

// ---- router --------------------------------------------------------------------------------------------

function handleError(e) {
  if (e instanceof Unauthorized) {
    const hadKey = Boolean(sessionStorage.getItem(KEY));
    sessionStorage.removeItem(KEY);
    showLogin(hadKey ? 'Your API key was not accepted.' : 'Sign in to see the hub.');
    return;
  }
  view('Something went wrong', h('p', { class: 'error', role: 'alert' }, e.message));
}

async function route() {
  const { path, query } = params();
  document.querySelectorAll('header nav a').forEach(a => a.toggleAttribute('aria-current', a.getAttribute('href') === '#' + path.split('/').slice(0, 2).join('/')));
  if (!document.getElementById('login').hidden) return;
  document.getElementById('sign-out').hidden = !sessionStorage.getItem(KEY);
  document.getElementById('who').textContent = sessionStorage.getItem(KEY) ? 'signed in with an API key' : '';
  try {
    const m = /^\/submissions\/([^/]+)$/.exec(path);
    if (m) await submissionPage(decodeURIComponent(m[1]));
    else if (path === '/dashboard') await dashboardPage(query);
    else if (path === '/features') await featuresPage();
    else if (path === '/try') await tryPage(query);
    else await submissionsPage(query);
  } catch (e) {
    handleError(e);
  }
}

document.getElementById('login-form').addEventListener('submit', signIn);
document.getElementById('sign-out').addEventListener('click', signOut);
window.addEventListener('hashchange', route);
route();
