using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace ExperimentKit.Templates.Tests;

/// <summary>
/// The packages and the template as a user gets them: pack with a version no cache can hold, install the
/// template into a throw-away hive, create a project outside the repository, restore it from the packed
/// packages, build it with warnings as errors, run its sweep twice (everything completed, then everything
/// skipped), and run its tests. Takes a few minutes: it builds the packed projects and the generated ones.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TemplateEndToEndTests(ITestOutputHelper output)
{
    // The template's default sweep: 3 learning rates (appsettings.json) x 2 seeds (Program.cs).
    private const int SweepPoints = 6;
    private const string Experiment = "mystudy";

    private static readonly string[] PackedProjects =
    [
        "src/ExperimentKit/ExperimentKit.csproj",
        "src/ExperimentKit.Hosting/ExperimentKit.Hosting.csproj",
        "templates/ExperimentKit.Templates/ExperimentKit.Templates.csproj",
    ];

    [Fact]
    public async Task Packed_template_creates_a_project_that_builds_without_warnings_runs_resumes_and_tests()
    {
        var repo = TemplateContentTests.FindRepositoryRoot();
        // A version no package cache can hold: the ExperimentKit packages below can only be the ones packed here.
        var version = $"0.0.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.r{Guid.NewGuid():N}"[..40];
        var temp = Path.Combine(Path.GetTempPath(), "experimentkit-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        var packages = Path.Combine(temp, "packages");
        var work = Path.Combine(temp, "work");
        Directory.CreateDirectory(packages);
        Directory.CreateDirectory(work);
        AssertNothingLeaksIn(work);
        var dotnet = new DotnetProcess(Path.Combine(temp, "nuget-packages"));
        var passed = false;
        try
        {
            // 1. Pack, with every build output under the temp folder (the repository's bin/ and obj/ stay as they are).
            foreach (var project in PackedProjects)
            {
                var pack = await Step(dotnet, repo, "pack", Path.Combine(repo, project), "-c", "Release", "-o", packages,
                    "--artifacts-path", Path.Combine(temp, "artifacts"), $"-p:Version={version}", "-warnaserror", "--disable-build-servers");
                AssertNoWarnings(pack);
            }

            AssertPackages(packages, version);

            // 2. Install the template into its own hive and create a project from it.
            var hive = Path.Combine(temp, "hive");
            var template = Path.Combine(packages, $"ExperimentKit.Templates.{version}.nupkg");
            await Step(dotnet, work, "new", "install", template, "--debug:custom-hive", hive);
            var root = Path.Combine(work, "MyStudy");
            await Step(dotnet, work, "new", "experiment", "-n", "MyStudy", "-o", root, "--tests", "--parallelism", "2",
                "--backend", "sqlite", "--no-restore", "--debug:custom-hive", hive);
            var csproj = await File.ReadAllTextAsync(Path.Combine(root, "src", "MyStudy", "MyStudy.csproj"));
            Assert.Contains($"""<PackageReference Include="ExperimentKit.Hosting" Version="{version}" />""", csproj);
            Assert.True(File.Exists(Path.Combine(root, "tests", "MyStudy.Tests", "MyStudy.Tests.csproj")), "--tests gave no test project");
            Assert.Contains("\"MaxParallelism\": 2,", await File.ReadAllTextAsync(Path.Combine(root, "src", "MyStudy", "appsettings.json")));

            // 3. Restore only from the packed packages (ExperimentKit*) and the repository's public source (the rest).
            WriteNuGetConfig(work, packages, PublicSources(repo));
            var build = await Step(dotnet, root, "build", "MyStudy.slnx", "-c", "Release", "-warnaserror", "--disable-build-servers");
            AssertNoWarnings(build);
            Assert.True(Directory.Exists(Path.Combine(temp, "nuget-packages", "experimentkit.hosting", version)),
                "ExperimentKit.Hosting was not restored from this run's packages");

            // 4. Run the sweep: every point completed once.
            var first = await Step(dotnet, root, "run", "--project", "src/MyStudy", "-c", "Release", "--no-build");
            Assert.Contains($"{SweepPoints} run, 0 skipped", first.Output);
            var ledgerPath = Path.Combine(root, "results", "ledger.db");
            var before = await ReadLedgerAsync(ledgerPath);
            Assert.Equal(SweepPoints, before.Count);
            Assert.All(before, static r => Assert.Equal((RunStatus.Completed, 1), (r.Status, r.Attempt)));
            foreach (var row in before)
            {
                var metrics = Path.Combine(root, "results", Path.GetDirectoryName(row.ResultFile!)!, "metrics.jsonl");
                Assert.True(new FileInfo(metrics).Length > 0, $"run {row.Uid} logged no metrics");
                Assert.NotEmpty(Directory.GetFiles(Path.Combine(Path.GetDirectoryName(metrics)!, "checkpoints")));
            }

            // 5. Run it again: everything skipped, no runner ran (same attempt, same finish time, no new run).
            var second = await Step(dotnet, root, "run", "--project", "src/MyStudy", "-c", "Release", "--no-build");
            Assert.Contains($"0 run, {SweepPoints} skipped", second.Output);
            var after = await ReadLedgerAsync(ledgerPath);
            Assert.Equal(
                before.Select(static r => (r.Key.Hash, r.Status, r.Attempt, r.Finished)).OrderBy(static r => r.Hash),
                after.Select(static r => (r.Key.Hash, r.Status, r.Attempt, r.Finished)).OrderBy(static r => r.Hash));

            // 6. The generated tests pass.
            var test = await Step(dotnet, root, "test", "MyStudy.slnx", "-c", "Release", "--no-build");
            Assert.Matches(new Regex(@"Failed:\s+0, Passed:\s+[1-9]"), test.Output);
            passed = true;
        }
        finally
        {
            if (passed)
            {
                TryDelete(temp);
            }
            else
            {
                output.WriteLine($"Kept for inspection: {temp}");
            }
        }
    }

    private async Task<CommandResult> Step(DotnetProcess dotnet, string workingDirectory, params string[] arguments)
    {
        var started = DateTime.UtcNow;
        var result = await dotnet.RunAsync(workingDirectory, arguments);
        output.WriteLine($"{result.Command}: exit {result.ExitCode} in {(DateTime.UtcNow - started).TotalSeconds:F0} s");
        Assert.True(result.ExitCode == 0, result.Describe("The command failed."));
        return result;
    }

    private static void AssertNoWarnings(CommandResult result) =>
        Assert.True(result.WarningLines.Count == 0, result.Describe("The output has warnings:\n" + string.Join('\n', result.WarningLines) + "\n"));

    // MSBuild imports the nearest Directory.Build.props/.targets and Directory.Packages.props above a project, and
    // NuGet reads every nuget.config above it: none may be found above the folder the project is created in.
    private static void AssertNothingLeaksIn(string folder)
    {
        for (var dir = new DirectoryInfo(folder).Parent; dir is not null; dir = dir.Parent)
        {
            foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "nuget.config", "NuGet.Config" })
            {
                Assert.False(File.Exists(Path.Combine(dir.FullName, name)), $"{Path.Combine(dir.FullName, name)} would apply to the generated project");
            }
        }
    }

    private static void AssertPackages(string packages, string version)
    {
        foreach (var id in new[] { "ExperimentKit", "ExperimentKit.Hosting", "ExperimentKit.Templates" })
        {
            Assert.True(File.Exists(Path.Combine(packages, $"{id}.{version}.nupkg")), $"{id}.{version}.nupkg was not packed");
        }

        foreach (var id in new[] { "ExperimentKit", "ExperimentKit.Hosting" })
        {
            Assert.True(File.Exists(Path.Combine(packages, $"{id}.{version}.snupkg")), $"{id}.{version}.snupkg was not packed");
        }

        using (var kit = ZipFile.OpenRead(Path.Combine(packages, $"ExperimentKit.{version}.nupkg")))
        {
            var entries = kit.Entries.Select(static e => e.FullName).ToArray();
            Assert.Contains("analyzers/dotnet/cs/ExperimentKit.Generators.dll", entries);
            Assert.Contains("lib/net10.0/ExperimentKit.dll", entries);
            Assert.DoesNotContain(entries, static e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators", StringComparison.Ordinal));
            Assert.Contains("README.md", entries);
            var nuspec = Nuspec(kit);
            Assert.DoesNotContain(Dependencies(nuspec), static d => d.Id.Contains("Generators", StringComparison.Ordinal));
            Assert.Equal("MIT", nuspec.Descendants().Single(static e => e.Name.LocalName == "license").Value);
        }

        using (var hosting = ZipFile.OpenRead(Path.Combine(packages, $"ExperimentKit.Hosting.{version}.nupkg")))
        {
            // The generator reaches a consumer of this one package only if the dependency does not exclude analyzers.
            var kit = Dependencies(Nuspec(hosting)).Single(static d => d.Id == "ExperimentKit");
            Assert.Equal(version, kit.Version);
            Assert.DoesNotContain("Analyzers", kit.Exclude ?? "", StringComparison.OrdinalIgnoreCase);
        }
    }

    private static XDocument Nuspec(ZipArchive package)
    {
        using var stream = package.Entries.Single(static e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    private static IEnumerable<(string Id, string Version, string? Exclude)> Dependencies(XDocument nuspec) =>
        nuspec.Descendants().Where(static e => e.Name.LocalName == "dependency")
            .Select(static e => ((string)e.Attribute("id")!, (string)e.Attribute("version")!, (string?)e.Attribute("exclude")));

    // The public source is whatever the repository's nuget.config lists besides its local folder.
    private static IReadOnlyList<(string Key, string Url)> PublicSources(string repo)
    {
        var sources = XDocument.Load(Path.Combine(repo, "nuget.config")).Descendants("packageSources").Elements("add")
            .Select(static e => ((string)e.Attribute("key")!, (string)e.Attribute("value")!))
            .Where(static s => s.Item2.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        Assert.NotEmpty(sources);
        return sources;
    }

    private static void WriteNuGetConfig(string folder, string packages, IReadOnlyList<(string Key, string Url)> publicSources)
    {
        // The machine's package folder, if any, is a read-only fallback for public packages (no new download of
        // what the repository's own restore already has); new packages go to this run's fresh folder. ExperimentKit*
        // can come only from the packed folder (source mapping), in a version no folder held before this run.
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var config = new XElement("configuration",
            new XElement("packageSources",
                new XElement("clear"),
                new XElement("add", new XAttribute("key", "experimentkit-e2e"), new XAttribute("value", packages)),
                publicSources.Select(static s => new XElement("add", new XAttribute("key", s.Key), new XAttribute("value", s.Url)))),
            new XElement("fallbackPackageFolders",
                new XElement("clear"),
                Directory.Exists(machinePackages) ? new XElement("add", new XAttribute("key", "machine"), new XAttribute("value", machinePackages)) : null),
            new XElement("packageSourceMapping",
                new XElement("packageSource", new XAttribute("key", "experimentkit-e2e"),
                    new XElement("package", new XAttribute("pattern", "ExperimentKit")),
                    new XElement("package", new XAttribute("pattern", "ExperimentKit.*"))),
                publicSources.Select(static s => new XElement("packageSource", new XAttribute("key", s.Key),
                    new XElement("package", new XAttribute("pattern", "*"))))));
        new XDocument(config).Save(Path.Combine(folder, "nuget.config"));
    }

    private static async Task<IReadOnlyList<RunRow>> ReadLedgerAsync(string path)
    {
        Assert.True(File.Exists(path), $"no ledger at {path}");
        await using var ledger = await SqliteRunLedger.OpenAsync(path);
        return await ledger.ListAsync(new RunQuery { Experiment = Experiment });
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
