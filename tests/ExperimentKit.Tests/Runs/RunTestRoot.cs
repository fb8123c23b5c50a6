namespace ExperimentKit.Tests.Runs;

/// <summary>A temporary store root, deleted when disposed, and helpers to make rows and contexts in it.</summary>
internal sealed class RunTestRoot : IAsyncDisposable
{
    public const string Hash = "0123456789abcdef";
    public const string ParamsJson = """{"LearningRate":0.001,"Epochs":10,"Model":{"Layers":2,"Width":64},"Dataset":"mnist"}""";
    public const string CanonicalJson = """{"Dataset":"mnist","Epochs":10,"LearningRate":0.001,"Model":{"Layers":2,"Width":64}}""";

    private readonly List<RunContext> _contexts = [];

    public RunTestRoot()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ekit-runs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public ExperimentStoreOptions Options { get; } = new();

    public static RunRow Row(long uid = 7, int attempt = 1, string experiment = "train", string hash = Hash) => new()
    {
        Key = new RunKey(experiment, 1, hash),
        Uid = uid,
        Status = RunStatus.Running,
        Attempt = attempt,
        Owner = new RunOwner("test-host", 4242, new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), "token-abc"),
        LeaseExpires = new DateTimeOffset(2026, 11, 23, 10, 52, 30, TimeSpan.Zero),
        Created = new DateTimeOffset(2026, 11, 23, 10, 50, 0, TimeSpan.Zero),
        Started = new DateTimeOffset(2026, 11, 23, 10, 51, 0, 123, TimeSpan.Zero).AddTicks(4567),
        LastUsed = new DateTimeOffset(2026, 11, 23, 10, 51, 0, TimeSpan.Zero),
        ParamsJson = ParamsJson,
        CanonicalJson = CanonicalJson,
        ComponentHashes = new Dictionary<string, string> { ["model"] = "1a2b3c4d", ["data"] = "5e6f7a8b" },
    };

    public RunContext Context(RunRow? row = null, bool isResume = false)
    {
        var context = new RunContext(new RunContextSetup(Path, row ?? Row(), isResume, Options));
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        return context;
    }

    public string RunDirectory(RunRow? row = null) => RunPaths.Directory(Path, row ?? Row());

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }

        for (int i = 0; ; i++)
        {
            try
            {
                if (Directory.Exists(Path))
                {
                    Directory.Delete(Path, recursive: true);
                }

                return;
            }
            catch (IOException) when (i < 5)
            {
                await Task.Delay(100);
            }
        }
    }
}
