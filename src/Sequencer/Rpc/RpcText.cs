namespace Sequencer.Rpc;

/// <summary>Client text quoted in error messages.</summary>
internal static class RpcText
{
    /// <summary>
    /// At most <paramref name="max"/> characters, ending in "..." when cut; never cut between the two halves
    /// of a surrogate pair (half a pair is not text, and the message would no longer encode as UTF-8).
    /// </summary>
    public static string Shorten(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 3;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "...");
    }
}
