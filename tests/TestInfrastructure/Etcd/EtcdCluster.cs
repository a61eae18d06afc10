using System.Net.Http;
using TestInfrastructure.Processes;

namespace TestInfrastructure.Etcd;

/// <summary>
/// A real etcd cluster (the Debian etcd-server) on free loopback ports: one member, or three for tests of a member that
/// hangs or dies. Each member has a data directory under the temp folder, removed on dispose; every process is stopped by
/// its PID.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly string _root;

    private EtcdCluster(string root, IReadOnlyList<EtcdMember> members)
    {
        _root = root;
        Members = members;
    }

    public IReadOnlyList<EtcdMember> Members { get; }

    /// <summary>Every member's client URL, comma-separated (the form Sequencer:Replication:EtcdEndpoints takes as a list).</summary>
    public IReadOnlyList<string> ClientUrls => Members.Select(m => m.ClientUrl).ToArray();

    /// <summary>Starts <paramref name="size"/> members and waits until each reports healthy (the cluster has a raft leader).</summary>
    /// <param name="size">Members: 1, or 3 for tests of a member that hangs or dies.</param>
    /// <param name="extraArguments">More etcd flags for every member (e.g. a shorter election timeout).</param>
    public static async Task<EtcdCluster> StartAsync(int size, params string[] extraArguments)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        for (var attempt = 0; ; attempt++)
        {
            var root = Path.Combine(Path.GetTempPath(), "etcd-test-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(root);
            var ports = Enumerable.Range(0, size).Select(_ => (Client: FreePort.Next(), Peer: FreePort.Next())).ToArray();
            var initialCluster = string.Join(',', ports.Select((p, i) => $"m{i}=http://127.0.0.1:{p.Peer}"));
            var token = Path.GetFileName(root);
            var members = ports.Select((p, i) => new EtcdMember($"m{i}", p.Client, p.Peer, Path.Combine(root, $"m{i}"), initialCluster, token, extraArguments)).ToArray();
            var cluster = new EtcdCluster(root, members);
            try
            {
                // All at once: a member of a new cluster waits for its peers before it serves.
                await Task.WhenAll(members.Select(m => m.StartProcessAsync()));
                await cluster.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
                return cluster;
            }
            catch (Exception ex) when (attempt < 2 && ex is InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
            {
                // Most often another process took a probed port before etcd bound it: take new ports.
                await cluster.DisposeAsync();
            }
        }
    }

    /// <summary>Waits until every running member answers /health with true.</summary>
    public Task WaitUntilHealthyAsync(TimeSpan timeout) =>
        Eventually.UntilAsync(
            async () =>
            {
                foreach (var member in Members.Where(m => m.IsRunning))
                {
                    if (!await member.IsHealthyAsync(Http))
                    {
                        return false;
                    }
                }

                return true;
            },
            timeout,
            "every etcd member healthy; output:\n" + string.Join("\n", Members.Select(m => m.Name + ": " + m.RecentOutput)));

    /// <summary>Starts a member again that was killed (it rejoins from its data directory) and waits for the cluster to be healthy.</summary>
    public async Task RestartAsync(EtcdMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        await member.StartProcessAsync();
        await WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            await member.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a process that has not quite exited: the temp folder is cleaned by the OS.
        }
    }
}
