using System.Runtime.InteropServices;
using System.Text;

namespace ExperimentKit;

/// <summary>
/// Flushes a folder's entries to the disk, so a rename survives a power loss (<see cref="Durability.Full"/>).
/// Best effort: on Windows, or wherever the C library cannot be reached, it does nothing.
/// </summary>
internal static class FileSync
{
    private static volatile bool s_unavailable = OperatingSystem.IsWindows();

    /// <summary>fsyncs a folder (Unix); never throws.</summary>
    internal static void Directory(string directory)
    {
        if (s_unavailable)
        {
            return;
        }

        try
        {
            byte[] path = Encoding.UTF8.GetBytes(directory + "\0");
            int fd = open(path, 0 /* O_RDONLY */);
            if (fd < 0)
            {
                return;
            }

            _ = fsync(fd);
            _ = close(fd);
        }
        catch (DllNotFoundException)
        {
            s_unavailable = true;
        }
        catch (EntryPointNotFoundException)
        {
            s_unavailable = true;
        }
    }

#pragma warning disable SYSLIB1054 // byte[] and int only: blittable, no marshalling code needed (no AllowUnsafeBlocks for LibraryImport).
    [DllImport("libc", SetLastError = true)]
    private static extern int open(byte[] path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
#pragma warning restore SYSLIB1054
}
