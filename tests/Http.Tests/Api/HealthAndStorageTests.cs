using System.Net;
using Platform.Http.Tests.Infrastructure;

namespace Platform.Http.Tests.Api;

/// <summary>
/// /health/live and /health/ready, and what the store failing does over HTTP: ready turns 503,
/// new writes are refused with the MISCONF problem (503), the write in flight is confirmed only once
/// committed, and all is well once the store is back. The store is a private PostgreSQL stopped under the server.
/// </summary>
public sealed class HealthAndStorageTests : IAsyncLifetime
{
    private PostgresServer _postgres = null!;
    private PlatformServer _server = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        await _postgres.CreateDatabaseAsync("http_health");
        _server = await PlatformServer.StartAsync("--storage", "postgresql", "--postgres", _postgres.ConnectionString("http_health"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Ready_follows_the_store_and_writes_get_misconf_while_it_fails()
    {
        try
        {
            Assert.Equal("Healthy", (await _server.Http.GetOkAsync("health/live")).GetProperty("status").GetString());
            var ready = await _server.Http.GetOkAsync("health/ready");
            Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
            await _server.Http.PostAsync("streams/kept/entries", new { id = "1-0", fields = new { a = "1" } }, HttpStatusCode.Created);

            await _postgres.StopAsync();

            // The write in flight when the store fails waits for it; the failure is then known.
            var inFlight = _server.Http.SendAsync(HttpMethod.Post, "streams/kept/entries", Requests.Json(new { id = "2-0", fields = new { a = "2" } }));
            await Requests.EventuallyAsync(
                async () => (await _server.Http.SendAsync(HttpMethod.Get, "health/ready")).Status == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(30),
                "ready to report the failing store");
            var (_, report, _) = await _server.Http.SendAsync(HttpMethod.Get, "health/ready");
            Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
            Assert.StartsWith("MISCONF", report.GetProperty("checks").GetProperty("storage").GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await _server.Http.SendAsync(HttpMethod.Get, "health/live")).Status);

            Requests.AssertProblem(
                await _server.Http.SendAsync(HttpMethod.Post, "streams/other/entries", Requests.Json(new { fields = new { a = "1" } })),
                503, "storage-failing", "MISCONF Errors writing to the AOF file: *");
            Requests.AssertProblem(
                await _server.Http.SendAsync(HttpMethod.Post, "streams/kept/groups", Requests.Json(new { name = "g" })),
                503, "storage-failing", "MISCONF Errors writing to the AOF file: *");
            Assert.False(inFlight.IsCompleted, "A write was confirmed before it was committed.");

            await _postgres.StartAgainAsync();
            var (status, added, _) = await inFlight.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.Created, status);
            Assert.Equal("2-0", added.GetProperty("id").GetString());
            await Requests.EventuallyAsync(
                async () => (await _server.Http.SendAsync(HttpMethod.Get, "health/ready")).Status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30),
                "ready to recover");
            await _server.Http.PostAsync("streams/kept/entries", new { id = "3-0", fields = new { a = "3" } }, HttpStatusCode.Created);
            Assert.Equal("0", await _server.RedisAsync("EXISTS", "other"));
        }
        catch (Exception e)
        {
            throw new ServerTestFailure($"{e.Message}\n\n--- server log ---\n{_server.Log()}", e);
        }
    }
}
