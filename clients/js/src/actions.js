// viem actions for the sequencer's own JSON-RPC methods (docs/rpc.md, docs/admission.md). Each takes a
// viem Client as its first argument, like viem's own actions, and `sequencerActions()` adds them to a
// client with `client.extend(...)`. Credentials for the sponsored lane (a Bearer ID token) go on the
// transport: http(url, { fetchOptions: { headers: { Authorization: `Bearer ${idToken}` } } }).
import { numberToHex } from 'viem';
import { parseSoftConfirmation, parseSponsoredConfirmation } from './softConfirmation.js';
import { toSequencerError } from './errors.js';
import { verifySoftConfirmation } from './verify.js';

/** @typedef {import('viem').Client} Client */
/** @typedef {import('./softConfirmation.js').Hex} Hex */

/**
 * Sends a gas-free transaction on the sponsored lane: the sequencer signs it with the caller's identity
 * account and answers with the signed soft confirmation once the transaction is durable.
 * The request is sent once (no automatic retry): a retry after a lost reply would be a second transaction.
 * @param {Client} client a client whose transport carries the caller's credentials
 * @param {{ to: Hex, data?: Hex, value?: bigint, gas?: bigint }} request
 * @returns {Promise<import('./softConfirmation.js').SponsoredConfirmation>}
 * @throws {import('./errors.js').SponsoredLimitError} when a limit is reached (`reason`, `retryAfterMs`)
 * @throws {import('./errors.js').SponsorshipRefusedError} when not logged in or the policy denies the call
 */
export async function sendSponsoredTransaction(client, { to, data, value, gas }) {
  /** @type {Record<string, string>} */
  const params = { to };
  if (data !== undefined) params.data = data;
  if (value !== undefined) params.value = numberToHex(value);
  if (gas !== undefined) params.gas = numberToHex(gas);
  let reply;
  try {
    reply = await client.request({ method: 'sequencer_sendSponsoredTransaction', params: [params] }, { retryCount: 0 });
  } catch (error) {
    throw toSequencerError(error);
  }
  return parseSponsoredConfirmation(/** @type {Record<string, unknown>} */ (reply));
}

/**
 * The soft confirmation of a confirmed transaction, or null when the sequencer has not confirmed it.
 * @param {Client} client
 * @param {{ hash: Hex }} args
 * @returns {Promise<import('./softConfirmation.js').SoftConfirmation | null>}
 */
export async function getSoftConfirmation(client, { hash }) {
  let reply;
  try {
    reply = await client.request({ method: 'sequencer_getSoftConfirmation', params: [hash] });
  } catch (error) {
    throw toSequencerError(error);
  }
  return reply === null ? null : parseSoftConfirmation(/** @type {Record<string, unknown>} */ (reply));
}

/** Adds the actions to a viem client: `createPublicClient({...}).extend(sequencerActions())`. */
export function sequencerActions() {
  /** @param {Client} client */
  return (client) => ({
    /** @param {Parameters<typeof sendSponsoredTransaction>[1]} args */
    sendSponsoredTransaction: (args) => sendSponsoredTransaction(client, args),
    /** @param {Parameters<typeof getSoftConfirmation>[1]} args */
    getSoftConfirmation: (args) => getSoftConfirmation(client, args),
    /** @param {Parameters<typeof verifySoftConfirmation>[1]} args */
    verifySoftConfirmation: (args) => verifySoftConfirmation(client, args),
  });
}
