// The client against the real sequencer host (and the real OIDC provider for the ID tokens it accepts):
// sponsored transactions, soft confirmations read back, and local verification that must reject
// tampered confirmations. Run: node --test test/client.test.js (after building the solution).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPublicClient, defineChain, http, keccak256, concat, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import {
  SponsoredLimitError,
  SponsorshipRefusedError,
  getSoftConfirmation,
  sendSponsoredTransaction,
  sequencerActions,
  softConfirmationDomain,
  softConfirmationTypes,
  verifySoftConfirmation,
} from '../src/index.js';
import { startOidcProvider } from './support/oidcProvider.js';
import { chainId, startSequencer } from './support/sequencerHost.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const contract = '0x000000000000000000000000000000000000dEaD';
const burst = 4;
const policy = {
  version: 1,
  rules: [{
    name: 'js-client', provider: 'test-oidc',
    allowedContracts: [{ address: contract }],
    maxGasPerTx: 100000, defaultGasPerTx: 50000,
    rate: { burst: { count: burst, periodSeconds: 3600 } },
  }],
  globalDailySponsoredGas: 1000000000,
};
const users = {
  alice: { password: 'alice-password', claims: { name: 'Alice' } },
  bob: { password: 'bob-password', claims: { name: 'Bob' } },
};

const sequencerKey = generatePrivateKey();
const sequencerAddress = privateKeyToAccount(sequencerKey).address;
let oidc, host, chain;

before(async () => {
  oidc = await startOidcProvider(repoRoot, users);
  host = await startSequencer(repoRoot, oidc, { sequencerKey, policy });
  chain = defineChain({ id: chainId, name: 'rollup', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [host.url] } } });
});

after(async () => {
  await host?.stop();
  await oidc?.stop();
});

/** A client that sends `user`'s ID token as a Bearer token (none without a user). */
async function clientFor(user) {
  const headers = user ? { Authorization: `Bearer ${await oidc.idToken(user)}` } : {};
  return createPublicClient({ chain, transport: http(host.url, { fetchOptions: { headers } }) }).extend(sequencerActions());
}

/** The confirmation re-signed by `key` after `change`: a forgery a holder of that key could make. */
async function resigned(confirmation, key, change) {
  const changed = { ...confirmation, ...change };
  const { txHash, sequence, blockNumber, index, timestamp, accumulator } = changed;
  const signature = await privateKeyToAccount(key).signTypedData({
    domain: softConfirmationDomain(chainId), types: softConfirmationTypes, primaryType: 'SoftConfirmation',
    message: { txHash, sequence, blockNumber, index, timestamp, accumulator },
  });
  return { ...changed, signature };
}

let first;

test('a sponsored transaction is confirmed, signed by the sequencer key, from the identity account', async () => {
  const alice = await clientFor('alice');
  first = await alice.sendSponsoredTransaction({ to: contract, data: '0x1234' });

  assert.match(first.txHash, /^0x[0-9a-f]{64}$/);
  assert.equal(first.sequencer.toLowerCase(), sequencerAddress.toLowerCase());
  assert.equal(first.gas, 50000n);
  const tx = await alice.request({ method: 'eth_getTransactionByHash', params: [first.txHash] });
  assert.equal(tx.from.toLowerCase(), first.from.toLowerCase());
  assert.equal(tx.input, '0x1234');
  const verdict = await alice.verifySoftConfirmation({ confirmation: first, sequencer: sequencerAddress });
  assert.deepEqual(verdict, { valid: true, signer: sequencerAddress, problems: [] });
});

test('getSoftConfirmation reads the same signed confirmation back, and null for an unknown hash', async () => {
  const reader = await clientFor(null);
  const { from, nonce, gas, ...signed } = first;

  assert.deepEqual(await getSoftConfirmation(reader, { hash: first.txHash }), signed);
  assert.equal(await getSoftConfirmation(reader, { hash: keccak256(toHex('never sent')) }), null);
});

test('consecutive confirmations chain: each accumulator extends the one before', async () => {
  const alice = await clientFor('alice');
  const second = await sendSponsoredTransaction(alice, { to: contract, data: '0x5678' });

  assert.equal(second.sequence, first.sequence + 1n);
  assert.equal(second.accumulator, keccak256(concat([first.accumulator, second.txHash])));
  // With the previous accumulator in hand, and without it (read from the sequencer's signed confirmation).
  assert.equal((await verifySoftConfirmation(alice, { confirmation: second, previousAccumulator: first.accumulator, sequencer: sequencerAddress })).valid, true);
  const fromServer = await verifySoftConfirmation(alice, { confirmation: second });
  assert.deepEqual(fromServer.problems, []);
});

test('a confirmation with a changed txHash is rejected', async () => {
  const reader = await clientFor(null);
  const tampered = { ...first, txHash: keccak256(toHex('another transaction')) };

  const verdict = await verifySoftConfirmation(reader, { confirmation: tampered, sequencer: sequencerAddress });

  assert.equal(verdict.valid, false);
  assert.notEqual(verdict.signer, sequencerAddress);
  assert.match(verdict.problems.join('\n'), /not by the sequencer/);
});

test('a confirmation signed by another key is rejected, whichever sequencer it names', async () => {
  const reader = await clientFor(null);
  const impostorKey = generatePrivateKey();
  const impostor = privateKeyToAccount(impostorKey).address;

  const keepsName = await verifySoftConfirmation(reader, { confirmation: await resigned(first, impostorKey, {}) });
  const namesImpostor = await verifySoftConfirmation(reader, { confirmation: await resigned(first, impostorKey, { sequencer: impostor }) });

  assert.equal(keepsName.valid, false);
  assert.equal(keepsName.signer, impostor);
  assert.match(keepsName.problems.join('\n'), /signed by .*, not by the sequencer/);
  // Signature and named sequencer agree, but it is not this sequencer (read from sequencer_getStatus).
  assert.equal(namesImpostor.valid, false);
  assert.match(namesImpostor.problems.join('\n'), new RegExp(`expected sequencer is ${sequencerAddress}`, 'i'));
});

test('a broken accumulator is rejected even when the sequencer key signed it', async () => {
  const reader = await clientFor(null);
  const broken = await resigned(first, sequencerKey, { accumulator: keccak256(toHex('not the chain')) });

  const verdict = await verifySoftConfirmation(reader, { confirmation: broken, sequencer: sequencerAddress });
  const wrongPrevious = await verifySoftConfirmation(reader, { confirmation: first, sequencer: sequencerAddress, previousAccumulator: keccak256(toHex('x')) });

  assert.equal(verdict.signer, sequencerAddress);
  assert.equal(verdict.valid, false);
  assert.match(verdict.problems.join('\n'), /^accumulator .* is not keccak256\(previous accumulator/m);
  assert.equal(wrongPrevious.valid, false);
  assert.match(wrongPrevious.problems.join('\n'), /accumulator/);
});

test('a malformed confirmation is rejected with the field named', async () => {
  const reader = await clientFor(null);

  const verdict = await verifySoftConfirmation(reader, { confirmation: { ...first, signature: '0x12' }, sequencer: sequencerAddress });

  assert.deepEqual(verdict, { valid: false, signer: null, problems: ['soft confirmation: signature must be 65-byte hex signature, got "0x12"'] });
});

test('a reached limit is a SponsoredLimitError with the reason and the time to wait', async () => {
  const bob = await clientFor('bob');
  for (let i = 0; i < burst; i++) {
    await bob.sendSponsoredTransaction({ to: contract });
  }

  const refused = await bob.sendSponsoredTransaction({ to: contract }).catch((error) => error);

  assert.ok(refused instanceof SponsoredLimitError, String(refused));
  assert.equal(refused.reason, 'rate.burst');
  assert.ok(refused.retryAfterMs > 0, `retryAfterMs ${refused.retryAfterMs}`);
  assert.match(refused.message, /rule "js-client" \(rate\.burst\): limit reached/);
});

test('no credentials, or a contract the policy does not allow, is a SponsorshipRefusedError saying why', async () => {
  const anonymous = await clientFor(null);
  const alice = await clientFor('alice');

  const notLoggedIn = await anonymous.sendSponsoredTransaction({ to: contract }).catch((error) => error);
  const denied = await alice.sendSponsoredTransaction({ to: '0x1111111111111111111111111111111111111111' }).catch((error) => error);

  assert.ok(notLoggedIn instanceof SponsorshipRefusedError, String(notLoggedIn));
  assert.match(notLoggedIn.message, /authentication failed: not logged in/);
  assert.ok(denied instanceof SponsorshipRefusedError, String(denied));
  assert.match(denied.message, /rule "js-client" \(allowedContracts\)/);
});
