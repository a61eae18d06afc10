using Microsoft.Playwright;
using TestInfrastructure.Oidc;
using TestInfrastructure.Processes;
using static Microsoft.Playwright.Assertions;

namespace Acceptance.Browser;

/// <summary>
/// The user page and the operator page in a real browser, logging in through the real OIDC
/// provider's login form. Screenshots of both pages go to docs/images.
/// </summary>
[Collection(OidcProviderFixture.Collection)]
public sealed class LoginPagesBrowserTests(OidcProviderFixture oidc) : IAsyncLifetime
{
    private const string AllowedContract = "0x000000000000000000000000000000000000dEaD";

    private SequencerWithLogin _host = null!;
    private ChromiumBrowser _chromium = null!;

    public async Task InitializeAsync()
    {
        _host = await SequencerWithLogin.StartAsync(oidc.Server);
        _chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_person_logs_in_on_the_app_page_through_the_providers_login_form()
    {
        var page = await NewPageAsync();

        await LogInAsync(page, "/app", OidcTestUser.Alice);

        await Expect(page.Locator("#who")).ToHaveTextAsync("Logged in as Alice");
        // This host has no execution node, so no demo guestbook: the page says so and points to the advanced form.
        await Expect(page.Locator("#demo-off")).ToHaveTextAsync("The guestbook is not available on this site. Developers can still send any call under \"Advanced\" below.");
        await Expect(page.Locator("#write-form")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_sponsored_transaction_is_confirmed_and_an_operators_policy_change_applies_to_the_next_one()
    {
        var user = await NewPageAsync();
        await LogInAsync(user, "/app", OidcTestUser.Alice);
        // The raw call form is for developers, under "Advanced" (this host has no demo guestbook: no execution node).
        await user.ClickAsync("#advanced summary");
        await Expect(user.Locator("#account-details dd").Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^0x[0-9a-fA-F]{40}$"));

        await user.FillAsync("#to", AllowedContract);
        await user.ClickAsync("#send-button");
        await Expect(user.Locator("#send-confirmed")).ToBeVisibleAsync();
        await SaveScreenshotAsync(user, "app-advanced.png");

        var operatorPage = await NewPageAsync();
        await LogInAsync(operatorPage, "/admin", OidcTestUser.Olivia);
        await Expect(operatorPage.Locator("#policy-text")).Not.ToBeEmptyAsync();

        // Traffic while the operator watches: the live chart and the totals follow it.
        for (var i = 0; i < 3; i++)
        {
            await user.ClickAsync("#send-button");
            await Expect(user.Locator("#send-confirmed")).ToBeVisibleAsync();
        }

        await Expect(operatorPage.Locator("#totals")).ToContainTextAsync("Today: 4 sponsored transactions", new() { Timeout = 15_000 });
        await Expect(operatorPage.Locator("#charts")).ToHaveAttributeAsync("data-samples", new System.Text.RegularExpressions.Regex("^([2-9]|[1-9][0-9])$"), new() { Timeout = 15_000 });

        // An invalid edit is refused with the validation message naming the place.
        var original = await operatorPage.InputValueAsync("#policy-text");
        await operatorPage.FillAsync("#policy-text", original.Replace("\"maxGasPerTx\": 500000", "\"maxGasPerTx\": -1", StringComparison.Ordinal));
        await operatorPage.FocusAsync("#policy-save");
        await operatorPage.Keyboard.PressAsync("Enter");
        await Expect(operatorPage.Locator("#policy-result ul.problems li").First).ToContainTextAsync("maxGasPerTx");

        // A valid edit: block the user. It is in force for her very next request.
        await operatorPage.FillAsync("#policy-text", original.Replace("\"blocked\": []", "\"blocked\": [\"test-oidc:alice\"]", StringComparison.Ordinal));
        await operatorPage.FocusAsync("#policy-save");
        await operatorPage.Keyboard.PressAsync("Enter");
        await Expect(operatorPage.Locator("#policy-result .ok")).ToContainTextAsync("in force");
        await Expect(operatorPage.Locator("#top-rows")).ToContainTextAsync("test-oidc:alice");
        await SaveScreenshotAsync(operatorPage, "admin-operator-login.png");

        await user.ClickAsync("#send-button");
        await Expect(user.Locator("#send-error")).ToContainTextAsync("-32003");
    }

    [Fact]
    public async Task A_person_without_the_operator_role_is_refused_on_the_operator_page()
    {
        var page = await NewPageAsync();

        await LogInAsync(page, "/admin", OidcTestUser.Bob);

        await Expect(page.Locator("#signin-problem")).ToContainTextAsync("test-oidc:bob is not an operator");
        await Expect(page.Locator("#policy")).ToBeHiddenAsync();
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    private async Task LogInAsync(IPage page, string path, OidcTestUser user)
    {
        await page.GotoAsync(_host.Url(path));
        await page.ClickAsync("a[href^='/auth/login/test-oidc']");
        await page.FillAsync("input[name=login]", user.Login);
        await page.FillAsync("input[name=password]", user.Password);
        await page.ClickAsync("button[type=submit]");
        // Polls the address instead of waiting for a load event, which a redirect chain after a form post can skip.
        await Expect(page).ToHaveURLAsync(_host.Url(path));
    }

    private static Task SaveScreenshotAsync(IPage page, string name) => BrowserScreenshots.SaveAsync(page, name);
}
