// Unmodified viem and ethers v6 against the sequencer with an execution node (issue 14): a transfer with no fees or
// gas given and its receipt, the receipt's block looked up by hash, a contract deployed and called, its events read
// with eth_getLogs, an ethers contract.on listener (HTTP filters) and a viem watchContractEvent over WebSocket
// (eth_subscribe logs). Compiles the test token with solc. Prints one JSON line.
// Usage: node clients-with-execution.mjs <rpcUrl> <chainId> <viemPrivateKey> <ethersPrivateKey> <TestToken.sol>
import { ContractFactory, NonceManager, Wallet } from 'ethers';
import { compileToken, dead, ethersProvider, printResult, viemClients, within } from './lib/clients.mjs';

const [rpcUrl, chainId, viemKey, ethersKey, solPath] = process.argv.slice(2);
const timeout = 60_000;
const { abi, bytecode } = compileToken(solPath);

// viem
const { reader, socketReader: openSocket, wallet: viemWallet } = viemClients(rpcUrl, chainId, viemKey);
const socketReader = openSocket();

const viemTransferHash = await viemWallet.sendTransaction({ to: dead, value: 1001n });
const viemTransfer = await reader.waitForTransactionReceipt({ hash: viemTransferHash, timeout });
const viemBlock = await reader.getBlock({ blockHash: viemTransfer.blockHash });

const viemDeployHash = await viemWallet.deployContract({ abi, bytecode, args: [1_000_000n] });
const viemDeployed = await reader.waitForTransactionReceipt({ hash: viemDeployHash, timeout });
const viemToken = viemDeployed.contractAddress;

let stopWatching;
const watched = new Promise((resolve) => {
  stopWatching = socketReader.watchContractEvent({
    address: viemToken, abi, eventName: 'Transfer', args: { to: dead },
    onLogs: (logs) => resolve(logs[0]),
  });
});
// Let the subscription reach the server before the event's block is executed.
await new Promise((resolve) => setTimeout(resolve, 300));
const viemCallHash = await viemWallet.writeContract({ address: viemToken, abi, functionName: 'transfer', args: [dead, 123n] });
const viemCall = await reader.waitForTransactionReceipt({ hash: viemCallHash, timeout });
const viemWatched = await within(watched, 'viem watchContractEvent');
stopWatching();
const viemLogs = await reader.getContractEvents({ address: viemToken, abi, eventName: 'Transfer', fromBlock: viemDeployed.blockNumber });
const viemDeadBalance = await reader.readContract({ address: viemToken, abi, functionName: 'balanceOf', args: [dead] });

// ethers v6
const provider = ethersProvider(rpcUrl, chainId);
// ethers caches an identical request for 250 ms, so on a chain this fast a second transaction would reuse the
// first one's "pending" nonce: its NonceManager, the usual way to send transactions in a row, counts them itself.
const ethersWallet = new NonceManager(new Wallet(ethersKey, provider));
const sent = await ethersWallet.sendTransaction({ to: dead, value: 1002n });
const ethersReceipt = await sent.wait(1, timeout);
const ethersBlock = await ethersReceipt.getBlock();

const factory = new ContractFactory(abi, bytecode, ethersWallet);
const ethersToken = await factory.deploy(2_000_000n);
await ethersToken.waitForDeployment();
const ethersTokenAddress = await ethersToken.getAddress();
const heard = new Promise((resolve) => {
  ethersToken.on('Transfer', (from, to, value) => resolve({ from, to, value: value.toString() }));
});
// contract.on installs its filter (eth_newFilter) asynchronously: let it be installed before the event.
await new Promise((resolve) => setTimeout(resolve, 300));
const ethersCall = await (await ethersToken.transfer(dead, 456n)).wait(1, timeout);
const ethersHeard = await within(heard, 'ethers contract.on');
await ethersToken.removeAllListeners();
const ethersLogs = await provider.getLogs({ address: ethersTokenAddress, fromBlock: ethersCall.blockNumber, toBlock: ethersCall.blockNumber });
const ethersDeadBalance = await ethersToken.balanceOf(dead);
provider.destroy();

printResult({
  viemTransferStatus: viemTransfer.status,
  viemReceiptBlockHash: viemTransfer.blockHash,
  viemBlockHash: viemBlock.hash,
  viemBlockHasTransfer: viemBlock.transactions.includes(viemTransferHash),
  viemDeployStatus: viemDeployed.status,
  viemCallStatus: viemCall.status,
  viemWatchedTo: viemWatched.args.to,
  viemWatchedValue: viemWatched.args.value.toString(),
  viemWatchedTx: viemWatched.transactionHash,
  viemCallTx: viemCallHash,
  viemLogCount: viemLogs.length,
  viemDeadBalance: viemDeadBalance.toString(),
  ethersStatus: ethersReceipt.status,
  ethersReceiptBlockHash: ethersReceipt.blockHash,
  ethersBlockHash: ethersBlock.hash,
  ethersBlockNumber: ethersBlock.number,
  ethersReceiptBlockNumber: ethersReceipt.blockNumber,
  ethersCallStatus: ethersCall.status,
  ethersHeardTo: ethersHeard.to,
  ethersHeardValue: ethersHeard.value,
  ethersLogCount: ethersLogs.length,
  ethersDeadBalance: ethersDeadBalance.toString(),
});
process.exit(0);
