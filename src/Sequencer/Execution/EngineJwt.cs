using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Primitives.Secrets;

namespace Sequencer.Execution;

/// <summary>
/// Engine API authentication: an HS256 JWT whose only claim is <c>iat</c> (the node accepts it within
/// ±60 s of its clock), signed with the 32-byte secret shared through a hex file. A token is reused for
/// a few seconds so that a busy follower does not sign per request.
/// </summary>
internal sealed class EngineJwt
{
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(5);
    private readonly SigningCredentials _credentials;
    // The spec's token carries iat only; by default the handler would add nbf and exp too.
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private string? _token;
    private DateTimeOffset _issuedAt;

    public EngineJwt(byte[] secret, TimeProvider time)
    {
        if (secret.Length != 32)
        {
            throw new InvalidOperationException($"the Engine API JWT secret must be 32 bytes, got {secret.Length}");
        }

        _credentials = new SigningCredentials(new SymmetricSecurityKey(secret), SecurityAlgorithms.HmacSha256);
        _time = time;
    }

    /// <summary>Reads the secret file: 64 hex characters, with or without 0x, surrounding whitespace ignored.</summary>
    public static EngineJwt FromFile(string path, TimeProvider time)
    {
        var secret = SecretSource.ReadFile(path, ExecutionOptions.Section + ":" + nameof(ExecutionOptions.JwtSecretFile), SecretShape.Bytes(32));
        try
        {
            return new EngineJwt(secret, time);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public string Token()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_token is null || now - _issuedAt > Reuse || now < _issuedAt)
            {
                _token = _handler.CreateToken(new SecurityTokenDescriptor
                {
                    IssuedAt = now.UtcDateTime,
                    SigningCredentials = _credentials,
                });
                _issuedAt = now;
            }

            return _token;
        }
    }
}
