namespace ExperimentKit;

/// <summary>
/// The argument checks every <see cref="IRunLedger"/> backend makes, in one place, so that each backend
/// refuses the same calls with the same messages (the conformance suite checks them on all of them).
/// </summary>
internal static class LedgerArguments
{
    /// <summary>Refuses a key without an experiment name or a params hash.</summary>
    public static void Key(RunKey key)
    {
        if (string.IsNullOrEmpty(key.Experiment))
        {
            throw new ArgumentException("The run key has no experiment name.", nameof(key));
        }

        if (string.IsNullOrEmpty(key.Hash))
        {
            throw new ArgumentException("The run key has no params hash.", nameof(key));
        }
    }

    /// <summary>Refuses an empty owner token.</summary>
    public static void OwnerToken(string ownerToken) => ArgumentException.ThrowIfNullOrEmpty(ownerToken);

    /// <summary>Refuses a lease that is not positive.</summary>
    public static void Lease(TimeSpan lease)
    {
        if (lease <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), lease, "The lease must be positive.");
        }
    }

    /// <summary>Refuses a claim request with a missing part or a lease that is not positive.</summary>
    public static void Claim(RunClaimRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Key(request.Key);
        ArgumentNullException.ThrowIfNull(request.Owner);
        OwnerToken(request.Owner.Token);
        ArgumentNullException.ThrowIfNull(request.ParamsJson);
        ArgumentNullException.ThrowIfNull(request.CanonicalJson);
        ArgumentNullException.ThrowIfNull(request.ComponentHashes);
        if (request.Lease <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Lease, "RunClaimRequest.Lease must be positive.");
        }
    }

    /// <summary>Refuses a registration with a missing part or no result file.</summary>
    public static void Registration(RunRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Key(registration.Key);
        ArgumentNullException.ThrowIfNull(registration.ParamsJson);
        ArgumentNullException.ThrowIfNull(registration.CanonicalJson);
        ArgumentNullException.ThrowIfNull(registration.ComponentHashes);
        ArgumentException.ThrowIfNullOrEmpty(registration.ResultFile);
    }

    /// <summary>Refuses an empty or blank tag.</summary>
    public static void Tags(IReadOnlyCollection<string>? tags, string name)
    {
        foreach (var tag in tags ?? [])
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                throw new ArgumentException("A tag must be non-empty text.", name);
            }
        }
    }

    /// <summary>Refuses a malformed query.</summary>
    /// <returns>False when the query cannot match anything (a limit of 0, an empty status list): no SQL is needed.</returns>
    public static bool Query(RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Version is not null && query.Experiment is null)
        {
            throw new ArgumentException("RunQuery.Version needs RunQuery.Experiment: a version number only means something within one experiment.", nameof(query));
        }

        if (query.Limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, "RunQuery.Limit must be 0 or more.");
        }

        return !(query.Limit == 0 || query.Statuses is { Count: 0 });
    }
}
