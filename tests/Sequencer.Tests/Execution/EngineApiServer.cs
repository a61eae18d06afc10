using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Primitives;

namespace Sequencer.Tests.Execution;

/// <summary>
/// An in-test execution client speaking the Engine API methods the sequencer uses (forkchoiceUpdatedV3 with
/// OP-Stack-style payload attributes, getPayloadV3, newPayloadV3) plus eth_getBlockByNumber, behind the
/// spec's JWT check (HS256, iat within ±60 s). It builds blocks from exactly the transactions it is given.
/// </summary>
public sealed class EngineApiServer : IAsyncDisposable
{
    private readonly byte[] _secret;
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<EngineBlock> _canonical = [];
    private readonly Dictionary<string, EngineBlock> _known = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, EngineBlock> _payloads = new(StringComparer.OrdinalIgnoreCase);
    private long _payloadCounter;

    private EngineApiServer(byte[] secret)
    {
        _secret = secret;
        var genesis = new EngineBlock(0, Keccak.Hash("genesis"u8).ToString(), Hash32.Zero.ToString(), 1_000, []);
        _canonical.Add(genesis);
        _known[genesis.Hash] = genesis;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/", HandleAsync);
    }

    public string Url => _app.Urls.First();

    /// <summary>Requests refused for a missing or bad JWT.</summary>
    public int Unauthorized { get; private set; }

    /// <summary>Answer SYNCING to this many payload-building requests before building.</summary>
    public int SyncingAnswers { get; set; }

    /// <summary>newPayload answers INVALID for this block number.</summary>
    public ulong? InvalidBlock { get; set; }

    /// <summary>Payloads built (a retried block is built again, but imported once).</summary>
    public int PayloadsBuilt { get; private set; }

    public IReadOnlyList<EngineBlock> Canonical
    {
        get
        {
            lock (_lock)
            {
                return [.. _canonical];
            }
        }
    }

    public static async Task<EngineApiServer> StartAsync(byte[] secret)
    {
        var server = new EngineApiServer(secret);
        await server._app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context.Request.Headers.Authorization.ToString()))
        {
            Unauthorized++;
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var request = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var parameters = request["params"]!.AsArray();
        JsonNode? result;
        lock (_lock)
        {
            result = request["method"]!.GetValue<string>() switch
            {
                "eth_getBlockByNumber" => GetBlock(parameters[0]!.GetValue<string>()),
                "engine_forkchoiceUpdatedV3" => ForkchoiceUpdated(parameters[0]!.AsObject(), parameters[1] as JsonObject),
                "engine_getPayloadV3" => GetPayload(parameters[0]!.GetValue<string>()),
                "engine_newPayloadV3" => NewPayload(parameters[0]!.AsObject()),
                var other => throw new InvalidOperationException("unexpected method " + other),
            };
        }

        var response = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = request["id"]!.DeepClone(), ["result"] = result };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString());
    }

    private async Task<bool> AuthorizedAsync(string header)
    {
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }

        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(header["Bearer ".Length..], new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(_secret),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        if (!validation.IsValid || !validation.Claims.TryGetValue("iat", out var iat))
        {
            return false;
        }

        var issued = DateTimeOffset.FromUnixTimeSeconds(Convert.ToInt64(iat, System.Globalization.CultureInfo.InvariantCulture));
        return (DateTimeOffset.UtcNow - issued).Duration() <= TimeSpan.FromSeconds(60);
    }

    private JsonNode? GetBlock(string tag)
    {
        var block = tag == "latest" ? _canonical[^1] : _canonical.ElementAtOrDefault((int)Convert.ToUInt64(tag, 16));
        return block is null ? null : new JsonObject
        {
            ["number"] = Hex.EncodeQuantity(block.Number),
            ["hash"] = block.Hash,
            ["parentHash"] = block.ParentHash,
            ["timestamp"] = Hex.EncodeQuantity(block.Timestamp),
            ["transactions"] = new JsonArray(block.Transactions.Select(t => (JsonNode)Keccak.Hash(Convert.FromHexString(t[2..])).ToString()).ToArray()),
        };
    }

    private JsonNode ForkchoiceUpdated(JsonObject state, JsonObject? attributes)
    {
        var head = state["headBlockHash"]!.GetValue<string>();
        if (!_known.TryGetValue(head, out var headBlock))
        {
            return Status("SYNCING", null);
        }

        if (headBlock.Number == (ulong)_canonical.Count)
        {
            _canonical.Add(headBlock);
        }
        else if (headBlock.Number < (ulong)_canonical.Count && _canonical[(int)headBlock.Number].Hash != headBlock.Hash)
        {
            throw new InvalidOperationException("reorg not expected in these tests");
        }

        if (attributes is null)
        {
            return Status("VALID", head);
        }

        if (SyncingAnswers > 0)
        {
            SyncingAnswers--;
            return Status("SYNCING", null);
        }

        if (attributes["noTxPool"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException("the sequencer must build with noTxPool");
        }

        var timestamp = Convert.ToUInt64(attributes["timestamp"]!.GetValue<string>(), 16);
        if (timestamp <= headBlock.Timestamp)
        {
            return Status("INVALID", null, "timestamp must be above the parent's");
        }

        var transactions = attributes["transactions"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
        var number = headBlock.Number + 1;
        var hash = Keccak.Hash(Convert.FromHexString(headBlock.Hash[2..]), BitConverter.GetBytes(number),
            Keccak.Hash(System.Text.Encoding.UTF8.GetBytes(string.Join(",", transactions))).Bytes).ToString();
        var id = "0x" + (++_payloadCounter).ToString("x16");
        _payloads[id] = new EngineBlock(number, hash, headBlock.Hash, timestamp, transactions);
        PayloadsBuilt++;
        var status = Status("VALID", head);
        status["payloadId"] = id;
        return status;
    }

    private JsonNode GetPayload(string id)
    {
        var block = _payloads[id];
        return new JsonObject
        {
            ["executionPayload"] = new JsonObject
            {
                ["parentHash"] = block.ParentHash,
                ["blockNumber"] = Hex.EncodeQuantity(block.Number),
                ["timestamp"] = Hex.EncodeQuantity(block.Timestamp),
                ["blockHash"] = block.Hash,
                ["transactions"] = new JsonArray(block.Transactions.Select(t => (JsonNode)t).ToArray()),
            },
            ["blockValue"] = "0x0",
            ["blobsBundle"] = new JsonObject { ["commitments"] = new JsonArray(), ["proofs"] = new JsonArray(), ["blobs"] = new JsonArray() },
            ["shouldOverrideBuilder"] = false,
        };
    }

    private JsonNode NewPayload(JsonObject payload)
    {
        var hash = payload["blockHash"]!.GetValue<string>();
        var block = _payloads.Values.First(p => p.Hash == hash);
        if (InvalidBlock == block.Number)
        {
            return new JsonObject { ["status"] = "INVALID", ["latestValidHash"] = block.ParentHash, ["validationError"] = "rejected by the test" };
        }

        _known[hash] = block;
        return new JsonObject { ["status"] = "VALID", ["latestValidHash"] = hash, ["validationError"] = null };
    }

    private static JsonObject Status(string status, string? latestValid, string? error = null) => new()
    {
        ["payloadStatus"] = new JsonObject { ["status"] = status, ["latestValidHash"] = latestValid, ["validationError"] = error },
        ["payloadId"] = null,
    };
}

/// <summary>A block as the in-test engine holds it; transactions are raw hex.</summary>
public sealed record EngineBlock(ulong Number, string Hash, string ParentHash, ulong Timestamp, string[] Transactions);
