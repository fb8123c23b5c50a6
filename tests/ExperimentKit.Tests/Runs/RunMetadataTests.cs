using System.Globalization;

namespace ExperimentKit.Tests.Runs;

public class RunMetadataTests
{
    [Fact]
    public void Host_os_runtime_and_pid_are_collected_and_user_values_win()
    {
        var metadata = RunMetadata.Collect(new Dictionary<string, string> { ["host"] = "renamed", ["dataset.version"] = "3" });
        Assert.Equal("renamed", metadata["host"]);
        Assert.Equal("3", metadata["dataset.version"]);
        Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), metadata["pid"]);
        Assert.Equal(Environment.Version.ToString(), metadata["dotnet"]);
        Assert.False(string.IsNullOrEmpty(metadata["os"]));
        Assert.False(string.IsNullOrEmpty(metadata["arch"]));

        Assert.Equal(Environment.MachineName, RunMetadata.Collect()["host"]);
    }

    [Fact]
    public async Task Outside_a_repository_there_are_no_git_keys()
    {
        await using var root = new RunTestRoot();
        for (var dir = new DirectoryInfo(root.Path); dir is not null; dir = dir.Parent)
        {
            if (Path.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return; // the temp folder itself lives in a repository: nothing to check here.
            }
        }

        var metadata = RunMetadata.Collect(null, root.Path);
        Assert.False(metadata.ContainsKey("git.commit"));
        Assert.False(metadata.ContainsKey("git.dirty"));
    }

    private static string Git(string cwd, params string[] args)
        => ExternalTools.Run("git", cwd, ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", .. args]).Trim();

    private static string NewRepository(string parent, string name)
    {
        string repo = Path.Combine(parent, name);
        Directory.CreateDirectory(Path.Combine(repo, "src", "deep"));
        Git(repo, "init", "-q");
        File.WriteAllText(Path.Combine(repo, "src", "train.cs"), "// v1");
        Git(repo, "add", ".");
        Git(repo, "commit", "-q", "-m", "first");
        return repo;
    }

    [RequiresToolFact("git")]
    public async Task The_commit_of_a_repository_is_found_from_a_sub_folder()
    {
        await using var root = new RunTestRoot();
        string repo = NewRepository(root.Path, "clean");
        string head = Git(repo, "rev-parse", "HEAD");

        var metadata = RunMetadata.Collect(null, Path.Combine(repo, "src", "deep"));
        Assert.Equal(head, metadata["git.commit"]);
        Assert.Equal("false", metadata["git.dirty"]);
    }

    [RequiresToolFact("git")]
    public async Task A_changed_tracked_file_is_dirty_but_an_untracked_one_is_not()
    {
        await using var root = new RunTestRoot();
        string untracked = NewRepository(root.Path, "untracked");
        File.WriteAllText(Path.Combine(untracked, "results.csv"), "run output");
        Assert.Equal("false", RunMetadata.Collect(null, untracked)["git.dirty"]);

        string dirty = NewRepository(root.Path, "dirty");
        File.WriteAllText(Path.Combine(dirty, "src", "train.cs"), "// v2");
        Assert.Equal("true", RunMetadata.Collect(null, dirty)["git.dirty"]);
    }

    [RequiresToolFact("git")]
    public async Task Packed_refs_and_worktrees_are_followed()
    {
        await using var root = new RunTestRoot();
        string repo = NewRepository(root.Path, "packed");
        Git(repo, "pack-refs", "--all");
        Assert.False(File.Exists(Path.Combine(repo, ".git", "refs", "heads", "main")));
        Assert.Equal(Git(repo, "rev-parse", "HEAD"), RunMetadata.Collect(null, repo)["git.commit"]);

        string worktree = Path.Combine(root.Path, "wt");
        Git(repo, "worktree", "add", "-q", "-b", "side", worktree);
        File.WriteAllText(Path.Combine(worktree, "src", "train.cs"), "// side");
        Git(worktree, "commit", "-q", "-am", "side");
        Assert.True(File.Exists(Path.Combine(worktree, ".git"))); // a "gitdir:" file, not a folder
        Assert.Equal(Git(worktree, "rev-parse", "HEAD"), RunMetadata.Collect(null, worktree)["git.commit"]);

        Git(repo, "checkout", "-q", "--detach");
        string detached = NewRepository(root.Path, "detached");
        Git(detached, "checkout", "-q", "--detach");
        Assert.Equal(Git(detached, "rev-parse", "HEAD"), RunMetadata.Collect(null, detached)["git.commit"]);
    }

    [RequiresToolFact("git")]
    public async Task An_unborn_branch_has_no_commit()
    {
        await using var root = new RunTestRoot();
        string repo = Path.Combine(root.Path, "empty");
        Directory.CreateDirectory(repo);
        Git(repo, "init", "-q");
        var metadata = RunMetadata.Collect(null, repo);
        Assert.False(metadata.ContainsKey("git.commit"));
    }
}
