using System.Runtime.InteropServices;

namespace Platform.Bench.FanOut;

/// <summary>
/// The few libc calls the epoll readers need (Linux): one epoll set per reader thread, and
/// non-blocking recv straight into the thread's buffer, with no per-read allocation, task or
/// thread hop.
/// </summary>
internal static partial class Native
{
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const uint EpollIn = 0x001;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const uint EpollRdHup = 0x2000;
    public const int MsgDontWait = 0x40;
    public const int EAgain = 11;
    public const int EIntr = 4;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, ref EpollEvent ev);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int epoll_wait(int epfd, EpollEvent* events, int maxevents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    /// <summary>struct epoll_event; packed on x86-64 (12 bytes), naturally aligned elsewhere.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    /// <summary>Whether <see cref="EpollEvent"/> has the kernel's layout on this architecture.</summary>
    public static bool EpollLayoutMatches =>
        RuntimeInformation.ProcessArchitecture == Architecture.X64 ? Marshal.SizeOf<EpollEvent>() == 12 : Marshal.SizeOf<EpollEvent>() == 16;
}
