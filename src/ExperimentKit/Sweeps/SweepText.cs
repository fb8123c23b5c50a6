using System.Globalization;
using System.Text;

namespace ExperimentKit;

/// <summary>Wording shared by the sweeps' <see cref="object.ToString"/> and error messages.</summary>
internal static class SweepText
{
    /// <summary>A readable C#-like name: <c>TrainParams</c>, <c>ValueTuple&lt;Int32, String&gt;</c>.</summary>
    public static string TypeName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        var text = new StringBuilder(tick < 0 ? name : name[..tick]);
        text.Append('<');
        var arguments = type.GetGenericArguments();
        for (int i = 0; i < arguments.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(TypeName(arguments[i]));
        }

        return text.Append('>').ToString();
    }

    /// <summary>A number with thousands separators, independent of the current culture.</summary>
    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary><c>1 point</c>, <c>1,000 points</c>.</summary>
    public static string Points(long count) => count == 1 ? "1 point" : Number(count) + " points";

    /// <summary>The message for an index outside [0, count).</summary>
    public static ArgumentOutOfRangeException IndexOutOfRange(long index, long count)
        => new(nameof(index), index, count == 0
            ? $"Index {Number(index)} is out of range: the sweep has no points."
            : $"Index {Number(index)} is out of range: the sweep's indices are [0, {Number(count)}), that is 0 to {Number(count - 1)}.");

    /// <summary>The message for a negative index given to a sweep whose size is not known without enumerating it.</summary>
    public static ArgumentOutOfRangeException NegativeIndex(long index)
        => new(nameof(index), index, $"Index {Number(index)} is out of range: indices start at 0.");
}
