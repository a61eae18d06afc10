using System.Net;
using System.Net.Sockets;

namespace TestInfrastructure.Processes;

/// <summary>Free TCP ports on loopback for servers the tests start.</summary>
public static class FreePort
{
    /// <summary>
    /// A port that was free a moment ago. The OS may hand it to someone else before the
    /// server binds it; fixtures therefore retry a start on "address in use".
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
