using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Emission;

/// <summary>
/// Variants of the generator bugs the differential fuzzer found (docs/contributing/fuzzing.md) that the behaviour
/// tests (tests/CoroutineGen.Tests/Constructs/FuzzRegressionTests.cs) do not reach: the generated code must compile
/// without errors (CS0165, CS0136, CS8648 before the fixes) and without warnings other than the lowering's own dead
/// labels.
/// </summary>
public sealed class FuzzRegressionCompileTests
{
    public static TheoryData<string, string> Bodies => new()
    {
        {
            "a local declared in a try and read by a nested try before its receive",
            """
            try
            {
                var x = inbox.Receive();
                int n = x.Length;
                try
                {
                    log.WriteLine(n);
                    log.WriteLine(inbox.Receive());
                }
                catch (Exception)
                {
                    log.WriteLine("caught");
                }
            }
            finally
            {
                log.WriteLine("finally");
            }
            """
        },
        {
            "throw; in a nested try of a moved catch, before its receive",
            """
            try
            {
                log.WriteLine(inbox.Receive());
            }
            catch (InvalidOperationException)
            {
                try
                {
                    if (log.Encoding is null)
                    {
                        throw;
                    }

                    log.WriteLine(inbox.Receive());
                }
                finally
                {
                    log.WriteLine("inner finally");
                }
            }
            """
        },
        {
            "user variables named like the filter variables of nested catch-alls",
            """
            var __exception = inbox.Receive();
            var __exception_2 = __exception + "!";
            try
            {
                log.WriteLine(__exception);
            }
            catch
            {
                try
                {
                    log.WriteLine(__exception_2);
                }
                catch (Exception)
                {
                    try
                    {
                        log.WriteLine("innermost");
                    }
                    catch
                    {
                        log.WriteLine(__exception + __exception_2);
                    }
                }
            }

            log.WriteLine(inbox.Receive() + __exception_2);
            """
        },
        {
            "break and return before a using declaration, out of a try whose finally receives",
            """
            while (true)
            {
                try
                {
                    var x = inbox.Receive();
                    {
                        if (x == "stop")
                        {
                            break;
                        }

                        if (x == "return")
                        {
                            return;
                        }

                        using var writer = new StringWriter();
                        writer.Write(x);
                        log.WriteLine(writer);
                    }
                }
                finally
                {
                    log.WriteLine(inbox.Receive());
                }
            }

            log.WriteLine("after");
            """
        },
        {
            "a using declaration nested in an if of a finally that receives",
            """
            try
            {
                log.WriteLine(inbox.Receive());
            }
            finally
            {
                var y = inbox.Receive();
                if (y.Length > 0)
                {
                    using var writer = new StringWriter();
                    writer.Write(y);
                }
            }

            log.WriteLine("after");
            """
        },
        {
            "return before a using declaration in a block lowered inside a using statement and a foreach that receive",
            """
            using (var outer = new StringWriter())
            {
                foreach (var ch in "ab")
                {
                    var x = inbox.Receive();
                    {
                        if (x == "return")
                        {
                            return;
                        }

                        using var writer = new StringWriter();
                        writer.Write(ch);
                    }
                }

                outer.Write(inbox.Receive());
            }
            """
        },
        {
            "a local assigned in a finally and read after the try (C# sees the generated finally as conditional)",
            """
            int c;
            try
            {
                log.WriteLine(inbox.Receive());
            }
            finally
            {
                c = 1;
            }

            log.WriteLine(c);
            int d = 0;
            int w = 0;
            while (w < 3)
            {
                w++;
                log.WriteLine(d);
                try
                {
                    log.WriteLine(inbox.Receive());
                }
                finally
                {
                    d = w;
                }
            }
            """
        },
        {
            "a catch that reads a local the try body assigns first (C# takes the state at the start of the try)",
            """
            int b = 0;
            try
            {
                try
                {
                    b = 3;
                    log.WriteLine(b);
                }
                catch (InvalidOperationException)
                {
                    log.WriteLine(inbox.Receive());
                }
                catch (Exception)
                {
                    log.WriteLine(b);
                }
            }
            finally
            {
                log.WriteLine("finally");
            }
            """
        },
        {
            "a hoisted local named like the snapshot of a capture frame",
            """
            Func<int, int> f1 = p => p + 1;
            log.WriteLine(inbox.Receive());
            for (int k = 0; k < 2; k++)
            {
                int i = k;
                Func<int> g = () => i + f1(0);
                log.WriteLine(inbox.Receive() + g());
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Compiles_clean(string construct, string body)
    {
        _ = construct;
        var run = GeneratorHarness.Run($$"""
            using System;
            using System.IO;
            using CoroutineGen;

            namespace Demo;

            public static partial class Stages
            {
                [Coroutine]
                public static void Template(Inbox<string> inbox, TextWriter log)
                {
                    {{body}}
                }
            }
            """);

        GeneratorHarness.AssertCompilesClean(run, tolerateScaffoldingWarnings: true);
    }
}
