import { getJson, el } from '/pages/common.js';

const $ = (id) => document.getElementById(id);
const samples = [];
let adminKey = sessionStorage.getItem('adminKey') || '';
let lastTotal = null;

function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (adminKey) headers['X-Admin-Key'] = adminKey;
  return getJson('/admin/api' + path, { ...options, headers });
}

async function showSignIn(problem) {
  $('signin').hidden = false;
  $('signin-problem').textContent = problem || '';
  const { body } = await getJson('/auth/providers');
  $('providers').replaceChildren(...(body || []).map((p) =>
    el('a', { class: 'button', href: p.loginUrl + '?returnUrl=/admin' }, 'Log in with ' + p.displayName)));
}

async function loadPolicy() {
  const reply = await api('/policy');
  if (!reply.ok) return reply;
  $('policy-text').value = JSON.stringify(reply.body, null, 2);
  $('policy-version').textContent = 'v' + reply.body.version;
  return reply;
}

function showResult(target, reply, okText) {
  if (reply.ok) {
    target.replaceChildren(el('p', { class: 'ok' }, okText(reply.body)));
    return;
  }
  const body = reply.body || {};
  const parts = [el('p', { class: 'error' }, body.error || ('HTTP ' + reply.status))];
  if (Array.isArray(body.errors) && body.errors.length) {
    parts.push(el('ul', { class: 'problems' }, ...body.errors.map((e) => el('li', {}, `${e.path}: ${e.problem}`))));
  }
  target.replaceChildren(...parts);
}

async function savePolicy() {
  const result = $('policy-result');
  let text = $('policy-text').value;
  try {
    JSON.parse(text);
  } catch (e) {
    result.replaceChildren(el('p', { class: 'error' }, 'Not valid JSON: ' + e.message));
    return;
  }
  const reply = await api('/policy', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: text });
  showResult(result, reply, (body) => body.message || 'saved');
  if (reply.ok) await loadPolicy();
}

async function setBlocked(blocked) {
  const identity = $('block-identity').value.trim();
  if (!identity) return;
  const reply = await api(blocked ? '/block' : '/unblock', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identity }),
  });
  showResult($('block-result'), reply, (body) => body.message || 'done');
  if (reply.ok) await loadPolicy();
}

function drawChart() {
  const canvas = $('rate-chart');
  const g = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, pad = 28, left = 44;
  g.clearRect(0, 0, w, h);
  canvas.dataset.samples = String(samples.length);
  const max = Math.max(1, ...samples.map((s) => s.rate));
  g.strokeStyle = '#e3e6ec';
  g.fillStyle = '#6b7280';
  g.font = '12px system-ui';
  for (let i = 0; i <= 4; i++) {
    const y = h - pad - (h - 2 * pad) * i / 4;
    g.beginPath(); g.moveTo(left, y); g.lineTo(w - 4, y); g.stroke();
    g.fillText((max * i / 4).toFixed(max < 4 ? 2 : 0), 2, y + 4);
  }
  if (samples.length < 2) return;
  g.strokeStyle = '#2f5bd3';
  g.lineWidth = 2;
  g.beginPath();
  samples.forEach((s, i) => {
    const x = left + (w - left - 4) * i / (samples.length - 1);
    const y = h - pad - (h - 2 * pad) * s.rate / max;
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
}

async function pollUsage() {
  const reply = await api('/usage?top=10');
  if (!reply.ok) {
    $('totals').textContent = (reply.body && reply.body.error) || ('usage unavailable (HTTP ' + reply.status + ')');
    return;
  }
  const usage = reply.body;
  const now = performance.now();
  if (lastTotal) {
    const seconds = (now - lastTotal.at) / 1000;
    samples.push({ rate: Math.max(0, usage.globalTxToday - lastTotal.tx) / seconds });
    if (samples.length > 60) samples.shift();
  }
  lastTotal = { at: now, tx: usage.globalTxToday };
  drawChart();
  $('totals').textContent = `Today: ${usage.globalTxToday} sponsored transactions, ${usage.globalGasToday} of ${usage.globalDailySponsoredGas} gas. Resets ${usage.resetsAt}.`;
  $('top-rows').replaceChildren(...(usage.top || []).map((u) => {
    const block = el('button', { class: 'secondary', type: 'button' }, 'Block');
    block.addEventListener('click', () => { $('block-identity').value = u.identity; setBlocked(true); });
    return el('tr', {}, el('td', { class: 'mono' }, u.identity), el('td', {}, u.txToday), el('td', {}, u.gasToday), el('td', {}, block));
  }));
}

async function start() {
  const first = await loadPolicy();
  if (first.status === 401 || first.status === 403) {
    await showSignIn((first.body && first.body.error) || 'Log in as an operator.');
    return;
  }
  const me = await getJson('/auth/me');
  $('who').textContent = adminKey ? 'admin key' : (me.ok ? me.body.key : '');
  for (const id of ['usage', 'policy', 'top']) $(id).hidden = false;
  $('policy-save').addEventListener('click', savePolicy);
  $('policy-reload').addEventListener('click', loadPolicy);
  $('block-form').addEventListener('submit', (e) => { e.preventDefault(); setBlocked(true); });
  $('unblock-button').addEventListener('click', () => setBlocked(false));
  await pollUsage();
  setInterval(pollUsage, 2000);
}

$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  adminKey = $('admin-key').value;
  sessionStorage.setItem('adminKey', adminKey);
  location.reload();
});

start();
