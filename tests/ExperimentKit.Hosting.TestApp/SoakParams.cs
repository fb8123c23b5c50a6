namespace ExperimentKit.Hosting.TestApp;

/// <summary>One point of the soak sweep: a short run of a few checkpointed steps.</summary>
[Experiment("soak")]
public partial record SoakParams(int Index, int Steps = 5);
