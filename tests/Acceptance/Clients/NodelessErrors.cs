namespace Acceptance.Clients;

/// <summary>
/// The errors docs/rpc.md promises when a flow needs an execution node and none is configured: what each client must
/// show (in its own wrapping) for a contract deployment without a gas limit, a call, eth_getLogs, a log filter and a
/// log subscription.
/// </summary>
internal static class NodelessErrors
{
    public const string Estimate = "eth_estimateGas needs an execution node for a contract call or deployment";

    public const string Call = "the method eth_call does not exist/is not available: it needs an execution node";

    public const string Code = "the method eth_getCode does not exist/is not available: it needs an execution node";

    public const string Logs = "the method eth_getLogs does not exist/is not available: it needs an execution node";

    public const string LogFilter = "log filters need an execution node";

    public const string LogSubscription = "log subscriptions need an execution node";

    /// <summary>Every nodeless error names the setting that turns execution on.</summary>
    public const string Setting = "set Sequencer:Execution:Kind to anvil or engine";
}
