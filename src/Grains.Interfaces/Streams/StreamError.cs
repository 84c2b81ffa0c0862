namespace Platform.Grains.Streams;

/// <summary>
/// Why a stream command could not be carried out. The front ends turn each into their own
/// wording (Redis's exact error text on the RESP port, problem details over HTTP).
/// </summary>
public enum StreamError
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The key does not exist.</summary>
    NoKey,

    /// <summary>The consumer group does not exist.</summary>
    NoGroup,

    /// <summary>XGROUP CREATE of an existing group (BUSYGROUP).</summary>
    GroupExists,

    /// <summary>XADD of an ID not greater than the top item.</summary>
    IdTooSmall,

    /// <summary>XADD of 0-0.</summary>
    IdZero,

    /// <summary>The stream's last ID is the largest possible.</summary>
    Exhausted,

    /// <summary>XSETID below the top item.</summary>
    SetIdTooSmall,

    /// <summary>XSETID's ENTRIESADDED below the stream's length.</summary>
    EntriesAddedTooSmall,

    /// <summary>A blocked XREADGROUP whose stream was deleted.</summary>
    KeyDeletedWhileBlocked,

    /// <summary>A blocked XREADGROUP whose group was destroyed.</summary>
    GroupDestroyedWhileBlocked,

    /// <summary>A blocked command ended by CLIENT UNBLOCK … ERROR.</summary>
    UnblockedByClient,
}
