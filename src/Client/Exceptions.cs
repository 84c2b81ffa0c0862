namespace Platform.Client;

/// <summary>The base of every exception the SDK throws for a failed command.</summary>
public class PlatformClientException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PlatformClientException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public PlatformClientException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The server answered the command with an error reply (<c>-ERR ...</c>, <c>-WRONGTYPE ...</c>).</summary>
public sealed class PlatformServerException : PlatformClientException
{
    /// <summary>Creates the exception from the server's error text.</summary>
    public PlatformServerException(string command, string serverMessage)
        : base($"{command}: {serverMessage}")
    {
        Command = command;
        ServerMessage = serverMessage;
    }

    /// <summary>The command that failed.</summary>
    public string Command { get; }

    /// <summary>The error text exactly as the server sent it (e.g. "ERR unknown command 'XADD', ...").</summary>
    public string ServerMessage { get; }

    /// <summary>The error's code: its first word ("ERR", "WRONGTYPE", "NOGROUP", "BUSYGROUP", ...).</summary>
    public string ErrorCode => ServerMessage.Split(' ', 2)[0];
}

/// <summary>
/// The connection to the server was lost, or could not be made in time. <see cref="CommandMayHaveRun"/>
/// tells whether the command had been sent (the server may have executed it) or not (it did not run
/// and is safe to retry).
/// </summary>
public sealed class PlatformConnectionException : PlatformClientException
{
    /// <summary>Creates the exception.</summary>
    public PlatformConnectionException(string message, bool commandMayHaveRun, Exception? innerException = null)
        : base(message, innerException)
    {
        CommandMayHaveRun = commandMayHaveRun;
    }

    /// <summary>True when the command had been sent before the connection was lost, so it may have run.</summary>
    public bool CommandMayHaveRun { get; }
}

/// <summary>No reply came within the command timeout; the connection stays open and later replies are matched as usual.</summary>
public sealed class PlatformTimeoutException : PlatformClientException
{
    /// <summary>Creates the exception.</summary>
    public PlatformTimeoutException(string message)
        : base(message)
    {
    }
}

/// <summary>The server sent something that is not valid RESP, or not the shape the command's reply has.</summary>
public sealed class PlatformProtocolException : PlatformClientException
{
    /// <summary>Creates the exception.</summary>
    public PlatformProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public PlatformProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
