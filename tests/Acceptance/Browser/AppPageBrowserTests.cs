using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TestInfrastructure;
using TestInfrastructure.Oidc;
using TestInfrastructure.Processes;
using static Microsoft.Playwright.Assertions;

namespace Acceptance.Browser;

/// <summary>
/// Issue 15, item 4: /app for people who never heard of gas, in Debian's chromium. The host runs in Development with
/// a managed anvil, so it deploys the demo guestbook; a person logs in at the real OIDC provider, writes with one
/// button, reads how fast it was saved and what the confirmation means, hits the burst limit, and a second person
/// (dev login) hits the daily limit; then logs out. Every step asserts the words on the page.
/// </summary>
[Collection(OidcProviderFixture.Collection)]
public sealed class AppPageBrowserTests(OidcProviderFixture oidc) : IAsyncLifetime
{
    // Windows long enough that no request is given back while the test runs, however loaded the machine is.
    private const string PolicyJson = """
        {
          "version": 1,
          "rules": [
            { "name": "people", "provider": "test-oidc", "allowedContracts": [ { "address": "*" } ],
              "maxGasPerTx": 500000, "defaultGasPerTx": 100000,
              "rate": { "burst": { "count": 3, "periodSeconds": 600 } }, "dailyTxQuota": 100 },
            { "name": "dev-daily", "provider": "dev", "allowedContracts": [ { "address": "*" } ],
              "maxGasPerTx": 500000, "defaultGasPerTx": 100000,
              "rate": { "burst": { "count": 10, "periodSeconds": 600 } }, "dailyTxQuota": 2 }
          ],
          "globalDailySponsoredGas": 1000000000
        }
        """;

    private readonly string _policyFile = Path.Combine(Path.GetTempPath(), "app-page-policy-" + Guid.NewGuid().ToString("N") + ".json");
    private SequencerWithLogin _host = null!;
    private ChromiumBrowser _chromium = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_policyFile, PolicyJson);
        _host = await SequencerWithLogin.StartAsync(oidc.Server, "--environment=Development", "--Sequencer:Execution:Kind=auto",
            $"--Sequencer:Execution:AnvilPath={ToolPaths.Anvil}", $"--Admission:PolicyFile={_policyFile}");
        _chromium = await ChromiumBrowser.LaunchAsync();
        using var http = new HttpClient();
        await Eventually.UntilAsync(async () => (await http.GetStringAsync(_host.Url("/app/api/demo"))).Contains("\"state\":\"ready\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(120), "the demo guestbook to be deployed");
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _host.DisposeAsync();
        File.Delete(_policyFile);
    }

    [Fact]
    public async Task A_person_logs_in_writes_in_the_guestbook_reads_what_it_means_hits_the_limit_and_logs_out()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_host.Url("/app"));
        await Expect(page.Locator("#login")).ToContainTextAsync("You need no wallet and no money");
        await SaveScreenshotAsync(page, "app-login.png");

        await page.ClickAsync("a[href^='/auth/login/test-oidc']");
        await page.FillAsync("input[name=login]", OidcTestUser.Alice.Login);
        await page.FillAsync("input[name=password]", OidcTestUser.Alice.Password);
        await page.ClickAsync("button[type=submit]");
        await Expect(page).ToHaveURLAsync(_host.Url("/app"));
        await Expect(page.Locator("#who")).ToHaveTextAsync("Logged in as Alice");
        await Expect(page.Locator("#limit-burst")).ToHaveTextAsync("3 left in the next 10 min");
        await Expect(page.Locator("#limit-daily")).ToHaveTextAsync(new Regex(@"^100 of 100 left today; daily limit resets at 00:00 UTC \(in \d+ (h|min|s)\)$"));
        await Expect(page.Locator("#entries")).ToContainTextAsync("No messages yet");

        await WriteAsync(page, "Hello from Alice");
        await Expect(page.Locator("#saved")).ToHaveTextAsync(new Regex(@"^Saved in \d+ ms\.$"));
        await Expect(page.Locator("#meaning")).ToContainTextAsync("written to disk, so it stays even if the server restarts");
        await Expect(page.Locator("#meaning")).ToContainTextAsync("You paid nothing");
        await Expect(page.Locator("#signed-by")).ToContainTextAsync("the sequencer that runs this site signed this promise with its own key");
        await Expect(page.Locator("#entries li.mine").First).ToContainTextAsync("You");
        await Expect(page.Locator("#entries li.mine").First).ToContainTextAsync("Hello from Alice");
        await Expect(page.Locator("#limit-daily")).ToContainTextAsync("99 of 100 left today");
        // No hex unless asked: the technical details stay folded.
        await Expect(page.Locator("main")).Not.ToContainTextAsync(new Regex("0x[0-9a-fA-F]{8}"), new() { UseInnerText = true });
        await SaveScreenshotAsync(page, "app.png");

        await WriteAsync(page, "Second");
        await Expect(page.Locator("#saved")).ToBeVisibleAsync();
        await WriteAsync(page, "Third");
        await Expect(page.Locator("#saved")).ToBeVisibleAsync();
        await WriteAsync(page, "One too many");
        await Expect(page.Locator("#write-error")).ToHaveTextAsync(new Regex(@"^You have written 3 messages in the last 10 min: that is the limit\. Try again in \d+ (min|s)\.$"));
        await Expect(page.Locator("#limit-burst")).ToHaveTextAsync("0 left in the next 10 min");
        await SaveScreenshotAsync(page, "app-limit.png");

        await page.ClickAsync("#logout-button");
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        await Expect(page.Locator("#guestbook")).ToBeHiddenAsync();
        Assert.Equal(401, (await page.APIRequest.GetAsync(_host.Url("/auth/me"))).Status);
    }

    [Fact]
    public async Task A_person_who_used_the_days_messages_is_told_when_the_daily_limit_resets()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_host.Url("/app"));
        await page.ClickAsync("a[data-provider=dev]");
        await page.FillAsync("#username", "Dana");
        await page.ClickAsync("button[type=submit]");
        await Expect(page).ToHaveURLAsync(_host.Url("/app"));
        await Expect(page.Locator("#limit-daily")).ToContainTextAsync("2 of 2 left today");

        await WriteAsync(page, "First of two");
        await Expect(page.Locator("#saved")).ToBeVisibleAsync();
        await WriteAsync(page, "Second of two");
        await Expect(page.Locator("#saved")).ToBeVisibleAsync();
        await WriteAsync(page, "A third one");

        await Expect(page.Locator("#write-error")).ToHaveTextAsync(new Regex(@"^You have used all 2 messages for today\. Come back after the daily limit resets at 00:00 UTC \(in \d+ (h|min|s)\)\.$"));
        await Expect(page.Locator("#limit-daily")).ToContainTextAsync("0 of 2 left today");
        await Expect(page.Locator("#write-error")).Not.ToContainTextAsync(" ms");
        await SaveScreenshotAsync(page, "app-daily-limit.png");
    }

    /// <summary>Types the message and presses the one button; waits until the page has answered (saved or refused).</summary>
    private static async Task WriteAsync(IPage page, string message)
    {
        await Expect(page.Locator("#write-button")).ToBeEnabledAsync();
        await page.EvaluateAsync("() => document.getElementById('write-result').replaceChildren()");
        await page.FillAsync("#message", message);
        await page.ClickAsync("#write-button");
        await Expect(page.Locator("#saved, #write-error")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 800 } });
        return await context.NewPageAsync();
    }

    private static Task SaveScreenshotAsync(IPage page, string name) => BrowserScreenshots.SaveAsync(page, name);
}
