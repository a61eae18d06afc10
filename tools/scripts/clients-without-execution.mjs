// Unmodified viem and ethers v6 against the sequencer with no execution node (issue 14): what a contract flow gives.
// A deployment without a gas limit cannot be estimated and says so; with a gas limit it is ordered and its inclusion
// receipt names the contract's address; a call, eth_getLogs, an ethers contract.on listener and a viem
// watchContractEvent over WebSocket cannot run without execution and each shows the sequencer's specific error
// (docs/rpc.md). Prints one JSON line of what each client showed.
// Usage: node clients-without-execution.mjs <rpcUrl> <chainId> <viemPrivateKey> <ethersPrivateKey> <TestToken.sol>
import { ContractFactory, Wallet } from 'ethers';
import { compileToken, dead, ethersProvider, printResult, viemClients, within } from './lib/clients.mjs';

const [rpcUrl, chainId, viemKey, ethersKey, solPath] = process.argv.slice(2);
const timeout = 60_000;
const gas = 1_000_000n;
const { abi, bytecode } = compileToken(solPath);

/** What viem shows: the error's name, the name of the RPC error inside it, and its details (the server's message). */
function viemShown(error) {
  const rpc = error.walk?.((e) => typeof e.code === 'number') ?? error;
  return { name: error.name, rpcError: rpc?.name ?? null, code: rpc?.code ?? null, details: error.details ?? error.message };
}

/** What ethers shows: its error code and the server's message it carries in info.error. */
function ethersShown(error) {
  return { code: error.code ?? null, shortMessage: error.shortMessage ?? error.message, server: error.info?.error?.message ?? null };
}

async function failure(promise) {
  try {
    await promise;
    return null;
  } catch (error) {
    return error;
  }
}

// viem
const { reader, socketReader, wallet: viemWallet } = viemClients(rpcUrl, chainId, viemKey);
const viemEstimate = viemShown(await failure(viemWallet.deployContract({ abi, bytecode, args: [1_000_000n] })));
const viemDeployHash = await viemWallet.deployContract({ abi, bytecode, args: [1_000_000n], gas });
const viemDeployed = await reader.waitForTransactionReceipt({ hash: viemDeployHash, timeout });
const viemToken = viemDeployed.contractAddress;
const viemCall = viemShown(await failure(reader.readContract({ address: viemToken, abi, functionName: 'balanceOf', args: [dead] })));
const viemLogs = viemShown(await failure(reader.getContractEvents({ address: viemToken, abi, eventName: 'Transfer', fromBlock: 0n })));
const socket = socketReader();
const viemWatch = viemShown(await within(new Promise((resolve) => {
  socket.watchContractEvent({ address: viemToken, abi, eventName: 'Transfer', onLogs: () => resolve(new Error('a log arrived')), onError: resolve });
}), 'viem watchContractEvent onError', timeout));
await socket.transport.getRpcClient?.().then((client) => client.close()).catch(() => {});

// ethers v6
const provider = ethersProvider(rpcUrl, chainId);
// A plain Wallet: ethers' NonceManager would count the nonce of the deployment that fails to estimate as used.
const ethersWallet = new Wallet(ethersKey, provider);
const factory = new ContractFactory(abi, bytecode, ethersWallet);
const ethersEstimate = ethersShown(await failure(factory.deploy(2_000_000n)));
const ethersToken = await factory.deploy(2_000_000n, { gasLimit: gas });
const ethersDeployed = await ethersToken.deploymentTransaction().wait(1, timeout);
const ethersCall = ethersShown(await failure(ethersToken.balanceOf(dead)));
const ethersLogs = ethersShown(await failure(provider.getLogs({ address: ethersDeployed.contractAddress, fromBlock: 0 })));
// ethers reports a listener's failure to install its filter on the console ("@TODO" and the error) and tries again
// on every block: that console line is what a developer sees.
const printed = [];
const print = console.log;
console.log = (...args) => printed.push(args.map((a) => (a instanceof Error ? `${a.message}` : String(a))).join(' '));
await ethersToken.on('Transfer', () => printed.push('a log arrived'));
try {
  await within((async () => { while (printed.length === 0) await new Promise((r) => setTimeout(r, 100)); })(), 'ethers contract.on error', timeout);
} finally {
  await ethersToken.removeAllListeners();
  console.log = print;
}
provider.destroy();

printResult({
  viemEstimate,
  viemDeployHash,
  viemDeployStatus: viemDeployed.status ?? null,
  viemContractAddress: viemToken,
  viemCall,
  viemLogs,
  viemWatch,
  ethersEstimate,
  ethersDeployHash: ethersDeployed.hash,
  ethersDeployStatus: ethersDeployed.status ?? null,
  ethersContractAddress: ethersDeployed.contractAddress,
  ethersFrom: ethersDeployed.from,
  ethersNonce: ethersToken.deploymentTransaction().nonce,
  ethersCall,
  ethersLogs,
  ethersListener: printed[0],
});
process.exit(0);
