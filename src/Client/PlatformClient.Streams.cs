using Platform.Client.Protocol;
using Platform.Client.Streams;

namespace Platform.Client;

public sealed partial class PlatformClient
{
    /// <summary>
    /// XADD: appends an entry (ID chosen by the server unless <see cref="StreamAddOptions.Id"/> is
    /// set), optionally trimming (MAXLEN/MINID) or refusing to create the stream (NOMKSTREAM).
    /// Returns the new entry's ID; null when NOMKSTREAM was given and the stream does not exist.
    /// </summary>
    public ValueTask<StreamId?> StreamAddAsync(string stream, IEnumerable<StreamField> fields, StreamAddOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fields);
        ThrowIfDisposed();
        var command = CommandBuilder.Rent("XADD").Add(stream);
        if (options is not null)
        {
            if (options.NoMakeStream)
            {
                command.Add("NOMKSTREAM");
            }

            options.Trim?.WriteTo(command);
        }

        if (options?.IdText is { } idText)
        {
            command.Add(idText);
        }
        else if (options?.Id is { } id)
        {
            command.Add(id);
        }
        else
        {
            command.Add("*");
        }

        var count = 0;
        foreach (var field in fields)
        {
            command.Add(field.Name.Span).Add(field.Value.Span);
            count++;
        }

        if (count == 0)
        {
            command.Return();
            throw new ArgumentException("An entry needs at least one field.", nameof(fields));
        }

        return Execute(command, StreamParsers.NullableId, cancellationToken);
    }

    /// <summary>XADD with one text field.</summary>
    public ValueTask<StreamId?> StreamAddAsync(string stream, string field, string value, StreamAddOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamAddAsync(stream, [new StreamField(field, value)], options, cancellationToken);

    /// <summary>XADD with one binary field.</summary>
    public ValueTask<StreamId?> StreamAddAsync(string stream, string field, ReadOnlyMemory<byte> value, StreamAddOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamAddAsync(stream, [new StreamField(field, value)], options, cancellationToken);

    /// <summary>XRANGE: entries from <paramref name="start"/> to <paramref name="end"/> (default: all), oldest first, at most <paramref name="count"/>.</summary>
    public ValueTask<IReadOnlyList<StreamEntry>> StreamRangeAsync(string stream, StreamBound? start = null, StreamBound? end = null, int? count = null, CancellationToken cancellationToken = default) =>
        Range("XRANGE", stream, start ?? StreamBound.Minimum, end ?? StreamBound.Maximum, count, cancellationToken);

    /// <summary>XREVRANGE: entries from <paramref name="end"/> down to <paramref name="start"/> (default: all), newest first, at most <paramref name="count"/>.</summary>
    public ValueTask<IReadOnlyList<StreamEntry>> StreamReverseRangeAsync(string stream, StreamBound? end = null, StreamBound? start = null, int? count = null, CancellationToken cancellationToken = default) =>
        Range("XREVRANGE", stream, end ?? StreamBound.Maximum, start ?? StreamBound.Minimum, count, cancellationToken);

    /// <summary>
    /// XREAD of one stream: entries after <paramref name="position"/>, at most <paramref name="count"/>;
    /// with <paramref name="block"/>, waits up to that long for entries (on a dedicated connection;
    /// <see cref="TimeSpan.Zero"/> waits for ever). Empty when none came.
    /// </summary>
    public async ValueTask<IReadOnlyList<StreamEntry>> StreamReadAsync(string stream, StreamPosition position, int? count = null, TimeSpan? block = null, CancellationToken cancellationToken = default)
    {
        var results = await StreamReadAsync([new StreamReadRequest(stream, position)], count, block, cancellationToken).ConfigureAwait(false);
        return results.Count == 0 ? [] : results[0].Entries;
    }

    /// <summary>XREAD over several streams; only streams that returned entries are in the result.</summary>
    public ValueTask<IReadOnlyList<StreamReadResult>> StreamReadAsync(IReadOnlyList<StreamReadRequest> streams, int? count = null, TimeSpan? block = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        if (streams.Count == 0)
        {
            throw new ArgumentException("Name at least one stream.", nameof(streams));
        }

        ThrowIfDisposed();
        var command = CommandBuilder.Rent("XREAD");
        AddCountAndBlock(command, count, block);
        command.Add("STREAMS");
        foreach (var request in streams)
        {
            command.Add(request.Stream);
        }

        foreach (var request in streams)
        {
            request.Position.WriteTo(command, forGroupRead: false);
        }

        return block is { } wait
            ? _blocking.ExecuteAsync(command, StreamParsers.ReadResults, wait, cancellationToken)
            : Execute(command, StreamParsers.ReadResults, cancellationToken);
    }

    /// <summary>XLEN: the number of entries (0 for a missing stream).</summary>
    public ValueTask<long> StreamLengthAsync(string stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ThrowIfDisposed();
        return Execute(CommandBuilder.Rent("XLEN").Add(stream), Parsers.Int64, cancellationToken);
    }

    /// <summary>XDEL: deletes entries; returns how many existed.</summary>
    public ValueTask<long> StreamDeleteAsync(string stream, IEnumerable<StreamId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(ids);
        ThrowIfDisposed();
        var command = CommandBuilder.Rent("XDEL").Add(stream);
        foreach (var id in ids)
        {
            command.Add(id);
        }

        return Execute(command, Parsers.Int64, cancellationToken);
    }

    /// <summary>XTRIM: trims by length or lowest ID; returns how many entries were evicted.</summary>
    public ValueTask<long> StreamTrimAsync(string stream, StreamTrimOptions trim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(trim);
        ThrowIfDisposed();
        var command = CommandBuilder.Rent("XTRIM").Add(stream);
        trim.WriteTo(command);
        return Execute(command, Parsers.Int64, cancellationToken);
    }

    /// <summary>XINFO STREAM: length, IDs, groups, first and last entry.</summary>
    public ValueTask<StreamInfo> StreamInfoAsync(string stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ThrowIfDisposed();
        return Execute(CommandBuilder.Rent("XINFO").Add("STREAM").Add(stream), StreamParsers.Info, cancellationToken);
    }

    private static void AddCountAndBlock(CommandBuilder command, int? count, TimeSpan? block)
    {
        if (count is { } n)
        {
            command.Add("COUNT").Add(n);
        }

        if (block is { } wait)
        {
            command.Add("BLOCK").Add((long)wait.TotalMilliseconds);
        }
    }

    private ValueTask<IReadOnlyList<StreamEntry>> Range(string name, string stream, StreamBound first, StreamBound second, int? count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ThrowIfDisposed();
        var command = CommandBuilder.Rent(name).Add(stream);
        first.WriteTo(command);
        second.WriteTo(command);
        if (count is { } n)
        {
            command.Add("COUNT").Add(n);
        }

        return Execute(command, StreamParsers.Entries, cancellationToken);
    }
}
