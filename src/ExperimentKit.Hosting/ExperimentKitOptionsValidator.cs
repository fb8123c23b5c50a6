using Microsoft.Extensions.Options;

namespace ExperimentKit.Hosting;

/// <summary>Checks <see cref="ExperimentKitOptions"/> and names the configuration key and the allowed values of each mistake.</summary>
internal sealed class ExperimentKitOptionsValidator : IValidateOptions<ExperimentKitOptions>
{
    private const string Prefix = ExperimentKitOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, ExperimentKitOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Root))
        {
            errors.Add($"{Prefix}Root is empty; set it to the folder that holds the ledger and run folders (for example \"results\").");
        }
        else if (options.Root.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"{Prefix}Root \"{options.Root}\" is not a valid path.");
        }

        if (options.MaxParallelism < 1)
        {
            errors.Add($"{Prefix}MaxParallelism is {options.MaxParallelism}; use 1 or more (default: the processor count, {Environment.ProcessorCount}).");
        }

        if (options.MaxAttempts < 1)
        {
            errors.Add($"{Prefix}MaxAttempts is {options.MaxAttempts}; use 1 or more (1 tries each failing run once per start).");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{Prefix}LeaseDuration is {options.LeaseDuration}; use at least 00:00:01 (default 00:00:30).");
        }

        if (!Enum.IsDefined(options.Backend))
        {
            errors.Add($"{Prefix}Backend is {(int)options.Backend}; use Sqlite or Postgres.");
        }

        if (!Enum.IsDefined(options.Durability))
        {
            errors.Add($"{Prefix}Durability is {(int)options.Durability}; use Normal or Full.");
        }

        if (!Enum.IsDefined(options.OnCodeChange))
        {
            errors.Add($"{Prefix}OnCodeChange is {(int)options.OnCodeChange}; use Warn, Rerun or Ignore.");
        }

        if (options.CheckpointKeepLast < 0)
        {
            errors.Add($"{Prefix}CheckpointKeepLast is {options.CheckpointKeepLast}; use 0 (keep all) or a positive count.");
        }

        if (options.ProgressInterval <= TimeSpan.Zero)
        {
            errors.Add($"{Prefix}ProgressInterval is {options.ProgressInterval}; use a positive time such as 00:00:05.");
        }

        if (options.QueuePollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{Prefix}QueuePollInterval is {options.QueuePollInterval}; use a positive time such as 00:00:01.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
