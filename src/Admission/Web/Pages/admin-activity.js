// Recent refusals (GET /admin/api/decisions?refused=true) and the audit log of policy changes (GET /admin/api/audit).
import { api, utc } from '/pages/admin-api.js';
import { el } from '/pages/common.js';

const $ = (id) => document.getElementById(id);

function empty(columns, text) {
  return el('tr', {}, el('td', { colspan: String(columns), class: 'muted' }, text));
}

export async function refreshRefusals() {
  const reply = await api('/decisions?refused=true&count=20');
  if (!reply.ok) {
    $('refusal-rows').replaceChildren(empty(4, (reply.body && reply.body.error) || `HTTP ${reply.status}`));
    return;
  }
  const rows = reply.body.map((d) => el('tr', {},
    el('td', { class: 'nowrap' }, utc(d.at).slice(11)),
    el('td', { class: 'mono' }, d.identity),
    el('td', {}, `${d.verdict}: ${d.reason}`),
    el('td', { class: 'small' }, d.message)));
  $('refusal-rows').replaceChildren(...(rows.length ? rows : [empty(4, 'No refusals among the recent decisions.')]));
}

export async function refreshAudit() {
  const reply = await api('/audit?count=20');
  if (!reply.ok) {
    $('audit-rows').replaceChildren(empty(4, (reply.body && reply.body.error) || `HTTP ${reply.status}`));
    return;
  }
  const rows = reply.body.map((a) => el('tr', {},
    el('td', { class: 'stamp' }, utc(a.at).replace(' ', '\n')),
    el('td', { class: 'mono' }, a.actor),
    el('td', {}, `${a.action} (v${a.fromVersion} → v${a.toVersion})`),
    el('td', { class: 'small' }, el('ul', { class: 'changes' }, ...a.changes.map((c) => el('li', {}, c))))));
  $('audit-rows').replaceChildren(...(rows.length ? rows : [empty(4, 'No policy changes yet.')]));
}
