using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Client.Tests.Infrastructure;

namespace Platform.Client.Tests;

[Collection(ServersCollection.Name)]
public sealed class DependencyInjectionTests(ServersFixture fixture) : ServerTests(fixture)
{
    [Fact]
    public void Options_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Platform:Endpoint"] = "10.1.2.3:7000",
            ["Platform:User"] = "app",
            ["Platform:Password"] = "secret",
            ["Platform:Database"] = "2",
            ["Platform:ClientName"] = "orders",
            ["Platform:Protocol"] = "Resp2",
            ["Platform:ConnectTimeout"] = "00:00:03",
            ["Platform:CommandTimeout"] = "00:00:07",
            ["Platform:ReconnectTimeout"] = "00:00:20",
            ["Platform:Reconnect:BaseDelay"] = "00:00:00.250",
            ["Platform:Reconnect:MaxDelay"] = "00:00:09",
        }).Build();
        var services = new ServiceCollection().AddPlatformClient(configuration.GetSection("Platform"));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PlatformClientOptions>>().Value;
        Assert.Equal("10.1.2.3:7000", options.Endpoint);
        Assert.Equal("app", options.User);
        Assert.Equal("secret", options.Password);
        Assert.Equal(2, options.Database);
        Assert.Equal("orders", options.ClientName);
        Assert.Equal(RespProtocol.Resp2, options.Protocol);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), options.CommandTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), options.ReconnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Reconnect.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(9), options.Reconnect.MaxDelay);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task The_registered_client_connects_and_logs(string server)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Platform:Endpoint"] = Fixture[server].Endpoint,
            ["Platform:ClientName"] = "from-config",
        }).Build();
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs))
            .AddPlatformClient(configuration.GetSection("Platform"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<PlatformClient>();
        Assert.Same(client, provider.GetRequiredService<PlatformClient>());
        Assert.Equal("from-config", (await client.ExecuteAsync("CLIENT", "GETNAME")).ToString());
        Assert.Contains(logs.Messages, m => m.Contains("connection to " + Fixture[server].Endpoint + " established", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlatformClient(new PlatformClientOptions { Database = -1 }));
        Assert.Throws<FormatException>(() => new PlatformClient(new PlatformClientOptions { Endpoint = "h:x" }));
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public List<string> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => new ListLogger(this);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ListLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (provider.Messages)
                {
                    provider.Messages.Add(formatter(state, exception));
                }
            }
        }
    }
}
