using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ExperimentKit;

/// <summary>
/// One-shot SHA-256 of a short input: OpenSSL's plain <c>SHA256()</c> function on Linux, <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>
/// everywhere else.
/// </summary>
/// <remarks>
/// On Linux <c>SHA256.HashData</c> goes through OpenSSL 3's EVP layer, which sets up a digest context (and looks
/// the algorithm up in its provider) on every call: about 460 ns before the first byte is hashed, more than
/// the hashing of a typical 200-byte canonical JSON with the CPU's SHA instructions. <c>SHA256()</c> is the
/// same OpenSSL code (same SHA-NI / AVX2 routines) without that set-up. .NET itself needs libcrypto on Linux,
/// so the library is there; it is looked up once, and used only after it has given the same digests as
/// <c>SHA256.HashData</c> on test inputs. Any failure leaves the .NET call in place, so the result is always
/// the SHA-256 the spec names; only the cost differs.
/// </remarks>
internal static unsafe class Sha256OneShot
{
    private static readonly delegate* unmanaged<byte*, nuint, byte*, byte*> s_native = LoadNative();

    /// <summary>Whether the OpenSSL <c>SHA256()</c> path is in use (else <c>SHA256.HashData</c>).</summary>
    internal static bool IsNative => s_native != null;

    /// <summary>Writes the SHA-256 of <paramref name="data"/> into <paramref name="digest"/> (32 bytes).</summary>
    internal static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        var native = s_native;
        if (native == null || digest.Length < SHA256.HashSizeInBytes)
        {
            SHA256.HashData(data, digest);
            return;
        }

        fixed (byte* input = data)
        fixed (byte* output = digest)
        {
            // With a non-null output buffer SHA256() keeps no state between calls: safe from any thread.
            native(input, (nuint)data.Length, output);
        }
    }

    private static delegate* unmanaged<byte*, nuint, byte*, byte*> LoadNative()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            foreach (var name in (ReadOnlySpan<string>)["libcrypto.so.3", "libcrypto.so.1.1"])
            {
                if (NativeLibrary.TryLoad(name, out var library)
                    && NativeLibrary.TryGetExport(library, "SHA256", out var address))
                {
                    var candidate = (delegate* unmanaged<byte*, nuint, byte*, byte*>)address;
                    return AgreesWithDotNet(candidate) ? candidate : null;
                }
            }
        }
        catch (Exception error) when (error is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            // No usable libcrypto: the .NET call is used.
        }

        return null;
    }

    /// <summary>Checks a candidate against <c>SHA256.HashData</c> on inputs of 0 to 300 bytes.</summary>
    private static bool AgreesWithDotNet(delegate* unmanaged<byte*, nuint, byte*, byte*> candidate)
    {
        Span<byte> input = stackalloc byte[300];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (byte)((i * 131) + 7);
        }

        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        foreach (int length in (ReadOnlySpan<int>)[0, 1, 55, 56, 64, 211, 300])
        {
            SHA256.HashData(input[..length], expected);
            actual.Clear();
            fixed (byte* data = input)
            fixed (byte* output = actual)
            {
                candidate(data, (nuint)length, output);
            }

            if (!actual.SequenceEqual(expected))
            {
                return false;
            }
        }

        return true;
    }
}
