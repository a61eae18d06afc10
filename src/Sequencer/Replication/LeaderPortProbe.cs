using System.Net.Sockets;

namespace Sequencer.Replication;

/// <summary>
/// Tells a follower that its leader's process is gone, well before etcd lets the leader's lease expire (docs/replication.md,
/// "Deposing a dead leader at once"): a process that dies (SIGKILL, a crash) has its listening socket closed by the kernel,
/// so connecting to its advertised URL is refused at once. This probe connects every <c>interval</c>; once it has reached
/// the leader's port, two refusals in a row mean the process is gone. A paused process (SIGSTOP, a long GC) keeps its
/// socket, so connections still succeed and its lease's expiry decides, as before.
/// </summary>
/// <remarks>
/// "Reached once" first: a leader may win its election before its own host listens; a refusal before any success proves
/// nothing. One probe per followed leader term, kept across the election's passes. A TCP connect and close costs the
/// leader one accept, nothing more (no HTTP request).
/// </remarks>
internal sealed class LeaderPortProbe(Uri url, long epoch, TimeSpan interval, TimeProvider time)
{
    private const int RefusalsToDecide = 2;

    private bool _reached;

    /// <summary>The leader term this probe watches.</summary>
    public long Epoch => epoch;

    /// <summary>
    /// Returns the time of the first of <see cref="RefusalsToDecide"/> refusals in a row (after the port was reached once);
    /// runs until cancelled otherwise.
    /// </summary>
    public async Task<DateTimeOffset> WaitUntilGoneAsync(CancellationToken cancellationToken)
    {
        var refusals = 0;
        var firstRefusal = DateTimeOffset.MinValue;
        while (true)
        {
            var outcome = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (outcome == Outcome.Reached)
            {
                _reached = true;
                refusals = 0;
            }
            else if (outcome == Outcome.Refused && _reached)
            {
                if (refusals++ == 0)
                {
                    firstRefusal = time.GetUtcNow();
                }

                if (refusals >= RefusalsToDecide)
                {
                    return firstRefusal;
                }
            }
            else
            {
                refusals = 0; // unknown (a timeout, no route): the lease decides
            }

            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private enum Outcome
    {
        Reached,
        Refused,
        Unknown,
    }

    private async Task<Outcome> ConnectAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(interval * 4);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(url.Host, url.Port, timeout.Token).ConfigureAwait(false);
            return Outcome.Reached;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return Outcome.Refused;
        }
        catch (SocketException)
        {
            return Outcome.Unknown;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Outcome.Unknown;
        }
    }
}
