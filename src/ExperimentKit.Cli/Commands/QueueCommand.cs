using System.CommandLine;
using System.Globalization;

namespace ExperimentKit.Cli.Commands;

/// <summary><c>expkit queue</c>: submitted sweeps that are queued or being run, and the runs that are running.</summary>
internal static class QueueCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var rootArgument = CliOptions.RootArgument();
        var all = new Option<bool>("--all") { Description = "Also finished submissions." };
        var json = CliOptions.Json();
        var command = new Command("queue", "What is queued and running: submitted sweeps and Running runs.");
        command.Arguments.Add(rootArgument);
        command.Options.Add(all);
        command.Options.Add(json);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            await using var ledger = await context.OpenLedgerAsync(context.Root(rootArgument), ct: ct).ConfigureAwait(false);
            var submissions = (await ledger.ListSubmissionsAsync(ct).ConfigureAwait(false))
                .Where(s => context.Parse.GetValue(all) || s.Status is SubmissionStatus.Queued or SubmissionStatus.Taken)
                .ToList();
            var running = await ledger.ListAsync(new RunQuery { Statuses = [RunStatus.Running], OrderBy = RunOrder.Created }, ct).ConfigureAwait(false);
            if (context.Parse.GetValue(json))
            {
                await RunJson.WriteToAsync(context.Out, writer => WriteJson(writer, submissions, running)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var o = context.Out;
            var a = context.Ansi;
            o.WriteLine(a.Bold($"submissions ({submissions.Count})"));
            if (submissions.Count > 0)
            {
                var table = new TableWriter(["id", "status", "experiment", "assignments", "submitted", "taken by", "error"]);
                table.Fixed.UnionWith([0, 1]);
                foreach (var s in submissions)
                {
                    table.Add(
                    [
                        "#" + s.Id.ToString(CultureInfo.InvariantCulture), s.Status.ToString(), s.Experiment, string.Join(' ', s.Assignments),
                        Format.Time(s.Submitted), s.TakenBy is { } t ? $"{t.Host}:{t.ProcessId}" : string.Empty, Format.FirstLine(s.Error),
                    ]);
                }

                table.Write(o, context.Console.Width, a);
            }

            o.WriteLine(a.Bold($"running ({running.Count})"));
            if (running.Count > 0)
            {
                var now = DateTimeOffset.UtcNow;
                var table = new TableWriter(["run", "hash", "attempt", "owner", "started", "lease"]);
                foreach (var r in running)
                {
                    var lease = r.LeaseExpires is { } l ? (l < now ? a.Red("expired " + Format.Time(l)) : "until " + Format.Time(l)) : string.Empty;
                    table.Add([Format.RunName(r), r.Key.Hash[..8], r.Attempt.ToString(CultureInfo.InvariantCulture), r.Owner is { } w ? $"{w.Host}:{w.ProcessId}" : string.Empty, Format.Time(r.Started), lease]);
                }

                table.Write(o, context.Console.Width, a);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>{"submissions": [...], "running": [...]}</c>: submissions with their assignments as a list, runs as <c>expkit runs --json</c> writes them.</summary>
    private static void WriteJson(System.Text.Json.Utf8JsonWriter writer, IReadOnlyList<SweepSubmission> submissions, IReadOnlyList<RunRow> running)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("submissions");
        foreach (var s in submissions)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", s.Id);
            writer.WriteString("status", s.Status.ToString());
            writer.WriteString("experiment", s.Experiment);
            writer.WriteStartArray("assignments");
            foreach (var assignment in s.Assignments)
            {
                writer.WriteStringValue(assignment);
            }

            writer.WriteEndArray();
            writer.WriteString("submitted", s.Submitted);
            if (s.Taken is { } taken)
            {
                writer.WriteString("taken", taken);
            }
            else
            {
                writer.WriteNull("taken");
            }

            writer.WriteString("takenBy", s.TakenBy is { } t ? $"{t.Host}:{t.ProcessId}" : null);
            if (s.Finished is { } finished)
            {
                writer.WriteString("finished", finished);
            }
            else
            {
                writer.WriteNull("finished");
            }

            writer.WriteString("error", s.Error);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("running");
        foreach (var row in running)
        {
            RunJson.Write(writer, row, full: false);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
