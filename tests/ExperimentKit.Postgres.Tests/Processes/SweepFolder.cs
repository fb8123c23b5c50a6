namespace ExperimentKit.Postgres.Tests.Processes;

/// <summary>A temp folder for one process test: the shared run root and the runners' journals.</summary>
internal sealed class SweepFolder : IDisposable
{
    public SweepFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "exk-pgtest-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Journal);
    }

    public string Path { get; }

    /// <summary>The <c>Root</c> every worker shares, as on a shared file system.</summary>
    public string Root => System.IO.Path.Combine(Path, "root");

    /// <summary>Where the soak runner writes one journal per run.</summary>
    public string Journal => System.IO.Path.Combine(Path, "journal");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
