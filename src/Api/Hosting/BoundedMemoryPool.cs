using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Hosting;

/// <summary>
/// The sockets' buffer pool: pinned 4 KiB blocks, as Kestrel's own, but keeping at most
/// <see cref="RetainedBytes"/> of free blocks. Kestrel's pool keeps every block it ever allocated
/// and gives back 5% every 10 seconds, so one 100 MB request would hold 200 MB (in and out) for
/// many minutes; here what exceeds the bound is dropped at once and collected soon after.
/// </summary>
internal sealed class BoundedMemoryPool : MemoryPool<byte>
{
    /// <summary>Free blocks kept for reuse, at most.</summary>
    public const long RetainedBytes = 16L * 1024 * 1024;

    private const int BlockSize = 4096;

    private readonly ConcurrentQueue<Block> _free = new();
    private long _freeBytes;

    /// <inheritdoc/>
    public override int MaxBufferSize => BlockSize;

    /// <inheritdoc/>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Add(ref _freeBytes, -BlockSize);
            return block;
        }

        return new Block(this);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) => _free.Clear();

    private void Return(Block block)
    {
        if (Interlocked.Add(ref _freeBytes, BlockSize) <= RetainedBytes)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Add(ref _freeBytes, -BlockSize);
            ByteBuffers.Dropped(BlockSize);
        }
    }

    private sealed class Block : IMemoryOwner<byte>
    {
        private readonly BoundedMemoryPool _pool;

        public Block(BoundedMemoryPool pool)
        {
            _pool = pool;
            Memory = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), 0, BlockSize);
        }

        public Memory<byte> Memory { get; }

        public void Dispose() => _pool.Return(this);
    }
}

/// <summary>Gives Kestrel's transports the <see cref="BoundedMemoryPool"/>.</summary>
internal sealed class BoundedMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    /// <inheritdoc/>
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new BoundedMemoryPool();
}
