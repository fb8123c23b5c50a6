using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExperimentKit.Ledger.Conformance;

/// <summary>
/// A parameter set as the ledger sees it: exact JSON with a nested group (<c>Model.Layers</c>), canonical JSON
/// and component hashes. Hand-written so the suite needs no generated types.
/// </summary>
public sealed record TestParams(double LearningRate, int Epochs, int Layers, int Width, string Dataset, bool Shuffle, string? Tag = null)
{
    /// <summary>A distinct, deterministic parameter set for test point <paramref name="n"/>.</summary>
    public static TestParams For(int n) => new(0.001 * (1 + (n % 3)), 10 + n, 2 + (n % 4), 64, n % 2 == 0 ? "mnist" : "cifar", n % 5 == 0);

    /// <summary>The exact params JSON: members in declaration order, the model as a nested object.</summary>
    public string ExactJson
    {
        get
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteNumber("LearningRate", LearningRate);
                w.WriteNumber("Epochs", Epochs);
                w.WriteStartObject("Model");
                w.WriteNumber("Layers", Layers);
                w.WriteNumber("Width", Width);
                w.WriteEndObject();
                w.WriteString("Dataset", Dataset);
                w.WriteBoolean("Shuffle", Shuffle);
                if (Tag is not null)
                {
                    w.WriteString("Tag", Tag);
                }

                w.WriteEndObject();
            }

            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }
    }

    /// <summary>A stand-in for canonical JSON: different text from the exact JSON, equal for equal parameters.</summary>
    public string CanonicalJson => "{\"v\":1,\"p\":" + ExactJson + "}";

    /// <summary>Component hashes: the model and the data.</summary>
    public IReadOnlyDictionary<string, string> ComponentHashes => new Dictionary<string, string>
    {
        ["model"] = (Layers * 1000 + Width).ToString("x8", CultureInfo.InvariantCulture),
        ["data"] = Dataset == "mnist" ? "0000da7a" : "0000c1fa",
    };
}
