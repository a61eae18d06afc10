using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sequencer.Rpc;

/// <summary>
/// What a method handler returns: a value to serialize (string, quantity, null, or an object with its
/// source-generated type info) or an error. A value type so that the common cases do not allocate.
/// </summary>
public readonly struct RpcResult
{
    private readonly object? _value;
    private readonly JsonTypeInfo? _typeInfo;
    private readonly Kind _kind;

    private RpcResult(Kind kind, object? value, JsonTypeInfo? typeInfo, RpcError? error)
    {
        _kind = kind;
        _value = value;
        _typeInfo = typeInfo;
        Error = error;
    }

    private enum Kind : byte
    {
        Null,
        String,
        Boolean,
        Object,
        Writer,
        Error,
    }

    public RpcError? Error { get; }

    public bool IsError => _kind == Kind.Error;

    public bool IsNull => _kind == Kind.Null;

    public static RpcResult Null => default;

    public static RpcResult String(string value) => new(Kind.String, value, null, null);

    public static RpcResult Boolean(bool value) => new(Kind.Boolean, value, null, null);

    public static RpcResult Object<T>(T value, JsonTypeInfo<T> typeInfo) => value is null ? Null : new(Kind.Object, value, typeInfo, null);

    /// <summary>A value that writes its own JSON (no DTO built first).</summary>
    public static RpcResult Json(IRpcJsonValue value) => new(Kind.Writer, value, null, null);

    public static RpcResult Fail(RpcError error) => new(Kind.Error, null, null, error);

    public static RpcResult Fail(int code, string message) => Fail(new RpcError(code, message));

    public static implicit operator RpcResult(RpcError error) => Fail(error);

    public void WriteValue(Utf8JsonWriter writer)
    {
        switch (_kind)
        {
            case Kind.String:
                writer.WriteStringValue((string)_value!);
                break;
            case Kind.Boolean:
                writer.WriteBooleanValue((bool)_value!);
                break;
            case Kind.Object:
                JsonSerializer.Serialize(writer, _value, _typeInfo!);
                break;
            case Kind.Writer:
                ((IRpcJsonValue)_value!).WriteTo(writer);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
