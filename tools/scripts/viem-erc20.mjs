// Drives the sequencer's endpoint with an unmodified viem client: a plain transfer, an ERC-20 deployment,
// a token transfer, each followed by waitForTransactionReceipt, then readContract. Prints one JSON line.
// Usage: node viem-erc20.mjs <rpcUrl> <chainId> <privateKey> <abiFile> <binFile>
import { readFileSync } from 'node:fs';
import { dead, printResult, viemClients } from './lib/clients.mjs';

const [rpcUrl, chainId, privateKey, abiFile, binFile] = process.argv.slice(2);
const abi = JSON.parse(readFileSync(abiFile, 'utf8'));
const bytecode = '0x' + readFileSync(binFile, 'utf8').trim();
const { reader, wallet } = viemClients(rpcUrl, chainId, privateKey);

const transferHash = await wallet.sendTransaction({ to: dead, value: 1000n });
const transfer = await reader.waitForTransactionReceipt({ hash: transferHash, timeout: 60_000 });

const deployHash = await wallet.deployContract({ abi, bytecode, args: [1_000_000n] });
const deployed = await reader.waitForTransactionReceipt({ hash: deployHash, timeout: 60_000 });

const tokenHash = await wallet.writeContract({ address: deployed.contractAddress, abi, functionName: 'transfer', args: [dead, 123n] });
const tokenTransfer = await reader.waitForTransactionReceipt({ hash: tokenHash, timeout: 60_000 });

const deadBalance = await reader.readContract({ address: deployed.contractAddress, abi, functionName: 'balanceOf', args: [dead] });
const symbol = await reader.readContract({ address: deployed.contractAddress, abi, functionName: 'symbol' });

printResult({
  transferStatus: transfer.status,
  deployStatus: deployed.status,
  token: deployed.contractAddress,
  tokenTransferStatus: tokenTransfer.status,
  tokenTransferLogs: tokenTransfer.logs.length,
  deadBalance: deadBalance.toString(),
  symbol,
});
