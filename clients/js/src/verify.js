// Checks a soft confirmation locally, trusting nothing the sequencer says without a signature:
// 1. the EIP-712 signature recovers the sequencer's address (docs/rpc.md's domain and type);
// 2. that address is the one expected (pinned by the caller, else the sequencer's sequencer_getStatus);
// 3. accumulator = keccak256(accumulator of sequence - 1 ‖ txHash), with the previous accumulator taken
//    from the caller, or from the *signed* confirmation of sequence - 1 (found through the sequencer's
//    block), whose signature is checked too; and the block lists txHash at the confirmed position.
import { concat, isAddressEqual, keccak256, numberToHex, recoverTypedDataAddress } from 'viem';
import { getChainId } from 'viem/actions';
import {
  parseSoftConfirmation,
  softConfirmationDomain,
  softConfirmationTypes,
  zeroAccumulator,
} from './softConfirmation.js';

/** @typedef {import('./softConfirmation.js').Hex} Hex */
/** @typedef {import('./softConfirmation.js').SoftConfirmation} SoftConfirmation */

/**
 * @typedef {object} VerifySoftConfirmationArgs
 * @property {SoftConfirmation | Record<string, unknown>} confirmation as returned by the sequencer or this library
 * @property {Hex} [sequencer] the sequencer address to trust; default: the one sequencer_getStatus reports
 * @property {number | bigint} [chainId] default: the client's chain, else eth_chainId
 * @property {Hex} [previousAccumulator] the accumulator of sequence - 1, when the caller already holds it
 *   (e.g. from the confirmation before); default: read from the sequencer's signed confirmation of sequence - 1
 */

/**
 * @typedef {object} VerifySoftConfirmationResult
 * @property {boolean} valid true only when every check passed
 * @property {Hex | null} signer the address the signature recovers (null if it does not recover)
 * @property {string[]} problems what failed, in words; empty when valid
 */

/**
 * Verifies a soft confirmation: signer and accumulator, computed here.
 * @param {import('viem').Client} client
 * @param {VerifySoftConfirmationArgs} args
 * @returns {Promise<VerifySoftConfirmationResult>}
 */
export async function verifySoftConfirmation(client, args) {
  /** @type {SoftConfirmation} */
  let confirmation;
  try {
    confirmation = parseSoftConfirmation(/** @type {Record<string, unknown>} */ (args.confirmation));
  } catch (error) {
    return { valid: false, signer: null, problems: [/** @type {Error} */ (error).message] };
  }
  const chainId = args.chainId ?? client.chain?.id ?? (await getChainId(client));
  const expected = args.sequencer ?? /** @type {Hex} */ ((await request(client, 'sequencer_getStatus', [])).sequencer);
  /** @type {string[]} */
  const problems = [];

  const signer = await recoverSigner(confirmation, chainId);
  if (signer === null) {
    problems.push('the signature does not recover to any address');
  } else if (!isAddressEqual(signer, confirmation.sequencer)) {
    problems.push(`signed by ${signer}, not by the sequencer ${confirmation.sequencer} the confirmation names`);
  }
  if (!isAddressEqual(confirmation.sequencer, expected)) {
    problems.push(`names sequencer ${confirmation.sequencer}, but the expected sequencer is ${expected}`);
  }

  const previous = args.previousAccumulator ?? (await signedPreviousAccumulator(client, confirmation, chainId, expected, problems));
  if (previous !== null) {
    const computed = keccak256(concat([previous, confirmation.txHash]));
    if (computed.toLowerCase() !== confirmation.accumulator.toLowerCase()) {
      problems.push(`accumulator ${confirmation.accumulator} is not keccak256(previous accumulator ${previous} ‖ txHash ${confirmation.txHash}) = ${computed}`);
    }
  }
  return { valid: problems.length === 0, signer, problems };
}

/**
 * @param {SoftConfirmation} confirmation
 * @param {number | bigint} chainId
 * @returns {Promise<Hex | null>}
 */
async function recoverSigner(confirmation, chainId) {
  try {
    return await recoverTypedDataAddress({
      domain: softConfirmationDomain(chainId),
      types: softConfirmationTypes,
      primaryType: 'SoftConfirmation',
      message: {
        txHash: confirmation.txHash,
        sequence: confirmation.sequence,
        blockNumber: confirmation.blockNumber,
        index: confirmation.index,
        timestamp: confirmation.timestamp,
        accumulator: confirmation.accumulator,
      },
      signature: confirmation.signature,
    });
  } catch {
    return null;
  }
}

/**
 * The accumulator of sequence - 1 from its signed confirmation; null (with the reason in `problems`) when
 * it cannot be established. Also checks that the sequencer's block lists txHash where it was confirmed.
 * @param {import('viem').Client} client
 * @param {SoftConfirmation} confirmation
 * @param {number | bigint} chainId
 * @param {Hex} expected
 * @param {string[]} problems
 * @returns {Promise<Hex | null>}
 */
async function signedPreviousAccumulator(client, confirmation, chainId, expected, problems) {
  const block = await sequencerBlock(client, confirmation.blockNumber);
  if (block === null) {
    problems.push(`the sequencer has no block ${confirmation.blockNumber}`);
    return null;
  }
  const hashes = /** @type {Hex[]} */ (block.transactions);
  const first = BigInt(block.firstSequence);
  if (hashes[confirmation.index]?.toLowerCase() !== confirmation.txHash.toLowerCase() || first + BigInt(confirmation.index) !== confirmation.sequence) {
    problems.push(`block ${confirmation.blockNumber} does not hold ${confirmation.txHash} as sequence ${confirmation.sequence} at index ${confirmation.index}`);
    return null;
  }
  if (confirmation.sequence === 0n) {
    return zeroAccumulator;
  }
  let previousHash = hashes[confirmation.index - 1];
  if (confirmation.index === 0) {
    const before = await sequencerBlock(client, confirmation.blockNumber - 1n);
    previousHash = before?.transactions?.at(-1);
  }
  const previous = previousHash ? await request(client, 'sequencer_getSoftConfirmation', [previousHash]) : null;
  if (previous === null) {
    problems.push(`the sequencer has no confirmation for sequence ${confirmation.sequence - 1n}`);
    return null;
  }
  const parsed = parseSoftConfirmation(previous);
  const signer = await recoverSigner(parsed, chainId);
  if (parsed.sequence !== confirmation.sequence - 1n || signer === null || !isAddressEqual(signer, expected)) {
    problems.push(`the confirmation of sequence ${confirmation.sequence - 1n} is not signed by ${expected} for that sequence`);
    return null;
  }
  return parsed.accumulator;
}

/**
 * The sequencer's own block (its hash and accumulator, not an execution node's), published or still open.
 * @param {import('viem').Client} client
 * @param {bigint} number
 */
async function sequencerBlock(client, number) {
  // A just-confirmed transaction is in the open block ("pending") until it is sealed; the block may be
  // sealed between two calls, so ask by number again after a pending block with another number.
  for (let attempt = 0; attempt < 3; attempt++) {
    const published = await request(client, 'sequencer_getBlockByNumber', [numberToHex(number), false]);
    if (published !== null) {
      return published;
    }
    const pending = await request(client, 'sequencer_getBlockByNumber', ['pending', false]);
    if (pending !== null && BigInt(pending.number) === number) {
      return pending;
    }
  }
  return null;
}

/** @param {import('viem').Client} client @param {string} method @param {unknown[]} params @returns {Promise<any>} */
function request(client, method, params) {
  return client.request(/** @type {any} */ ({ method, params }));
}
