namespace ExperimentKit.Cli;

/// <summary>Where the tool writes and what it knows about the terminal: the real console, or captured writers in tests.</summary>
public sealed class CliConsole
{
    /// <summary>Standard output: tables, JSON, CSV.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: errors, warnings, progress.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Whether standard output is a terminal (colours and width are used only then).</summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>Whether standard error is a terminal (progress lines are shown only then).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The width tables must fit, or null for no limit (output redirected and no <c>COLUMNS</c>).</summary>
    public int? Width { get; init; }

    /// <summary>The folder that relative paths and the default root are resolved against.</summary>
    public string CurrentDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Whether <c>NO_COLOR</c> is set (https://no-color.org).</summary>
    public bool NoColor { get; init; }

    /// <summary>
    /// Reads an environment variable (the ledger settings shared with the workers: <c>ExperimentKit__Backend</c>,
    /// <c>ConnectionStrings__ExperimentKit</c>, ...). Default: the process environment; tests pass their own.
    /// </summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The process console: colours only on a terminal without <c>NO_COLOR</c>.</summary>
    public static CliConsole FromSystem()
    {
        var outIsTerminal = !Console.IsOutputRedirected;
        int? width = null;
        if (outIsTerminal)
        {
            try
            {
                width = Console.WindowWidth > 0 ? Console.WindowWidth : 120;
            }
            catch (IOException)
            {
                width = 120;
            }
        }
        else if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0)
        {
            width = columns;
        }

        return new CliConsole
        {
            Out = Console.Out,
            Error = Console.Error,
            OutIsTerminal = outIsTerminal,
            ErrorIsTerminal = !Console.IsErrorRedirected,
            Width = width,
            NoColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")),
        };
    }
}
