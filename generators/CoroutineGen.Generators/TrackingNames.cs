namespace CoroutineGen.Generators;

/// <summary>Names of the tracked steps of the incremental pipeline (the incrementality tests address them).</summary>
internal static class TrackingNames
{
    /// <summary>Each [Coroutine] method parsed into a model (or into nothing, when it is invalid).</summary>
    public const string Templates = nameof(Templates);

    /// <summary>The valid models only.</summary>
    public const string ValidTemplates = nameof(ValidTemplates);

    /// <summary>The hint names that had to change because several templates' base names collide (usually none).</summary>
    public const string HintNames = nameof(HintNames);
}
