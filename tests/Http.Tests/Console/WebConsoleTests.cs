using System.Globalization;
using Microsoft.Playwright;
using Platform.Http.Tests.Infrastructure;

namespace Platform.Http.Tests.Console;

/// <summary>
/// The web console in a real browser: Debian's chromium driven by Playwright (no browser download).
/// Subscribes and sees a redis-cli PUBLISH, publishes to a redis-cli subscriber, tails a stream and
/// sees an XADD with its group's pending count, and fetches nothing from anywhere but the server.
/// A screenshot of the page is left in artifacts/ beside the test assembly.
/// </summary>
public sealed class WebConsoleTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>Where the screenshot goes.</summary>
    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "artifacts", "console.png");

    [Fact]
    public Task The_console_shows_pubsub_both_ways_and_a_live_stream() => fixture.RunAsync(async server =>
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ChromiumArguments,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).Host != "127.0.0.1")
            {
                elsewhere.Add(request.Url);
            }
        };
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(server.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("ready");

        // Subscribe on the page, PUBLISH from redis-cli.
        await page.FillAsync("#channels", "console.news");
        await page.FillAsync("#patterns", "console.alerts.*");
        await page.ClickAsync("#subscribe");
        await Assertions.Expect(page.Locator("#subscriptions")).ToHaveAttributeAsync("data-count", "2");
        Assert.Equal("1", await server.RedisAsync("PUBLISH", "console.news", "hello from redis-cli"));
        Assert.Equal("1", await server.RedisAsync("PUBLISH", "console.alerts.fire", "pattern match"));
        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("hello from redis-cli");
        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("console.alerts.*");

        // Publish from the page to a redis-cli subscriber.
        await using var subscriber = InteractiveProcess.Start(
            "redis-cli", ["-p", server.RespPort.ToString(CultureInfo.InvariantCulture), "SUBSCRIBE", "console.page"], RepositoryLayout.Root);
        Assert.Equal("subscribe console.page 1", await ReadLinesAsync(subscriber, 3));
        await page.FillAsync("#publish-channel", "console.page");
        await page.FillAsync("#publish-data", "hello from the page");
        await page.ClickAsync("#publish");
        await Assertions.Expect(page.Locator("#publish-result")).ToHaveTextAsync("received by 1");
        Assert.Equal("message console.page hello from the page", await ReadLinesAsync(subscriber, 3));

        // Tail a stream; an XADD appears, and its group's pending count with it.
        await server.RedisAsync("XADD", "console.orders", "*", "item", "pen");
        await server.RedisAsync("XGROUP", "CREATE", "console.orders", "shipping", "0");
        await page.FillAsync("#stream-key", "console.orders");
        await page.ClickAsync("#tail");
        await Assertions.Expect(page.Locator("#stream-summary")).ToHaveAttributeAsync("data-tailing", "true");
        await Assertions.Expect(page.Locator("#entries")).ToContainTextAsync("item=pen");
        await server.RedisAsync("XADD", "console.orders", "*", "item", "book", "qty", "2");
        await Assertions.Expect(page.Locator("#entries tr").First).ToContainTextAsync("item=book  qty=2");
        await server.RedisAsync("XREADGROUP", "GROUP", "shipping", "packer", "COUNT", "1", "STREAMS", "console.orders", ">");
        await server.RedisAsync("XADD", "console.orders", "*", "item", "lamp");
        await Assertions.Expect(page.Locator("#groups")).ToContainTextAsync("shipping");
        await Assertions.Expect(page.Locator("#groups tr").First).ToContainTextAsync("shipping1121");

        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
        Assert.Empty(elsewhere);
        Assert.Empty(errors);
    });

    [Fact]
    public Task The_console_files_are_served_with_a_same_origin_policy_and_name_no_other_host() => fixture.RunAsync(async server =>
    {
        foreach (var (path, type) in new[] { ("", "text/html"), ("console.js", "text/javascript"), ("console.css", "text/css") })
        {
            using var response = await server.Http.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("http://", text, StringComparison.Ordinal);
            Assert.DoesNotContain("https://", text, StringComparison.Ordinal);
        }
    });

    // redis-cli prints each element of a push on its own line.
    private static async Task<string> ReadLinesAsync(InteractiveProcess process, int count)
    {
        var lines = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            lines.Add(await process.ReadLineAsync(TimeSpan.FromSeconds(10)));
        }

        return string.Join(' ', lines);
    }
}
