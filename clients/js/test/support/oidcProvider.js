// The real OpenID Connect provider the other tests use (npm oidc-provider, tests/oidc-provider/server.mjs),
// with one client (the sequencer) and one user, and its login flow walked over HTTP to get an ID token:
// authorization code + PKCE through the provider's own login form, as OidcLoginDriver does in C#.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startProcess } from './processes.js';

export const client = { id: 'sequencer', secret: 'sequencer-test-secret', redirect: 'http://127.0.0.1/callback' };

/** @param {string} repoRoot @param {Record<string, { password: string, claims: object }>} users */
export async function startOidcProvider(repoRoot, users) {
  const directory = mkdtempSync(path.join(tmpdir(), 'js-client-oidc-'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'js-client-test', alg: 'RS256', use: 'sig' };
  writeFileSync(path.join(directory, 'jwks.json'), JSON.stringify({ keys: [jwk] }));
  writeFileSync(path.join(directory, 'clients.json'), JSON.stringify([{
    client_id: client.id,
    client_secret: client.secret,
    token_endpoint_auth_method: 'client_secret_post',
    application_type: 'native',
    redirect_uris: [client.redirect],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }]));
  writeFileSync(path.join(directory, 'users.json'), JSON.stringify(users));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const server = startProcess('oidc-provider', process.execPath, [path.join(repoRoot, 'tests', 'oidc-provider', 'server.mjs')], {
      OIDC_PORT: String(port),
      OIDC_JWKS_FILE: path.join(directory, 'jwks.json'),
      OIDC_CLIENTS_FILE: path.join(directory, 'clients.json'),
      OIDC_USERS_FILE: path.join(directory, 'users.json'),
      OIDC_NODE_MODULES: path.join(repoRoot, 'tools', 'node_modules'),
      NODE_ENV: 'test',
    });
    try {
      await server.waitForLine(/oidc-provider listening/, 30_000);
    } catch (error) {
      await server.stop();
      if (attempt < 3) continue;
      throw error;
    }
    const issuer = `http://127.0.0.1:${port}`;
    return {
      issuer,
      /** An ID token for `login`, through the provider's login form. */
      idToken: (login) => logIn(issuer, login, users[login].password),
      async stop() {
        await server.stop();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  }
}

/** @param {string} issuer @param {string} login @param {string} password */
async function logIn(issuer, login, password) {
  const cookies = new Map();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({
    client_id: client.id, response_type: 'code', scope: 'openid profile', redirect_uri: client.redirect,
    code_challenge: challenge, code_challenge_method: 'S256', state: 's' + randomBytes(8).toString('hex'), nonce: 'n' + randomBytes(8).toString('hex'),
  });
  let url = new URL(`${issuer}/auth?${query}`);
  /** @type {RequestInit} */
  let init = {};
  for (let step = 0; step < 30; step++) {
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    init = {};
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(client.redirect)) {
        return redeem(issuer, next.searchParams.get('code'), verifier);
      }
      url = next;
      continue;
    }
    const body = await response.text();
    const action = /<form[^>]*action="([^"]+)"/i.exec(body);
    if (response.status !== 200 || !body.includes('name="login"') || !action) {
      throw new Error(`login stopped at ${url}: ${response.status} ${body.slice(0, 300)}`);
    }
    url = new URL(action[1].replaceAll('&amp;', '&'), url);
    init = { method: 'POST', body: new URLSearchParams({ prompt: 'login', login, password }), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('login did not finish within 30 steps');
}

async function redeem(issuer, code, verifier) {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: client.redirect, code_verifier: verifier,
      client_id: client.id, client_secret: client.secret,
    }),
  });
  const tokens = await response.json();
  if (!response.ok) throw new Error(`token endpoint: ${response.status} ${JSON.stringify(tokens)}`);
  return tokens.id_token;
}
