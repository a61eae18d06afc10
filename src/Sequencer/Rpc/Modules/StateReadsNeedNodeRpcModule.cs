namespace Sequencer.Rpc.Modules;

/// <summary>
/// The state methods an execution node answers (eth_call, balances, code, storage, logs, proofs, the synchronous
/// send), when none is configured. They cannot be answered by a sequencer that orders and does not execute, so they
/// are not offered; instead of a bare "method not found" the client is told why and what to set. The code and the
/// first words are geth's for a method that is not available, so viem shows MethodNotFoundRpcError and ethers
/// UNSUPPORTED_OPERATION, each with this reason as the details (docs/rpc.md, "Errors").
/// </summary>
internal sealed class StateReadsNeedNodeRpcModule : IRpcModule
{
    /// <summary>Every method of ExecutionRpcModule that has no meaning without a node (eth_estimateGas has: TransferGasRpcModule).</summary>
    public static readonly string[] Methods =
    [
        "eth_call", "eth_getBalance", "eth_getCode", "eth_getStorageAt", "eth_getLogs", "eth_createAccessList", "eth_getProof",
        "eth_sendRawTransactionSync",
    ];

    public void Register(RpcMethodTable table)
    {
        foreach (var method in Methods)
        {
            var error = new RpcError(RpcErrorCodes.MethodNotFound,
                $"the method {method} does not exist/is not available: it needs an execution node (the sequencer orders transactions, " +
                "it does not execute them): set Sequencer:Execution:Kind to anvil or engine (docs/execution.md)");
            table.Add(method, _ => ValueTask.FromResult<RpcResult>(error));
        }
    }
}
