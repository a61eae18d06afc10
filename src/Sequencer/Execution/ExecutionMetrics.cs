using System.Diagnostics.Metrics;

namespace Sequencer.Execution;

/// <summary>Instruments of the execution follower and the proxy (meter "Sequencer.Execution").</summary>
internal sealed class ExecutionMetrics : IDisposable
{
    public const string MeterName = "Sequencer.Execution";

    private readonly Meter _meter;
    private readonly Counter<long> _blocks;
    private readonly Counter<long> _transactions;
    private readonly Counter<long> _divergences;
    private readonly Counter<long> _nodeErrors;
    private readonly Counter<long> _fundsRejected;

    public ExecutionMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _blocks = _meter.CreateCounter<long>("execution.blocks.executed", "{block}", "Sealed blocks executed and checked on the execution node");
        _transactions = _meter.CreateCounter<long>("execution.transactions.executed", "{transaction}", "Transactions in executed blocks");
        _divergences = _meter.CreateCounter<long>("execution.divergences", "{event}", "Blocks the node executed differently from the sealed block (execution stops)");
        _nodeErrors = _meter.CreateCounter<long>("execution.node.errors", "{error}", "Calls to the execution node that failed, by where");
        _fundsRejected = _meter.CreateCounter<long>("execution.admission.insufficient_funds", "{transaction}", "Paid transactions refused because the sender cannot pay");
    }

    public void BlockExecuted(int transactions)
    {
        _blocks.Add(1);
        _transactions.Add(transactions);
    }

    public void Diverged() => _divergences.Add(1);

    public void NodeError(string where) => _nodeErrors.Add(1, new KeyValuePair<string, object?>("where", where));

    public void InsufficientFunds() => _fundsRejected.Add(1);

    public void ObserveHeights(Func<long> executed, Func<long> lag)
    {
        _meter.CreateObservableGauge("execution.height", executed, "{block}", "Last sequencer block executed on the node");
        _meter.CreateObservableGauge("execution.lag", lag, "{block}", "Sealed blocks not yet executed");
    }

    public void Dispose() => _meter.Dispose();
}
