using CoroutineGen.Tests.Infrastructure;

namespace CoroutineGen.Tests.Constructs;

/// <summary>
/// try statements nested three and four levels deep, with receives in the try, catch and finally blocks of each
/// level, driven with Send, Throw and Close from every suspension point.
/// </summary>
public static partial class NestedTryTests
{
    [Coroutine]
    internal static void Nest(Inbox<string> inbox, Trace t)
    {
        try
        {
            try
            {
                try
                {
                    var x = inbox.Receive();
                    t.Print("L3 got " + x);
                    if (x == "v")
                    {
                        throw new ValueError("L3");
                    }

                    if (x == "k")
                    {
                        throw new TypeError("L3");
                    }
                }
                catch (ValueError e)
                {
                    t.Print("L3 caught " + e.Message + " " + inbox.Receive());
                }
                finally
                {
                    t.Print("L3 finally " + inbox.Receive());
                }

                t.Print("after L3 " + inbox.Receive());
            }
            catch (TypeError e)
            {
                t.Print("L2 caught " + e.Message + " " + inbox.Receive());
                throw new ValueError("from L2");
            }
            finally
            {
                t.Print("L2 finally " + inbox.Receive());
            }
        }
        catch (ValueError e)
        {
            t.Print("L1 caught " + e.Message + " " + inbox.Receive());
        }
#pragma warning disable CORO0007 // on purpose: after this handler the body receives again (ignored GeneratorExit)
        catch (GeneratorExitException)
        {
            t.Print("L1 exit");
        }
#pragma warning restore CORO0007
        finally
        {
            t.Print("L1 finally");
        }

        t.Print("end " + inbox.Receive());
    }

    private const string NestTwin = """
        def nest():
            try:
                try:
                    try:
                        x = (yield)
                        print("L3 got " + x)
                        if x == "v":
                            raise ValueError("L3")
                        if x == "k":
                            raise TypeError("L3")
                    except ValueError as e:
                        print("L3 caught " + str(e) + " " + (yield))
                    finally:
                        print("L3 finally " + (yield))
                    print("after L3 " + (yield))
                except TypeError as e:
                    print("L2 caught " + str(e) + " " + (yield))
                    raise ValueError("from L2")
                finally:
                    print("L2 finally " + (yield))
            except ValueError as e:
                print("L1 caught " + str(e) + " " + (yield))
            except GeneratorExit:
                print("L1 exit")
            finally:
                print("L1 finally")
            print("end " + (yield))

        """;

    // Every script starts with a fresh coroutine; together they drive Send, Throw (handled at each level, and not)
    // and Close from each suspension point.
    private static readonly string[][] Scripts =
    [
        ["send:a", "send:b", "send:c", "send:d", "send:e"],
        ["send:v", "send:b", "send:c", "send:d", "send:e", "send:f"],
        ["send:k", "send:b", "send:c", "send:d", "send:e", "send:f"],
        ["throw:ValueError:t1", "send:b", "send:c", "send:d", "send:e", "send:f"],
        ["throw:TypeError:t1", "send:b", "send:c", "send:d", "send:e", "send:f"],
        ["send:v", "throw:ValueError:in L3 catch", "send:c", "send:d", "send:e"],
        ["send:v", "throw:TypeError:in L3 catch", "send:c", "send:d", "send:e"],
        ["send:a", "throw:TypeError:in L3 finally", "send:c", "send:d", "send:e"],
        ["send:a", "send:b", "throw:TypeError:after L3", "send:c", "send:d", "send:e"],
        ["send:k", "send:b", "throw:ValueError:in L2 catch", "send:d", "send:e"],
        ["send:k", "send:b", "send:c", "throw:TypeError:in L2 finally", "send:e"],
        ["send:v", "send:b", "send:c", "send:d", "throw:ValueError:at end"],
        ["close"],
        ["send:v", "close"],
        ["send:a", "close"],
        ["send:a", "send:b", "close"],
        ["send:k", "send:b", "close"],
        ["send:k", "send:b", "send:c", "close"],
        ["send:k", "send:b", "send:c", "send:d", "close"],
        ["send:a", "send:b", "send:c", "send:d", "close"],
    ];

    [Fact]
    public static void Three_levels_of_try_with_receives_everywhere_match_CPython()
    {
        var trace = new Trace();
        var twin = new System.Text.StringBuilder(NestTwin);
        foreach (var script in Scripts)
        {
            Drive.Script(trace, () => Nest(trace), script);
            twin.AppendLine($"script(nest, [{string.Join(", ", script.Select(s => $"\"{s}\""))}])");
        }

        Drive.AssertPython(twin.ToString(), trace);
    }

    // Four levels, each with a finally that receives, left by a return from the innermost try and by an exception.
    [Coroutine]
    internal static string Deep(Inbox<string> inbox, Trace t)
    {
        try
        {
            try
            {
                try
                {
                    try
                    {
                        var x = inbox.Receive();
                        if (x == "raise")
                        {
                            throw new ValueError("deep");
                        }

                        return "returned " + x;
                    }
                    finally
                    {
                        t.Print("f4 " + inbox.Receive());
                    }
                }
                finally
                {
                    t.Print("f3 " + inbox.Receive());
                }
            }
            catch (ValueError e)
            {
                t.Print("caught " + e.Message + " " + inbox.Receive());
                return "handled";
            }
            finally
            {
                t.Print("f2 " + inbox.Receive());
            }
        }
        finally
        {
            t.Print("f1 " + inbox.Receive());
        }
    }

    private const string DeepTwin = """
        def deep():
            try:
                try:
                    try:
                        try:
                            x = (yield)
                            if x == "raise":
                                raise ValueError("deep")
                            return "returned " + x
                        finally:
                            print("f4 " + (yield))
                    finally:
                        print("f3 " + (yield))
                except ValueError as e:
                    print("caught " + str(e) + " " + (yield))
                    return "handled"
                finally:
                    print("f2 " + (yield))
            finally:
                print("f1 " + (yield))
        script(deep, ["send:a", "send:b", "send:c", "send:d", "send:e"])
        script(deep, ["send:raise", "send:b", "send:c", "send:d", "send:e", "send:f"])
        script(deep, ["send:a", "send:b", "throw:ValueError:in f3", "send:d", "send:e", "send:f"])
        script(deep, ["send:a", "send:b", "send:c", "throw:ValueError:in f2", "send:e"])
        script(deep, ["send:raise", "send:b", "send:c", "close"])
        """;

    [Fact]
    public static void Four_levels_of_receiving_finally_blocks_match_CPython()
    {
        var trace = new Trace();
        Drive.Script(trace, () => Deep(trace), "send:a", "send:b", "send:c", "send:d", "send:e");
        Drive.Script(trace, () => Deep(trace), "send:raise", "send:b", "send:c", "send:d", "send:e", "send:f");
        Drive.Script(trace, () => Deep(trace), "send:a", "send:b", "throw:ValueError:in f3", "send:d", "send:e", "send:f");
        Drive.Script(trace, () => Deep(trace), "send:a", "send:b", "send:c", "throw:ValueError:in f2", "send:e");
        Drive.Script(trace, () => Deep(trace), "send:raise", "send:b", "send:c", "close");
        Drive.AssertPython(DeepTwin, trace);
    }
}
