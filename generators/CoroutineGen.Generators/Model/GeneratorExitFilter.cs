namespace CoroutineGen.Generators.Model;

/// <summary>
/// The one place that writes the filter which keeps a template's <c>catch</c> and <c>catch (Exception)</c> from
/// catching GeneratorExitException: in Python, <c>except Exception</c> does not catch GeneratorExit (rule 5 of
/// docs/semantics.md). Used for catch clauses copied whole (<see cref="Parsing.CodeBuilder"/>) and for the catch
/// clauses the lowering rewrites (<c>ControlFlowFlattener.ExceptionHandlers.cs</c>).
/// </summary>
internal static class GeneratorExitFilter
{
    /// <summary>The exception type Close() raises.</summary>
    public const string ExceptionType = "global::CoroutineGen.GeneratorExitException";

    /// <summary>
    /// The condition of the clause's <c>when</c>: <c>!(variable is GeneratorExitException)</c>, then the user's own
    /// filter, if any, which runs only for other exceptions.
    /// </summary>
    public static Code Condition(Code variable, Code? userFilter)
    {
        var exclusion = Code.Concat("!(", variable, " is " + ExceptionType + ")");
        return userFilter is null ? exclusion : Code.Concat(exclusion, " && (", userFilter, ")");
    }
}
