using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Acceptance.Browser;

/// <summary>A fresh checkout in Development: log in with the built-in dev provider and send for free, no outside account.</summary>
public sealed class DevLoginBrowserTests : IAsyncLifetime
{
    private SequencerWithLogin _host = null!;
    private ChromiumBrowser _chromium = null!;

    public async Task InitializeAsync()
    {
        _host = await SequencerWithLogin.StartDevelopmentAsync();
        _chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task In_development_the_dev_login_gives_an_account_that_sends_sponsored_transactions()
    {
        var page = await (await _chromium.Browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(_host.Url("/app"));

        await page.ClickAsync("a[data-provider=dev]");
        await page.FillAsync("#username", "Dana");
        await page.ClickAsync("button[type=submit]");
        // Polls the address instead of waiting for a load event, which a redirect chain after a form post can skip.
        await Expect(page).ToHaveURLAsync(_host.Url("/app"));

        await Expect(page.Locator("#who")).ToHaveTextAsync("Logged in as Dana");
        await page.ClickAsync("#advanced summary");
        await page.FillAsync("#to", "0x000000000000000000000000000000000000dEaD");
        await page.ClickAsync("#send-button");
        await Expect(page.Locator("#send-confirmed")).ToBeVisibleAsync();

        // The logout form posts from the page itself (same origin), which the session check lets through.
        await page.ClickAsync("#logout button[type=submit]");
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        Assert.Equal(401, (await page.APIRequest.GetAsync(_host.Url("/auth/me"))).Status);
    }
}
