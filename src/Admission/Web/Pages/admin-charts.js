// The console's charts of the last hour, from GET /admin/api/history (sampled on the server, so the history goes back
// to before the page was opened). Each chart has a caption with the latest values in words.
import { api } from '/pages/admin-api.js';
import { lineChart, stateBand, clock, COLORS } from '/pages/svg-chart.js';
import { el } from '/pages/common.js';

const $ = (id) => document.getElementById(id);
const DA_COLORS = { ok: '#067647', failing: '#d97706', 'failed over': '#b42318', off: '#9ca3af' };

// Colours through the CSSOM: the page's Content-Security-Policy refuses inline style attributes.
function legend(target, series) {
  target.replaceChildren(...series.map((s, i) => {
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = s.color || COLORS[i % COLORS.length];
    return el('li', {}, swatch, s.name);
  }));
}

function caption(id, text) {
  $(id).textContent = text;
}

export async function refreshCharts() {
  const reply = await api('/history');
  if (!reply.ok) {
    caption('history-range', (reply.body && reply.body.error) || `history unavailable (HTTP ${reply.status})`);
    return;
  }
  const { sampleSeconds, capacity, daBackend, samples } = reply.body;
  $('charts').dataset.samples = String(samples.length);
  if (samples.length === 0) {
    caption('history-range', `No samples yet: the server takes one every ${sampleSeconds} s and keeps the last hour.`);
    return;
  }
  const from = samples[0].at - sampleSeconds * 1000;
  const to = samples[samples.length - 1].at;
  const last = samples[samples.length - 1];
  caption('history-range', `${samples.length} samples, one every ${sampleSeconds} s, from ${clock(from)} to ${clock(to)} UTC (the server keeps the last ${capacity}, one hour).`);

  const reasons = [...new Set(samples.flatMap((s) => Object.keys(s.refused)))].sort();
  const admission = [{ name: 'admitted', color: '#067647', points: samples.map((s) => [s.at, s.admitted]) },
    ...reasons.map((reason, i) => ({ name: reason, color: COLORS[(i + 1) % COLORS.length], points: samples.map((s) => [s.at, s.refused[reason] || 0]) }))];
  lineChart($('chart-admission'), { series: admission, from, to, unit: `per ${sampleSeconds} s` });
  legend($('legend-admission'), admission);
  const refusedNow = reasons.filter((r) => last.refused[r]).map((r) => `${r} ${last.refused[r]}`);
  const admittedHour = samples.reduce((sum, s) => sum + s.admitted, 0);
  const refusedHour = samples.reduce((sum, s) => sum + Object.values(s.refused).reduce((a, b) => a + b, 0), 0);
  caption('caption-admission', `Last ${sampleSeconds} s: ${last.admitted} admitted, ${refusedNow.length ? 'refused ' + refusedNow.join(', ') : 'none refused'}. Shown: ${admittedHour} admitted, ${refusedHour} refused.`);

  lineChart($('chart-confirmed'), { series: [{ name: 'tx/s', points: samples.map((s) => [s.at, s.confirmedPerSecond]) }], from, to, unit: 'tx/s' });
  caption('caption-confirmed', `Now: ${last.confirmedPerSecond} confirmed tx/s; peak ${Math.max(...samples.map((s) => s.confirmedPerSecond))} tx/s.`);

  lineChart($('chart-latency'), { series: [{ name: 'p99', color: '#d97706', points: samples.map((s) => [s.at, s.confirmP99Ms]) }], from, to, unit: 'ms' });
  const p99s = samples.map((s) => s.confirmP99Ms).filter((v) => v !== null);
  const now = last.confirmP99Ms === null ? 'No confirmations in the last sample.' : `p99 in the last ${sampleSeconds} s: ${last.confirmP99Ms} ms.`;
  caption('caption-latency', p99s.length ? `${now} Highest shown: ${Math.max(...p99s)} ms.` : now);

  lineChart($('chart-lag'), { series: [{ name: 'lag', color: '#7c3aed', points: samples.map((s) => [s.at, s.batchLag]) }], from, to, unit: 'blocks' });
  caption('caption-lag', last.batchLag === null ? 'This replica does not post batches.' : `${last.batchLag} sealed blocks not yet in a batch.`);

  stateBand($('chart-da'), { points: samples.map((s) => [s.at, s.daState]), from, to, period: sampleSeconds * 1000, colors: DA_COLORS });
  legend($('legend-da'), Object.entries(DA_COLORS).map(([name, color]) => ({ name, color })));
  caption('caption-da', `DA backend (${daBackend}): ${last.daState}.`);
}
