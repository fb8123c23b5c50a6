using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ExperimentKit.Cli.Tests;

/// <summary>The HTML report: self-contained, safe data embedding, and it renders in a real browser.</summary>
public sealed class ReportTests(SharedRoot shared, ITestOutputHelper output) : IClassFixture<SharedRoot>
{
    [Fact]
    public async Task The_report_is_one_file_with_no_network_references_and_escaped_data()
    {
        await using var root = await TestRoot.CreateAsync();
        await Expkit.RunAsync("note", "--root", root.Root, "clitest/train:1", "</script><script>alert(1)</script>");
        var path = Path.Combine(root.Root, "report.html");
        var result = await Expkit.RunAsync("report", root.Root, "--out", path);
        Assert.Equal(0, result.ExitCode);
        var html = await File.ReadAllTextAsync(path);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal));
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("src=", html);
        Assert.Equal(2, html.Split("</script>").Length - 1);
        Assert.Contains("alert(1)", html);
        Assert.DoesNotContain("<script>alert", html);
    }

    [ChromiumFact]
    public async Task The_report_renders_in_headless_chromium_with_one_curve_per_selected_run()
    {
        var chromium = Chromium.Find()
            ?? throw new InvalidOperationException("Chromium is not installed (apt-get install -y chromium); EXPERIMENTKIT_REQUIRE_ALL_TESTS=1 requires it.");

        var artifacts = Path.Combine(AppContext.BaseDirectory, "TestArtifacts");
        Directory.CreateDirectory(artifacts);
        var report = Path.Combine(artifacts, "report.html");
        Assert.Equal(0, (await Expkit.RunAsync("report", shared.Value.Root, "--out", report)).ExitCode);

        await using var browser = await Chromium.StartAsync(chromium);
        await browser.NavigateAsync(new Uri(report).AbsoluteUri);
        Assert.Equal(6, (await browser.EvaluateAsync("document.querySelectorAll('#runs tbody tr').length"))!.GetValue<int>());
        Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('#overlay path.curve').length"))!.GetValue<int>());

        // Select three runs of clitest/train by clicking their checkboxes, as a user would.
        var clicked = await browser.EvaluateAsync("""
            (() => { const ids = ['clitest/train:0001', 'clitest/train:0002', 'clitest/train:0004'];
              ids.forEach(id => document.querySelector(`input.select-run[data-run="${id}"]`).click()); return ids.length; })()
            """);
        Assert.Equal(3, clicked!.GetValue<int>());
        var curves = (await browser.EvaluateAsync("Array.from(document.querySelectorAll('#overlay path.curve')).map(p => p.getAttribute('data-run') + '|' + (p.getAttribute('d').match(/[ML]/g) || []).length)"))!.AsArray();
        Assert.Equal(["clitest/train:0001|10", "clitest/train:0002|10", "clitest/train:0004|10"], curves.Select(c => c!.GetValue<string>()));
        // The scatter's default y is the first summary metric (accuracy): the four completed clitest/train runs have it.
        Assert.Equal(4, (await browser.EvaluateAsync("document.querySelectorAll('#scatter circle.point').length"))!.GetValue<int>());

        // Sorting by a column and filtering change the table.
        await browser.EvaluateAsync("document.querySelector('th[data-key=\"s:loss\"]').click()");
        var first = (await browser.EvaluateAsync("document.querySelector('#runs tbody tr').getAttribute('data-run')"))!.GetValue<string>();
        Assert.Equal("clitest/train:0002", first);
        await browser.EvaluateAsync("(() => { const f = document.getElementById('filter'); f.value = 'Model.Layers=4'; f.dispatchEvent(new Event('input')); })()");
        Assert.Equal(2, (await browser.EvaluateAsync("document.querySelectorAll('#runs tbody tr').length"))!.GetValue<int>());

        var screenshot = Path.Combine(artifacts, "report.png");
        await browser.ScreenshotAsync(screenshot);
        output.WriteLine($"screenshot: {screenshot}");
        Console.WriteLine($"report screenshot: {screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 1000);
        Assert.Empty(browser.Errors);
    }
}
