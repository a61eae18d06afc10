namespace Sequencer.Rpc.Modules;

/// <summary>
/// What wallets and libraries ask a node about itself: the sequencer is the chain's source, so it is never syncing,
/// has no peers, always listens, and holds no accounts (clients sign themselves).
/// </summary>
internal sealed class NodeStatusRpcModule : IRpcModule
{
    private static readonly string[] NoAccounts = [];

    public void Register(RpcMethodTable table)
    {
        table.Add("eth_syncing", call => Answer(call, RpcResult.Boolean(false)));
        table.Add("net_listening", call => Answer(call, RpcResult.Boolean(true)));
        table.Add("net_peerCount", call => Answer(call, RpcResult.String("0x0")));
        table.Add("eth_accounts", call => Answer(call, RpcResult.Object(NoAccounts, RpcJsonContext.Default.StringArray)));
    }

    private static ValueTask<RpcResult> Answer(RpcCall call, RpcResult result) =>
        ValueTask.FromResult(call.Params.ExpectAtMost(0) is { } error ? (RpcResult)error : result);
}
