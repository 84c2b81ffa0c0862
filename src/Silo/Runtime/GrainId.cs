namespace Platform.Silo.Runtime;

/// <summary>A grain's identity in the directory: its class and key.</summary>
/// <param name="GrainClass">The grain class.</param>
/// <param name="Key">The key.</param>
internal readonly record struct GrainId(GrainClass GrainClass, string Key)
{
    public override string ToString() => $"{GrainClass.GrainType.Name}/{Key}";
}
