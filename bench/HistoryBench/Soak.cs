using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Nethereum.Model;
using Primitives;
using Primitives.Crypto;

namespace HistoryBench;

/// <summary>
/// Sends transactions as fast as the sequencer answers for a given time, signing each one just before it goes out
/// with the repository's native secp256k1 signer (pre-signing millions does not fit in memory; Nethereum's managed
/// signer is slower than the sequencer). Every 10 s it samples the sequencer's RSS (/proc/PID/status) and asks for
/// 20 random earlier transactions; at the end it asks for every sampled one (1 in 1,000 sent).
/// </summary>
internal static class Soak
{
    private const string Recipient = "0x000000000000000000000000000000000000dEaD";

    public static async Task<int> RunAsync(Uri target, int pid, double minutes, int concurrency, int senderCount, string outPath)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency + 4, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = target,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var chainId = ulong.Parse((await CallAsync(http, "eth_chainId", "[]")).GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var signers = new Secp256k1Signer[senderCount];
        var nonces = new ulong[senderCount];
        for (var i = 0; i < senderCount; i++)
        {
            signers[i] = new Secp256k1Signer(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"history-soak/{i}")));
            var count = await CallAsync(http, "eth_getTransactionCount", $"[\"{signers[i].Address}\",\"pending\"]");
            nonces[i] = ulong.Parse(count.GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        var sampled = new ConcurrentQueue<string>();
        long sent = 0, errors = 0;
        string? firstError = null;
        var deadline = Stopwatch.GetTimestamp() + (long)(minutes * 60 * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var body = new StringBuilder(512);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                for (var s = w; s < senderCount && Stopwatch.GetTimestamp() < deadline; s += concurrency)
                {
                    var raw = Sign(signers[s], chainId, nonces[s]);
                    body.Clear().Append("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sequencer_sendRawTransaction\",\"params\":[\"0x")
                        .Append(Convert.ToHexStringLower(raw)).Append("\"]}");
                    var error = await PostAsync(http, body.ToString());
                    if (error is null)
                    {
                        nonces[s]++;
                        if (Interlocked.Increment(ref sent) % 1000 == 0)
                        {
                            sampled.Enqueue(Keccak.Hash(raw).ToString());
                        }
                    }
                    else if (Interlocked.Increment(ref errors) == 1)
                    {
                        firstError = error;
                    }
                }
            }
        })).ToArray();

        await using var output = new StreamWriter(outPath, append: false);
        await output.WriteLineAsync("seconds,sent,tx_per_s_window,rss_mb,old_checked,old_missing");
        var random = new Random(7);
        long lastSent = 0, oldChecked = 0, oldMissing = 0;
        var rss = new List<(double Seconds, double Mb)>();
        while (!workers.All(t => t.IsCompleted))
        {
            await Task.WhenAny(Task.WhenAll(workers), Task.Delay(TimeSpan.FromSeconds(10)));
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var now = Interlocked.Read(ref sent);
            var mb = RssMb(pid);
            rss.Add((seconds, mb));
            var sample = sampled.ToArray();
            for (var i = 0; i < 20 && sample.Length > 0; i++)
            {
                oldChecked++;
                if (!await AnsweredAsync(http, sample[random.Next(sample.Length)]))
                {
                    oldMissing++;
                }
            }

            var line = string.Create(CultureInfo.InvariantCulture, $"{seconds:F0},{now},{(now - lastSent) / 10.0:F0},{mb:F1},{oldChecked},{oldMissing}");
            lastSent = now;
            Console.WriteLine(line);
            await output.WriteLineAsync(line);
            await output.FlushAsync();
        }

        var all = sampled.ToArray();
        var missingAtEnd = 0;
        var lookups = Stopwatch.StartNew();
        foreach (var hash in all)
        {
            if (!await AnsweredAsync(http, hash))
            {
                missingAtEnd++;
            }
        }

        var perLookupMs = all.Length > 0 ? lookups.Elapsed.TotalMilliseconds / all.Length / 2 : 0;

        var total = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var warm = rss.Where(r => r.Seconds >= 60).Select(r => r.Mb).DefaultIfEmpty(0).ToArray();
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"soak: {sent} confirmed, {errors} errors in {total:F0} s ({sent / total:F0} tx/s); RSS after 60 s min {warm.Min():F0} MB max {warm.Max():F0} MB, last {rss[^1].Mb:F0} MB; " +
            $"old transactions checked during the run {oldChecked}, missing {oldMissing}; at the end all {all.Length} sampled (1 in 1,000, oldest first sent) checked, missing {missingAtEnd}, {perLookupMs:F2} ms per lookup (idle sequencer, one at a time)");
        Console.WriteLine(summary);
        await output.WriteLineAsync("# " + summary);
        if (firstError is not null)
        {
            Console.WriteLine("first error: " + firstError);
        }

        return missingAtEnd == 0 && oldMissing == 0 ? 0 : 1;
    }

    private static byte[] Sign(Secp256k1Signer signer, ulong chainId, ulong nonce)
    {
        var unsigned = new Transaction1559(chainId, nonce, 1_000_000_000, 100_000_000_000, 21_000, Recipient, BigInteger.One, string.Empty, []);
        var digest = Keccak.Hash(unsigned.GetRLPEncodedRaw());
        var signature = signer.Sign(digest);
        var v = signature[64] - 27;
        var signed = new Transaction1559(chainId, nonce, 1_000_000_000, 100_000_000_000, 21_000, Recipient, BigInteger.One, string.Empty, [],
            new Signature(Trim(signature.AsSpan(0, 32)), Trim(signature.AsSpan(32, 32)), v == 0 ? [] : [1]));
        return signed.GetRLPEncoded();
    }

    private static byte[] Trim(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length && value[start] == 0)
        {
            start++;
        }

        return value[start..].ToArray();
    }

    private static async Task<bool> AnsweredAsync(HttpClient http, string hash)
    {
        var tx = await CallAsync(http, "eth_getTransactionByHash", $"[\"{hash}\"]");
        var confirmation = await CallAsync(http, "sequencer_getSoftConfirmation", $"[\"{hash}\"]");
        return tx.ValueKind == JsonValueKind.Object && confirmation.ValueKind == JsonValueKind.Object
            && tx.GetProperty("hash").GetString() == hash && confirmation.GetProperty("txHash").GetString() == hash;
    }

    private static async Task<JsonElement> CallAsync(HttpClient http, string method, string parameters)
    {
        using var content = new StringContent($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{parameters}}}", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(string.Empty, content);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return json.RootElement.TryGetProperty("result", out var result) ? result.Clone() : default;
    }

    private static async Task<string?> PostAsync(HttpClient http, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(string.Empty, content);
        var text = await response.Content.ReadAsStringAsync();
        return text.Contains("\"error\"", StringComparison.Ordinal) ? text : null;
    }

    private static double RssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return 0;
    }
}
