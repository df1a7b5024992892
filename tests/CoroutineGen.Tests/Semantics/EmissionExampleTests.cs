using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Semantics;

/// <summary>
/// The first hand-lowered example of the emission: a receive loop in try/catch/finally
/// nested in a try that catches GeneratorExitException, with a catch-all that must not swallow it, driven with
/// Send, Throw and Close. Its trace must match CPython's line for line.
/// </summary>
public static partial class EmissionExampleTests
{
    [Coroutine]
    internal static void Averager(Inbox<double> inbox, TextWriter log)
    {
        var sum = 0.0;
        var count = 0;
        try
        {
            while (true)
            {
                try
                {
                    double x = inbox.Receive();
                    if (x < 0) throw new ValueError("negative");
                    sum += x;
                    count++;
                    log.WriteLine($"avg={sum / count}");
                }
                catch (ValueError e)
                {
                    log.WriteLine($"bad: {e.Message}");
                }
                catch (Exception e)
                {
                    log.WriteLine($"other: {e.Message}");
                }
                finally
                {
                    log.WriteLine("tick");
                }
            }
        }
        catch (GeneratorExitException)
        {
            log.WriteLine("closing");
        }
        finally
        {
            log.WriteLine("final");
        }
    }

    private const string Twin = """
        def averager():
            s = 0.0; n = 0
            try:
                while True:
                    try:
                        x = (yield)
                        if x < 0: raise ValueError("negative")
                        s += x; n += 1
                        print(f"avg={s/n:g}")
                    except ValueError as e:
                        print(f"bad: {e}")
                    except Exception as e:
                        print(f"other: {e}")
                    finally:
                        print("tick")
            except GeneratorExit:
                print("closing")
            finally:
                print("final")
        c = averager(); next(c)
        c.send(1); c.send(3); c.send(-1)
        c.throw(ValueError("injected"))
        c.throw(TypeError("fmt"))
        c.send(5)
        print(state(c))
        c.close()
        print(state(c))
        attempt("send after close", lambda: c.send(1))
        attempt("second close", lambda: c.close())
        """;

    [Fact]
    public static void Averager_matches_CPython_line_for_line()
    {
        var trace = new Trace();
        var c = Averager(trace.Writer);
        c.Send(1);
        c.Send(3);
        c.Send(-1);
        c.Throw(new ValueError("injected"));
        c.Throw(new TypeError("fmt"));
        c.Send(5);
        trace.Print(c.State.ToString());
        c.Close();
        trace.Print(c.State.ToString());
        trace.Attempt("send after close", () => c.Send(1));
        trace.Attempt("second close", () => c.Close());
        PythonTwin.AssertSameTrace(Twin, trace.Lines);
    }
}
