using System.Security.Cryptography;
using System.Text;

namespace LoadGenerator;

/// <summary>
/// Keeps pre-signed request bodies in the temp folder between runs: signing with a managed
/// secp256k1 takes longer than the measurement itself, and the same parameters give the same bytes.
/// </summary>
internal static class SignedTransactionCache
{
    public static byte[][][] GetOrCreate(LoadOptions options, ulong chainId, ulong[] firstNonce, int perSender, Func<byte[][][]> sign)
    {
        var key = new StringBuilder($"{options.Seed}/{options.Senders}/{perSender}/{chainId}/{options.Method}/");
        foreach (var nonce in firstNonce)
        {
            key.Append(nonce).Append(',');
        }

        var path = Path.Combine(Path.GetTempPath(), "loadgen-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..16] + ".bin");
        if (File.Exists(path))
        {
            return Read(path, firstNonce.Length, perSender);
        }

        var bodies = sign();
        Write(path, bodies);
        return bodies;
    }

    private static void Write(string path, byte[][][] bodies)
    {
        var temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            foreach (var sender in bodies)
            {
                foreach (var body in sender)
                {
                    writer.Write(body.Length);
                    writer.Write(body);
                }
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static byte[][][] Read(string path, int senders, int perSender)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var bodies = new byte[senders][][];
        for (var s = 0; s < senders; s++)
        {
            bodies[s] = new byte[perSender][];
            for (var k = 0; k < perSender; k++)
            {
                bodies[s][k] = reader.ReadBytes(reader.ReadInt32());
            }
        }

        return bodies;
    }
}
