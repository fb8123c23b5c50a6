namespace ExperimentKit;

/// <summary>
/// Leaves a member out of the params hash (thread counts, log levels, output verbosity: anything that does
/// not change the result). The member is still recorded in the run's exact parameters and flat fields.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class NotHashedAttribute : Attribute
{
}
