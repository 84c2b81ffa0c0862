namespace Platform.Silo.Runtime;

/// <summary>The life of an activation; it only moves forward.</summary>
internal enum ActivationStatus
{
    /// <summary>Constructor and <c>OnActivateAsync</c> running (the first turn); calls queue.</summary>
    Activating,

    /// <summary>Accepting calls.</summary>
    Active,

    /// <summary><c>OnDeactivateAsync</c> running (the last turn); calls queue and are re-routed afterwards.</summary>
    Deactivating,

    /// <summary>Gone from the directory (deactivated or failed to activate); calls are re-routed at once.</summary>
    Deactivated,
}
