using Platform.Api.Configuration;
using Platform.Api.Resp.Commands;
using Platform.Api.Resp.Connections;
using Platform.Api.Server;
using Platform.Grains.PubSub;
using Platform.Silo.Hosting;

namespace Platform.Api.Hosting;

/// <summary>Registers the RESP server's services.</summary>
internal static class RespServerExtensions
{
    /// <summary>Adds the silo with its storage, the server context, the command table, the RESP port and the server cron.</summary>
    public static IServiceCollection AddRespServer(this IServiceCollection services, ServerConfig config)
    {
        services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>, BoundedMemoryPoolFactory>();
        services.AddSingleton(config);
        services.AddSingleton(TimeProvider.System);
        services.AddSilo(silo => silo
            .AddGrainsFromAssemblyOf<PubSubRegistry>()
            .UseGrainStorage(_ => GrainStorageFactory.Create(config))
            .Configure<GrainStorageOptions>(options => options.Durability = config.AppendFsync)
            .Configure<GrainCollectionOptions>(options =>
            {
                options.CollectionAge = config.GrainCollectionAge;

                // The collector sweeps a few times per age, and at least once a minute.
                options.CollectionQuantum = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, config.GrainCollectionAge.Ticks / 4));
            }));
        services.AddSingleton<Persistence>();
        services.AddSingleton<PubSubRegistry>();
        services.AddSingleton<Publisher>();
        services.AddSingleton<Platform.Grains.Keyspace.KeyspaceEvents>();
        services.AddSingleton(_ => CommandTable.Create(CommandCatalog.Handlers));
        services.AddSingleton<ServerContext>();
        services.AddHostedService<ServerCron>();
        services.AddHostedService<RespListener>();
        return services;
    }
}
