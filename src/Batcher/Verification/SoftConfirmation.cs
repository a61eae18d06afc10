using System.Globalization;
using System.Text.Json;

namespace Batcher.Verification;

/// <summary>A soft confirmation as the sequencer's RPC returns it (DESIGN.md, "Soft confirmation").</summary>
public sealed record SoftConfirmation(
    string TxHash, ulong Sequence, ulong BlockNumber, uint Index, ulong Timestamp, string Accumulator, string? Sequencer, string? Signature)
{
    /// <summary>Reads one confirmation object; quantities may be hex strings ("0x1f") or JSON numbers.</summary>
    public static SoftConfirmation Parse(JsonElement element)
    {
        return new SoftConfirmation(
            Hash(element, "txHash"),
            Quantity(element, "sequence"),
            Quantity(element, "blockNumber"),
            checked((uint)Quantity(element, "index")),
            Quantity(element, "timestamp"),
            Hash(element, "accumulator"),
            Optional(element, "sequencer"),
            Optional(element, "signature"));
    }

    /// <summary>A file of confirmations: a JSON array of confirmation objects.</summary>
    public static List<SoftConfirmation> ReadFile(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path}: expected a JSON array of soft confirmations");
        }

        var result = new List<SoftConfirmation>();
        var position = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            try
            {
                result.Add(Parse(element));
            }
            catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException or OverflowException)
            {
                throw new FormatException($"{path}: confirmation #{position}: {e.Message}", e);
            }

            position++;
        }

        return result;
    }

    private static string Hash(JsonElement element, string name)
    {
        var value = element.GetProperty(name).GetString() ?? throw new FormatException($"{name} is null");
        if (value.Length != 66 || !value.StartsWith("0x", StringComparison.Ordinal) || !IsHex(value.AsSpan(2)))
        {
            throw new FormatException($"{name} must be 32 bytes as 0x-hex, got \"{value}\"");
        }

        return value.ToLowerInvariant();
    }

    private static ulong Quantity(JsonElement element, string name)
    {
        var property = element.GetProperty(name);
        if (property.ValueKind == JsonValueKind.Number)
        {
            return property.GetUInt64();
        }

        var text = property.GetString() ?? throw new FormatException($"{name} is null");
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : ulong.Parse(text, CultureInfo.InvariantCulture);
    }

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsHex(ReadOnlySpan<char> text) => !text.ContainsAnyExcept("0123456789abcdefABCDEF");
}
