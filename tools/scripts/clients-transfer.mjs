// Unmodified viem and ethers v6 send a plain transfer with no fees or gas given and wait for its receipt, then read
// the fee methods they use; viem names the error of a fee below the minimum. Works with or without an execution node. Prints one JSON line.
// Usage: node clients-transfer.mjs <rpcUrl> <chainId> <viemPrivateKey> <ethersPrivateKey>
import { Wallet } from 'ethers';
import { dead, ethersProvider, printResult, viemClients } from './lib/clients.mjs';

const [rpcUrl, chainId, viemKey, ethersKey] = process.argv.slice(2);
const { reader, wallet: viemWallet } = viemClients(rpcUrl, chainId, viemKey);

const viemHash = await viemWallet.sendTransaction({ to: dead, value: 1001n });
const viemReceipt = await reader.waitForTransactionReceipt({ hash: viemHash, timeout: 60_000 });
const viemTx = await reader.getTransaction({ hash: viemHash });
const fees = await reader.estimateFeesPerGas();
// A fee below the minimum: the sequencer's geth wording lets viem name the error.
let feeError = 'none';
try {
  await viemWallet.sendTransaction({ to: dead, value: 1n, maxFeePerGas: 10n, maxPriorityFeePerGas: 1n });
} catch (error) {
  feeError = error.walk((e) => e.name === 'FeeCapTooLowError')?.name ?? `${error.name}: ${error.shortMessage}`;
}
const history = await reader.getFeeHistory({ blockCount: 4, rewardPercentiles: [50] });

const provider = ethersProvider(rpcUrl, chainId);
const ethersWallet = new Wallet(ethersKey, provider);
const sent = await ethersWallet.sendTransaction({ to: dead, value: 1002n });
const ethersReceipt = await sent.wait(1, 60_000);
const feeData = await provider.getFeeData();
provider.destroy();

printResult({
  viemHash,
  viemReceiptHash: viemReceipt.transactionHash,
  viemReceiptBlock: viemReceipt.blockNumber.toString(),
  viemStatus: viemReceipt.status ?? null,
  viemGas: viemTx.gas.toString(),
  viemValue: viemTx.value.toString(),
  viemMaxFeePerGas: fees.maxFeePerGas.toString(),
  viemFeeError: feeError,
  feeHistoryBlocks: history.gasUsedRatio.length,
  ethersHash: sent.hash,
  ethersReceiptHash: ethersReceipt.hash,
  ethersReceiptBlock: ethersReceipt.blockNumber,
  ethersGasLimit: sent.gasLimit.toString(),
  ethersGasPrice: feeData.gasPrice.toString(),
});
