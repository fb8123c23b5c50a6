namespace ExperimentKit;

/// <summary>
/// A sweep override that cannot be used: a malformed <c>Path=values</c> token, a path that names no member,
/// a value that does not fit the member's type, a path given twice, or members left without values.
/// </summary>
/// <remarks>
/// The message is written for the person who typed the override, and is meant to be shown as it is: it names
/// the member path, the member's C# type and the offending text and, where a name is close, the one that was
/// probably meant.
/// </remarks>
public sealed class SweepArgumentException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="memberPath">The member path the error is about, as written or resolved, or <see langword="null"/>.</param>
    /// <param name="innerException">The error that caused this one, if any.</param>
    public SweepArgumentException(string message, string? memberPath = null, Exception? innerException = null)
        : base(message, innerException)
        => MemberPath = memberPath;

    /// <summary>The member path the error is about (<c>Model.Layers</c>), or <see langword="null"/> when it is about no one member.</summary>
    public string? MemberPath { get; }
}
