using System.Text;

namespace ExperimentKit.Tests.Hashing;

internal delegate void WriterAction(ref CanonicalJsonWriter writer);

internal static class WriterHarness
{
    /// <summary>Runs <paramref name="write"/> on a fresh writer and returns the text it wrote.</summary>
    public static string Write(WriterAction write, int initialBuffer = 256)
    {
        Span<byte> buffer = stackalloc byte[initialBuffer];
        var writer = new CanonicalJsonWriter(buffer);
        try
        {
            write(ref writer);
            return Encoding.UTF8.GetString(writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }

    public static string WriteString(string value) => Write((ref CanonicalJsonWriter w) => w.WriteString(value));
}
