// Typed errors for the sponsored lane, so an app can tell "wait and retry" (a limit, with the time to
// wait) from "this will not pass" (not logged in, denied by the policy) without parsing messages.
// docs/admission.md, "Error codes", defines the codes and the data they carry.
import { BaseError } from 'viem';

/** A limit was reached (-32005): `reason` names it, `retryAfterMs` is when the same request can pass. */
export class SponsoredLimitError extends Error {
  /** @param {string} message @param {{ reason: string, retryAfterMs: number, cause: unknown }} details */
  constructor(message, { reason, retryAfterMs, cause }) {
    super(message, { cause });
    this.name = 'SponsoredLimitError';
    this.code = -32005;
    /** e.g. `rate.burst`, `dailyTxQuota`, `limiter unavailable` */
    this.reason = reason;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Not logged in, or the policy denies the call (-32003); the message names the rule and the field. */
export class SponsorshipRefusedError extends Error {
  /** @param {string} message @param {{ cause: unknown }} details */
  constructor(message, { cause }) {
    super(message, { cause });
    this.name = 'SponsorshipRefusedError';
    this.code = -32003;
  }
}

/**
 * The sequencer's own error (code, message, data) found in a viem error chain, as a typed error; any other
 * error is returned unchanged.
 * @param {unknown} error
 * @returns {unknown}
 */
export function toSequencerError(error) {
  if (!(error instanceof BaseError)) {
    return error;
  }
  /** @type {any} */
  const rpc = error.walk((e) => /** @type {any} */ (e)?.code === -32005 || /** @type {any} */ (e)?.code === -32003);
  if (!rpc) {
    return error;
  }
  // The server's message is on the innermost request error (viem's wrappers put their own text first).
  /** @type {any} */
  const request = error.walk((e) => /** @type {any} */ (e)?.name === 'RpcRequestError') ?? rpc;
  const message = request.details ?? request.shortMessage ?? rpc.shortMessage;
  if (rpc.code === -32003) {
    return new SponsorshipRefusedError(message, { cause: error });
  }
  const data = request.data ?? rpc.data ?? {};
  return new SponsoredLimitError(message, {
    reason: typeof data.reason === 'string' ? data.reason : 'unknown',
    retryAfterMs: typeof data.retryAfterMs === 'number' ? data.retryAfterMs : 0,
    cause: error,
  });
}
