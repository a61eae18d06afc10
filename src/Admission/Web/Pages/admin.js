// The operator console: signs in (operator login or admin key), then keeps its views fresh: the charts of the last
// hour, recent refusals, the audit log and today's top identities.
import { getJson, el } from '/pages/common.js';
import { adminKey } from '/pages/admin-api.js';
import { refreshCharts } from '/pages/admin-charts.js';
import { refreshRefusals, refreshAudit } from '/pages/admin-activity.js';
import { refreshTop, setUpIdentity } from '/pages/admin-identity.js';
import { loadPolicy, setUpPolicy } from '/pages/admin-policy.js';

const $ = (id) => document.getElementById(id);
const SECTIONS = ['history', 'refusals', 'identity', 'policy', 'audit'];

async function showSignIn(problem) {
  $('signin').hidden = false;
  $('signin-problem').textContent = problem || '';
  const { body } = await getJson('/auth/providers');
  $('providers').replaceChildren(...(body || []).map((p) =>
    el('a', { class: 'button', href: p.loginUrl + '?returnUrl=/admin' }, 'Log in with ' + p.displayName)));
  $('admin-key').focus();
}

async function refresh() {
  await Promise.all([refreshCharts(), refreshRefusals(), refreshTop()]);
}

async function start() {
  const first = await loadPolicy();
  if (first.status === 401 || first.status === 403) {
    await showSignIn((first.body && first.body.error) || 'Log in as an operator.');
    return;
  }
  const me = await getJson('/auth/me');
  $('who').textContent = adminKey.value ? 'Signed in with the admin key' : (me.ok ? 'Signed in as ' + me.body.key : '');
  for (const id of SECTIONS) $(id).hidden = false;
  setUpIdentity(async () => { await loadPolicy(); await refreshAudit(); });
  setUpPolicy(refreshAudit);
  $('refresh-button').addEventListener('click', () => Promise.all([refresh(), refreshAudit()]));
  await Promise.all([refresh(), refreshAudit()]);
  setInterval(refresh, 5000);
}

$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  adminKey.value = $('admin-key').value;
  sessionStorage.setItem('adminKey', adminKey.value);
  location.reload();
});

start();
