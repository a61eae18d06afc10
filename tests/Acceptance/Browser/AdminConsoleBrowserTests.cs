using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TestInfrastructure;
using static Microsoft.Playwright.Assertions;

namespace Acceptance.Browser;

/// <summary>
/// Issue 15, item 2: the operator console in Debian's chromium. A person (dev login) sends five sponsored requests
/// against a burst of 2, so the host holds 2 admitted and 3 refused decisions; an operator signs in with the admin key
/// (keyboard only) and the test reads, as words on the page: the charts' captions and legend, the recent refusals, an
/// identity's limits, block and unblock with their audit entries, the policy form and JSON view kept in sync, the
/// dry run of a draft against that traffic, and the save.
/// </summary>
public sealed class AdminConsoleBrowserTests : IAsyncLifetime
{
    private const string PolicyJson = """
        {
          "version": 1,
          "rules": [
            { "name": "people", "provider": "dev", "allowedContracts": [ { "address": "*" } ],
              "maxGasPerTx": 500000, "defaultGasPerTx": 100000,
              "rate": { "burst": { "count": 2, "periodSeconds": 600 } }, "dailyTxQuota": 100 }
          ],
          "globalDailySponsoredGas": 1000000000
        }
        """;

    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(45);
    private readonly string _policyFile = Path.Combine(Path.GetTempPath(), "admin-console-policy-" + Guid.NewGuid().ToString("N") + ".json");
    private SequencerWithLogin _host = null!;
    private ChromiumBrowser _chromium = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_policyFile, PolicyJson);
        _host = await SequencerWithLogin.StartDevelopmentAsync(
            $"--Admission:AdminApiKey={SequencerWithLogin.AdminKey}", $"--Admission:PolicyFile={_policyFile}", "--Sequencer:Console:SampleSeconds=1");
        _chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _host.DisposeAsync();
        File.Delete(_policyFile);
    }

    [Fact]
    public async Task An_operator_sees_the_traffic_looks_up_and_blocks_an_identity_and_tries_a_policy_change_before_saving_it()
    {
        var identity = await SendAsDanaAsync(requests: 5);

        var page = await NewPageAsync();
        await page.GotoAsync(_host.Url("/admin"));
        await Expect(page.Locator("#signin")).ToContainTextAsync("Operators only");
        await Expect(page.Locator("#admin-key")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(SequencerWithLogin.AdminKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#who")).ToHaveTextAsync("Signed in with the admin key");

        // Charts: sampled on the server every second; the page asks again every 5 s.
        await Expect(page.Locator("#caption-admission")).ToContainTextAsync("Shown: 2 admitted, 3 refused.", new() { Timeout = Ms(Slow) });
        await Expect(page.Locator("#legend-admission")).ToContainTextAsync("limited: rate.burst");
        await Expect(page.Locator("#history-range")).ToHaveTextAsync(new Regex(@"^\d+ samples, one every 1 s, from \d\d:\d\d:\d\d to \d\d:\d\d:\d\d UTC \(the server keeps the last 3600, one hour\)\.$"));
        await Expect(page.Locator("#caption-confirmed")).ToHaveTextAsync(new Regex(@"^Now: [\d.]+ confirmed tx/s; peak [1-9][\d.]* tx/s\.$"), new() { Timeout = Ms(Slow) });
        await Expect(page.Locator("#caption-latency")).ToContainTextAsync(new Regex(@"Highest shown: [\d.]+ ms\.$"));
        await Expect(page.Locator("#caption-lag")).ToHaveTextAsync(new Regex(@"^(\d+ sealed blocks not yet in a batch|This replica does not post batches)\.$"));
        await Expect(page.Locator("#caption-da")).ToHaveTextAsync(new Regex(@"^DA backend \(local\): (ok|off)\.$"));
        await Expect(page.Locator("#chart-admission text.time").Last).ToHaveTextAsync(new Regex(@"^\d\d:\d\d:\d\d$"));

        // Recent refusals, newest first, with their reasons.
        await Expect(page.Locator("#refusal-rows tr")).ToHaveCountAsync(3, new() { Timeout = Ms(Slow) });
        await Expect(page.Locator("#refusal-rows tr").First).ToContainTextAsync("limited: rate.burst");
        await Expect(page.Locator("#refusal-rows tr").First).ToContainTextAsync(identity);
        await Expect(page.Locator("#refusal-rows tr").First).ToContainTextAsync("limit reached");

        // Identity lookup by keyboard: type, Enter.
        await page.Locator("#identity-input").FillAsync(identity);
        await page.Locator("#identity-input").PressAsync("Enter");
        await Expect(Term(page, "Burst")).ToHaveTextAsync("0 of 2 left (per 10 min)");
        await Expect(Term(page, "Transactions today")).ToHaveTextAsync("2 of 100 transactions used, 98 left");
        await Expect(Term(page, "Spend today")).ToHaveTextAsync(new Regex(@"^0\.\d+ ETH charged, no daily cap \(\d+ wei\)$"));
        await Expect(page.Locator("#spend")).ToHaveTextAsync(new Regex(@"^Spend today: 0\.\d+ ETH \(\d+ wei\), no daily cap; burn rate [\d.]+ ETH/h\. Charged on "));
        await Expect(Term(page, "Status")).ToHaveTextAsync("not blocked");
        await Expect(Term(page, "Policy rule")).ToHaveTextAsync("people");

        await page.Locator("#block-button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#identity-result")).ToContainTextAsync(identity + " blocked");
        await Expect(Term(page, "Status")).ToHaveTextAsync("blocked");
        await Expect(page.Locator("#audit-rows tr").First).ToContainTextAsync("block (v1 → v2)");
        await Expect(page.Locator("#audit-rows tr").First).ToContainTextAsync("$.blocked: (none) → [\"" + identity + "\"]");
        await Expect(page.Locator("#audit-rows tr").First).ToContainTextAsync("admin-key");
        await SaveScreenshotAsync(page, "admin-identity.png");

        await page.Locator("#unblock-button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#identity-result")).ToContainTextAsync(identity + " unblocked");
        await Expect(Term(page, "Status")).ToHaveTextAsync("not blocked");
        await Expect(page.Locator("#audit-rows tr").First).ToContainTextAsync("unblock (v2 → v3)");

        // The form and the JSON view edit one document.
        await Expect(page.Locator("#policy-version")).ToHaveTextAsync("version 3");
        await page.Locator("#rule-0-rate-burst-count").FillAsync("10");
        await Expect(page.Locator("#policy-text")).ToHaveValueAsync(new Regex("\"count\": 10"));
        var json = await page.Locator("#policy-text").InputValueAsync();
        await page.Locator("#policy-text").FillAsync(json.Replace("\"dailyTxQuota\": 100", "\"dailyTxQuota\": 50", StringComparison.Ordinal));
        await Expect(page.Locator("#rule-0-dailyTxQuota")).ToHaveValueAsync("50");
        await Expect(page.Locator("#json-state")).ToHaveTextAsync("Form updated from the JSON.");

        // Enter in a field tries the draft against recent traffic; nothing is saved.
        await page.Locator("#rule-0-rate-burst-count").PressAsync("Enter");
        await Expect(page.Locator("#replay-summary")).ToHaveTextAsync("Of the last 5 decisions, 3 would change verdict under this draft.", new() { Timeout = Ms(Slow) });
        await Expect(page.Locator("#replay-changes")).ToHaveTextAsync("limited (rate.burst) → admitted: 3");
        await Expect(page.Locator("#policy-version")).ToHaveTextAsync("version 3");
        await SaveScreenshotAsync(page, "admin-dry-run.png");

        // By keyboard: the charts above refresh every 5 s, and a click aimed at a moving button can miss it.
        await page.Locator("#policy-save").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#policy-result")).ToContainTextAsync("Saved", new() { Timeout = Ms(Slow) });
        await Expect(page.Locator("#policy-version")).ToHaveTextAsync("version 4");
        await Expect(page.Locator("#audit-rows tr").First).ToContainTextAsync("burst.count: 2 → 10");
        await SaveScreenshotAsync(page, "admin.png");
    }

    [Fact]
    public async Task Without_operator_credentials_the_console_asks_for_them_and_shows_no_data()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_host.Url("/admin"));
        await Expect(page.Locator("#signin-problem")).ToContainTextAsync("operator credentials required");
        await Expect(page.Locator("#history")).ToBeHiddenAsync();
        await Expect(page.Locator("#policy")).ToBeHiddenAsync();
        await SaveScreenshotAsync(page, "admin-signin.png");
    }

    /// <summary>Logs in as Dana with the dev provider and sends <paramref name="requests"/> sponsored calls; returns her identity key.</summary>
    private async Task<string> SendAsDanaAsync(int requests)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_host.Url("/app"));
        await page.ClickAsync("a[data-provider=dev]");
        await page.FillAsync("#username", "Dana");
        await page.ClickAsync("button[type=submit]");
        await Expect(page).ToHaveURLAsync(_host.Url("/app"));
        var replies = await page.EvaluateAsync<string[]>("""
            async (count) => {
              const replies = [];
              for (let i = 0; i < count; i++) {
                const response = await fetch('/', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                  body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'sequencer_sendSponsoredTransaction',
                    params: [{ to: '0x000000000000000000000000000000000000dEaD', data: '0x' }] }) });
                const body = await response.json();
                replies.push(body.error ? body.error.data.reason : 'confirmed');
              }
              return replies;
            }
            """, requests);
        Assert.Equal(["confirmed", "confirmed", "rate.burst", "rate.burst", "rate.burst"], replies);
        var me = await page.APIRequest.GetAsync(_host.Url("/auth/me"));
        using var body = JsonDocument.Parse(await me.TextAsync());
        await page.Context.CloseAsync();
        return body.RootElement.GetProperty("key").GetString()!;
    }

    private static ILocator Term(IPage page, string term) => page.Locator($"#identity-usage dd[data-term='{term}']");

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;

    private async Task<IPage> NewPageAsync()
    {
        var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    private static Task SaveScreenshotAsync(IPage page, string name) => BrowserScreenshots.SaveAsync(page, name);
}
