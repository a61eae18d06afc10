import { getJson, rpc, el, definitionList, describeRpcError } from '/pages/common.js';

const $ = (id) => document.getElementById(id);

async function showLogin() {
  $('login').hidden = false;
  const error = new URLSearchParams(location.search).get('login_error');
  if (error) {
    $('login-error').textContent = error;
    $('login-error').hidden = false;
  }
  const { body } = await getJson('/auth/providers');
  const list = $('providers');
  list.replaceChildren();
  for (const provider of body ?? []) {
    list.append(el('a', { class: 'button', href: provider.loginUrl + '?returnUrl=/app', 'data-provider': provider.name }, 'Log in with ' + provider.displayName));
  }
  if (!body || body.length === 0) {
    list.append(el('p', { class: 'muted' }, 'No login provider is configured.'));
  }
}

function limitText(window) {
  return window ? `${window.remaining} of ${window.count} per ${window.periodSeconds} s left` : null;
}

async function showAccount() {
  const reply = await rpc('sequencer_getIdentity', []);
  const target = $('account-details');
  if (reply.error) {
    target.replaceChildren(el('p', { class: 'error' }, describeRpcError(reply.error)));
    return;
  }
  const account = reply.result ?? {};
  const usage = account.usage ?? account;
  target.replaceChildren(definitionList([
    ['Identity', account.identity ?? usage.identity],
    ['Address', account.address],
    ['Policy rule', usage.rule ?? 'none applies'],
    ['Blocked', usage.blocked ? 'yes' : 'no'],
    ['Burst', limitText(usage.burst)],
    ['Sustained', limitText(usage.sustained)],
    ['Transactions today', usage.dailyTxQuota != null ? `${usage.txToday} of ${usage.dailyTxQuota}` : usage.txToday],
    ['Gas today', usage.dailyGasBudget != null ? `${usage.gasToday} of ${usage.dailyGasBudget}` : usage.gasToday],
    ['Resets at', usage.resetsAt],
  ]));
  target.dataset.address = account.address ?? '';
}

async function send(event) {
  event.preventDefault();
  const form = event.target;
  const call = { to: form.to.value.trim(), data: form.data.value.trim() || '0x' };
  if (form.gas.value.trim()) {
    call.gas = '0x' + BigInt(form.gas.value.trim()).toString(16);
  }
  const result = $('send-result');
  result.replaceChildren(el('p', { class: 'muted' }, 'Sending…'));
  $('send-button').disabled = true;
  try {
    const reply = await rpc('sequencer_sendSponsoredTransaction', [call]);
    if (reply.error) {
      result.replaceChildren(el('p', { class: 'error', id: 'send-error' }, 'Refused: ' + describeRpcError(reply.error)));
      return;
    }
    const confirmation = reply.result ?? {};
    result.replaceChildren(
      el('p', { class: 'ok', id: 'send-confirmed' }, 'Soft-confirmed by the sequencer'),
      definitionList([
        ['Transaction', confirmation.txHash ?? confirmation.hash ?? confirmation.transactionHash],
        ['From', confirmation.from],
        ['Block', confirmation.blockNumber],
        ['Position', confirmation.index ?? confirmation.position],
      ]),
      el('pre', { class: 'mono' }, JSON.stringify(confirmation, null, 2)));
  } finally {
    $('send-button').disabled = false;
    showAccount();
  }
}

async function start() {
  const me = await getJson('/auth/me');
  if (me.status !== 200) {
    await showLogin();
    return;
  }
  $('who').textContent = me.body.key;
  $('logout').hidden = false;
  $('account').hidden = false;
  $('send').hidden = false;
  $('send-form').addEventListener('submit', send);
  $('refresh').addEventListener('click', showAccount);
  await showAccount();
}

start();
