using System.ComponentModel;

namespace ExperimentKit;

/// <summary>Materialises the values of one sweep axis (called by generated <c>Sweep(...)</c> methods).</summary>
/// <remarks>
/// The values are copied into a new array, so a grid never sees later changes to the collection it was given,
/// and a lazy or one-shot sequence is enumerated exactly once.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SweepAxis
{
    /// <summary>The values given for a member that has no default.</summary>
    /// <typeparam name="T">The member's type.</typeparam>
    /// <param name="values">The values to sweep, in order; duplicates are kept.</param>
    /// <param name="experiment">The experiment's name, for messages.</param>
    /// <param name="member">The member's name (<c>LearningRate</c>), for messages.</param>
    /// <param name="parameter">The generated method's parameter (<c>learningRate</c>); the exception's <see cref="ArgumentException.ParamName"/>.</param>
    /// <returns>A new array of the values.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is null or empty; the message names the member and the sweep parameter.</exception>
    public static T[] Required<T>(IEnumerable<T>? values, string experiment, string member, string parameter)
    {
        if (values is null)
        {
            throw new ArgumentException(
                $"The sweep of '{experiment}' has no values for '{member}', which has no default. "
                + $"Pass them as Sweep({parameter}: [...]).",
                parameter);
        }

        return NotEmpty(values, experiment, member, parameter, "Pass at least one value");
    }

    /// <summary>The values given for a member, or its default alone when none are given.</summary>
    /// <typeparam name="T">The member's type.</typeparam>
    /// <param name="values">The values to sweep, in order; duplicates are kept. Null sweeps the default alone.</param>
    /// <param name="defaultValue">The member's default.</param>
    /// <param name="experiment">The experiment's name, for messages.</param>
    /// <param name="member">The member's name (<c>Dataset</c>), for messages.</param>
    /// <param name="parameter">The generated method's parameter (<c>dataset</c>); the exception's <see cref="ArgumentException.ParamName"/>.</param>
    /// <returns>A new array of the values, or one holding <paramref name="defaultValue"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static T[] OrDefault<T>(IEnumerable<T>? values, T defaultValue, string experiment, string member, string parameter)
        => values is null
            ? [defaultValue]
            : NotEmpty(values, experiment, member, parameter, $"Pass at least one value, or leave '{parameter}' out to use the default");

    private static T[] NotEmpty<T>(IEnumerable<T> values, string experiment, string member, string parameter, string remedy)
    {
        T[] array = [.. values];
        if (array.Length == 0)
        {
            throw new ArgumentException(
                $"The sweep of '{experiment}' was given no values for '{member}' ({parameter}: []), so it would have no points. {remedy}.",
                parameter);
        }

        return array;
    }
}
