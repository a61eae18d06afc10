// The setup every client script repeats: the chain as viem sees it, viem's reading and signing clients, ethers' provider,
// the test token compiled by solc, and a bounded wait. The clients themselves are used unmodified.
import { readFileSync } from 'node:fs';
import solc from 'solc';
import { createPublicClient, createWalletClient, defineChain, http, webSocket } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { JsonRpcProvider } from 'ethers';

/** The burn address every script sends to. */
export const dead = '0x000000000000000000000000000000000000dEaD';

/** viem clients for the sequencer at rpcUrl: reader (HTTP polling), socketReader (WebSocket on the same URL), wallet. */
export function viemClients(rpcUrl, chainId, privateKey, { pollingInterval = 100 } = {}) {
  const wsUrl = rpcUrl.replace(/^http/, 'ws');
  const chain = defineChain({
    id: Number(chainId),
    name: 'rollup',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl], webSocket: [wsUrl] } },
  });
  return {
    chain,
    reader: createPublicClient({ chain, transport: http(rpcUrl), pollingInterval }),
    // Created on first use: a WebSocket client opens its socket, which keeps node running until closed.
    socketReader: () => createPublicClient({ chain, transport: webSocket(wsUrl) }),
    wallet: privateKey ? createWalletClient({ account: privateKeyToAccount(privateKey), chain, transport: http(rpcUrl) }) : undefined,
  };
}

/** ethers v6 provider for the sequencer: the chain id is known, so no network detection round trip. */
export function ethersProvider(rpcUrl, chainId, { pollingInterval = 100 } = {}) {
  return new JsonRpcProvider(rpcUrl, Number(chainId), { staticNetwork: true, pollingInterval });
}

/** TestToken.sol (tests/Sequencer.Tests/Execution) compiled by solc: its ABI and creation bytecode. */
export function compileToken(solPath) {
  const compiled = JSON.parse(solc.compile(JSON.stringify({
    language: 'Solidity',
    sources: { 'TestToken.sol': { content: readFileSync(solPath, 'utf8') } },
    settings: { outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  })));
  const token = compiled.contracts['TestToken.sol'].TestToken;
  return { abi: token.abi, bytecode: '0x' + token.evm.bytecode.object };
}

/** The promise's value, or an error naming what did not happen within ms milliseconds. */
export function within(promise, what, ms = 60_000) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Prints the script's result as the one JSON line the tests parse (bigints as decimal strings). */
export function printResult(result) {
  console.log(JSON.stringify(result, (_, value) => (typeof value === 'bigint' ? value.toString() : value)));
}
