using Platform.Api.Configuration;
using Platform.Api.Resp.Connections;
using Platform.Grains.Matching;

namespace Platform.Api.Resp.Commands.Config;

/// <summary>
/// CONFIG GET parameter [parameter ...]: names and values of the parameters named or matched by
/// glob patterns, each once. A name without glob characters is answered under the spelling
/// given, as Redis does.
/// </summary>
internal sealed class ConfigGet : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var config = session.Server.Config;
        var matches = new List<(string Name, ConfigParameter Parameter)>();
        for (var i = 2; i < args.Count; i++)
        {
            var pattern = args[i];
            if (pattern.IndexOfAny("[*?"u8) < 0)
            {
                if (config.Find(args.ToUtf8String(i)) is { } parameter && !matches.Exists(m => m.Parameter == parameter))
                {
                    matches.Add((args.ToUtf8String(i), parameter));
                }

                continue;
            }

            foreach (var parameter in config.Parameters)
            {
                if (!matches.Exists(m => m.Parameter == parameter)
                    && GlobPattern.IsMatch(pattern, Encoding.UTF8.GetBytes(parameter.Name), ignoreCase: true))
                {
                    matches.Add((parameter.Name, parameter));
                }
            }
        }

        session.Reply.WriteMapHeader(matches.Count);
        foreach (var (name, parameter) in matches)
        {
            session.Reply.WriteBulk(name);
            session.Reply.WriteBulk(parameter.Get());
        }
    }
}
