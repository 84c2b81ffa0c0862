namespace Platform.Silo.Tests.Grains;

public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _inside;
    private int _overlaps;
    private int _value;

    public async Task<int> Increment(int pause)
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            Interlocked.Increment(ref _overlaps);
        }

        try
        {
            var before = _value;
            if (pause == 1)
            {
                await Task.Yield();
            }
            else if (pause == 2)
            {
                await Task.Delay(1);
            }

            // Read-modify-write across an await: correct only if turns never interleave.
            _value = before + 1;
            return _value;
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    public ValueTask<int> GetValue() => new(_value);

    public ValueTask<int> GetThreadId() => new(Environment.CurrentManagedThreadId);

    public Task<int> GetOverlaps() => Task.FromResult(_overlaps);
}
