using Platform.Api.Configuration;
using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Config;

/// <summary>
/// CONFIG SET parameter value [parameter value ...]: all or nothing, with Redis's checks in
/// Redis's order (unknown name, immutable, duplicate), then each value validated and applied;
/// a bad value restores those already applied.
/// </summary>
internal sealed class ConfigSet : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        if ((args.Count & 1) == 1)
        {
            reply.WriteError(Errors.Syntax);
            return;
        }

        var config = session.Server.Config;
        var count = (args.Count - 2) / 2;
        var parameters = new ConfigParameter[count];
        string? unknown = null;
        string? failedName = null;
        string? failure = null;
        for (var i = 0; i < count; i++)
        {
            var name = args.ToUtf8String(2 + (i * 2));
            var parameter = config.Find(name);
            if (parameter is null)
            {
                unknown ??= name;
                continue;
            }

            // A password is hidden from SLOWLOG whatever else fails, as Redis hides its sensitive settings.
            if (parameter.Name == "requirepass")
            {
                session.Redact(3 + (i * 2));
            }

            if (unknown is not null || failure is not null)
            {
                continue;
            }

            if (parameter.IsImmutable)
            {
                (failedName, failure) = (name, "can't set immutable config");
            }
            else if (Array.IndexOf(parameters, parameter, 0, i) >= 0)
            {
                (failedName, failure) = (name, "duplicate parameter");
            }

            parameters[i] = parameter;
        }

        if (unknown is not null)
        {
            reply.WriteFormattedError(Encoding.UTF8.GetBytes($"ERR Unknown option or number of arguments for CONFIG SET - '{unknown}'"));
            return;
        }

        if (failure is null)
        {
            var previous = parameters.Select(p => p.Get()).ToArray();
            for (var i = 0; i < count; i++)
            {
                if (!parameters[i].TrySet(args[3 + (i * 2)], out var error))
                {
                    for (var j = 0; j < i; j++)
                    {
                        parameters[j].TrySet(Encoding.UTF8.GetBytes(previous[j]), out _);
                    }

                    (failedName, failure) = (parameters[i].Name, error);
                    break;
                }
            }
        }

        if (failure is not null)
        {
            reply.WriteFormattedError(Encoding.UTF8.GetBytes($"ERR CONFIG SET failed (possibly related to argument '{failedName}') - {failure}"));
            return;
        }

        reply.WriteOk();
    }
}
