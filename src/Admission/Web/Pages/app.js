// /app: a person writes in the demo guestbook with one button, sees how fast it was saved, what the signed
// confirmation means and their limits in plain words. The raw sponsored call is under "Advanced".
import { getJson, rpc, el, definitionList, describeRpcError } from '/pages/common.js';
import { limitLines, refusal } from '/pages/words.js';
import { byteLength, encodeWrite, newestEntries } from '/pages/guestbook.js';

const $ = (id) => document.getElementById(id);
let identity = null; // sequencer_getIdentity's result
let demo = null; // GET /app/api/demo
let sequencerAddress = null;

async function showLogin() {
  $('login').hidden = false;
  const error = new URLSearchParams(location.search).get('login_error');
  if (error) {
    $('login-error').textContent = 'Logging in did not work: ' + error + '. Try again, or pick another way to log in.';
    $('login-error').hidden = false;
  }
  const { body } = await getJson('/auth/providers');
  const list = $('providers');
  list.replaceChildren();
  for (const provider of body ?? []) {
    list.append(el('a', { class: 'button', href: provider.loginUrl + '?returnUrl=/app', 'data-provider': provider.name }, 'Log in with ' + provider.displayName));
  }
  if (!body || body.length === 0) {
    list.append(el('p', { class: 'muted' }, 'No way to log in is set up on this site yet.'));
  }
}

async function refreshIdentity() {
  const reply = await rpc('sequencer_getIdentity', []);
  if (reply.error) {
    $('limits').replaceChildren(el('li', { class: 'error' }, refusal(reply.error, null)));
    $('account-details').replaceChildren(el('p', { class: 'error' }, describeRpcError(reply.error)));
    return;
  }
  identity = reply.result ?? {};
  const usage = identity.usage ?? {};
  $('limits').replaceChildren(...limitLines(usage).map(([name, text]) => el('li', { id: 'limit-' + name }, text)));
  $('account-details').replaceChildren(definitionList([
    ['Identity', identity.identity],
    ['Address', identity.address],
    ['Next nonce', identity.nonce],
    ['Policy rule', usage.rule ?? 'none applies'],
    ['Resets at', usage.resetsAt],
  ]));
}

async function showEntries() {
  if (!demo?.guestbook) return [];
  const entries = await newestEntries(demo);
  const mine = (identity?.address ?? '').toLowerCase();
  $('entries').replaceChildren(...entries.map((entry) => el('li', { class: entry.author.toLowerCase() === mine ? 'mine' : '' },
    el('span', { class: 'author' }, entry.author.toLowerCase() === mine ? 'You' : 'Someone else'),
    el('span', { class: 'muted' }, ' · ' + entry.time.toLocaleTimeString()),
    el('p', { class: 'text' }, entry.message))));
  if (entries.length === 0) {
    $('entries').replaceChildren(el('li', { class: 'muted' }, 'No messages yet. Be the first!'));
  }
  return entries;
}

// What the signed confirmation means, in words; the signed data itself only when asked.
function explain(confirmation, ms) {
  const place = Number(BigInt(confirmation.index)) + 1;
  const block = Number(BigInt(confirmation.blockNumber));
  const ours = sequencerAddress && confirmation.sequencer?.toLowerCase() === sequencerAddress.toLowerCase();
  return [
    el('p', { class: 'ok', id: 'saved' }, `Saved in ${ms} ms.`),
    el('p', { id: 'meaning' },
      `Your message has its place: number ${place} in block ${block} of this site's chain, written to disk, so it stays even if the server restarts. `,
      `You paid nothing: this site pays for it.`),
    el('p', { id: 'signed-by' }, ours
      ? 'Who promised it: the sequencer that runs this site signed this promise with its own key. Anyone can check the signature, and if the chain published later ever disagrees, this signed promise proves the site broke its word.'
      : 'Careful: this promise is not signed by the sequencer this site names. Do not rely on it.'),
    el('details', { id: 'proof' }, el('summary', {}, 'Show the signed promise (technical)'),
      el('pre', { class: 'mono' }, JSON.stringify(confirmation, null, 2)))];
}

async function write(event) {
  event.preventDefault();
  const result = $('write-result');
  const message = $('message').value.trim();
  const problem = !demo?.guestbook ? 'The guestbook is not available on this site right now.'
    : message === '' ? 'Write something first, then press the button.'
    : byteLength(message) > demo.selectors.maxMessageBytes ? `Your message is too long (${byteLength(message)} of ${demo.selectors.maxMessageBytes} letters). Make it shorter.`
    : null;
  if (problem) {
    result.replaceChildren(el('p', { class: 'error', id: 'write-error' }, problem));
    return;
  }
  $('write-button').disabled = true;
  result.replaceChildren(el('p', { class: 'muted' }, 'Saving…'));
  try {
    const data = encodeWrite(demo.selectors.write, message);
    // The fee is the site's; the gas limit still has to fit the message, so ask the chain what writing it takes.
    const estimate = await rpc('eth_estimateGas', [{ from: identity?.address, to: demo.guestbook, data }]);
    const gas = estimate.result ? '0x' + ((BigInt(estimate.result) * 13n) / 10n).toString(16) : undefined;
    const started = performance.now();
    const reply = await rpc('sequencer_sendSponsoredTransaction', [{ to: demo.guestbook, data, ...(gas ? { gas } : {}) }]);
    const ms = Math.max(1, Math.round(performance.now() - started));
    if (reply.error) {
      await refreshIdentity();
      result.replaceChildren(el('p', { class: 'error', id: 'write-error' }, refusal(reply.error, identity?.usage)));
      return;
    }
    result.replaceChildren(...explain(reply.result, ms));
    $('message').value = '';
    showMessageSize();
    await Promise.all([refreshIdentity(), showOwnEntry(reply.result.txHash, message)]);
  } catch {
    result.replaceChildren(el('p', { class: 'error', id: 'write-error' }, refusal({ network: true }, null)));
  } finally {
    $('write-button').disabled = false;
  }
}

// The entry appears once its block is executed: wait for the receipt, then look (a few times, briefly).
async function showOwnEntry(txHash, message) {
  await rpc('eth_getTransactionReceipt', [txHash]);
  const mine = (identity?.address ?? '').toLowerCase();
  for (let attempt = 0; attempt < 20; attempt++) {
    const entries = await showEntries();
    if (entries.some((e) => e.author.toLowerCase() === mine && e.message === message)) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

function showMessageSize() {
  const size = byteLength($('message').value);
  $('message-size').textContent = size === 0 ? '' : `${size} of ${demo?.selectors?.maxMessageBytes ?? 140} letters`;
}

async function sendRaw(event) {
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
    result.replaceChildren(
      el('p', { class: 'ok', id: 'send-confirmed' }, 'Soft-confirmed by the sequencer'),
      el('pre', { class: 'mono' }, JSON.stringify(reply.result, null, 2)));
  } finally {
    $('send-button').disabled = false;
    refreshIdentity();
  }
}

async function start() {
  const me = await getJson('/auth/me');
  if (me.status !== 200) {
    await showLogin();
    return;
  }
  $('who').textContent = 'Logged in as ' + (me.body.claims?.name || me.body.subject);
  $('logout').hidden = false;
  for (const id of ['guestbook', 'entries-section', 'advanced-section']) $(id).hidden = false;
  $('write-form').addEventListener('submit', write);
  $('send-form').addEventListener('submit', sendRaw);
  $('message').addEventListener('input', showMessageSize);
  const [demoReply, status] = await Promise.all([getJson('/app/api/demo'), rpc('sequencer_getStatus', []), refreshIdentity()]);
  demo = demoReply.body;
  sequencerAddress = status.result?.sequencer ?? null;
  if (demo?.state !== 'ready') {
    $('demo-off').textContent = (demo?.state === 'deploying' ? 'The guestbook is being set up; reload the page in a few seconds. ' : 'The guestbook is not available on this site. ')
      + 'Developers can still send any call under "Advanced" below.';
    $('demo-off').hidden = false;
    $('write-form').hidden = true;
    $('entries-section').hidden = true;
  }
  await showEntries();
  // Limits refill as time passes: keep the numbers current while the page is open.
  setInterval(() => { if (!document.hidden) refreshIdentity(); }, 2000);
}

start();
