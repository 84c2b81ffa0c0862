using System.Text;
using Platform.Grains.PubSub;

namespace Platform.Grains.Keyspace;

/// <summary>The classes of keyspace events, as notify-keyspace-events names them.</summary>
[Flags]
public enum KeyspaceEventClass
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>K: __keyspace@db__:key channels.</summary>
    Keyspace = 1 << 0,

    /// <summary>E: __keyevent@db__:event channels.</summary>
    Keyevent = 1 << 1,

    /// <summary>g: generic commands (DEL, EXPIRE, RENAME...).</summary>
    Generic = 1 << 2,

    /// <summary>$: strings.</summary>
    String = 1 << 3,

    /// <summary>l: lists.</summary>
    List = 1 << 4,

    /// <summary>s: sets.</summary>
    Set = 1 << 5,

    /// <summary>h: hashes.</summary>
    Hash = 1 << 6,

    /// <summary>z: sorted sets.</summary>
    SortedSet = 1 << 7,

    /// <summary>x: expired keys.</summary>
    Expired = 1 << 8,

    /// <summary>e: evicted keys.</summary>
    Evicted = 1 << 9,

    /// <summary>t: streams.</summary>
    Stream = 1 << 10,

    /// <summary>m: key misses.</summary>
    KeyMiss = 1 << 11,

    /// <summary>d: modules.</summary>
    Module = 1 << 12,

    /// <summary>n: new keys.</summary>
    New = 1 << 13,

    /// <summary>A: g$lshzxetd.</summary>
    All = Generic | String | List | Set | Hash | SortedSet | Expired | Evicted | Stream | Module,
}

/// <summary>
/// notify-keyspace-events, and the publishing of keyspace events by the grains that change keys,
/// to <c>__keyspace@&lt;db&gt;__:&lt;key&gt;</c> and <c>__keyevent@&lt;db&gt;__:&lt;event&gt;</c> as Redis does.
/// Publishing is one-way: the changing grain never waits for subscribers.
/// </summary>
public sealed class KeyspaceEvents(Publisher publisher)
{
    private int _classes;

    /// <summary>The classes enabled.</summary>
    public KeyspaceEventClass Classes => (KeyspaceEventClass)Volatile.Read(ref _classes);

    /// <summary>The setting as CONFIG GET shows it (Redis's canonical order).</summary>
    public override string ToString()
    {
        var classes = Classes;
        var text = new StringBuilder();
        if ((classes & KeyspaceEventClass.All) == KeyspaceEventClass.All)
        {
            text.Append('A');
        }
        else
        {
            Append(text, classes, KeyspaceEventClass.Generic, 'g');
            Append(text, classes, KeyspaceEventClass.String, '$');
            Append(text, classes, KeyspaceEventClass.List, 'l');
            Append(text, classes, KeyspaceEventClass.Set, 's');
            Append(text, classes, KeyspaceEventClass.Hash, 'h');
            Append(text, classes, KeyspaceEventClass.SortedSet, 'z');
            Append(text, classes, KeyspaceEventClass.Expired, 'x');
            Append(text, classes, KeyspaceEventClass.Evicted, 'e');
            Append(text, classes, KeyspaceEventClass.Stream, 't');
            Append(text, classes, KeyspaceEventClass.Module, 'd');
            Append(text, classes, KeyspaceEventClass.New, 'n');
        }

        Append(text, classes, KeyspaceEventClass.Keyspace, 'K');
        Append(text, classes, KeyspaceEventClass.Keyevent, 'E');
        Append(text, classes, KeyspaceEventClass.KeyMiss, 'm');
        return text.ToString();
    }

    /// <summary>Sets the classes from Redis's letters; false on an unknown letter.</summary>
    public bool TrySet(string letters)
    {
        var classes = KeyspaceEventClass.None;
        foreach (var letter in letters)
        {
            classes |= letter switch
            {
                'A' => KeyspaceEventClass.All,
                'g' => KeyspaceEventClass.Generic,
                '$' => KeyspaceEventClass.String,
                'l' => KeyspaceEventClass.List,
                's' => KeyspaceEventClass.Set,
                'h' => KeyspaceEventClass.Hash,
                'z' => KeyspaceEventClass.SortedSet,
                'x' => KeyspaceEventClass.Expired,
                'e' => KeyspaceEventClass.Evicted,
                'K' => KeyspaceEventClass.Keyspace,
                'E' => KeyspaceEventClass.Keyevent,
                't' => KeyspaceEventClass.Stream,
                'm' => KeyspaceEventClass.KeyMiss,
                'd' => KeyspaceEventClass.Module,
                'n' => KeyspaceEventClass.New,
                _ => (KeyspaceEventClass)(-1),
            };
            if ((int)classes == -1)
            {
                return false;
            }
        }

        Volatile.Write(ref _classes, (int)classes);
        return true;
    }

    /// <summary>Publishes an event about <paramref name="key"/> (its bytes as a Latin-1 string) if its class is on.</summary>
    public void Notify(KeyspaceEventClass type, string name, int database, string key)
    {
        var classes = Classes;
        if ((classes & type) == 0)
        {
            return;
        }

        var keyBytes = GrainKeys.ToBytes(key);
        var nameBytes = Encoding.ASCII.GetBytes(name);
        if ((classes & KeyspaceEventClass.Keyspace) != 0)
        {
            byte[] channel = [.. Encoding.ASCII.GetBytes($"__keyspace@{database}__:"), .. keyBytes];
            Observe(publisher.PublishAsync(channel, nameBytes));
        }

        if ((classes & KeyspaceEventClass.Keyevent) != 0)
        {
            var channel = Encoding.ASCII.GetBytes($"__keyevent@{database}__:{name}");
            Observe(publisher.PublishAsync(channel, keyBytes));
        }
    }

    private static void Append(StringBuilder text, KeyspaceEventClass classes, KeyspaceEventClass flag, char letter)
    {
        if ((classes & flag) != 0)
        {
            text.Append(letter);
        }
    }

    // One-way: the result (receiver count) is not needed; faults are impossible short of a bug.
    private static void Observe(ValueTask<int> publishing)
    {
        if (!publishing.IsCompleted)
        {
            publishing.AsTask().ContinueWith(static _ => { }, TaskContinuationOptions.OnlyOnFaulted);
        }
    }
}
