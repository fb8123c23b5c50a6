namespace ExperimentKit;

/// <summary>
/// A parameter value that canonical hash v1 cannot represent (NaN or an infinity), or that cannot be read
/// back. <see cref="MemberPath"/> names the member, such as <c>Model.Dropout</c>.
/// </summary>
public sealed class ParameterValueException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="memberPath">The member path (<c>Model.Dropout</c>), or empty when not yet known.</param>
    /// <param name="problem">What is wrong with the value and how to fix it.</param>
    public ParameterValueException(string memberPath, string problem)
        : base(Compose(memberPath, problem))
    {
        MemberPath = memberPath ?? string.Empty;
        Problem = problem ?? string.Empty;
    }

    /// <summary>The dotted path of the member whose value is wrong.</summary>
    public string MemberPath { get; }

    /// <summary>What is wrong, without the member path.</summary>
    public string Problem { get; }

    /// <summary>Returns the same problem located one level further out (<c>Dropout</c> becomes <c>Model.Dropout</c>).</summary>
    /// <param name="parent">The name of the member that holds this one.</param>
    /// <returns>A new exception.</returns>
    public ParameterValueException AtMember(string parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var path = MemberPath.Length == 0 ? parent
            : MemberPath[0] == '[' ? parent + MemberPath
            : parent + "." + MemberPath;
        return new ParameterValueException(path, Problem);
    }

    private static string Compose(string? path, string? problem)
        => string.IsNullOrEmpty(path) ? problem ?? string.Empty : $"'{path}': {problem}";
}
