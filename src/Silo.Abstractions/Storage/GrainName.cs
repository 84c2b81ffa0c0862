namespace Platform.Silo.Storage;

/// <summary>
/// A stored grain's identity, its type and key, with their hash worked out once: a commit looks
/// each grain up in several maps (the journal's, the batch's, the store's index), and hashing both
/// strings each time cost more than the store's insert.
/// </summary>
public readonly struct GrainName : IEquatable<GrainName>
{
    private readonly int _hash;

    /// <param name="type">The kind of grain ("stream").</param>
    /// <param name="key">The grain's key.</param>
    public GrainName(string type, string key)
    {
        Type = type;
        Key = key;
        _hash = HashCode.Combine(type, key);
    }

    /// <summary>The kind of grain.</summary>
    public string Type { get; }

    /// <summary>The grain's key.</summary>
    public string Key { get; }

    /// <inheritdoc/>
    public bool Equals(GrainName other) => _hash == other._hash && string.Equals(Key, other.Key, StringComparison.Ordinal) && string.Equals(Type, other.Type, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is GrainName other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;

    /// <inheritdoc/>
    public override string ToString() => $"{Type}/{Key}";
}
