using System.Text;

namespace LoadGenerator;

/// <summary>
/// Writes pre-signed request bodies for another client to replay, one per line, nonce-major: line k·S + s is sender
/// s's k-th transaction. A client that sends the lines in order (or split by line number modulo its thread count,
/// with S a multiple of it) sends each sender's nonces in order, S requests apart.
/// </summary>
internal static class BodyFile
{
    public static async Task WriteAsync(string path, byte[][][] bodies)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var newline = Encoding.ASCII.GetBytes("\n");
        var perSender = bodies.Length == 0 ? 0 : bodies[0].Length;
        for (var k = 0; k < perSender; k++)
        {
            foreach (var sender in bodies)
            {
                await file.WriteAsync(sender[k]);
                await file.WriteAsync(newline);
            }
        }
    }
}
