namespace ExperimentKit.Cli.Tests;

/// <summary>
/// A fact that needs headless Chromium (Debian's <c>chromium</c>). Skipped, with the reason, when it is not
/// installed; with <c>EXPERIMENTKIT_REQUIRE_ALL_TESTS=1</c> (CI, whose <c>.ci/run</c> installs it) it runs and fails.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Find() is null && Environment.GetEnvironmentVariable("EXPERIMENTKIT_REQUIRE_ALL_TESTS") != "1")
        {
            Skip = "Chromium is not installed (apt-get install -y chromium); the report was not opened in a browser.";
        }
    }
}
