namespace Platform.Silo;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReasonCode
{
    /// <summary>No reason given.</summary>
    None,

    /// <summary>The activation was idle for longer than the collection age.</summary>
    ActivationIdle,

    /// <summary>The grain asked for it (<c>DeactivateOnIdle</c>).</summary>
    ApplicationRequested,

    /// <summary>The silo is stopping.</summary>
    ShuttingDown,

    /// <summary>The grain's constructor or <c>OnActivateAsync</c> threw.</summary>
    ActivationFailed,
}
