using DaClient;
using DaClient.Local;
using DaClient.Proxy;

namespace Batcher.Verification;

/// <summary>
/// <c>verify --l1-rpc URL --inbox ADDRESS --da DIR|URL [--confirmations FILE] [--sequencer-rpc URL]
/// [--sequencer ADDRESS] [--chain-id N] [--from-block N] [--prove L1-KEY-FILE]</c>. Exit code 0: everything matches;
/// 1: a mismatch (listed); 2: bad arguments or a part could not be reached.
/// </summary>
public static class VerifyCommand
{
    public const string Usage =
        "usage: verify --l1-rpc URL --inbox ADDRESS --da <local-dir|proxy-url> [--confirmations FILE | --sequencer-rpc URL] [--sequencer ADDRESS] [--chain-id N] [--from-block N] [--prove L1-KEY-FILE]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                await error.WriteLineAsync($"verify: unexpected argument \"{args[i]}\"\n{Usage}").ConfigureAwait(false);
                return 2;
            }

            options[args[i][2..]] = args[++i];
        }

        string[] known = ["l1-rpc", "inbox", "da", "confirmations", "sequencer-rpc", "sequencer", "chain-id", "from-block", "prove"];
        var unknown = options.Keys.FirstOrDefault(k => !known.Contains(k));
        if (unknown is not null || !options.ContainsKey("l1-rpc") || !options.ContainsKey("inbox") || !options.ContainsKey("da"))
        {
            await error.WriteLineAsync((unknown is null ? "verify: --l1-rpc, --inbox and --da are required" : $"verify: unknown option --{unknown}") + "\n" + Usage).ConfigureAwait(false);
            return 2;
        }

        ulong? chainId = null;
        ulong fromBlock = 0;
        if ((options.TryGetValue("chain-id", out var chainText) && !TryParse(chainText, out chainId))
            || (options.TryGetValue("from-block", out var fromText) && !ulong.TryParse(fromText, out fromBlock)))
        {
            await error.WriteLineAsync("verify: --chain-id and --from-block take a non-negative integer").ConfigureAwait(false);
            return 2;
        }

        if (options.TryGetValue("prove", out var proverKeyFile))
        {
            try
            {
                // Read once up front so a bad key file stops the run before any L1 or DA work.
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(
                    Primitives.Secrets.SecretSource.ReadFile(proverKeyFile, "--prove", Primitives.Secrets.SecretShape.PrivateKey));
            }
            catch (Primitives.Secrets.SecretSettingException e)
            {
                await error.WriteLineAsync("verify: " + e.Message).ConfigureAwait(false);
                return 2;
            }
        }

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var da = OpenDa(options["da"], http);
        IReadOnlyList<SoftConfirmation>? confirmations = null;
        try
        {
            if (options.TryGetValue("confirmations", out var file))
            {
                confirmations = SoftConfirmation.ReadFile(file);
            }

            var request = new VerifyRequest(options["l1-rpc"], options["inbox"], new MultiBackendDaReader([da]))
            {
                Confirmations = confirmations,
                SequencerRpcUrl = options.GetValueOrDefault("sequencer-rpc"),
                SequencerAddress = options.GetValueOrDefault("sequencer"),
                ChainId = chainId,
                FromL1Block = fromBlock,
                ProverKeyFile = proverKeyFile,
            };
            var report = await new ChainVerifier(output).VerifyAsync(request, cancellationToken).ConfigureAwait(false);
            return report.Passed ? 0 : 1;
        }
        catch (Exception e) when (e is FormatException or IOException or HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException
            or Nethereum.JsonRpc.Client.RpcResponseException or System.Text.Json.JsonException or InvalidOperationException)
        {
            await error.WriteLineAsync("verify: " + e.Message).ConfigureAwait(false);
            return 2;
        }
        finally
        {
            (da as IDisposable)?.Dispose();
        }
    }

    private static IDaClient OpenDa(string location, HttpClient http) =>
        location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? DaClientFactory.CreateProxy(new ProxyDaOptions { BaseUrl = location }, http)
            : new LocalDaStore(location, fsync: false);

    private static bool TryParse(string text, out ulong? value)
    {
        var ok = ulong.TryParse(text, out var parsed);
        value = ok ? parsed : null;
        return ok;
    }
}
