using Platform.Silo.Storage;

namespace Platform.Silo.Tests.Storage;

/// <summary>The journal's dead rows: taken oldest first, in runs, within a commit's limits.</summary>
public sealed class DeadRowsTests
{
    [Fact]
    public void Rows_are_taken_oldest_first_as_runs_across_the_bitmaps_edges()
    {
        var dead = new DeadRows();
        long[] rows = [10_000, 4_095, 4_096, 4_097, 3, 1, 2, 9_000_000_000];
        foreach (var seq in rows)
        {
            dead.Add(seq);
        }

        dead.Add(2);
        Assert.Equal(rows.Length, dead.Count);

        var taken = new List<long>();
        Assert.Equal([(1L, 3L), (4_095L, 4_097L), (10_000L, 10_000L), (9_000_000_000L, 9_000_000_000L)], dead.TakeOldest(100, 8, taken));
        Assert.Equal(rows.Order(), taken);
        Assert.Equal(0, dead.Count);
        Assert.Empty(dead.TakeOldest(100, 8, []));
    }

    [Fact]
    public void A_take_stops_at_its_row_limit_or_before_a_run_past_its_run_limit_and_leaves_the_rest()
    {
        var dead = new DeadRows();
        foreach (var seq in (long[])[1, 2, 3, 4, 10, 20, 30])
        {
            dead.Add(seq);
        }

        var taken = new List<long>();
        Assert.Equal([(1L, 3L)], dead.TakeOldest(3, 8, taken));
        Assert.Equal([(4L, 4L), (10L, 10L)], dead.TakeOldest(100, 2, taken));
        Assert.Equal([1L, 2L, 3L, 4L, 10L], taken);
        Assert.Equal(2, dead.Count);

        // Rows put back (their commit failed) are taken again, in order with the rest.
        dead.Add(4);
        dead.Add(10);
        Assert.Equal([(4L, 4L), (10L, 10L), (20L, 20L), (30L, 30L)], dead.TakeOldest(100, 8, []));
    }
}
