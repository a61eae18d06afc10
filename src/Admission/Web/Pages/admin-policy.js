// The policy editor: the form and the JSON view edit one document and stay in sync; Enter (or "Try against recent
// traffic") replays the draft against recent decisions before anything is saved; "Save policy" saves it.
import { api, postJson, showResult } from '/pages/admin-api.js';
import { renderForm, setPath } from '/pages/admin-policy-form.js';
import { el } from '/pages/common.js';

const $ = (id) => document.getElementById(id);
let doc = {};
let afterSave = async () => {};

function showJson() {
  $('policy-text').value = JSON.stringify(doc, null, 2);
  $('json-state').textContent = 'JSON matches the form.';
  $('json-state').className = 'muted';
}

function onFormEdit(path, value) {
  setPath(doc, path, value);
  showJson();
  if (path.endsWith('.name')) renderForm($('policy-fields'), doc, onFormEdit);
}

function onJsonEdit() {
  try {
    const parsed = JSON.parse($('policy-text').value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the policy must be a JSON object');
    doc = parsed;
    renderForm($('policy-fields'), doc, onFormEdit);
    $('json-state').textContent = 'Form updated from the JSON.';
    $('json-state').className = 'muted';
  } catch (e) {
    $('json-state').textContent = 'Not valid JSON (the form keeps the last valid version): ' + e.message;
    $('json-state').className = 'error';
  }
}

export async function loadPolicy() {
  const reply = await api('/policy');
  if (!reply.ok) return reply;
  doc = reply.body;
  $('policy-version').textContent = 'version ' + doc.version;
  renderForm($('policy-fields'), doc, onFormEdit);
  showJson();
  return reply;
}

async function replay() {
  const count = Number($('replay-count').value) || 1000;
  const reply = await postJson('/policy/replay', { policy: doc, count });
  const target = $('policy-result');
  if (!reply.ok) {
    showResult(target, reply, () => '');
    return;
  }
  const r = reply.body;
  const summary = r.decisions === 0
    ? 'No recent decisions to try the draft against.'
    : `Of the last ${r.decisions} decisions, ${r.changed} would change verdict under this draft.`;
  target.replaceChildren(el('p', { class: r.changed ? 'warn' : 'ok', id: 'replay-summary' }, summary),
    el('ul', { class: 'changes', id: 'replay-changes' }, ...r.changes.map((c) => el('li', {}, `${c.from} → ${c.to}: ${c.count}`))));
}

async function save() {
  const reply = await postJson('/policy', doc, 'PUT');
  showResult($('policy-result'), reply, (body) => `Saved: ${body.message || 'version ' + body.version}`);
  if (reply.ok) {
    await loadPolicy();
    await afterSave();
  }
}

export function setUpPolicy(saved) {
  afterSave = saved;
  $('policy-text').addEventListener('input', onJsonEdit);
  $('policy-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const saving = e.submitter && e.submitter.id === 'policy-save';
    $('policy-result').replaceChildren(el('p', { class: 'muted' }, saving ? 'Saving…' : 'Trying the draft against recent traffic…'));
    if (saving) save(); else replay();
  });
  $('policy-reload').addEventListener('click', async () => { await loadPolicy(); $('policy-result').replaceChildren(); });
}
