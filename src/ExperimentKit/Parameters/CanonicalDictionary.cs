using System.ComponentModel;

namespace ExperimentKit;

/// <summary>Orders dictionary entries for canonical JSON (called by generated code).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CanonicalDictionary
{
    /// <summary>
    /// Returns the entries with their keys as canonical text, sorted by code point
    /// (<see cref="CanonicalKeyComparer"/>), as canonical hash v1 writes objects.
    /// </summary>
    /// <exception cref="ParameterValueException">Two keys have the same canonical text.</exception>
    public static KeyValuePair<string, TValue>[] Sort<TKey, TValue>(
        IEnumerable<KeyValuePair<TKey, TValue>> entries, Func<TKey, string> keyText)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(keyText);
        var list = new List<KeyValuePair<string, TValue>>();
        foreach (var entry in entries)
        {
            list.Add(new KeyValuePair<string, TValue>(keyText(entry.Key), entry.Value));
        }

        var array = list.ToArray();
        Array.Sort(array, static (a, b) => CanonicalKeyComparer.Instance.Compare(a.Key, b.Key));
        for (var i = 1; i < array.Length; i++)
        {
            if (array[i - 1].Key == array[i].Key)
            {
                // Two distinct keys (say an enum value and its integer) would become one JSON key.
                throw new ParameterValueException(string.Empty, $"has two keys written as \"{array[i].Key}\"; canonical JSON keys must be unique.");
            }
        }

        return array;
    }
}
