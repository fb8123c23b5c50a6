namespace ExperimentKit;

/// <summary>
/// Leaves a member out of the canonical JSON while its value equals its declared constant default, so that
/// adding a new member with a default keeps the hash of every existing run.
/// </summary>
/// <remarks>The member needs a compile-time constant default: a constructor parameter default or a constant
/// property initializer.</remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class OmitIfDefaultAttribute : Attribute
{
}
