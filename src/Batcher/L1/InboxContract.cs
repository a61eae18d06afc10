using System.Reflection;
using System.Text.Json;

namespace Batcher.L1;

/// <summary>The compiled BatchInbox (contracts/BatchInbox.json, embedded at build time).</summary>
public static class InboxContract
{
    private static readonly Lazy<(string Abi, string Bytecode)> Artifact = new(Load);

    public static string Abi => Artifact.Value.Abi;

    public static string Bytecode => Artifact.Value.Bytecode;

    /// <summary>Bytes of calldata before the DA commitment's content: selector, nine head words, the length word.</summary>
    public const int CalldataPrefixLength = 4 + 10 * 32;

    private static (string, string) Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("BatchInbox.json")
            ?? throw new InvalidOperationException("BatchInbox.json is not embedded in the Batcher assembly");
        using var document = JsonDocument.Parse(stream);
        return (document.RootElement.GetProperty("abi").GetRawText(), document.RootElement.GetProperty("bytecode").GetString()!);
    }
}
