using System.Text;
using System.Text.Json;
using Sequencer.Rpc;

namespace Sequencer.Feed;

/// <summary>With an execution node, newHeads and logs notifications follow the node's executed blocks (docs/execution.md, "Block hashes").</summary>
internal sealed partial class FeedHub
{
    /// <summary>
    /// With an execution node: one newHeads notification per executed block, the node's header (with the sequencer's
    /// fields), in order; a header the node cannot give right now is asked for again, never skipped.
    /// </summary>
    private async Task ExecutedHeadsAsync(IExecutedBlocks executed, CancellationToken stopping)
    {
        var ids = new List<string>();
        var next = executed.Head + 1;
        try
        {
            while (true)
            {
                await executed.WaitForHeadAsync(next, stopping).ConfigureAwait(false);
                var head = executed.Head;
                for (; next <= head; next++)
                {
                    await NotifyExecutedAsync(executed, next, ids, stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>The newHeads and logs notifications of one executed block; what the node cannot give right now is asked for again.</summary>
    private async Task NotifyExecutedAsync(IExecutedBlocks executed, ulong number, List<string> ids, CancellationToken stopping)
    {
        var headSent = false;
        while (true)
        {
            try
            {
                if (!headSent && Volatile.Read(ref _newHeadSubscribers) > 0)
                {
                    var header = await executed.HeaderAsync(number, stopping).ConfigureAwait(false);
                    if (header.ValueKind == JsonValueKind.Object)
                    {
                        Broadcast(SubscriptionKind.NewHeads, Encoding.UTF8.GetBytes(header.GetRawText()), ids);
                    }
                }

                headSent = true;
                if (Volatile.Read(ref _logSubscribers) > 0)
                {
                    var logs = await executed.LogsAsync(number, stopping).ConfigureAwait(false);
                    if (logs.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var log in logs.EnumerateArray())
                        {
                            BroadcastLog(log, ids);
                        }
                    }
                }

                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogExecutedHeadUnavailable(number, ex.Message);
                await Task.Delay(500, stopping).ConfigureAwait(false);
            }
        }
    }

    private void BroadcastLog(JsonElement log, List<string> ids)
    {
        byte[]? payload = null;
        foreach (var connection in _connections.Keys)
        {
            ids.Clear();
            if (connection.DropReason is not null || connection.CopySubscriptions(SubscriptionKind.Logs, ids) == 0)
            {
                continue;
            }

            foreach (var id in ids)
            {
                if (_logCriteria.TryGetValue(id, out var criteria) && criteria.Matches(log))
                {
                    payload ??= Encoding.UTF8.GetBytes(log.GetRawText());
                    if (!connection.TrySend(Notification(id, payload)))
                    {
                        break;
                    }
                }
            }
        }
    }
}
