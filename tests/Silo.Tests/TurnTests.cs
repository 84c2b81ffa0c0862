using Platform.Silo.Tests.Grains;

namespace Platform.Silo.Tests;

public sealed class TurnTests
{
    [Fact]
    public async Task Concurrent_calls_to_one_grain_never_overlap()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<ICounterGrain>("busy");

        // 100 tasks on the thread pool, each firing 100 calls without waiting: 10,000 calls in flight. Some yield and
        // some await a timer, so turns span awaits.
        var callers = Enumerable.Range(0, 100).Select(t => Task.Run(() =>
        {
            var calls = new Task<int>[100];
            for (var i = 0; i < calls.Length; i++)
            {
                var n = (t * 100) + i;
                calls[i] = grain.Increment(n % 500 == 0 ? 2 : n % 7 == 0 ? 1 : 0);
            }

            return Task.WhenAll(calls);
        }));
        var results = (await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60))).SelectMany(r => r).ToList();

        Assert.Equal(10_000, results.Count);
        Assert.Equal(Enumerable.Range(1, 10_000), results.Order());
        Assert.Equal(10_000, await grain.GetValue());
        Assert.Equal(0, await grain.GetOverlaps());
    }

    [Fact]
    public async Task Different_grains_run_at_the_same_time()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var first = silo.GrainFactory.GetGrain<IGateGrain>("first");
        var second = silo.GrainFactory.GetGrain<IGateGrain>("second");

        // The first grain's call blocks its thread until the second grain's call sets the event: it can only return
        // true if the second call runs while the first turn is still running.
        var blocked = Task.Run(() => first.BlockUntilSet("parallel"));
        await probe.Blocked.WaitForAsync(1);
        await second.Set("parallel").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(await blocked.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Calls_queued_behind_a_turn_run_in_order()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<IGateGrain>("fifo");

        var holder = grain.WaitForGate("hold");
        Assert.False(holder.IsCompleted);
        var queued = Enumerable.Range(0, 200).Select(grain.Record).ToList();
        Assert.All(queued, call => Assert.False(call.IsCompleted));

        probe.Gate("hold").SetResult();
        await Task.WhenAll(queued.Append(holder)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, 200), await grain.GetRecorded());
    }

    [Fact]
    public async Task A_call_on_an_idle_activation_runs_inline_and_allocates_nothing()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<ICounterGrain>("fast");
        await grain.Increment(0);

        Assert.Equal(Environment.CurrentManagedThreadId, await grain.GetThreadId());

        var sum = CallSynchronously(grain, 10_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        sum += CallSynchronously(grain, 1_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(11_000, sum);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task A_grain_calls_other_grains_from_inside_its_turn()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);

        var path = await silo.GrainFactory.GetGrain<IChainGrain>("a").Chain(["a", "b", "c"], 0);
        Assert.Equal("a>b>c", path);

        // Again, now that all three are active, and concurrently from several callers.
        var paths = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => silo.GrainFactory.GetGrain<IChainGrain>("a").Chain(["a", "b", "c"], 0))));
        Assert.All(paths, p => Assert.Equal("a>b>c", p));
    }

    [Fact]
    public async Task Two_references_to_one_key_reach_one_activation()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var first = silo.GrainFactory.GetGrain<ICounterGrain>("shared");
        var second = silo.GrainFactory.GetGrain<ICounterGrain>("shared");

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        await first.Increment(0);
        await second.Increment(1);
        Assert.Equal(2, await first.GetValue());
        Assert.Equal(1, silo.ActivationCount);
        Assert.Equal("shared", second.GetPrimaryKeyString());
    }

    // Synchronous on purpose: the await machinery of the test itself must not count as the runtime's allocation.
    private static int CallSynchronously(ICounterGrain grain, int calls)
    {
        var sum = 0;
        for (var i = 0; i < calls; i++)
        {
            var value = grain.GetValue();
            Assert.True(value.IsCompletedSuccessfully);
            sum += value.Result;
        }

        return sum;
    }
}
