using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Connection;

/// <summary>AUTH [username] password.</summary>
internal sealed class Auth : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        if (args.Count > 3)
        {
            session.Reply.WriteError(Errors.Syntax);
            return;
        }

        // As Redis: past the syntax check, whatever the outcome.
        for (var i = 1; i < args.Count; i++)
        {
            session.Redact(i);
        }

        if (args.Count == 2 && !session.Server.Config.PasswordRequired)
        {
            session.Reply.WriteError(Errors.AuthWithoutPassword);
            return;
        }

        var user = args.Count == 2 ? "default"u8 : args[1];
        if (Credentials.Check(session.Server.Config, user, args[args.Count - 1]))
        {
            session.Authenticated = true;
            session.Reply.WriteOk();
        }
        else
        {
            session.Server.Stats.AuthDenied();
            session.Reply.WriteError(Errors.WrongPass);
        }
    }
}
