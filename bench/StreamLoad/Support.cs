using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Platform.Bench.StreamLoad;

/// <summary>Command-line options.</summary>
internal sealed record Options(string Host, int Port, int Producers, int Consumers, int Pipeline, double Seconds, double Warmup, int Count, int Block, string Key, string Group)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        double Double(string name, double fallback) => double.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(
            Get("host", "127.0.0.1"), Int("port", 6379), Int("producers", 4), Int("consumers", 4), Int("pipeline", 8),
            Double("seconds", 5), Double("warmup", 1), Int("count", 100), Int("block", 100), Get("key", "bench-stream"), Get("group", "g"));
    }
}

/// <summary>A reply: a type, a line or bulk text, an integer, or items.</summary>
internal sealed record Reply(char Type, string? Text, long Integer, List<Reply>? Items);

/// <summary>A blocking RESP2 client on one socket: buffered writes, a small reply parser.</summary>
internal sealed class RespClient : IDisposable
{
    private readonly Socket _socket;
    private readonly BufferedStream _out;
    private readonly BufferedStream _in;

    public RespClient(string host, int port)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(host, port);
        var stream = new NetworkStream(_socket);
        _out = new BufferedStream(stream, 64 * 1024);
        _in = new BufferedStream(stream, 64 * 1024);
    }

    public void Send(params string[] args)
    {
        WriteLine($"*{args.Length}");
        foreach (var arg in args)
        {
            var bytes = Encoding.UTF8.GetBytes(arg);
            WriteLine($"${bytes.Length}");
            _out.Write(bytes);
            _out.Write("\r\n"u8);
        }
    }

    public void Flush() => _out.Flush();

    public Reply Call(params string[] args)
    {
        Send(args);
        Flush();
        return Read();
    }

    public Reply Read()
    {
        var line = ReadLine();
        var type = line[0];
        var rest = line[1..];
        switch (type)
        {
            case '+' or '-':
                return new Reply(type, rest, 0, null);
            case ':':
                return new Reply(type, null, long.Parse(rest, CultureInfo.InvariantCulture), null);
            case '$':
                {
                    var length = int.Parse(rest, CultureInfo.InvariantCulture);
                    if (length < 0)
                    {
                        return new Reply(type, null, 0, null);
                    }

                    var buffer = new byte[length + 2];
                    _in.ReadExactly(buffer);
                    return new Reply(type, Encoding.UTF8.GetString(buffer, 0, length), 0, null);
                }

            case '*':
                {
                    var count = int.Parse(rest, CultureInfo.InvariantCulture);
                    if (count < 0)
                    {
                        return new Reply(type, null, 0, null);
                    }

                    var items = new List<Reply>(count);
                    for (var i = 0; i < count; i++)
                    {
                        items.Add(Read());
                    }

                    return new Reply(type, null, 0, items);
                }

            default:
                throw new InvalidOperationException($"Unexpected reply line: {line}");
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
    }

    private void WriteLine(string text)
    {
        _out.Write(Encoding.ASCII.GetBytes(text));
        _out.Write("\r\n"u8);
    }

    private string ReadLine()
    {
        var text = new StringBuilder();
        while (true)
        {
            var b = _in.ReadByte();
            if (b < 0)
            {
                throw new IOException("Connection closed.");
            }

            if (b == '\r')
            {
                _in.ReadByte();
                return text.ToString();
            }

            text.Append((char)b);
        }
    }
}
