namespace ExperimentKit.TestSupport;

/// <summary>A throw-away folder under <c>&lt;temp&gt;/&lt;prefix&gt;/&lt;guid&gt;</c>, deleted at dispose.</summary>
public sealed class TempRoot : IDisposable
{
    public TempRoot(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
