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

/// <summary>
/// Names of the tracked steps before the parse. Unlike the steps of <see cref="TrackingNames"/>, their outputs hold
/// syntax and compilations on purpose (they are what the parse reads), and compare by value: a find by its file's
/// text and span (<see cref="Parsing.TemplateSyntax"/>), a compilation by its declarations
/// (<see cref="Parsing.ProjectDeclarations"/>). The incrementality tests check them separately.
/// </summary>
internal static class InputTrackingNames
{
    /// <summary>Each [Coroutine] method found, before anything is bound.</summary>
    public const string TemplateSyntax = nameof(TemplateSyntax);

    /// <summary>The compilation, compared by its declarations.</summary>
    public const string Declarations = nameof(Declarations);
}
