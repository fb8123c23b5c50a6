namespace ExperimentKit.TestWorker;

/// <summary>The parameter sets that racing processes compete for.</summary>
[Experiment("race")]
public partial record RaceParams(int Index, string Label = "point");

/// <summary>One long run that saves a checkpoint at every step, to be killed and resumed.</summary>
[Experiment("checkpointed")]
public partial record CheckpointedParams(int Steps, int Seed);
