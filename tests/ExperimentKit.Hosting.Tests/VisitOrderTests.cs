namespace ExperimentKit.Hosting.Tests;

/// <summary>The order a worker visits sweep points in: the sweep's own on SQLite, a permutation of its own on a shared ledger.</summary>
public sealed class VisitOrderTests
{
    [Fact]
    public void On_a_shared_ledger_every_point_is_visited_exactly_once_in_an_order_of_the_worker_s_own()
    {
        foreach (var n in new[] { 1, 2, 3, 4, 10, 12, 97, 360, 1000 })
        {
            var sweep = HostedParams.Sweep(index: Enumerable.Range(0, n));
            for (var repeat = 0; repeat < 5; repeat++)
            {
                var visited = ExperimentRegistration<HostedParams, HostedRunner>.VisitOrder(sweep, LedgerBackend.Postgres).Select(p => p.Index).ToList();
                Assert.Equal(Enumerable.Range(0, n), visited.Order());
            }
        }

        // Two workers of a large sweep start in different places (equal first points: about 1 in 1000).
        var big = HostedParams.Sweep(index: Enumerable.Range(0, 1000));
        var firsts = Enumerable.Range(0, 20).Select(_ => ExperimentRegistration<HostedParams, HostedRunner>.VisitOrder(big, LedgerBackend.Postgres).First().Index).Distinct().Count();
        Assert.True(firsts > 10, $"{firsts} distinct first points in 20 orders");
    }

    [Fact]
    public void On_SQLite_and_for_sweeps_without_an_index_the_sweep_s_own_order_is_kept()
    {
        var sweep = HostedParams.Sweep(index: Enumerable.Range(0, 50));
        Assert.Equal(Enumerable.Range(0, 50), ExperimentRegistration<HostedParams, HostedRunner>.VisitOrder(sweep, LedgerBackend.Sqlite).Select(p => p.Index));

        var filtered = sweep.Where(p => p.Index % 2 == 0);
        Assert.Equal(filtered.Select(p => p.Index), ExperimentRegistration<HostedParams, HostedRunner>.VisitOrder(filtered, LedgerBackend.Postgres).Select(p => p.Index));
    }
}
