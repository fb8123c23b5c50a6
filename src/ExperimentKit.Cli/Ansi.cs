namespace ExperimentKit.Cli;

/// <summary>ANSI colours, applied only when the output is a terminal and <c>NO_COLOR</c> is unset.</summary>
internal sealed class Ansi(bool enabled)
{
    public bool Enabled { get; } = enabled;

    public string Bold(string s) => Wrap("1", s);

    public string Dim(string s) => Wrap("2", s);

    public string Red(string s) => Wrap("31", s);

    public string Green(string s) => Wrap("32", s);

    public string Yellow(string s) => Wrap("33", s);

    public string Cyan(string s) => Wrap("36", s);

    public string Status(RunStatus status, string text) => status switch
    {
        RunStatus.Completed => Green(text),
        RunStatus.Failed => Red(text),
        RunStatus.Running => Cyan(text),
        RunStatus.Interrupted => Yellow(text),
        _ => text,
    };

    private string Wrap(string code, string s) => Enabled && s.Length > 0 ? $"\u001b[{code}m{s}\u001b[0m" : s;
}
