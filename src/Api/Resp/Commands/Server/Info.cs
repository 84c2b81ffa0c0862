using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Platform.Api.Resp.Connections;
using Platform.Api.Server;
using Platform.Grains.Keyspace;
using Platform.Grains.PubSub;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>
/// INFO [section ...]: the server's figures in Redis's layout and field names, every figure
/// measured (nothing reported that the server does not have). Sections come in Redis's order
/// whatever order they were asked in; "default", "all" and "everything" select as in Redis.
/// </summary>
internal sealed class Info : RespCommand
{
    private static readonly string[] Ordered =
        ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace"];

    private static readonly HashSet<string> Default =
        ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace"];

    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var requested = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (session.Args.Count == 1)
        {
            requested.UnionWith(Default);
        }

        for (var i = 1; i < session.Args.Count; i++)
        {
            var name = session.Args.ToUtf8String(i).ToLowerInvariant();
            switch (name)
            {
                case "default":
                    requested.UnionWith(Default);
                    break;
                case "all" or "everything":
                    requested.UnionWith(Ordered);
                    break;
                default:
                    requested.Add(name);
                    break;
            }
        }

        var keyspaces = requested.Contains("keyspace") ? await KeyspacesAsync(session.Server).ConfigureAwait(false) : [];
        var text = new StringBuilder(4096);
        foreach (var section in Ordered)
        {
            if (!requested.Contains(section))
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append("\r\n");
            }

            Write(text, section, session.Server, keyspaces);
        }

        session.Reply.WriteVerbatimText(Encoding.UTF8.GetBytes(text.ToString()));
    }

    // Each database's keys, keys with an expiry and average TTL (INFO keyspace); empty ones left out.
    private static async Task<List<(int Database, long Keys, long Expires, long AverageTtl)>> KeyspacesAsync(ServerContext server)
    {
        var found = new List<(int, long, long, long)>();
        for (var database = 0; database < server.Config.Databases; database++)
        {
            var (keys, expires, averageTtl) = await server.Grains.GetGrain<IKeyspaceGrain>(StreamKeys.Database(database)).InfoAsync().ConfigureAwait(false);
            if (keys > 0)
            {
                found.Add((database, keys, expires, averageTtl));
            }
        }

        return found;
    }

    private static void Write(StringBuilder text, string section, ServerContext server, List<(int Database, long Keys, long Expires, long AverageTtl)> keyspaces)
    {
        switch (section)
        {
            case "server":
                WriteServer(text, server);
                break;
            case "clients":
                WriteClients(text, server);
                break;
            case "memory":
                WriteMemory(text, server);
                break;
            case "persistence":
                WritePersistence(text, server);
                break;
            case "stats":
                WriteStats(text, server);
                break;
            case "replication":
                text.Append("# Replication\r\n");
                Field(text, "role", "master");
                Field(text, "connected_slaves", 0);
                break;
            case "cpu":
                WriteCpu(text);
                break;
            case "modules":
                text.Append("# Modules\r\n");
                break;
            case "commandstats":
                WriteCommandStats(text, server);
                break;
            case "errorstats":
                text.Append("# Errorstats\r\n");
                foreach (var (code, count) in server.Stats.Errors.Snapshot())
                {
                    text.Append("errorstat_").Append(code).Append(":count=").Append(count).Append("\r\n");
                }

                break;
            case "latencystats":
                WriteLatencyStats(text, server);
                break;
            case "cluster":
                text.Append("# Cluster\r\n");
                Field(text, "cluster_enabled", 0);
                break;
            case "keyspace":
                text.Append("# Keyspace\r\n");
                foreach (var (database, keys, expires, averageTtl) in keyspaces)
                {
                    text.Append("db").Append(database).Append(":keys=").Append(keys)
                        .Append(",expires=").Append(expires).Append(",avg_ttl=").Append(averageTtl).Append("\r\n");
                }

                break;
        }
    }

    private static void WriteServer(StringBuilder text, ServerContext server)
    {
        var now = server.Time.GetUtcNow();
        var uptime = now - server.StartedAt;
        text.Append("# Server\r\n");
        Field(text, "redis_version", ServerInfo.RedisVersion);
        Field(text, "platform_version", ServerInfo.PlatformVersion);
        Field(text, "redis_mode", "standalone");
        Field(text, "os", OperatingSystemName());
        Field(text, "arch_bits", IntPtr.Size * 8);
        Field(text, "multiplexing_api", OperatingSystem.IsLinux() ? "epoll" : "kqueue");
        Field(text, "dotnet_version", RuntimeInformation.FrameworkDescription);
        Field(text, "process_id", Environment.ProcessId);
        Field(text, "process_supervised", "no");
        Field(text, "run_id", server.RunId);
        Field(text, "tcp_port", server.Config.Port);
        Field(text, "server_time_usec", (now - DateTimeOffset.UnixEpoch).Ticks / 10);
        Field(text, "uptime_in_seconds", (long)uptime.TotalSeconds);
        Field(text, "uptime_in_days", (long)uptime.TotalDays);
        Field(text, "hz", ServerCron.Hz);
        Field(text, "configured_hz", ServerCron.Hz);
        Field(text, "executable", Environment.ProcessPath ?? "");
        Field(text, "config_file", "");
    }

    private static void WriteClients(StringBuilder text, ServerContext server)
    {
        var clients = server.Clients.Snapshot().ToList();
        text.Append("# Clients\r\n");
        Field(text, "connected_clients", clients.Count);
        Field(text, "maxclients", server.Config.MaxClients);
        Field(text, "blocked_clients", clients.Count(c => c.IsBlocked));
        Field(text, "pubsub_clients", clients.Count(c => c.IsSubscribed));
    }

    private static void WriteMemory(StringBuilder text, ServerContext server)
    {
        var used = GC.GetTotalMemory(false);
        var rss = Environment.WorkingSet;
        var gc = GC.GetGCMemoryInfo();
        text.Append("# Memory\r\n");
        Field(text, "used_memory", used);
        Field(text, "used_memory_human", Human(used));
        Field(text, "used_memory_rss", rss);
        Field(text, "used_memory_rss_human", Human(rss));
        Field(text, "used_memory_peak", server.Stats.MemoryPeak);
        Field(text, "used_memory_peak_human", Human(server.Stats.MemoryPeak));
        Field(text, "total_system_memory", gc.TotalAvailableMemoryBytes);
        Field(text, "total_system_memory_human", Human(gc.TotalAvailableMemoryBytes));
        Field(text, "maxmemory", 0);
        Field(text, "maxmemory_human", "0B");
        Field(text, "maxmemory_policy", "noeviction");
        Field(text, "mem_allocator", "dotnet-gc");
        Field(text, "gc_heap_size", gc.HeapSizeBytes);
        Field(text, "gc_committed", gc.TotalCommittedBytes);
        Field(text, "gc_collections_gen0", GC.CollectionCount(0));
        Field(text, "gc_collections_gen1", GC.CollectionCount(1));
        Field(text, "gc_collections_gen2", GC.CollectionCount(2));
        Field(text, "gc_pause_time_percentage", gc.PauseTimePercentage.ToString("0.00", CultureInfo.InvariantCulture));
        Field(text, "grain_activations", server.Silo.ActivationCount);
    }

    private static void WriteStats(StringBuilder text, ServerContext server)
    {
        var stats = server.Stats;
        text.Append("# Stats\r\n");
        Field(text, "total_connections_received", stats.TotalConnectionsReceived);
        Field(text, "total_commands_processed", stats.TotalCommands);
        Field(text, "instantaneous_ops_per_sec", stats.OpsPerSecond.PerSecond);
        Field(text, "total_net_input_bytes", stats.TotalNetInputBytes);
        Field(text, "total_net_output_bytes", stats.TotalNetOutputBytes);
        Field(text, "instantaneous_input_kbps", Kilobytes(stats.InputBytesPerSecond.PerSecond));
        Field(text, "instantaneous_output_kbps", Kilobytes(stats.OutputBytesPerSecond.PerSecond));
        Field(text, "rejected_connections", stats.RejectedConnectionsCount);
        Field(text, "total_error_replies", stats.TotalErrorReplies);
        Field(text, "total_reads_processed", stats.TotalReads);
        Field(text, "total_writes_processed", stats.TotalWrites);
        Field(text, "io_threaded_reads_processed", stats.ThreadedReads);
        Field(text, "io_threaded_writes_processed", stats.ThreadedWrites);
        Field(text, "pubsub_channels", server.Publisher.Registry.Channels(ChannelScope.Channel).Count());
        Field(text, "pubsub_patterns", server.Publisher.Registry.PatternCount);
        Field(text, "pubsubshard_channels", server.Publisher.Registry.Channels(ChannelScope.Shard).Count());
        Field(text, "acl_access_denied_auth", stats.AclAccessDeniedAuth);
        Field(text, "client_output_buffer_limit_disconnections", stats.OutputBufferLimitDisconnections);
    }

    private static void WriteCpu(StringBuilder text)
    {
        using var process = Process.GetCurrentProcess();
        text.Append("# CPU\r\n");
        Field(text, "used_cpu_sys", Seconds(process.PrivilegedProcessorTime));
        Field(text, "used_cpu_user", Seconds(process.UserProcessorTime));
        Field(text, "used_cpu_sys_children", "0.000000");
        Field(text, "used_cpu_user_children", "0.000000");
    }

    private static void WriteCommandStats(StringBuilder text, ServerContext server)
    {
        text.Append("# Commandstats\r\n");
        foreach (var command in server.Commands.AllWithSubcommands)
        {
            var (calls, microseconds, rejected, failed) = command.Stats.Read();
            if (calls == 0 && rejected == 0 && failed == 0)
            {
                continue;
            }

            var perCall = calls == 0 ? 0 : (double)microseconds / calls;
            text.Append("cmdstat_").Append(command.FullName)
                .Append(":calls=").Append(calls)
                .Append(",usec=").Append(microseconds)
                .Append(",usec_per_call=").Append(perCall.ToString("0.00", CultureInfo.InvariantCulture))
                .Append(",rejected_calls=").Append(rejected)
                .Append(",failed_calls=").Append(failed)
                .Append("\r\n");
        }
    }

    // Redis's latency-tracking-info-percentiles default: "50 99 99.9".
    private static void WriteLatencyStats(StringBuilder text, ServerContext server)
    {
        text.Append("# Latencystats\r\n");
        foreach (var command in server.Commands.AllWithSubcommands)
        {
            if (command.Stats.Latency is not { } latency)
            {
                continue;
            }

            var values = latency.Percentiles([50, 99, 99.9]);
            text.Append("latency_percentiles_usec_").Append(command.FullName)
                .Append(":p50=").Append(values[0].ToString("0.000", CultureInfo.InvariantCulture))
                .Append(",p99=").Append(values[1].ToString("0.000", CultureInfo.InvariantCulture))
                .Append(",p99.9=").Append(values[2].ToString("0.000", CultureInfo.InvariantCulture))
                .Append("\r\n");
        }
    }

    // Redis 7.0's fields; a save is a snapshot of every key and the AOF is the journal, so the
    // rdb_ and aof_ figures are those of the store. The storage_ fields are ours.
    private static void WritePersistence(StringBuilder text, ServerContext server)
    {
        var persistence = server.Persistence;
        var journal = persistence.Journal;
        text.Append("# Persistence\r\n");
        Field(text, "loading", 0);
        Field(text, "async_loading", 0);
        Field(text, "current_cow_peak", 0);
        Field(text, "current_cow_size", 0);
        Field(text, "current_cow_size_age", 0);
        Field(text, "current_fork_perc", "0.00");
        Field(text, "current_save_keys_processed", 0);
        Field(text, "current_save_keys_total", 0);
        Field(text, "rdb_changes_since_last_save", persistence.ChangesSinceLastSave);
        Field(text, "rdb_bgsave_in_progress", persistence.SaveInProgress ? 1 : 0);
        Field(text, "rdb_last_save_time", persistence.LastSaveTime.ToUnixTimeSeconds());
        Field(text, "rdb_last_bgsave_status", persistence.LastSaveSucceeded ? "ok" : "err");
        Field(text, "rdb_last_bgsave_time_sec", persistence.LastSaveSeconds);
        Field(text, "rdb_current_bgsave_time_sec", persistence.CurrentSaveSeconds);
        Field(text, "rdb_saves", persistence.Saves);
        Field(text, "rdb_last_cow_size", 0);
        Field(text, "rdb_last_load_keys_expired", 0);
        Field(text, "rdb_last_load_keys_loaded", persistence.KeysLoaded);
        Field(text, "aof_enabled", journal.IsEnabled ? 1 : 0);
        Field(text, "aof_rewrite_in_progress", 0);
        Field(text, "aof_rewrite_scheduled", 0);
        Field(text, "aof_last_rewrite_time_sec", -1);
        Field(text, "aof_current_rewrite_time_sec", -1);
        Field(text, "aof_last_bgrewrite_status", "ok");
        Field(text, "aof_rewrites", 0);
        Field(text, "aof_rewrites_consecutive_failures", 0);
        Field(text, "aof_last_write_status", journal.Error is null ? "ok" : "err");
        Field(text, "aof_last_cow_size", 0);
        Field(text, "module_fork_in_progress", 0);
        Field(text, "module_fork_last_cow_size", 0);
        Field(text, "storage_provider", journal.Storage.Name);
        Field(text, "storage_commits", journal.Commits);
        Field(text, "storage_failures", journal.Failures);
        Field(text, "storage_pending_changes", journal.Appended - journal.Committed);
        Field(text, "storage_last_commit_time", journal.LastCommitTime.ToUnixTimeSeconds());
        if (journal.Error is { } error)
        {
            Field(text, "storage_last_error", error.ReplaceLineEndings(" "));
        }
    }

    private static void Field(StringBuilder text, string name, string value) =>
        text.Append(name).Append(':').Append(value).Append("\r\n");

    private static void Field(StringBuilder text, string name, long value) =>
        text.Append(name).Append(':').Append(value).Append("\r\n");

    // Redis's bytesToHuman.
    private static string Human(long bytes)
    {
        string[] units = ["K", "M", "G", "T", "P"];
        if (bytes < 1024)
        {
            return $"{bytes}B";
        }

        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("0.00", CultureInfo.InvariantCulture) + units[unit];
    }

    private static string Kilobytes(long bytesPerSecond) =>
        (bytesPerSecond / 1024.0).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan time) =>
        (time.Ticks / (double)TimeSpan.TicksPerSecond).ToString("0.000000", CultureInfo.InvariantCulture);

    private static string OperatingSystemName()
    {
        var release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.Version.ToString();
        var machine = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            var other => other.ToString().ToLowerInvariant(),
        };
        return $"{(OperatingSystem.IsLinux() ? "Linux" : RuntimeInformation.OSDescription)} {release} {machine}";
    }
}
