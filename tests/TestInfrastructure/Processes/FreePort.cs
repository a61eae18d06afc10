using System.Net;
using System.Net.Sockets;

namespace TestInfrastructure.Processes;

/// <summary>Free TCP ports on loopback for servers the tests start.</summary>
public static class FreePort
{
    // Ports come from below the kernel's ephemeral range: a port the OS picked with bind(0) is
    // also what it hands to the next outgoing connection (to etcd, Redis, anvil), and in a
    // clean-clone run one such connection took a replica's port between the probe and Kestrel's
    // bind ("address already in use"). Below the range only listeners we start can take it.
    // Each process starts at its own random offset so parallel test processes rarely meet,
    // and never hands out one port twice.
    private const int RangeStart = 20_000;
    private static readonly int RangeEnd = EphemeralRangeStart() - 1;
    private static int _next = RangeStart + Random.Shared.Next(RangeEnd - RangeStart);

    /// <summary>
    /// A port below the ephemeral range that nothing listened on a moment ago. Another test
    /// process could still take it before the server binds; fixtures retry a start on
    /// "address in use".
    /// </summary>
    public static int Next()
    {
        var span = RangeEnd - RangeStart + 1;
        for (var attempt = 0; attempt < span; attempt++)
        {
            var port = RangeStart + ((Interlocked.Increment(ref _next) - RangeStart) % span + span) % span;
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port in {RangeStart}-{RangeEnd}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.TryParse(first, out var start) && start > RangeStart + 1_000 ? start : 32_768;
        }
        catch (IOException)
        {
            return 32_768;
        }
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, Func<bool>? stillAlive = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && (stillAlive?.Invoke() ?? true))
            {
                await Task.Delay(50);
            }
        }
    }
}
