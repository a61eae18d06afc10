// Identity lookup (usage and what is left of each limit), block/unblock, and today's top identities.
import { api, postJson, showResult, utc } from '/pages/admin-api.js';
import { el } from '/pages/common.js';

const $ = (id) => document.getElementById(id);
let onPolicyChanged = async () => {};

function period(seconds) {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function rateWindow(w) {
  return w ? `${w.remaining} of ${w.count} left (per ${period(w.periodSeconds)})` : 'no limit';
}

function quota(used, limit, unit) {
  return limit === null || limit === undefined
    ? `${used} ${unit} used, no daily limit`
    : `${used} of ${limit} ${unit} used, ${Math.max(0, limit - used)} left`;
}

// Wei budgets (docs/admission.md "Budgets in wei"): the chain's unit for people, exact wei beside it.
function basis(s) {
  return s.basis === 'gasUsed'
    ? 'gas used, from the execution receipts (the gas limit is held until then)'
    : 'the gas limit (no execution node: gas used is not known)';
}

function spendWords(s) {
  if (!s) return 'no price set: nothing counted in wei';
  return s.capWei === null || s.capWei === undefined
    ? `${s.spentToday} ${s.currency} charged, no daily cap (${s.spentWeiToday} wei)`
    : `${s.spentToday} of ${s.cap} ${s.currency} charged, ${s.remaining} left (${s.spentWeiToday} of ${s.capWei} wei)`;
}

function globalSpendWords(s) {
  if (!s) return '';
  const cap = s.capWei === null || s.capWei === undefined ? 'no daily cap' : `cap ${s.cap} ${s.currency}, ${s.remaining} left`;
  const reached = s.capReachedAt ? `; at this rate the cap is reached at ${utc(s.capReachedAt)}` : '';
  const alert = s.alertPercent ? `; alert at ${s.alertPercent} % of a cap` : '';
  return `Spend today: ${s.spentToday} ${s.currency} (${s.spentWeiToday} wei), ${cap}; burn rate ${s.burnRatePerHour} ${s.currency}/h${reached}${alert}. Charged on ${basis(s)}.`;
}

async function lookUp(identity) {
  const reply = await api('/usage?top=1&identity=' + encodeURIComponent(identity));
  const target = $('identity-usage');
  if (!reply.ok) {
    showResult(target, reply, () => '');
    return;
  }
  const u = reply.body.identity;
  const list = el('dl', {});
  for (const [term, value] of [
    ['Identity', u.identity],
    ['Linked', u.person ? `${u.person.person}: ${u.person.members.join(', ')} (limits and usage are the person's)` : 'no other logins or wallets'],
    ['Policy rule', u.rule || 'none applies: sponsored requests are denied'],
    ['Status', u.blocked ? 'blocked' : 'not blocked'],
    ['Burst', rateWindow(u.burst)],
    ['Sustained', rateWindow(u.sustained)],
    ['Transactions today', quota(u.txToday, u.dailyTxQuota, 'transactions')],
    ['Gas today', quota(u.gasToday, u.dailyGasBudget, 'gas')],
    ['Spend today', spendWords(u.spend)],
    ['Daily limits reset', utc(u.resetsAt)],
  ]) list.append(el('dt', {}, term), el('dd', { 'data-term': term }, value));
  target.replaceChildren(list);
}

async function setBlocked(blocked) {
  const identity = $('identity-input').value.trim();
  if (!$('identity-form').reportValidity()) return;
  const reply = await postJson(blocked ? '/block' : '/unblock', { identity });
  showResult($('identity-result'), reply, (body) => `${identity} ${blocked ? 'blocked' : 'unblocked'}: ${body.message || 'done'}`);
  if (reply.ok) {
    await onPolicyChanged();
    await lookUp(identity);
  }
}

export async function refreshTop() {
  const reply = await api('/usage?top=10');
  if (!reply.ok) {
    $('totals').textContent = (reply.body && reply.body.error) || `usage unavailable (HTTP ${reply.status})`;
    return;
  }
  const usage = reply.body;
  $('totals').textContent = `Today: ${usage.globalTxToday} sponsored transactions, ${usage.globalGasToday} of ${usage.globalDailySponsoredGas} gas. Resets ${utc(usage.resetsAt)}.`;
  $('spend').textContent = globalSpendWords(usage.spend);
  $('top-rows').replaceChildren(...(usage.top || []).map((u) => {
    const open = el('button', { class: 'link', type: 'button' }, u.identity);
    open.addEventListener('click', () => { $('identity-input').value = u.identity; lookUp(u.identity); $('identity-input').focus(); });
    return el('tr', {}, el('td', { class: 'mono' }, open), el('td', {}, u.txToday), el('td', {}, u.gasToday));
  }));
}

export function setUpIdentity(policyChanged) {
  onPolicyChanged = policyChanged;
  $('identity-form').addEventListener('submit', (e) => {
    e.preventDefault();
    $('identity-result').replaceChildren();
    lookUp($('identity-input').value.trim());
  });
  $('block-button').addEventListener('click', () => setBlocked(true));
  $('unblock-button').addEventListener('click', () => setBlocked(false));
}
