using Microsoft.Playwright;
using TestInfrastructure.Processes;

namespace Acceptance.Browser;

/// <summary>
/// Screenshots go to .test-artifacts/screenshots; with UPDATE_SCREENSHOTS=1 they replace the ones
/// the docs show (docs/images), so a plain test run never changes tracked files.
/// </summary>
internal static class BrowserScreenshots
{
    public static async Task SaveAsync(IPage page, string name)
    {
        var directory = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(ToolPaths.RepoRoot, "docs", "images")
            : Path.Combine(ToolPaths.RepoRoot, ".test-artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name), FullPage = true });
    }
}
