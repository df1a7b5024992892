using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CoroutineGen.Benchmarks;

/// <summary>
/// <c>--probe-eh</c>: which exception-handling shapes does this runtime's JIT still inline? Five copies of one
/// small method (a state write, a call that may throw, a state write) differ only in their EH; each is called from
/// its own loop. Run with
/// <c>DOTNET_JitStdOutFile=/tmp/eh.txt DOTNET_JitDisasm='Drive*' dotnet bin/Release/net10.0/CoroutineGen.Benchmarks.dll --probe-eh</c>
/// and look at the Tier1 listings: an inlined method no longer appears as a <c>call</c> in its driver. The timings
/// printed tell the same story without the listing. On .NET 10.0 try/finally is inlined; try/catch is not, whatever
/// the clause (typed, catch-all with rethrow, <c>catch (Exception)</c>).
/// </summary>
internal static class EhInliningProbe
{
    private sealed class ProbeException : Exception
    {
    }

    private sealed class Shapes
    {
        public long Sum;
        public int State;

        public void NoEh(int v)
        {
            State = -1;
            Call(v);
            State = 1;
        }

        public void TryFinally(int v)
        {
            bool done = false;
            State = -1;
            try
            {
                Call(v);
                done = true;
            }
            finally
            {
                if (!done) Fail();
            }

            State = 1;
        }

        public void TryCatchTyped(int v)
        {
            State = -1;
            try
            {
                Call(v);
            }
            catch (ProbeException)
            {
                Fail();
            }

            State = 1;
        }

        public void TryCatchAllRethrow(int v)
        {
            State = -1;
            try
            {
                Call(v);
            }
            catch
            {
                Fail();
                throw;
            }

            State = 1;
        }

        public void TryCatchException(int v)
        {
            State = -1;
            try
            {
                Call(v);
            }
            catch (Exception)
            {
                Fail();
                throw;
            }

            State = 1;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Call(int v)
        {
            Sum += v;
            if (v < 0) throw new ProbeException();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Fail() => State = -2;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DriveNoEh(Shapes s, int n)
    {
        for (int i = 0; i < n; i++) s.NoEh(i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DriveTryFinally(Shapes s, int n)
    {
        for (int i = 0; i < n; i++) s.TryFinally(i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DriveTryCatchTyped(Shapes s, int n)
    {
        for (int i = 0; i < n; i++) s.TryCatchTyped(i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DriveTryCatchAllRethrow(Shapes s, int n)
    {
        for (int i = 0; i < n; i++) s.TryCatchAllRethrow(i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DriveTryCatchException(Shapes s, int n)
    {
        for (int i = 0; i < n; i++) s.TryCatchException(i);
    }

    public static int Run()
    {
        var s = new Shapes();
        (string Name, Action<Shapes, int> Drive)[] drivers =
        [
            ("no EH", DriveNoEh), ("try/finally", DriveTryFinally), ("try/catch (T)", DriveTryCatchTyped),
            ("try/catch { throw; }", DriveTryCatchAllRethrow), ("try/catch (Exception)", DriveTryCatchException),
        ];
        for (int round = 0; round < 60; round++)
        {
            foreach (var (_, drive) in drivers) drive(s, 1000);
            Thread.Sleep(5);
        }

        foreach (var (name, drive) in drivers)
        {
            var best = double.MaxValue;
            for (int r = 0; r < 7; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                drive(s, 10_000_000);
                best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalNanoseconds / 10_000_000);
            }

            Console.WriteLine($"{name,-24} {best:F2} ns/call (best of 7)");
        }

        return 0;
    }
}
