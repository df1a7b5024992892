using CoroutineGen.Generators.Tests.Infrastructure;

namespace CoroutineGen.Generators.Tests.Diagnostics;

/// <summary>
/// The analyzer and the generator agree on a file that mixes valid and invalid templates: the generator emits a
/// coroutine exactly for the templates the analyzer reports no error for (checked by <see cref="DiagnosticAssert"/>,
/// as in every diagnostic test), warnings do not stop generation, and the output compiles.
/// </summary>
public class AgreementTests
{
    [Fact]
    public void Mixed_valid_and_invalid_templates_in_one_file()
    {
        DiagnosticAssert.Verify("""
            using System;
            using System.Collections.Generic;
            using CoroutineGen;

            namespace Demo;

            public static partial class Pipelines
            {
                private static readonly object Gate = new();

                [Coroutine]
                public static void Valid(Inbox<string> inbox, ICoroutine<string> target) { while (true) target.Send(inbox.Receive()); }

                [Coroutine]
                public static void {|CORO0006:WarnsOnly|}(Inbox<string> inbox) { Console.WriteLine("primed"); }

                [Coroutine]
                public static void Locked(Inbox<int> inbox) { lock (Gate) { Console.WriteLine({|CORO0004:inbox.Receive()|}); } }

                [Coroutine]
                public static void Misplaced(int x, {|CORO0002:Inbox<int> inbox|}) { while (true) Console.WriteLine(x + inbox.Receive()); }

                [Coroutine]
                public static void Escapes(Inbox<int> inbox) { Console.WriteLine({|CORO0005:inbox|}); while (true) inbox.Receive(); }

                [Coroutine]
                public static void Stubborn(Inbox<int> inbox)
                {
                    while (true)
                    {
                        try { inbox.Receive(); }
                        {|CORO0007:catch|} (GeneratorExitException) { inbox.Receive(); }
                    }
                }

                public static class {|CORO0001:Nested|}
                {
                    [Coroutine]
                    public static void Inside(Inbox<int> inbox) { while (true) Console.WriteLine(inbox.Receive()); }
                }

                public static void Use(ICoroutine<string> sink)
                {
                    using var valid = Valid(sink);
                    valid.Send("a");
                    using var warns = WarnsOnly();
                    using var stubborn = Stubborn();
                    valid.Close();
                    {|CORO0009:valid.Send("b")|};
                }
            }
            """, allowUnsafe: false, usesFactories: true);
    }
}
