using System.IO.Compression;
using System.Xml.Linq;
using ExperimentKit.Postgres.Tests;

namespace ExperimentKit.Templates.Tests;

/// <summary>
/// What the end-to-end tests share, made once: the packages packed with a version no cache can hold, in a folder
/// under the system temp directory, the template installed from them into a throw-away hive, and a nuget.config
/// above the folder the projects are created in. The temp folder is deleted at the end unless a test failed.
/// </summary>
public sealed class PackedTemplate : IDisposable
{
    private static readonly string[] PackedProjects =
    [
        "src/ExperimentKit/ExperimentKit.csproj",
        "src/ExperimentKit.Hosting/ExperimentKit.Hosting.csproj",
        "src/ExperimentKit.Postgres/ExperimentKit.Postgres.csproj",
        "templates/ExperimentKit.Templates/ExperimentKit.Templates.csproj",
    ];

    private readonly Lock _gate = new();
    private Task? _prepared;
    private bool _keep;
    private PostgresServer? _server;

    public PackedTemplate()
    {
        Repo = TemplateContentTests.FindRepositoryRoot();
        // A version no package cache can hold: the ExperimentKit packages the projects get can only be the ones packed here.
        Version = $"0.0.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.r{Guid.NewGuid():N}"[..40];
        Temp = Path.Combine(Path.GetTempPath(), "experimentkit-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Dotnet = new DotnetProcess(Path.Combine(Temp, "nuget-packages"));
    }

    public string Repo { get; }

    public string Version { get; }

    /// <summary>The temp folder of this test run; everything else is under it.</summary>
    public string Temp { get; }

    public string Packages => Path.Combine(Temp, "packages");

    /// <summary>Where projects are created (the nuget.config is here).</summary>
    public string Work => Path.Combine(Temp, "work");

    public string Hive => Path.Combine(Temp, "hive");

    internal DotnetProcess Dotnet { get; }

    /// <summary>Packs, checks the packages, installs the template and writes the nuget.config, once (the first caller's steps are logged).</summary>
    internal Task PrepareAsync(Func<string, string[], Task<CommandResult>> step)
    {
        lock (_gate)
        {
            return _prepared ??= PrepareOnceAsync(step);
        }
    }

    /// <summary>Keeps the temp folder for inspection (a test failed).</summary>
    public void KeepForInspection() => _keep = true;

    /// <summary>
    /// The PostgreSQL server of the Postgres tests (<c>EXPERIMENTKIT_POSTGRES</c>, else a private cluster), stopped with
    /// this fixture when it is a private one (so its folder is removed before the test host is torn down).
    /// </summary>
    public async Task<PostgresServer> PostgresAsync()
    {
        var server = await PostgresServer.SharedAsync();
        _server = server;
        return server;
    }

    public void Dispose()
    {
        _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (!_keep)
        {
            TryDelete(Temp);
        }
    }

    private async Task PrepareOnceAsync(Func<string, string[], Task<CommandResult>> step)
    {
        Directory.CreateDirectory(Packages);
        Directory.CreateDirectory(Work);
        AssertNothingLeaksIn(Work);

        // Pack, with every build output under the temp folder (the repository's bin/ and obj/ stay as they are).
        foreach (var project in PackedProjects)
        {
            var pack = await step(Repo, ["pack", Path.Combine(Repo, project), "-c", "Release", "-o", Packages,
                "--artifacts-path", Path.Combine(Temp, "artifacts"), $"-p:Version={Version}", "-warnaserror", "--disable-build-servers"]);
            TemplateEndToEndTests.AssertNoWarnings(pack);
        }

        AssertPackages(Packages, Version);

        // Install the template into its own hive.
        await step(Work, ["new", "install", Path.Combine(Packages, $"ExperimentKit.Templates.{Version}.nupkg"), "--debug:custom-hive", Hive]);

        // Restore only from the packed packages (ExperimentKit*) and the repository's public source (the rest).
        WriteNuGetConfig(Work, Packages, PublicSources(Repo));
    }

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
        foreach (var id in new[] { "ExperimentKit", "ExperimentKit.Hosting", "ExperimentKit.Postgres", "ExperimentKit.Templates" })
        {
            Assert.True(File.Exists(Path.Combine(packages, $"{id}.{version}.nupkg")), $"{id}.{version}.nupkg was not packed");
        }

        foreach (var id in new[] { "ExperimentKit", "ExperimentKit.Hosting", "ExperimentKit.Postgres" })
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

        using (var postgres = ZipFile.OpenRead(Path.Combine(packages, $"ExperimentKit.Postgres.{version}.nupkg")))
        {
            // Both kit packages at this very version (the generated project references Postgres and Hosting at one version).
            var dependencies = Dependencies(Nuspec(postgres)).ToArray();
            foreach (var id in new[] { "ExperimentKit", "ExperimentKit.Hosting" })
            {
                Assert.Equal(version, dependencies.Single(d => d.Id == id).Version);
            }

            Assert.Contains(dependencies, static d => d.Id == "Npgsql");
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
