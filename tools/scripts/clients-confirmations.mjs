// Unmodified viem and ethers v6 send a transfer and wait for 3 confirmations, then look up the receipt's block by
// hash. On an idle chain this ends only if the head keeps advancing (empty blocks, issue 14). Works with or without an
// execution node. Prints one JSON line.
// Usage: node clients-confirmations.mjs <rpcUrl> <chainId> <viemPrivateKey> <ethersPrivateKey>
import { Wallet } from 'ethers';
import { dead, ethersProvider, printResult, viemClients } from './lib/clients.mjs';

const [rpcUrl, chainId, viemKey, ethersKey] = process.argv.slice(2);
const { reader, wallet: viemWallet } = viemClients(rpcUrl, chainId, viemKey, { pollingInterval: 250 });

// Generous bounds: the machine running the tests may be heavily loaded; the chain's own pace is about a block a second.
const viemHash = await viemWallet.sendTransaction({ to: dead, value: 3001n });
const viemReceipt = await reader.waitForTransactionReceipt({ hash: viemHash, confirmations: 3, timeout: 90_000 });
const viemHead = await reader.getBlockNumber();
const viemBlock = await reader.getBlock({ blockHash: viemReceipt.blockHash });

const provider = ethersProvider(rpcUrl, chainId, { pollingInterval: 250 });
const ethersWallet = new Wallet(ethersKey, provider);
const sent = await ethersWallet.sendTransaction({ to: dead, value: 3002n });
const ethersReceipt = await sent.wait(3, 90_000);
const ethersConfirmations = await ethersReceipt.confirmations();
const ethersBlock = await ethersReceipt.getBlock();
provider.destroy();

printResult({
  viemHash,
  viemReceiptHash: viemReceipt.transactionHash,
  viemReceiptBlock: viemReceipt.blockNumber,
  viemReceiptBlockHash: viemReceipt.blockHash,
  viemHead,
  viemBlockHash: viemBlock.hash,
  viemBlockHasTransfer: viemBlock.transactions.includes(viemHash),
  ethersHash: sent.hash,
  ethersReceiptHash: ethersReceipt.hash,
  ethersConfirmations,
  ethersReceiptBlockHash: ethersReceipt.blockHash,
  ethersBlockHash: ethersBlock.hash,
  ethersBlockHasTransfer: ethersBlock.transactions.includes(sent.hash),
});
