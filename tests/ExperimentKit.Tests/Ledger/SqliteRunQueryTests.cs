namespace ExperimentKit.Tests.Ledger;

public sealed class SqliteRunQueryTests
{
    [Theory]
    [InlineData("Epochs", "$.\"Epochs\"")]
    [InlineData("Model.Layers", "$.\"Model\".\"Layers\"")]
    [InlineData("a.b.c", "$.\"a\".\"b\".\"c\"")]
    [InlineData("we\"ird", "$.\"we\\\"ird\"")]
    [InlineData("back\\slash", "$.\"back\\\\slash\"")]
    [InlineData("[0]", "$.\"[0]\"")]
    [InlineData("$", "$.\"$\"")]
    public void Flat_paths_become_json_paths_with_every_segment_quoted(string flat, string json)
        => Assert.Equal(json, SqliteRunQuery.JsonPath(flat));

    [Theory]
    [InlineData("")]
    [InlineData(".Layers")]
    [InlineData("Model.")]
    [InlineData("Model..Layers")]
    public void Paths_with_empty_segments_are_refused(string flat)
        => Assert.Throws<ArgumentException>(() => SqliteRunQuery.JsonPath(flat));
}
