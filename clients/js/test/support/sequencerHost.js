// The real sequencer host (the built src/Sequencer dll, run by `dotnet`) in Production on a free loopback
// port, with its own data directory, a fresh sequencer key, a master secret, the given policy, and the
// test OIDC provider as login provider "test-oidc" (its ID tokens are accepted as Bearer tokens).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { client } from './oidcProvider.js';
import { delay, freePort, startProcess } from './processes.js';

export const chainId = 424242;

/**
 * @param {string} repoRoot
 * @param {{ issuer: string }} oidc
 * @param {{ sequencerKey: `0x${string}`, policy: object }} options
 */
export async function startSequencer(repoRoot, oidc, { sequencerKey, policy }) {
  const configuration = process.env.CONFIGURATION ?? 'Release';
  const dll = path.join(repoRoot, 'src', 'Sequencer', 'bin', configuration, 'net10.0', 'Sequencer.dll');
  if (!existsSync(dll)) {
    throw new Error(`build the solution first (dotnet build Sequencer.sln -c ${configuration}): ${dll} is missing`);
  }
  const data = mkdtempSync(path.join(tmpdir(), 'js-client-sequencer-'));
  writeFileSync(path.join(data, 'sequencer.key'), sequencerKey.slice(2));
  writeFileSync(path.join(data, 'master-secret'), randomBytes(32).toString('hex'));
  writeFileSync(path.join(data, 'policy.json'), JSON.stringify(policy));
  const provider = '--Admission:Identity:Providers:test-oidc';
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const host = startProcess('sequencer', 'dotnet', [
      dll,
      `--Urls=http://127.0.0.1:${port}`,
      `--Sequencer:ChainId=${chainId}`,
      `--Sequencer:DataDirectory=${data}`,
      `--Sequencer:KeyFile=${path.join(data, 'sequencer.key')}`,
      `--Admission:MasterSecretFile=${path.join(data, 'master-secret')}`,
      `--Admission:PolicyFile=${path.join(data, 'policy.json')}`,
      `${provider}:Kind=Oidc`,
      `${provider}:Authority=${oidc.issuer}`,
      `${provider}:RequireHttpsMetadata=false`,
      `${provider}:ClientId=${client.id}`,
      `${provider}:ClientSecret=${client.secret}`,
      '--Logging:LogLevel:Default=Warning',
    ], { DOTNET_ENVIRONMENT: 'Production' });
    if (await ready(url, host, 120_000)) {
      return {
        url,
        async stop() {
          await host.stop();
          rmSync(data, { recursive: true, force: true });
        },
      };
    }
    await host.stop();
    if (attempt >= 3) {
      rmSync(data, { recursive: true, force: true });
      throw new Error(`the sequencer did not get ready:\n${host.output()}`);
    }
  }
}

/** True once /health/ready answers 200; false if the process exited or the time ran out. */
async function ready(url, host, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !host.exited) {
    try {
      const response = await fetch(new URL('health/ready', url), { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  return false;
}
