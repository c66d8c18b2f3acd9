using System.Diagnostics.CodeAnalysis;

namespace Catty.Server.Api;

/// <summary>A value or the API error that explains why there is none; expected failures travel as this.</summary>
internal readonly struct Outcome<T>
    where T : class
{
    private Outcome(T? value, ErrorResult? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public ErrorResult? Error { get; }

    [MemberNotNullWhen(true, nameof(Error))]
    [MemberNotNullWhen(false, nameof(Value))]
    public bool Failed => Error is not null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ErrorResult error) => new(null, error);
}
