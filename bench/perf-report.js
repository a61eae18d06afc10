// Turns one bench/perf.sh run (the JSON lines in its output folder) into the markdown tables of docs/benchmarks.md,
// "Performance (issue 16)". Every figure printed is one the run measured, except the two marked "estimate".
//   node bench/perf-report.js .bench-artifacts/perf
const fs = require("fs");
const path = require("path");
const dir = process.argv[2];
const lines = (file) => {
  const p = path.join(dir, file);
  return fs.existsSync(p) ? fs.readFileSync(p, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
};
const text = (file) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), "utf8").trim() : "(missing)");
const load = lines("load.jsonl");
const wrk = lines("wrk.jsonl");
const core = lines("core.jsonl");
const trace = lines("trace.jsonl");
const f = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? "–" : Number(x).toFixed(d));
const n = (x) => (x === undefined ? "–" : Math.round(x).toLocaleString("en-US"));
const perTx = (cpu, r) => (r && r.ok > 0 && cpu > 0 ? f((cpu * 1e6) / r.ok, 0) : "–");
const row = (label) => load.find((r) => r.label === label);
const cores = Number((text("machine.txt").match(/cores: (\d+)/) || [])[1] || 2);

console.log("**Machine and run:**\n");
console.log("```\n" + text("machine.txt") + "\n```\n");

console.log("**Side by side** (closed loop at max, 64 connections; open loop at half of that max; wrk closed loop):\n");
console.log("| | sequencer (`sequencer_sendRawTransaction`) | anvil (`eth_sendRawTransaction`) |");
console.log("|---|---|---|");
const side = (title, fn) => console.log(`| ${title} | ${fn("sequencer")} | ${fn("anvil")} |`);
side("max tx/s (load generator)", (t) => n(row(`${t}-max`)?.txPerSecond));
side("p50 / p99 / p99.9 ms at max", (t) => { const r = row(`${t}-max`); return r ? `${f(r.p50Ms)} / ${f(r.p99Ms)} / ${f(r.p999Ms)}` : "–"; });
side("half of max: achieved tx/s", (t) => n(row(`${t}-50%`)?.txPerSecond));
side("p50 / p99 / p99.9 ms at half", (t) => { const r = row(`${t}-50%`); return r ? `${f(r.p50Ms)} / ${f(r.p99Ms)} / ${f(r.p999Ms)}` : "–"; });
side("wrk tx/s", (t) => n(wrk.find((w) => w.label === `${t}-wrk`)?.txPerSecond));
side("wrk p50 / p99 / p99.9 ms", (t) => { const w = wrk.find((x) => x.label === `${t}-wrk`); return w ? `${f(w.p50Ms)} / ${f(w.p99Ms)} / ${f(w.p999Ms)}` : "–"; });
side("server CPU µs per tx at max", (t) => perTx(row(`${t}-max`)?.serverCpuSeconds, row(`${t}-max`)));
side("client CPU µs per tx at max", (t) => perTx(row(`${t}-max`)?.clientCpuSeconds, row(`${t}-max`)));
side(`estimate: tx/s with the server alone on ${cores} cores (cores ÷ server CPU per tx)`, (t) => {
  const r = row(`${t}-max`);
  return r && r.serverCpuSeconds > 0 ? n((cores * r.ok) / r.serverCpuSeconds) : "–";
});

console.log("\n**Rate sweep** (load generator; open loop, latency from each request's scheduled send time; every latency kept):\n");
console.log("| run | offered tx/s | ok | errors | achieved tx/s | p50 ms | p99 ms | p99.9 ms | max ms | client CPU µs/tx | server CPU µs/tx | client GC pauses ms |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of load) {
  console.log(`| ${r.label} | ${r.rate ? n(r.rate) : "max"} | ${r.ok} | ${r.errors} | ${n(r.txPerSecond)} | ${f(r.p50Ms)} | ${f(r.p99Ms)} | ${f(r.p999Ms)} | ${f(r.maxMs)} | ${perTx(r.clientCpuSeconds, r)} | ${perTx(r.serverCpuSeconds, r)} | ${r.clientGcPauseMs === undefined ? "–" : f(r.clientGcPauseMs)} |`);
}

console.log("\n**wrk** (independent client: 1 thread, closed loop, the load generator's pre-signed bodies; no coordinated-omission correction):\n");
console.log("| run | connections | ok | errors | socket errors | s | tx/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const w of wrk) {
  console.log(`| ${w.label} | ${w.connections} | ${w.ok} | ${w.errors}${w.replayed ? ` (${w.replayed} replayed)` : ""} | ${w.socketErrors} | ${f(w.seconds, 1)} | ${n(w.txPerSecond)} | ${f(w.p50Ms)} | ${f(w.p90Ms)} | ${f(w.p99Ms)} | ${f(w.p999Ms)} | ${f(w.maxMs)} |`);
}

console.log("\n**Tail trace** (the half-rate load again, bench/TailTrace attached over EventPipe; row `sequencer-50%-traced` above):\n");
console.log("```\n" + text("trace.txt").split("\n").filter((l) => l.startsWith("[sequencer-half-traced]")).map((l) => l.replace("[sequencer-half-traced] ", "")).join("\n") + "\n```");
if (trace.length === 0) console.log("(no trace summary)");

console.log("\n**Core ceiling** (Sequencer.Benchmarks core-ceiling: pre-decoded, pre-recovered transactions straight into the core; no HTTP, JSON, decoding or recovery):\n");
console.log("| variant | transactions | submitters | tx/s | group commits | p50 ms | p99 ms | p99.9 ms |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const c of core.filter((x) => x.label)) console.log(`| ${c.label} | ${c.transactions} | ${c.concurrency} | ${n(c.txPerSecond)} | ${c.groupCommits} | ${f(c.p50Ms)} | ${f(c.p99Ms)} | ${f(c.p999Ms)} |`);

console.log("\n**Stages** (one thread, process CPU µs per transaction, same run; docs/scaling.md):\n");
console.log("| stage | µs CPU |");
console.log("|---|---:|");
for (const c of core.filter((x) => x.stage)) console.log(`| ${c.stage} | ${f(c.microseconds)} |`);

console.log("\n**Time to ready** (bench/restart.sh: process start to the first 200 of /health/ready; wall ms per start, host CPU ms):\n");
console.log("```\n" + text("ready.txt") + "\n```");

const max = row("sequencer-max");
const half = row("sequencer-50%");
console.log("\n**Targets:**\n");
console.log(`- ≥ 17,000 tx/s at max: ${max ? `${n(max.txPerSecond)} tx/s, ${max.txPerSecond >= 17000 ? "met" : "**not met**"}` : "–"}`);
console.log(`- p99 < 5 ms at half of max: ${half ? `p99 ${f(half.p99Ms)} ms at ${n(half.txPerSecond)} tx/s, ${half.p99Ms < 5 ? "met" : "**not met**"}` : "–"}`);
