// The soft confirmation as docs/rpc.md defines it: the JSON the sequencer sends, its parsed form, and the
// EIP-712 domain and type it is signed under. Kept in one place so the signer check and the accumulator
// check read the same definition.

/** @typedef {`0x${string}`} Hex */

/**
 * A soft confirmation with its quantities parsed.
 * @typedef {object} SoftConfirmation
 * @property {Hex} txHash the confirmed transaction's hash
 * @property {bigint} sequence position in the sequencer's total order, from 0, without gaps
 * @property {bigint} blockNumber the sequencer block the transaction is promised to be in
 * @property {number} index the position in that block
 * @property {bigint} timestamp the block's Unix time in seconds
 * @property {Hex} accumulator keccak256(accumulator of sequence - 1 ‖ txHash), 32 zero bytes before sequence 0
 * @property {Hex} sequencer the address the sequencer says signed it
 * @property {Hex} signature 65 bytes r ‖ s ‖ v, v = 27 or 28
 */

/**
 * The reply of sequencer_sendSponsoredTransaction: the confirmation plus the signed transaction's sender,
 * nonce and gas limit.
 * @typedef {SoftConfirmation & { from: Hex, nonce: bigint, gas: bigint }} SponsoredConfirmation
 */

/** The accumulator before the first transaction (sequence 0). */
export const zeroAccumulator = /** @type {Hex} */ ('0x' + '00'.repeat(32));

/** The EIP-712 type of a soft confirmation (docs/rpc.md, "Soft confirmation"). */
export const softConfirmationTypes = /** @type {const} */ ({
  SoftConfirmation: [
    { name: 'txHash', type: 'bytes32' },
    { name: 'sequence', type: 'uint64' },
    { name: 'blockNumber', type: 'uint64' },
    { name: 'index', type: 'uint32' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'accumulator', type: 'bytes32' },
  ],
});

/**
 * The EIP-712 domain a sequencer of chain `chainId` signs under.
 * @param {number | bigint} chainId
 */
export function softConfirmationDomain(chainId) {
  return /** @type {const} */ ({ name: 'RollupSequencer', version: '1', chainId: Number(chainId) });
}

const hash32 = /^0x[0-9a-fA-F]{64}$/;
const address = /^0x[0-9a-fA-F]{40}$/;
const signature = /^0x[0-9a-fA-F]{130}$/;

/**
 * Parses a soft confirmation as the sequencer sends it (hex quantities) or as this library returns it
 * (bigints); throws a TypeError naming the field that is missing or malformed.
 * @param {Record<string, unknown>} raw
 * @returns {SoftConfirmation}
 */
export function parseSoftConfirmation(raw) {
  if (raw === null || typeof raw !== 'object') {
    throw new TypeError('soft confirmation: expected an object, got ' + (raw === null ? 'null' : typeof raw));
  }
  return {
    txHash: text(raw, 'txHash', hash32, '32-byte hex'),
    sequence: quantity(raw, 'sequence', 64),
    blockNumber: quantity(raw, 'blockNumber', 64),
    index: Number(quantity(raw, 'index', 32)),
    timestamp: quantity(raw, 'timestamp', 64),
    accumulator: text(raw, 'accumulator', hash32, '32-byte hex'),
    sequencer: text(raw, 'sequencer', address, '20-byte hex address'),
    signature: text(raw, 'signature', signature, '65-byte hex signature'),
  };
}

/**
 * As {@link parseSoftConfirmation}, plus the sponsored reply's `from`, `nonce` and `gas`.
 * @param {Record<string, unknown>} raw
 * @returns {SponsoredConfirmation}
 */
export function parseSponsoredConfirmation(raw) {
  return {
    ...parseSoftConfirmation(raw),
    from: text(raw, 'from', address, '20-byte hex address'),
    nonce: quantity(raw, 'nonce', 64),
    gas: quantity(raw, 'gas', 64),
  };
}

/** @returns {Hex} */
function text(raw, name, pattern, what) {
  const value = raw[name];
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new TypeError(`soft confirmation: ${name} must be ${what}, got ${JSON.stringify(value)}`);
  }
  return /** @type {Hex} */ (value);
}

function quantity(raw, name, bits) {
  const value = raw[name];
  let parsed;
  if (typeof value === 'bigint') {
    parsed = value;
  } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
    parsed = BigInt(value);
  } else if (typeof value === 'string' && /^0x[0-9a-fA-F]{1,64}$/.test(value)) {
    parsed = BigInt(value);
  } else {
    throw new TypeError(`soft confirmation: ${name} must be a hex quantity, got ${JSON.stringify(value)}`);
  }
  if (parsed < 0n || parsed >= 1n << BigInt(bits)) {
    throw new TypeError(`soft confirmation: ${name} must fit in uint${bits}, got ${parsed}`);
  }
  return parsed;
}
