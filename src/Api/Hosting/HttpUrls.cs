namespace Platform.Api.Hosting;

/// <summary>
/// The HTTP addresses, given as in ASP.NET Core: <c>--urls</c> on the command line, or the
/// ASPNETCORE_URLS / URLS environment variables. Taken out of what the host sees, because the
/// endpoints are declared in code (<see cref="Endpoints"/>).
/// </summary>
internal static class HttpUrls
{
    /// <summary>The URLs (null for the default) and the arguments without them.</summary>
    public static (string? Urls, string[] Remaining) Take(string[] args)
    {
        string? urls = null;
        var remaining = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--urls" or "/urls" && i + 1 < args.Length)
            {
                urls = args[++i];
            }
            else if (args[i].StartsWith("--urls=", StringComparison.Ordinal))
            {
                urls = args[i]["--urls=".Length..];
            }
            else
            {
                remaining.Add(args[i]);
            }
        }

        foreach (var variable in (string[])["ASPNETCORE_URLS", "URLS"])
        {
            urls ??= Environment.GetEnvironmentVariable(variable);
            Environment.SetEnvironmentVariable(variable, null);
        }

        return (urls, [.. remaining]);
    }
}
