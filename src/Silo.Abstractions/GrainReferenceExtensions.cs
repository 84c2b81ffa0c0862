using Platform.Silo.Invocation;

namespace Platform.Silo;

/// <summary>Helpers on grain references, as in Orleans.</summary>
public static class GrainReferenceExtensions
{
    /// <summary>Returns the key of a grain reference or grain.</summary>
    /// <param name="grain">A reference returned by <see cref="IGrainFactory.GetGrain{TGrainInterface}(string)"/>, or a grain.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="grain"/> is neither.</exception>
    public static string GetPrimaryKeyString(this IAddressable grain) => grain switch
    {
        GrainReference reference => reference.PrimaryKey,
        Grain instance => instance.GetPrimaryKeyString(),
        null => throw new ArgumentNullException(nameof(grain)),
        _ => throw new ArgumentException($"{grain.GetType()} is not a grain reference.", nameof(grain)),
    };
}
