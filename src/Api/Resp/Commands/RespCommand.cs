using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands;

/// <summary>
/// A command's implementation: reads <see cref="RespSession.Args"/> (already checked for
/// arity and authentication) and writes its reply to <see cref="RespSession.Reply"/>. Most
/// complete synchronously and return a completed ValueTask; those that call grains may not.
/// Instances are stateless singletons shared by all connections.
/// </summary>
internal abstract class RespCommand
{
    /// <summary>Runs the command for <paramref name="session"/>.</summary>
    public abstract ValueTask ExecuteAsync(RespSession session);
}

/// <summary>A command that never waits: the common case, without the ValueTask ceremony.</summary>
internal abstract class SyncRespCommand : RespCommand
{
    /// <inheritdoc/>
    public sealed override ValueTask ExecuteAsync(RespSession session)
    {
        Execute(session);
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs the command for <paramref name="session"/>.</summary>
    protected abstract void Execute(RespSession session);
}
