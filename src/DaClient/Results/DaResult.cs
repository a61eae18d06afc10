namespace DaClient;

/// <summary>What the retry pipeline looks at: whether an attempt's result is a failure worth another attempt.</summary>
internal interface IDaAttempt
{
    DaFailure? Failure { get; }
}

/// <summary>A DA call's value or its <see cref="DaFailure"/>; never both.</summary>
public readonly record struct DaResult<T> : IDaAttempt
{
    private readonly T? _value;

    private DaResult(T? value, DaFailure? failure)
    {
        _value = value;
        Failure = failure;
    }

    public DaFailure? Failure { get; }

    public bool Succeeded => Failure is null;

    /// <summary>The value; throws the failure's exception when there is none.</summary>
    public T Value => Failure is null ? _value! : throw Failure.ToException();

    public static DaResult<T> Ok(T value) => new(value, null);

    public static DaResult<T> Fail(DaFailure failure) => new(default, failure ?? throw new ArgumentNullException(nameof(failure)));

    public static implicit operator DaResult<T>(DaFailure failure) => Fail(failure);

    /// <summary>The same failure as a result of another type.</summary>
    public DaResult<TOther> As<TOther>() => DaResult<TOther>.Fail(Failure ?? throw new InvalidOperationException("a successful result has no failure to pass on"));
}
