using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace CoroutineGen.Generators.Tests.Infrastructure;

/// <summary>
/// Golden-file (snapshot) comparison without Verify. The expected text of snapshot <c>Name</c> lives in
/// <c>tests/CoroutineGen.Generators.Tests/Snapshots/Name.verified.cs</c>, committed. Texts are compared after
/// normalising line endings to <c>\n</c> and replacing the generator version in <c>[GeneratedCode("CoroutineGen", "x.y.z")]</c>
/// with <see cref="VersionPlaceholder"/>, so a version bump or a Windows checkout changes nothing.
/// <para>
/// On a mismatch (or a missing baseline) the actual text is written to <c>Name.received.cs</c> beside the baseline
/// (git ignores it) and the test fails with the first differing line and a <c>diff -u</c> command. With the
/// environment variable <c>UPDATE_SNAPSHOTS=1</c> the baseline is overwritten instead and the test passes:
/// <c>UPDATE_SNAPSHOTS=1 dotnet test tests/CoroutineGen.Generators.Tests</c>, then review <c>git diff</c>.
/// </para>
/// </summary>
public static partial class GoldenFile
{
    /// <summary>Set to <c>1</c> to accept the received texts as the new baselines.</summary>
    public const string UpdateVariable = "UPDATE_SNAPSHOTS";

    public const string VerifiedSuffix = ".verified.cs";

    public const string ReceivedSuffix = ".received.cs";

    /// <summary>What the generator version is replaced with in snapshots.</summary>
    public const string VersionPlaceholder = "{CoroutineGenVersion}";

    /// <summary>The directory of the test project (from the assembly's <c>ProjectDirectory</c> metadata).</summary>
    public static string ProjectDirectory { get; } = typeof(GoldenFile).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ProjectDirectory").Value
        ?? throw new InvalidOperationException("The test assembly has no ProjectDirectory metadata.");

    /// <summary>Where the committed baselines live.</summary>
    public static string SnapshotDirectory { get; } = Path.Combine(ProjectDirectory, "Snapshots");

    /// <summary>Whether <c>UPDATE_SNAPSHOTS=1</c> is set.</summary>
    public static bool UpdateRequested => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>
    /// Compares <paramref name="actual"/> with the baseline <c>Snapshots/<paramref name="name"/>.verified.cs</c>
    /// (see the class comment). <paramref name="name"/> defaults to the calling test method's name.
    /// </summary>
    public static void Verify(string actual, [CallerMemberName] string name = "")
    {
        var outcome = Compare(SnapshotDirectory, name, actual, UpdateRequested);
        if (outcome.Failure is not null)
        {
            Assert.Fail(outcome.Failure);
        }
    }

    /// <summary>
    /// <see cref="Verify"/> for several snapshots at once: every one is compared (and every mismatch written to its
    /// <c>.received.cs</c>) before the test fails with all the messages.
    /// </summary>
    public static void VerifyAll(IEnumerable<(string Name, string Text)> snapshots)
    {
        var failures = snapshots
            .Select(snapshot => Compare(SnapshotDirectory, snapshot.Name, snapshot.Text, UpdateRequested).Failure)
            .OfType<string>()
            .ToList();
        if (failures.Count > 0)
        {
            Assert.Fail(string.Join(Environment.NewLine, failures));
        }
    }

    /// <summary>
    /// The work of <see cref="Verify"/>, on any directory and with the update switch as a parameter, so the
    /// snapshot mechanism itself can be tested. Returns the failure message, or null when the test passes.
    /// </summary>
    public static (string? Failure, bool BaselineWritten) Compare(string directory, string name, string actual, bool update)
    {
        if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains(Path.DirectorySeparatorChar) || name.Contains('/'))
        {
            throw new ArgumentException($"'{name}' cannot be a snapshot file name.", nameof(name));
        }

        var verifiedPath = Path.Combine(directory, name + VerifiedSuffix);
        var receivedPath = Path.Combine(directory, name + ReceivedSuffix);
        var normalizedActual = Normalize(actual);
        string? expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;

        if (expected == normalizedActual)
        {
            File.Delete(receivedPath);
            return (null, false);
        }

        if (update)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, normalizedActual, Utf8NoBom);
            File.Delete(receivedPath);
            return (null, true);
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, normalizedActual, Utf8NoBom);

        var message = new StringBuilder();
        if (expected is null)
        {
            message.AppendLine($"Snapshot '{name}' has no baseline: {verifiedPath} does not exist.");
            message.AppendLine($"The generated text was written to {receivedPath}; review it.");
        }
        else
        {
            message.AppendLine($"Snapshot '{name}' does not match its baseline.");
            message.AppendLine(FirstDifference(expected, normalizedActual));
            message.AppendLine($"The generated text was written to {receivedPath}. See every difference with:");
            message.AppendLine($"  diff -u {verifiedPath} {receivedPath}");
        }

        message.AppendLine($"If the new text is right, accept it: {UpdateVariable}=1 dotnet test tests/CoroutineGen.Generators.Tests (then review git diff).");
        return (message.ToString(), false);
    }

    /// <summary>Line endings to <c>\n</c>, the generator version to <see cref="VersionPlaceholder"/>, no byte-order mark.</summary>
    public static string Normalize(string text) =>
        GeneratedCodeVersion().Replace(text.Replace("\r\n", "\n").Replace('\r', '\n').TrimStart('\uFEFF'), "${prefix}" + VersionPlaceholder + "\"");

    /// <summary>"First difference at line N:" with the expected and actual line (or the end of the file).</summary>
    public static string FirstDifference(string expected, string actual)
    {
        var expectedLines = Lines(expected);
        var actualLines = Lines(actual);
        for (int i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : null;
            var a = i < actualLines.Length ? actualLines[i] : null;
            if (e != a)
            {
                return $"First difference at line {i + 1} (expected {expectedLines.Length} lines, received {actualLines.Length}):"
                    + Environment.NewLine + "  expected: " + Show(e)
                    + Environment.NewLine + "  actual:   " + Show(a);
            }
        }

        return expected == actual ? "The texts are equal." : "The lines are equal; only the newline at the end of the file differs.";
    }

    // The lines of a \n-normalized text; a final newline ends the last line, it does not start an empty one.
    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : (text.EndsWith('\n') ? text[..^1] : text).Split('\n');

    private static string Show(string? line) => line is null
        ? "<end of file>"
        : "\"" + line.Replace("\t", "\\t") + "\"";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    [GeneratedRegex(@"(?<prefix>GeneratedCode\(""CoroutineGen"", "")[^""]*""", RegexOptions.CultureInvariant)]
    private static partial Regex GeneratedCodeVersion();
}
