namespace ExperimentKit.Tests.Hashing;

public class HashVectorTests
{
    public static TheoryData<string> VectorNames => new(HashVectors.Vectors.Select(v => v.Name));

    public static TheoryData<string> RejectedNames => new(HashVectors.Rejected.Select(v => v.Name));

    [Fact]
    public void The_vector_file_holds_every_vector()
    {
        Assert.Equal(217, HashVectors.Vectors.Count);
        Assert.Equal(4, HashVectors.Rejected.Count);
        Assert.Equal(HashVectors.Vectors.Count, HashVectors.Vectors.Select(v => v.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Vector_gives_its_canonical_json_and_hashes(string name)
    {
        HashVector vector = HashVectors.Get(name);

        (string canonical, ParamsHash hash) = HashVectors.Compute(vector.Value);

        Assert.Equal(vector.Canonical, canonical);
        Assert.Equal(vector.Hash, hash.ToString());
        Assert.Equal(vector.Sha256, hash.ToSha256String());
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Vector_gives_the_same_bytes_when_the_writer_starts_with_no_buffer(string name)
    {
        HashVector vector = HashVectors.Get(name);

        (string canonical, _) = HashVectors.Compute(vector.Value, initialBuffer: 0);

        Assert.Equal(vector.Canonical, canonical);
    }

    [Theory]
    [MemberData(nameof(RejectedNames))]
    public void Rejected_vector_throws_a_parameter_value_exception(string name)
    {
        HashVector vector = HashVectors.GetRejected(name);

        var error = Assert.Throws<ParameterValueException>(() => HashVectors.Compute(vector.Value));

        Assert.Contains("finite", error.Problem, StringComparison.Ordinal);
        Assert.Equal(string.Empty, error.MemberPath);
    }
}
