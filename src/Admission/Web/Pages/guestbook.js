// The demo guestbook (contracts/Guestbook.sol) called by hand-written ABI encoding: the page needs no library,
// and three functions with one string do not justify one. Selectors come from GET /app/api/demo.
import { rpc } from '/pages/common.js';

const word = (value) => BigInt(value).toString(16).padStart(64, '0');

// write(string): selector, offset 0x20, length, UTF-8 bytes padded to whole words.
export function encodeWrite(selector, message) {
  const bytes = new TextEncoder().encode(message);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return selector + word(32) + word(bytes.length) + hex.padEnd(Math.ceil(hex.length / 64) * 64, '0');
}

export function byteLength(message) {
  return new TextEncoder().encode(message).length;
}

async function call(to, data) {
  const reply = await rpc('eth_call', [{ to, data }, 'latest']);
  if (reply.error) throw Object.assign(new Error(reply.error.message), reply.error);
  return reply.result.slice(2);
}

// The newest `max` entries, newest first: { author (address), time (Date), message }.
export async function newestEntries(demo, max = 10) {
  const count = Number(BigInt('0x' + (await call(demo.guestbook, demo.selectors.count)) || '0'));
  const entries = [];
  for (let i = count - 1; i >= 0 && entries.length < max; i--) {
    const out = await call(demo.guestbook, demo.selectors.entry + word(i));
    const at = (n) => out.slice(n * 64, n * 64 + 64);
    const offset = Number(BigInt('0x' + at(2))) * 2;
    const length = Number(BigInt('0x' + out.slice(offset, offset + 64)));
    const bytes = out.slice(offset + 64, offset + 64 + length * 2).match(/../g) ?? [];
    entries.push({
      index: i,
      author: '0x' + at(0).slice(24),
      time: new Date(Number(BigInt('0x' + at(1))) * 1000),
      message: new TextDecoder().decode(new Uint8Array(bytes.map((b) => parseInt(b, 16)))),
    });
  }
  return entries;
}
