using System.Text.Json;
using System.Xml.Linq;

namespace ExperimentKit.Templates.Tests;

/// <summary>Fast checks of the template's source, so a mistake shows up without the end-to-end run.</summary>
public sealed class TemplateContentTests
{
    private static readonly string Repo = FindRepositoryRoot();
    private static readonly string Content = Path.Combine(Repo, "templates", "ExperimentKit.Templates", "content", "experiment");

    [Fact]
    public void Test_packages_of_the_generated_project_use_the_versions_this_repository_builds_with()
    {
        // The generated project has no central package management; its versions must be ones the feed serves,
        // and the repository's Directory.Packages.props is where they were checked.
        var central = XDocument.Load(Path.Combine(Repo, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(static e => (string)e.Attribute("Include")!, static e => (string)e.Attribute("Version")!);
        var references = XDocument.Load(Path.Combine(Content, "tests", "MyExperiment.Tests", "MyExperiment.Tests.csproj"))
            .Descendants("PackageReference").ToArray();

        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            var id = (string)reference.Attribute("Include")!;
            Assert.True(central.TryGetValue(id, out var version), $"{id} is not in Directory.Packages.props");
            Assert.Equal(version, (string)reference.Attribute("Version")!);
        }
    }

    [Fact]
    public void Template_json_defaults_the_kit_version_to_the_placeholder_the_pack_replaces()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Content, ".template.config", "template.json")));
        var root = json.RootElement;
        Assert.Equal("experiment", root.GetProperty("shortName").GetString());
        Assert.Equal("MyExperiment", root.GetProperty("sourceName").GetString());
        var symbols = root.GetProperty("symbols");
        Assert.Equal("EXPERIMENTKIT_PACKAGE_VERSION", symbols.GetProperty("KitVersion").GetProperty("defaultValue").GetString());
        Assert.Equal(["sqlite", "postgres"], symbols.GetProperty("Backend").GetProperty("choices").EnumerateArray().Select(static c => c.GetProperty("choice").GetString()));
        Assert.Equal("sqlite", symbols.GetProperty("Backend").GetProperty("defaultValue").GetString());

        var csproj = File.ReadAllText(Path.Combine(Content, "src", "MyExperiment", "MyExperiment.csproj"));
        Assert.Contains("""<PackageReference Include="ExperimentKit.Hosting" Version="EXPERIMENTKIT_VERSION" />""", csproj);
        Assert.Contains("""<PackageReference Include="ExperimentKit.Postgres" Version="EXPERIMENTKIT_VERSION" />""", csproj);
    }

    internal static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExperimentKit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ExperimentKit.sln not found above {AppContext.BaseDirectory}");
    }
}
