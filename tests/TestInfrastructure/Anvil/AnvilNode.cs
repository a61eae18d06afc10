using TestInfrastructure.Processes;

namespace TestInfrastructure.Anvil;

/// <summary>
/// A real anvil (foundry's local Ethereum node) on a free loopback port. Can be killed and restarted
/// on the same port with its state dumped and reloaded, to test an L1 or execution node that goes away.
/// </summary>
public sealed class AnvilNode : IAsyncDisposable
{
    /// <summary>
    /// The first key of anvil's published test mnemonic ("test test ... junk"): a well-known,
    /// worthless development key that anvil funds at start.
    /// </summary>
    public const string DevKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    /// <summary>The second key of the same public test mnemonic.</summary>
    public const string DevKey1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    /// <summary>Keys 3 to 5 of the same mnemonic (accounts funded by anvil), for tests that need separate senders.</summary>
    public const string DevKey2 = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

    public const string DevKey3 = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

    public const string DevKey4 = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";

    private readonly string[] _extraArguments;
    private readonly string _stateFile;
    private ManagedProcess? _process;

    private AnvilNode(int port, ulong chainId, string[] extraArguments)
    {
        Port = port;
        ChainId = chainId;
        _extraArguments = extraArguments;
        _stateFile = Path.Combine(Path.GetTempPath(), $"anvil-state-{Guid.NewGuid():N}.json");
    }

    public int Port { get; }

    public ulong ChainId { get; }

    public string RpcUrl => $"http://127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    public string RecentOutput => _process?.RecentOutput ?? string.Empty;

    /// <summary>Starts anvil. <paramref name="extraArguments"/> e.g. <c>--no-mining</c>, <c>--order fifo</c>, <c>--block-time 1</c>.</summary>
    public static async Task<AnvilNode> StartAsync(ulong chainId = 31337, params string[] extraArguments)
    {
        for (var attempt = 0; ; attempt++)
        {
            var node = new AnvilNode(FreePort.Next(), chainId, extraArguments);
            try
            {
                await node.RestartAsync();
                return node;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Starts anvil (again) on the same port. The chain state is dumped to a file on exit and loaded
    /// on restart, so a graceful stop keeps the chain; after <see cref="Kill"/> it starts from the last dump.
    /// </summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var arguments = new List<string> { "--host", "127.0.0.1", "--port", Port.ToString(), "--chain-id", ChainId.ToString(), "--dump-state", _stateFile };
        if (File.Exists(_stateFile))
        {
            arguments.Add("--load-state");
            arguments.Add(_stateFile);
        }

        arguments.AddRange(_extraArguments);
        _process = ManagedProcess.Start(ToolPaths.Anvil, arguments, name: "anvil");
        await _process.WaitForOutputAsync(line => line.Contains("Listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10), () => !_process.HasExited);
    }

    /// <summary>SIGKILL: the node vanishes without dumping its state.</summary>
    public void Kill() => _process?.Kill();

    /// <summary>
    /// An L1 reset: SIGKILL, forget every dumped state, and start a fresh chain (genesis, every nonce 0) on
    /// the same port and chain id. A contract deployed again by the same key as its first transaction lands
    /// at the same address as before.
    /// </summary>
    public async Task RestartFreshAsync()
    {
        Kill();
        File.Delete(_stateFile);
        await RestartAsync();
    }

    /// <summary>SIGTERM: anvil dumps its state, so <see cref="RestartAsync"/> continues the same chain.</summary>
    public Task StopAsync() => _process?.StopAsync(TimeSpan.FromSeconds(10)) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }

        try
        {
            File.Delete(_stateFile);
        }
        catch (IOException)
        {
        }
    }
}
