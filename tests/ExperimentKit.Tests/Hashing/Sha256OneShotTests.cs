using System.Security.Cryptography;

namespace ExperimentKit.Tests.Hashing;

/// <summary>The SHA-256 behind every params hash: OpenSSL's SHA256() on Linux must give .NET's digests.</summary>
public class Sha256OneShotTests
{
    [Fact]
    public void Gives_the_digest_of_SHA256_HashData_for_every_length_and_content()
    {
        var random = new Random(2026);
        var expected = new byte[32];
        var actual = new byte[32];
        for (int length = 0; length <= 1_100; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            SHA256.HashData(data, expected);
            Array.Clear(actual);
            Sha256OneShot.Hash(data, actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"length {length}: {Convert.ToHexString(actual)} != {Convert.ToHexString(expected)}");
        }
    }

    [Fact]
    public void Hashes_the_same_from_many_threads_at_once()
    {
        var inputs = Enumerable.Range(0, 64).Select(i => System.Text.Encoding.UTF8.GetBytes($"{{\"Index\":{i},\"LearningRate\":0.001}}")).ToArray();
        var expected = inputs.Select(SHA256.HashData).ToArray();
        Parallel.For(0, 20_000, i =>
        {
            Span<byte> digest = stackalloc byte[32];
            Sha256OneShot.Hash(inputs[i % inputs.Length], digest);
            Assert.True(digest.SequenceEqual(expected[i % inputs.Length]));
        });
    }

    [Fact]
    public void Uses_OpenSSL_directly_on_Linux()
    {
        // .NET itself needs libcrypto on Linux, so the fast path must be found there; elsewhere SHA256.HashData.
        Assert.Equal(OperatingSystem.IsLinux(), Sha256OneShot.IsNative);
    }
}
