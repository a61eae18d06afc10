using System.Reflection;
using System.Text;
using System.Text.Json;
using Admission.Web;
using Primitives;

namespace Sequencer.Demo;

/// <summary>The compiled Guestbook (contracts/Guestbook.json, embedded at build time) and its selectors.</summary>
internal static class GuestbookContract
{
    /// <summary>Same as MAX_MESSAGE_BYTES in contracts/Guestbook.sol (a test reads the contract's constant).</summary>
    public const int MaxMessageBytes = 140;

    private static readonly Lazy<(string Abi, string Bytecode)> Artifact = new(Load);

    public static string Abi => Artifact.Value.Abi;

    public static string Bytecode => Artifact.Value.Bytecode;

    public static AppDemoSelectors Selectors { get; } = new(Selector("write(string)"), Selector("count()"), Selector("entry(uint256)"), MaxMessageBytes);

    public static string Selector(string signature)
    {
        var hash = Keccak.Hash(Encoding.ASCII.GetBytes(signature));
        return "0x" + Convert.ToHexStringLower(hash.Bytes[..4]);
    }

    private static (string, string) Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Guestbook.json")
            ?? throw new InvalidOperationException("Guestbook.json is not embedded in the Sequencer assembly");
        using var document = JsonDocument.Parse(stream);
        return (document.RootElement.GetProperty("abi").GetRawText(), document.RootElement.GetProperty("bytecode").GetString()!);
    }
}
