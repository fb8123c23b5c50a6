namespace ExperimentKit;

/// <summary>
/// Renews a claim's lease every third of its duration while the runner works. If the ledger says the claim
/// is gone (another owner took over after a stall), the runner is cancelled: two owners must never both write.
/// </summary>
/// <remarks>
/// A timer starts each renewal, so a run shorter than a third of its lease costs one timer and no thread-pool
/// work: the earlier loop awaited a cancellable delay, and stopping it queued the loop's continuation to the
/// thread pool on every run, which woke a worker thread (and set it spinning) for every short run.
/// </remarks>
internal sealed class Heartbeat : IAsyncDisposable
{
    private readonly IRunLedger _ledger;
    private readonly RunKey _key;
    private readonly string _token;
    private readonly TimeSpan _lease;
    private readonly CancellationTokenSource _runCancellation;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private Task _renewal = Task.CompletedTask;
    private bool _stopped;

    private Heartbeat(IRunLedger ledger, RunKey key, string token, TimeSpan lease, CancellationTokenSource runCancellation)
    {
        _ledger = ledger;
        _key = key;
        _token = token;
        _lease = lease;
        _runCancellation = runCancellation;
        var interval = lease / 3;
        _timer = new Timer(static state => ((Heartbeat)state!).Tick(), this, interval, interval);
    }

    public bool ClaimLost { get; private set; }

    public static Heartbeat Start(IRunLedger ledger, RunKey key, string token, TimeSpan lease, CancellationTokenSource runCancellation)
        => new(ledger, key, token, lease, runCancellation);

    /// <summary>Stops renewing and waits for a renewal under way; afterwards <see cref="ClaimLost"/> is final.</summary>
    public async Task StopAsync()
    {
        Task renewal;
        lock (_gate)
        {
            _stopped = true;
            renewal = _renewal;
        }

        await _timer.DisposeAsync().ConfigureAwait(false);
        if (!renewal.IsCompleted)
        {
            // Lets a renewal waiting on the ledger give up; one already decided still records a lost claim.
            await _stop.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Tick()
    {
        lock (_gate)
        {
            // One renewal at a time: a slow ledger makes the next tick wait for the next interval.
            if (_stopped || !_renewal.IsCompleted)
            {
                return;
            }

            _renewal = RenewAsync();
        }
    }

    /// <summary>Never throws: a transient ledger error is retried at the next tick (the lease has two more to go).</summary>
    private async Task RenewAsync()
    {
        bool renewed;
        try
        {
            renewed = await _ledger.RenewLeaseAsync(_key, _token, _lease, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return;
        }

        if (!renewed)
        {
            lock (_gate)
            {
                _stopped = true;
            }

            ClaimLost = true;
            await _runCancellation.CancelAsync().ConfigureAwait(false);
        }
    }
}
