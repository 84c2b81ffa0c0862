namespace Platform.Silo;

/// <summary>Why an activation is being deactivated: a code and a human-readable description.</summary>
public readonly struct DeactivationReason : IEquatable<DeactivationReason>
{
    /// <summary>Creates a reason.</summary>
    /// <param name="reasonCode">The code.</param>
    /// <param name="description">A human-readable description.</param>
    /// <param name="exception">The exception that caused it, if any.</param>
    public DeactivationReason(DeactivationReasonCode reasonCode, string description, Exception? exception = null)
    {
        ReasonCode = reasonCode;
        Description = description;
        Exception = exception;
    }

    /// <summary>The code.</summary>
    public DeactivationReasonCode ReasonCode { get; }

    /// <summary>A human-readable description.</summary>
    public string Description { get; }

    /// <summary>The exception that caused the deactivation, if any.</summary>
    public Exception? Exception { get; }

    /// <inheritdoc />
    public bool Equals(DeactivationReason other) =>
        ReasonCode == other.ReasonCode && Description == other.Description && Equals(Exception, other.Exception);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DeactivationReason other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ReasonCode, Description);

    /// <inheritdoc />
    public override string ToString() => $"{ReasonCode}: {Description}";

    /// <summary>Compares two reasons.</summary>
    /// <param name="left">The first reason.</param>
    /// <param name="right">The second reason.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(DeactivationReason left, DeactivationReason right) => left.Equals(right);

    /// <summary>Compares two reasons.</summary>
    /// <param name="left">The first reason.</param>
    /// <param name="right">The second reason.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(DeactivationReason left, DeactivationReason right) => !left.Equals(right);
}
