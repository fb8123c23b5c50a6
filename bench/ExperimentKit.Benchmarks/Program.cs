using BenchmarkDotNet.Running;

namespace ExperimentKit.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line (for example <c>--filter '*Hash*'</c>).</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    /// <param name="args">BenchmarkDotNet's command-line arguments.</param>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
