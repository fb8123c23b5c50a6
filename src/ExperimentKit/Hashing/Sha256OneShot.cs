using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ExperimentKit;

/// <summary>
/// One-shot SHA-256 of a short input: OpenSSL's <c>SHA256_Init</c> / <c>SHA256_Update</c> / <c>SHA256_Final</c>
/// on Linux, <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> everywhere else.
/// </summary>
/// <remarks>
/// On Linux <c>SHA256.HashData</c> goes through OpenSSL 3's EVP layer, which looks the algorithm up in its
/// provider and sets up a digest context on every call: 300-450 ns before the first byte is hashed (OpenSSL 3's
/// plain <c>SHA256()</c> function does the same lookup), against about 40 ns per 64-byte block for the hashing
/// itself with the CPU's SHA instructions. A canonical JSON is a few blocks, so the set-up was most of a hash.
/// The three low-level functions run the same OpenSSL block code on a context kept on our stack, with no
/// lookup. .NET itself needs libcrypto on Linux, so the library is there; the functions are looked up once and
/// used only after they have given the same digests as <c>SHA256.HashData</c> on test inputs. Any failure
/// leaves the .NET call in place, so the result is always the SHA-256 the spec names; only the cost differs.
/// </remarks>
internal static unsafe class Sha256OneShot
{
    /// <summary>Bytes reserved for OpenSSL's <c>SHA256_CTX</c> (112 bytes on every platform it supports).</summary>
    private const int ContextBytes = 256;

    private static readonly Native s_native = Native.Load();

    /// <summary>Whether the OpenSSL path is in use (else <c>SHA256.HashData</c>).</summary>
    internal static bool IsNative => s_native.Final != null;

    /// <summary>Writes the SHA-256 of <paramref name="data"/> into <paramref name="digest"/> (32 bytes).</summary>
    internal static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        var native = s_native;
        if (native.Final == null || digest.Length < SHA256.HashSizeInBytes)
        {
            SHA256.HashData(data, digest);
            return;
        }

        native.Hash(data, digest);
    }

    /// <summary>The three OpenSSL functions, or none.</summary>
    private readonly struct Native
    {
        public readonly delegate* unmanaged<byte*, int> Init;
        public readonly delegate* unmanaged<byte*, byte*, nuint, int> Update;
        public readonly delegate* unmanaged<byte*, byte*, int> Final;

        private Native(nint init, nint update, nint final)
        {
            Init = (delegate* unmanaged<byte*, int>)init;
            Update = (delegate* unmanaged<byte*, byte*, nuint, int>)update;
            Final = (delegate* unmanaged<byte*, byte*, int>)final;
        }

        public void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
        {
            // The context lives on this thread's stack: no state is shared between calls or threads.
            byte* context = stackalloc byte[ContextBytes];
            fixed (byte* input = data)
            fixed (byte* output = digest)
            {
                if (Init(context) != 1 || Update(context, input, (nuint)data.Length) != 1 || Final(output, context) != 1)
                {
                    // OpenSSL reports no failure for SHA-256 of memory; should it ever, the .NET call answers.
                    SHA256.HashData(data, digest);
                }
            }
        }

        public static Native Load()
        {
            if (!OperatingSystem.IsLinux())
            {
                return default;
            }

            try
            {
                foreach (var name in (ReadOnlySpan<string>)["libcrypto.so.3", "libcrypto.so.1.1"])
                {
                    if (NativeLibrary.TryLoad(name, out var library)
                        && NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
                        && NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
                        && NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
                    {
                        var candidate = new Native(init, update, final);
                        return candidate.AgreesWithDotNet() ? candidate : default;
                    }
                }
            }
            catch (Exception error) when (error is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
            {
                // No usable libcrypto: the .NET call is used.
            }

            return default;
        }

        /// <summary>Checks the functions against <c>SHA256.HashData</c> on inputs of 0 to 300 bytes.</summary>
        private bool AgreesWithDotNet()
        {
            Span<byte> input = stackalloc byte[300];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = (byte)((i * 131) + 7);
            }

            Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
            Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
            byte* context = stackalloc byte[ContextBytes];
            foreach (int length in (ReadOnlySpan<int>)[0, 1, 55, 56, 64, 211, 300])
            {
                SHA256.HashData(input[..length], expected);
                actual.Clear();
                fixed (byte* data = input)
                fixed (byte* output = actual)
                {
                    if (Init(context) != 1 || Update(context, data, (nuint)length) != 1 || Final(output, context) != 1)
                    {
                        return false;
                    }
                }

                if (!actual.SequenceEqual(expected))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
