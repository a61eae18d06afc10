// Plain words for people who never heard of gas: limits, waiting times and refusals, each saying what to do.
// The sequencer's codes and reasons (docs/admission.md, "Error codes") are turned into sentences here.

// "4 s", "2 min", "20 h": rounded up, so "try again in" is never too early.
export function duration(ms) {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.ceil(minutes / 60)} h`;
}

// A window's length as people say it: "10 s", "hour", "24 h".
function period(seconds) {
  if (seconds === 3600) return 'hour';
  if (seconds === 60) return 'minute';
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0 && seconds >= 120) return `${seconds / 60} min`;
  return `${seconds} s`;
}

// "3 left in the next 10 s"
export function windowLeft(window) {
  return `${window.remaining} left in the next ${period(window.periodSeconds)}`;
}

// "daily limit resets at 00:00 UTC (in 20 h)"
export function dailyReset(resetsAt, now = Date.now()) {
  const ms = Date.parse(resetsAt) - now;
  // Whole hours as people count them ("in 20 h" at 03:57 UTC); the last two hours in minutes.
  const left = ms >= 7_200_000 ? `${Math.floor(ms / 3_600_000)} h` : duration(ms);
  return `daily limit resets at 00:00 UTC (in ${left})`;
}

// The limit lines under the write button, from sequencer_getIdentity's usage.
export function limitLines(usage) {
  const lines = [];
  if (usage.blocked) {
    lines.push(['blocked', 'Your account is blocked by the operator of this site.']);
  }
  if (usage.burst) lines.push(['burst', windowLeft(usage.burst)]);
  if (usage.sustained) lines.push(['sustained', windowLeft(usage.sustained)]);
  if (usage.dailyTxQuota != null) {
    const left = Math.max(0, usage.dailyTxQuota - usage.txToday);
    lines.push(['daily', `${left} of ${usage.dailyTxQuota} left today; ${dailyReset(usage.resetsAt)}`]);
  } else {
    lines.push(['daily', dailyReset(usage.resetsAt)]);
  }
  return lines;
}

// What a refusal means and what to do, from a JSON-RPC error; `usage` (may be null) gives the numbers.
export function refusal(error, usage) {
  const data = error && typeof error.data === 'object' && error.data ? error.data : {};
  const wait = data.retryAfterMs ? duration(data.retryAfterMs) : null;
  const resets = usage?.resetsAt ? dailyReset(usage.resetsAt) : 'daily limit resets at 00:00 UTC';
  switch (data.reason) {
    case 'rate.burst':
    case 'rate.sustained': {
      const window = data.reason === 'rate.burst' ? usage?.burst : usage?.sustained;
      const what = window ? `You have written ${window.count} messages in the last ${period(window.periodSeconds)}: that is the limit.` : 'You have reached the limit for now.';
      return `${what} Try again in ${wait ?? 'a few seconds'}.`;
    }
    case 'dailyTxQuota':
      return `You have used all ${usage?.dailyTxQuota ?? 'of today’s'} messages for today. Come back after the ${resets}.`;
    case 'dailyGasBudget':
      return `You have used today’s free allowance. Come back after the ${resets}.`;
    case 'globalDailySponsoredGas':
      return `This site has given away all of today’s free messages, for everyone. Come back after the ${resets}.`;
    case 'limiter unavailable':
      return 'The part of the site that counts free messages cannot be reached right now. Try again in a few seconds.';
    case 'verifier unavailable':
      return 'The service that approves free messages for this site is not answering right now. Try again in a few seconds.';
    default:
      break;
  }
  const message = String(error?.message ?? '');
  if (error?.code === -32003) {
    if (message.startsWith('authentication failed')) return 'You are no longer logged in. Log in again to keep writing.';
    if (/is blocked by the operator/.test(message)) return 'Your account is blocked by the operator of this site. Contact them if you think this is a mistake.';
    return `The rules of this site do not allow this. (${message})`;
  }
  if (error?.code === -32005) return `The sequencer is busy. Try again in ${wait ?? 'a few seconds'}.`;
  if (error?.network) return 'Could not reach the site. Check your connection and try again.';
  return `Something went wrong: ${message || 'no answer'}. Try again; if it keeps failing, tell the operator of this site.`;
}
