using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ExperimentKit;

/// <summary>
/// The identity of a parameter set under canonical hash v1: the SHA-256 of its canonical JSON.
/// <see cref="ToString"/> gives the 16 lowercase hex characters (64 bits) that name runs;
/// <see cref="ToSha256String"/> gives all 64.
/// </summary>
/// <remarks>A value type of 32 bytes: computing one allocates nothing.</remarks>
public readonly record struct ParamsHash
{
    private readonly ulong _w0;
    private readonly ulong _w1;
    private readonly ulong _w2;
    private readonly ulong _w3;

    private ParamsHash(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        _w0 = w0;
        _w1 = w1;
        _w2 = w2;
        _w3 = w3;
    }

    /// <summary>The first 64 bits of the SHA-256, read big-endian: the params hash as a number.</summary>
    public ulong Value => _w0;

    /// <summary>Hashes canonical JSON bytes (one-shot SHA-256, no allocation).</summary>
    /// <param name="canonicalUtf8">The canonical JSON text as UTF-8 bytes.</param>
    /// <returns>The hash.</returns>
    public static ParamsHash Compute(ReadOnlySpan<byte> canonicalUtf8)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Sha256OneShot.Hash(canonicalUtf8, digest);
        return FromSha256(digest);
    }

    /// <summary>Builds a hash from a 32-byte SHA-256 digest.</summary>
    /// <param name="sha256">The digest.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 32 bytes long.</exception>
    public static ParamsHash FromSha256(ReadOnlySpan<byte> sha256)
    {
        if (sha256.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"A SHA-256 digest has 32 bytes; this one has {sha256.Length}.", nameof(sha256));
        }

        return new ParamsHash(
            BinaryPrimitives.ReadUInt64BigEndian(sha256),
            BinaryPrimitives.ReadUInt64BigEndian(sha256[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(sha256[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(sha256[24..]));
    }

    /// <summary>Writes the 32-byte SHA-256 digest.</summary>
    /// <param name="destination">At least 32 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void CopySha256To(Span<byte> destination)
    {
        if (destination.Length < SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("The destination needs 32 bytes.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _w3);
    }

    /// <summary>The params hash: 16 lowercase hex characters.</summary>
    /// <returns>For example <c>146150d1668b8182</c>.</returns>
    public override string ToString() => _w0.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The full SHA-256: 64 lowercase hex characters.</summary>
    /// <returns>The digest in hex.</returns>
    public string ToSha256String()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        CopySha256To(digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>A component hash: the first 8 hex characters of the SHA-256.</summary>
    /// <returns>For example <c>146150d1</c>.</returns>
    public string ToComponentString() => (_w0 >> 32).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}
