using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Admission.Verification;

/// <summary>
/// One signed POST to a verifier and the reading of its reply, within the verifier's timeout. Every way it can go
/// wrong ends in a <see cref="VerifierAnswer"/> that says which (never an exception), except the caller's own
/// cancellation (the client went away), which propagates.
/// </summary>
internal static class VerifierExchange
{
    /// <summary>A reply is a small JSON object; more than this is not one.</summary>
    public const int MaxReplyBytes = 16 * 1024;

    /// <summary>The longest denial reason passed on to the client.</summary>
    public const int MaxReasonLength = 200;

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>The answer, and for how long it may be reused (at most the endpoint's CacheTime).</summary>
    public static async Task<(VerifierAnswer Answer, TimeSpan CacheFor)> SendAsync(
        HttpClient client, VerifierEndpoint endpoint, byte[] body, long unixSeconds, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(endpoint.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Add(VerifierSignature.TimestampHeader, unixSeconds.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(VerifierSignature.SignatureHeader, VerifierSignature.Sign(endpoint.Secret, unixSeconds, body));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (response.StatusCode != System.Net.HttpStatusCode.OK)
            {
                return (new(VerifierOutcome.HttpError, $"answered HTTP {(int)response.StatusCode}"), TimeSpan.Zero);
            }

            var reply = await ReadAsync(response.Content, deadline.Token).ConfigureAwait(false);
            return reply is null
                ? (new(VerifierOutcome.InvalidReply, $"answered something other than {{\"approve\": true|false}} (at most {MaxReplyBytes} bytes of JSON)"), TimeSpan.Zero)
                : Decide(reply, endpoint.CacheTime);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (new(VerifierOutcome.Timeout, $"did not answer within {endpoint.Timeout.TotalMilliseconds:0} ms"), TimeSpan.Zero);
        }
        catch (HttpRequestException ex)
        {
            return (new(VerifierOutcome.Unreachable, $"could not be reached ({ex.HttpRequestError})"), TimeSpan.Zero);
        }
    }

    private static (VerifierAnswer, TimeSpan) Decide(VerifierReply reply, TimeSpan configured)
    {
        var cacheFor = reply.CacheSeconds is { } seconds ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, (int)configured.TotalSeconds)) : configured;
        return reply.Approve == true
            ? (new(VerifierOutcome.Approved, "approved"), cacheFor)
            : (new(VerifierOutcome.Denied, Clean(reply.Reason) ?? "the verifier refused (no reason given)"), cacheFor);
    }

    // Null when the body is too long, not JSON, or has no boolean "approve".
    private static async Task<VerifierReply?> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxReplyBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            if (length > MaxReplyBytes)
            {
                return null;
            }

            try
            {
                var reply = JsonSerializer.Deserialize(buffer.AsSpan(0, length), VerifierJsonContext.Default.VerifierReply);
                return reply?.Approve is null ? null : reply;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    // The reason goes into the client's error message and our logs: printable, one line, bounded.
    private static string? Clean(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return null;
        }

        var text = new StringBuilder(Math.Min(reason.Length, MaxReasonLength));
        foreach (var c in reason.Trim())
        {
            if (text.Length == MaxReasonLength)
            {
                text[^1] = '…';
                break;
            }

            text.Append(char.IsControl(c) ? ' ' : c);
        }

        return text.ToString();
    }
}
