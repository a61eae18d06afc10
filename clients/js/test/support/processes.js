// Child processes for the tests: started on free loopback ports, stopped by their PID.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A port nobody listens on right now (the OS picks it); the caller retries if it is taken before binding. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a process that keeps its last output lines (for failure messages).
 * @param {string} name @param {string} command @param {string[]} args @param {NodeJS.ProcessEnv} [env]
 */
export function startProcess(name, command, args, env = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  /** @type {string[]} */
  const lines = [];
  const keep = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (line) lines.push(line);
    }
    lines.splice(0, Math.max(0, lines.length - 200));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise((resolve) => child.once('exit', (code, signal) => { exited = true; resolve(code ?? signal); }));
  return {
    name,
    pid: child.pid,
    get exited() { return exited; },
    output: () => lines.join('\n'),
    /** Waits until a line matches, the process exits, or the timeout passes. */
    async waitForLine(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!lines.some((line) => pattern.test(line))) {
        if (exited) throw new Error(`${name} exited before printing ${pattern}:\n${lines.join('\n')}`);
        if (Date.now() > deadline) throw new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`);
        await delay(50);
      }
    },
    /** SIGTERM by PID, SIGKILL if it has not exited within 10 s. */
    async stop() {
      if (exited) return;
      process.kill(/** @type {number} */ (child.pid), 'SIGTERM');
      const killed = await Promise.race([exit.then(() => true), delay(10_000).then(() => false)]);
      if (!killed && !exited) {
        process.kill(/** @type {number} */ (child.pid), 'SIGKILL');
        await exit;
      }
    },
  };
}

/** @param {number} ms */
export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
