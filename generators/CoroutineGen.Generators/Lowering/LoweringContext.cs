using System.Collections.Generic;
using CoroutineGen.Generators.Diagnostics;
using CoroutineGen.Generators.Model;

namespace CoroutineGen.Generators.Lowering;

/// <summary>State shared by the lowering passes of one template: its locals (temporaries get added), labels, diagnostics.</summary>
internal sealed class LoweringContext
{
    private readonly Dictionary<string, int> _labelCounters = new();
    private int _temps;

    public LoweringContext(TemplateModel model, System.Threading.CancellationToken cancellationToken = default)
    {
        Model = model;
        CancellationToken = cancellationToken;
        Locals = new List<LocalModel>(model.Body.Locals);
    }

    private static readonly HashSet<string> Primitives = new()
    {
        "bool", "byte", "sbyte", "char", "short", "ushort", "int", "uint", "long", "ulong", "float", "double", "decimal", "nint", "nuint",
    };

    public TemplateModel Model { get; }

    /// <summary>Observed by the passes between statements: the IDE cancels a generator run as soon as the user types on.</summary>
    public System.Threading.CancellationToken CancellationToken { get; }

    public SignatureModel Signature => Model.Signature;

    public List<LocalModel> Locals { get; }

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    /// <summary>Per-execution frames of blocks whose variables lambdas capture, by scope.</summary>
    public Dictionary<int, CaptureFrame> Frames { get; } = new();

    /// <summary>The frame each captured block variable lives in.</summary>
    public Dictionary<int, CaptureFrame> FrameOf { get; } = new();

    /// <summary>Locals that must be fields whatever liveness says (declared in a scope the lowering had to break up).</summary>
    public HashSet<int> ForceHoisted { get; } = new();

    public bool IsBidirectional => Signature.OutType is not null;

    /// <summary>The null-forgiving operator where the language has it (C# 8).</summary>
    public string NotNull => Model.SupportsNullable ? "!" : string.Empty;

    public bool ReturnsValue => Signature.ReturnType is not null;

    /// <summary>A new label: <c>__hint</c> followed by a number unique for that hint.</summary>
    public string NewLabel(string hint)
    {
        _labelCounters.TryGetValue(hint, out var n);
        _labelCounters[hint] = ++n;
        var name = $"__{hint}{n}";
        GeneratedNames.Add(name);
        return name;
    }

    /// <summary>Every label and variable name the lowering made up (user locals must not take them).</summary>
    public HashSet<string> GeneratedNames { get; } = new();

    /// <summary>A new temporary local of the given type (the lowering decides later whether it is a field).</summary>
    public int NewTemp(string type, string hint = "t", bool holdsReferences = true, bool isValueType = false)
    {
        if (Primitives.Contains(type))
        {
            holdsReferences = false;
            isValueType = true;
        }

        var id = Locals.Count;
        _temps++;
        Locals.Add(new LocalModel(id, $"{hint}{_temps}", type, LocalKind.Temporary, false, false, false, holdsReferences, isValueType, true, 0, null));
        return id;
    }

    public void Report(string id, SourceSpan? span, params string[] args) =>
        Diagnostics.Add(DiagnosticInfo.Create(id, span ?? Signature.Span, args));
}
