// A small line chart drawn as SVG, written by hand instead of using a charting library: the pages must load nothing
// from a CDN (Content-Security-Policy 'self') and need no front-end build, and the console needs only lines over a
// time axis with a legend. Times are shown in UTC, as the server's daily limits are.
const NS = 'http://www.w3.org/2000/svg';
export const COLORS = ['#2f5bd3', '#b42318', '#d97706', '#7c3aed', '#0e7490', '#be185d', '#4d7c0f', '#6b7280'];

function node(tag, attributes, text) {
  const element = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

export function clock(ms) {
  return new Date(ms).toISOString().slice(11, 19);
}

// The axis top: four grid steps of a round size (1, 2, 2.5, 5 × 10^n; whole numbers from 1 up) covering the value.
function niceMax(value) {
  if (value <= 0) return 4;
  const rough = value / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const step of power >= 10 ? [1, 2, 2.5, 5, 10] : [1, 2, 5, 10]) {
    const size = Math.max(step * power, rough >= 0.25 ? 1 : 0);
    if (size >= rough) return size * 4;
  }
  return 40 * power;
}

function format(value) {
  return value >= 100 || Number.isInteger(value) ? String(Math.round(value)) : value.toFixed(value < 1 ? 2 : 1);
}

// series: [{ name, points: [[timeMs, value|null], ...] }]; from/to: the time axis bounds (ms).
export function lineChart(svg, { series, from, to, unit }) {
  const width = 480, height = 170, left = 46, right = 10, top = 18, bottom = 24;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p[1] ?? 0))));
  const span = Math.max(1, to - from);
  const x = (t) => left + (width - left - right) * (t - from) / span;
  const y = (v) => height - bottom - (height - top - bottom) * v / max;
  for (let i = 0; i <= 4; i++) {
    const v = max * i / 4;
    svg.append(node('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(node('text', { x: left - 4, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, format(v)));
  }
  for (let i = 0; i <= 4; i++) {
    const t = from + span * i / 4;
    svg.append(node('text', { x: x(t), y: height - 6, class: 'tick time', 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' }, clock(t)));
  }
  if (unit) svg.append(node('text', { x: 4, y: 10, class: 'tick unit' }, unit));
  series.forEach((s, index) => {
    let d = '';
    let pen = false;
    for (const [t, v] of s.points) {
      if (v === null || v === undefined) { pen = false; continue; }
      d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    }
    const color = s.color || COLORS[index % COLORS.length];
    if (d) svg.append(node('path', { d, class: 'series', stroke: color }));
    // A point with no neighbour draws no line: mark it with a dot so a lone value still shows.
    s.points.forEach(([t, v], i) => {
      const before = i > 0 ? s.points[i - 1][1] : null;
      const after = i + 1 < s.points.length ? s.points[i + 1][1] : null;
      if (v !== null && v !== undefined && (before === null || before === undefined) && (after === null || after === undefined)) {
        svg.append(node('circle', { cx: x(t).toFixed(1), cy: y(v).toFixed(1), r: 2.5, class: 'dot', fill: color }));
      }
    });
  });
}

// A band of coloured segments, one per sample covering the period before it: a state over time (the DA backend's).
export function stateBand(svg, { points, from, to, period, colors }) {
  const width = 480, height = 60, left = 46, right = 10;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const span = Math.max(1, to - from);
  const x = (t) => left + (width - left - right) * (t - from) / span;
  for (let i = 0; i < points.length; i++) {
    const [t, state] = points[i];
    const start = Math.max(from, t - period);
    svg.append(node('rect', { x: x(start), y: 6, width: Math.max(1, x(t) - x(start)), height: 26, fill: colors[state] || '#9ca3af' }, undefined));
  }
  for (let i = 0; i <= 4; i++) {
    const t = from + span * i / 4;
    svg.append(node('text', { x: x(t), y: height - 8, class: 'tick time', 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' }, clock(t)));
  }
}
