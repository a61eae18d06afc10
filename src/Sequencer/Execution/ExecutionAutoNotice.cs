namespace Sequencer.Execution;

/// <summary>Kind=auto without a managed anvil: one warning at start saying why the host only orders and how to change it.</summary>
internal sealed partial class ExecutionAutoNotice(string reason, ILogger<ExecutionAutoNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogOrderingOnly(reason);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 622, Level = LogLevel.Warning, Message = "Execution: ordering only (no receipts with an outcome, no balances): {Reason}")]
    private partial void LogOrderingOnly(string reason);
}
