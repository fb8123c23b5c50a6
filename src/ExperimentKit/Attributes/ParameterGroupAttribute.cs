namespace ExperimentKit;

/// <summary>
/// Marks a <c>partial</c> type used as a nested parameter object (for example a model specification).
/// It hashes as a canonical JSON object of its hashed members and flattens as <c>Member.Child</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class ParameterGroupAttribute : Attribute
{
}
