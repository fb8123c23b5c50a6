using System.Collections.Concurrent;

namespace ExperimentKit;

/// <summary>
/// Coalesces last-used times: a cache hit only notes the key in memory, and the pending keys are written in
/// one batch per interval (and at dispose), so a run costs at most one ledger write per interval however
/// often it is retrieved.
/// </summary>
internal sealed class LastUsedTracker : IAsyncDisposable
{
    private readonly IRunLedger _ledger;
    private readonly ConcurrentDictionary<RunKey, byte> _pending = new();
    private readonly Timer _timer;
    private readonly SemaphoreSlim _flushing = new(1, 1);

    public LastUsedTracker(IRunLedger ledger, TimeSpan interval)
    {
        _ledger = ledger;
        var period = interval <= TimeSpan.Zero ? TimeSpan.FromMinutes(1) : interval;
        _timer = new Timer(static state => _ = ((LastUsedTracker)state!).FlushAsync(), this, period, period);
    }

    public void Touch(RunKey key) => _pending.TryAdd(key, 0);

    public async Task FlushAsync()
    {
        if (_pending.IsEmpty || !await _flushing.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            var keys = new List<RunKey>(_pending.Count);
            foreach (var key in _pending.Keys)
            {
                if (_pending.TryRemove(key, out _))
                {
                    keys.Add(key);
                }
            }

            if (keys.Count > 0)
            {
                await _ledger.TouchAsync(keys, DateTimeOffset.UtcNow).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Last-used times are a convenience: a failed batch is dropped rather than failing a retrieve.
        }
        finally
        {
            _flushing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        await _flushing.WaitAsync().ConfigureAwait(false);
        _flushing.Release();
        await FlushAsync().ConfigureAwait(false);
        _flushing.Dispose();
    }
}
