using Platform.Client.Protocol;

namespace Platform.Client.Connections;

/// <summary>Takes the frames of a subscription connection that are published messages rather than replies.</summary>
internal interface IPushHandler
{
    /// <summary>Delivers the frame and returns true when it is a published message; leaves <paramref name="reader"/> untouched otherwise.</summary>
    bool TryHandle(ref RespReader reader);
}
