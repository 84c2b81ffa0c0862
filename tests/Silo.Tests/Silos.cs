using Microsoft.Extensions.DependencyInjection;
using Platform.Silo.Hosting;
using Platform.Silo.Testing;
using Platform.Silo.Tests.Grains;
using Platform.TestSupport;

namespace Platform.Silo.Tests;

/// <summary>Starts a test silo with the test grains and a fresh probe.</summary>
internal static class Silos
{
    public static Task<TestSilo> StartAsync(TestProbe probe, FakeTimeProvider? time = null, Action<ISiloBuilder>? configure = null) =>
        TestSilo.StartAsync(
            builder =>
            {
                builder.AddGrainsFromAssemblyOf<CounterGrain>();
                configure?.Invoke(builder);
            },
            services => services.AddSingleton(probe),
            time);
}
