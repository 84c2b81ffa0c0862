using System.Net;
using System.Net.Sockets;

namespace Platform.TestSupport;

/// <summary>Ports for the servers tests start on 127.0.0.1.</summary>
public static class FreePorts
{
    /// <summary>
    /// A random port in 20000–32000 (below the kernel's ephemeral range, so clients' own ports do not
    /// take it) that is free right now; a server may still lose a race for it, and its starter then
    /// picks another.
    /// </summary>
    public static int Pick()
    {
        for (var i = 0; i < 100; i++)
        {
            var port = Random.Shared.Next(20000, 32000);
            try
            {
                using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No free port in 20000-32000.");
    }
}
