// The operator API with the admin key (kept for this tab only) or the operator's session cookie.
import { getJson, el } from '/pages/common.js';

export const adminKey = { value: sessionStorage.getItem('adminKey') || '' };

export function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (adminKey.value) headers['X-Admin-Key'] = adminKey.value;
  return getJson('/admin/api' + path, { ...options, headers });
}

export function postJson(path, body, method = 'POST') {
  return api(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

// Writes the answer into a role=status element: the success text, or the error with every problem and its path.
export function showResult(target, reply, okText) {
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

export function utc(iso) {
  return iso ? iso.slice(0, 19).replace('T', ' ') + ' UTC' : '—';
}
