// The policy as a form of its common settings; policy-json.js keeps the JSON view beside it in sync. Fields the form
// does not show (allowed contracts, claims, the paid lane) stay in the document and are edited in the JSON view.
import { el } from '/pages/common.js';

const RULE_FIELDS = [
  ['name', 'Name', 'text'],
  ['provider', 'Provider ("*" for any)', 'text'],
  ['maxGasPerTx', 'Max gas per transaction', 'number'],
  ['defaultGasPerTx', 'Default gas per transaction', 'number'],
  ['rate.burst.count', 'Burst: requests', 'number'],
  ['rate.burst.periodSeconds', 'Burst: per seconds', 'number'],
  ['rate.sustained.count', 'Sustained: requests', 'number'],
  ['rate.sustained.periodSeconds', 'Sustained: per seconds', 'number'],
  ['dailyTxQuota', 'Transactions per day', 'number'],
  ['dailyGasBudget', 'Gas per day', 'number'],
];

export function getPath(doc, path) {
  return path.split('.').reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), doc);
}

// Sets (or, for an empty field, removes) the value at a dotted path; empty parents left behind are removed too.
export function setPath(doc, path, value) {
  const keys = path.split('.');
  const parents = [doc];
  let target = doc;
  for (const key of keys.slice(0, -1)) {
    if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
    target = target[key];
    parents.push(target);
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete target[last]; else target[last] = value;
  for (let i = keys.length - 2; i >= 0; i--) {
    const parent = parents[i];
    if (Object.keys(parent[keys[i]]).length === 0) delete parent[keys[i]]; else break;
  }
}

function field(id, label, type, value, path) {
  const input = el('input', { id, type, 'data-path': path, 'data-type': type, autocomplete: 'off' });
  if (type === 'number') input.setAttribute('min', '0');
  input.value = value ?? '';
  return el('div', { class: 'field' }, el('label', { for: id }, label), input);
}

// Renders the form for doc into container; onEdit(path, value) is called on every change.
export function renderForm(container, doc, onEdit) {
  const parts = [field('policy-global-gas', 'Global sponsored gas per day (empty: no limit)', 'number', doc.globalDailySponsoredGas, 'globalDailySponsoredGas')];
  (doc.rules || []).forEach((rule, index) => {
    const set = el('fieldset', { class: 'rule' }, el('legend', {}, `Rule ${index + 1}: ${rule.name || '(unnamed)'}`));
    for (const [key, label, type] of RULE_FIELDS) {
      set.append(field(`rule-${index}-${key.replaceAll('.', '-')}`, label, type, getPath(rule, key), `rules.${index}.${key}`));
    }
    parts.push(set);
  });
  const blocked = el('textarea', { id: 'policy-blocked', 'data-path': 'blocked', 'data-type': 'lines', rows: '3', class: 'mono' });
  blocked.value = (doc.blocked || []).join('\n');
  parts.push(el('div', { class: 'field' }, el('label', { for: 'policy-blocked' }, 'Blocked identities (one provider:subject per line)'), blocked));
  container.replaceChildren(...parts);
  container.querySelectorAll('[data-path]').forEach((input) => input.addEventListener('input', () => {
    const text = input.value.trim();
    const type = input.dataset.type;
    let value;
    if (type === 'lines') value = text ? text.split('\n').map((l) => l.trim()).filter(Boolean) : [];
    else if (text === '') value = undefined;
    else value = type === 'number' && /^\d+$/.test(text) ? Number(text) : text;
    onEdit(input.dataset.path, value);
  }));
}
