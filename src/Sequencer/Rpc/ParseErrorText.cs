using System.Text.Json;

namespace Sequencer.Rpc;

/// <summary>
/// The message of a -32700 error: where the JSON broke and what was found there, without the .NET parser's own
/// wording ("LineNumber: 0 | BytePositionInLine: 12", "Expected depth to be zero…"), which means nothing to a client.
/// </summary>
internal static class ParseErrorText
{
    public static string Of(JsonException error)
    {
        var line = (error.LineNumber ?? 0) + 1;
        var position = error.BytePositionInLine ?? 0;
        var where = $"line {line}, byte {position}";
        var message = error.Message;
        if (message.StartsWith("Expected depth to be zero", StringComparison.Ordinal) ||
            message.Contains("end of data", StringComparison.Ordinal) ||
            message.StartsWith("Expected a value", StringComparison.Ordinal))
        {
            return $"parse error: unexpected end of input at {where} (an object, array or string is not closed)";
        }

        // The parser's first sentence names the character and what it broke (e.g. "'}' is invalid after a value").
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var found = end > 0 ? message[..end] : message.TrimEnd('.');
        return found.Contains("LineNumber", StringComparison.Ordinal)
            ? $"parse error: invalid JSON at {where}"
            : $"parse error: invalid JSON at {where}: {found}";
    }
}
