using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.PubSub;

/// <summary>PUBLISH channel message: the number of subscribers (channel and pattern) that received it.</summary>
internal sealed class Publish : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var sent = session.Server.Publisher.PublishAsync(args.Memory(1), args.Memory(2));
        if (sent.IsCompletedSuccessfully)
        {
            session.Reply.WriteInteger(sent.Result);
            return ValueTask.CompletedTask;
        }

        return ReplyAsync(session, sent);
    }

    private static async ValueTask ReplyAsync(RespSession session, ValueTask<int> sent) =>
        session.Reply.WriteInteger(await sent.ConfigureAwait(false));
}

/// <summary>SPUBLISH shardchannel message: the number of shard subscribers that received it.</summary>
internal sealed class SPublish : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var sent = session.Server.Publisher.ShardPublishAsync(args.Memory(1), args.Memory(2));
        if (sent.IsCompletedSuccessfully)
        {
            session.Reply.WriteInteger(sent.Result);
            return ValueTask.CompletedTask;
        }

        return ReplyAsync(session, sent);
    }

    private static async ValueTask ReplyAsync(RespSession session, ValueTask<int> sent) =>
        session.Reply.WriteInteger(await sent.ConfigureAwait(false));
}
