// A real OpenID Connect provider (npm oidc-provider) for the tests, on loopback.
// Configuration comes from the environment so each test run chooses its own port, keys, clients and users:
//   OIDC_PORT          port to listen on (127.0.0.1)
//   OIDC_JWKS_FILE     JSON {"keys":[private JWKs]} the provider signs with (the tests may read it)
//   OIDC_CLIENTS_FILE  JSON array of client metadata (client_id, client_secret, redirect_uris, ...)
//   OIDC_USERS_FILE    JSON object: login name -> { password, claims }
// Login uses the package's development interactions (a plain form); consent is skipped for the
// configured first-party clients.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const modulesDir = process.env.OIDC_NODE_MODULES;
const require = createRequire(path.join(modulesDir, 'noop.js'));
const { default: Provider, interactionPolicy } = await import(pathToFileURL(require.resolve('oidc-provider')).href);

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const jwks = JSON.parse(readFileSync(process.env.OIDC_JWKS_FILE, 'utf8'));
const clients = JSON.parse(readFileSync(process.env.OIDC_CLIENTS_FILE, 'utf8'));
const users = JSON.parse(readFileSync(process.env.OIDC_USERS_FILE, 'utf8'));

const policyClaims = ['name', 'verified', 'email_verified', 'created_at', 'followers_count', 'role'];

// The test clients are native loopback clients (so any port matches); the package asks native
// clients for consent every time, which a first-party client does not need.
const policy = interactionPolicy.base();
policy.get('consent').checks.remove('native_client_prompt');

const provider = new Provider(issuer, {
  interactions: { policy },
  clients,
  jwks,
  cookies: { keys: ['test-only-cookie-key-1', 'test-only-cookie-key-2'] },
  claims: { openid: ['sub'], profile: policyClaims },
  // Put the profile claims into the ID token itself: the sequencer reads them from there.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 120, Interaction: 600, Session: 3600, Grant: 3600 },
  async findAccount(ctx, id) {
    const user = users[id];
    if (!user) {
      return undefined;
    }
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...user.claims };
      },
    };
  },
  // First-party clients: grant what they ask for without a consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope || 'openid');
    grant.addOIDCClaims(['sub', ...policyClaims]);
    await grant.save();
    return grant;
  },
});

provider.on('server_error', (ctx, err) => console.error('server_error', err));

// The development login form accepts any password; check it here so a wrong password fails like a real provider.
provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && /^\/interaction\/[^/]+$/.test(ctx.path)) {
    const body = await readForm(ctx.req);
    ctx.req.body = Object.fromEntries(body);
    if (body.get('prompt') !== 'login') {
      await next();
      return;
    }
    const user = users[body.get('login')];
    if (!user || user.password !== body.get('password')) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = '<p id="login-error">wrong user name or password</p>';
      return;
    }
  }
  await next();
});

async function readForm(req) {
  let raw = '';
  for await (const chunk of req) {
    raw += chunk;
  }
  return new URLSearchParams(raw);
}

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
