using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Admission.Operators;

/// <summary>
/// Binds an operator request's JSON body to its typed DTO through source-generated metadata, streamed
/// from the request: nothing holds the body as text. The /admin/api group's request size limit
/// (<see cref="MaxBytes"/>) makes the server refuse to read past it, answered here as 413.
/// Minimal API body binding is not used because it answers bad JSON with an empty 400; an operator gets
/// the parser's message instead.
/// </summary>
internal static class AdminRequestBody
{
    public const int MaxBytes = 1 << 20;

    public static async Task<BodyRead<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type)
        where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return BodyRead<T>.TooLarge();
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        try
        {
            var peek = await request.BodyReader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var empty = peek.Buffer.IsEmpty && peek.IsCompleted;
            request.BodyReader.AdvanceTo(peek.Buffer.Start);
            if (empty)
            {
                return BodyRead<T>.Problem("a JSON body is required");
            }

            var value = await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken).ConfigureAwait(false);
            return value is null ? BodyRead<T>.Problem("the body must be a JSON object, got null") : new BodyRead<T>(value, null, null);
        }
        catch (JsonException ex)
        {
            return new BodyRead<T>(null, new AdminError("invalid JSON: " + ex.Message), ex);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return BodyRead<T>.TooLarge();
        }
    }
}

/// <summary>A bound body, or the 400/413 answer (<see cref="Reply"/>) and, for malformed JSON, the parser's exception.</summary>
internal readonly record struct BodyRead<T>(T? Value, AdminError? Error, JsonException? JsonError, bool IsTooLarge = false)
    where T : class
{
    public IResult Reply => IsTooLarge
        ? TypedResults.Json(Error!, AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status413PayloadTooLarge)
        : TypedResults.Json(Error!, AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status400BadRequest);

    public static BodyRead<T> Problem(string message) => new(null, new AdminError(message), null);

    public static BodyRead<T> TooLarge() => new(null, new AdminError($"body larger than {AdminRequestBody.MaxBytes} bytes"), null, IsTooLarge: true);
}
