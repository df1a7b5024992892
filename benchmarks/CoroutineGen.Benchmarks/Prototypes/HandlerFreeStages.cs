using System.Runtime.CompilerServices;
using CoroutineGen.Benchmarks.Workloads;

// As in the generator's output: the lowered labels leave unreachable statements and unused labels, and the
// release code assigns default to non-nullable fields.
#pragma warning disable CS0162, CS0164, CS8600, CS8601, CS8604, CS8625

namespace CoroutineGen.Benchmarks.Prototypes;

/// <summary>
/// PROTOTYPE of the next emitted shape, "handler-free fast paths" (benchmark <c>ProtoCore</c>): hand-edited copies
/// of the classes CoroutineGen generates today for <see cref="Implementations.GeneratedStages"/> (the shape of
/// <see cref="PrototypeStages"/>, golden file <c>Printer.verified.cs</c>), same templates, same semantics
/// (docs/semantics.md; <c>--check-prototype</c> compares them). Today a stage that calls its target keeps
/// <c>catch (GeneratorExitException)</c>, <c>catch (StopIterationException)</c> (PEP 479) and <c>catch { __Release(); throw; }</c>
/// around the call in <c>Send</c>, and the .NET 10 JIT inlines no method with a catch clause. Here no <c>Send</c>
/// has one:
/// <list type="number">
/// <item><description><b>Finishing on an escaping exception is a <c>try/finally</c> with a completion flag</b>
/// (<c>__completed</c>, set on every normal way out of the segment; the finally releases when it is not set). The
/// JIT inlines try/finally.</description></item>
/// <item><description><b>Generated stages tell each other "finished" with a bool</b>: every generated class implements
/// <see cref="ICoroutineCore{T}"/>; its <c>TrySendCore</c> is the fast path (and the public <c>Send</c> is
/// <c>if (!TrySendCore(...)) throw</c>). A stage sends to its target with
/// <c>target is ICoroutineCore&lt;T&gt; core ? core.TrySendCore(v, out raised) : CoroutineCore.TrySendOther(target, v, out raised)</c>:
/// a generated target through its core (no exception when it finishes), any other target through the shared,
/// non-inlined runtime helper, which keeps the catch clauses and reports a StopIterationException or
/// GeneratorExitException its <c>Send</c> threw the same way.</description></item>
/// <item><description><b>When the target did not take the value as usual</b> (<c>false</c>), the segment leaves the
/// try (<c>goto __stopped</c>) and calls the non-inlined <c>__TargetStopped</c>: a GeneratorExitException (from a
/// hand-written target's <c>Send</c>, or reported by a generated target's core) goes, as today, to the template's
/// <c>catch (GeneratorExitException)</c> through the slow path (state = close entry, <c>__Step</c>); "finished"
/// becomes PEP 479 (release, then <c>InvalidOperationException("coroutine raised StopIteration")</c>, inner: the
/// target's StopIterationException, or a new one where a generated target reported it without throwing).</description></item>
/// <item><description><b>The slow path</b> <c>__Step</c> is today's, with one change: it returns <c>false</c> where it
/// finished (or was finished) instead of throwing StopIterationException, and the callers that must throw
/// (<c>Send</c>, <c>Throw</c>) do; priming and <c>Close</c> ignore it (so the <c>__noStop</c> argument is gone). From
/// the core it is entered through <c>__StepCore</c>, whose only catch turns a GeneratorExitException escaping the body
/// into the core's result. <c>Throw</c>, <c>Close</c>, priming are as generated.</description></item>
/// <item><description>The counting sinks keep today's handler-free fast path (state Finished while the call-free
/// segment runs) and implement the core too.</description></item>
/// </list>
/// Every <c>Send</c> / <c>TrySendCore</c> is <c>AggressiveInlining</c>. The sinks here are also the sinks of the
/// variants in <see cref="FinallyStages"/> and <see cref="CoreFlagStages"/>.
/// <para>Differences a caller can observe (see <c>PrototypeCheck</c>, and the report in docs/performance.md): an
/// exception filter up the stack runs before the finally, so it sees a stage that an ordinary exception is leaving
/// <c>Running</c> (today: already <c>Closed</c>, because the catch-all released and rethrew first); the inner
/// StopIterationException of PEP 479 is created by the caller when the target is generated (its stack trace starts
/// there); a GeneratorExitException that escapes a handler reaches the caller of <c>Send</c> rethrown (stack trace kept,
/// plus a rethrow marker).</para>
/// </summary>
public static class HandlerFreeStages
{
    public static PassCoroutine Pass(ICoroutine<int> target)
    {
        var c = new PassCoroutine(target);
        c.__Start();
        return c;
    }

    public static GrepCoroutine Grep(string pattern, ICoroutine<string> target)
    {
        var c = new GrepCoroutine(pattern, target);
        c.__Start();
        return c;
    }

    public static BroadcastCoroutine Broadcast(ICoroutine<int>[] targets)
    {
        var c = new BroadcastCoroutine(targets);
        c.__Start();
        return c;
    }

    public static CountCoroutine Count(Result result)
    {
        var c = new CountCoroutine(result);
        c.__Start();
        return c;
    }

    public static CountStrCoroutine CountStr(Result result)
    {
        var c = new CountStrCoroutine(result);
        c.__Start();
        return c;
    }

    public sealed class PassCoroutine : ICoroutineCore<int>
    {
        // 0 before priming, k > 0 while parked at suspension point k, -1 while running, -2 once finished.
        private int __state;
        // The template's parameters.
        private ICoroutine<int> __target;

        internal PassCoroutine(ICoroutine<int> target)
        {
            __target = target;
        }

        /// <inheritdoc/>
        public CoroutineState State => CoroutineRuntime.ToState(__state);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Send(int value)
        {
            if (!__TrySend(value, out Exception? raised))
            {
                CoroutineCore.ThrowFinished(raised);
            }
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        bool ICoroutineCore<int>.TrySendCore(int value, out Exception? raised) => __TrySend(value, out raised);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool __TrySend(int value, out Exception? raised)
        {
            if (__state == 1)
            {
                // Fast path: resumed at suspension point 1, runs to the next one. No catch clause: an exception escaping
                // the segment finishes the coroutine in the finally; "the target finished" and GeneratorExit come back as
                // a result and are handled after the try (goto __stopped).
                __state = CoroutineRuntime.Running;
                bool __completed = false;
                try
                {
                    // target.Send(inbox.Receive());
                    var __t = __target;
                    if (!(__t is ICoroutineCore<int> __core
                        ? __core.TrySendCore(value, out raised)
                        : CoroutineCore.TrySendOther(__t, value, out raised)))
                    {
                        __completed = true;
                        goto __stopped;
                    }

                    // while (true): parked again at inbox.Receive()
                    __state = 1;
                    __completed = true;
                    return true;
                }
                finally
                {
                    if (!__completed)
                    {
                        // An exception escapes the body: the coroutine is finished (semantics rule 2).
                        __Release();
                    }
                }

            __stopped:
                return __TargetStopped(ref raised);
            }

            // Not parked at a fast path's suspension point: the full state machine.
            return __StepCore(value, out raised);
        }

        // The target finished (raised: null, or the StopIterationException its Send threw) or raised
        // GeneratorExitException. The state is still Running.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __TargetStopped(ref Exception? raised)
        {
            if (raised is GeneratorExitException)
            {
                // Caught by the template's catch (GeneratorExitException): the close entry of suspension point 1 jumps
                // to its handler in the slow path.
                __state = 3;
                return __StepCore(default!, out raised);
            }

            // A StopIterationException escaping the body is an error, not the end of this coroutine (PEP 479).
            __Release();
            throw CoroutineCore.RaisedStopIteration(raised);
        }

        // The slow path for the core: a GeneratorExitException escaping the body is reported, not thrown.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __StepCore(int value, out Exception? raised)
        {
            raised = null;
            try
            {
                return __Step(value);
            }
            catch (GeneratorExitException e)
            {
                // __Step has finished and released the coroutine.
                raised = e;
                return false;
            }
        }

        // The full state machine: priming, the throw and close entries, and every state the fast path does not handle.
        // Returns true when parked again, false when finished (now or before); throws what escapes the body.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __Step(int value, Exception? __pending = null)
        {
            int __entry = __state;
            if (__entry < 0)
            {
                if (__entry == CoroutineRuntime.Running)
                {
                    CoroutineRuntime.ThrowAlreadyRunning();
                }

                return false;
            }

            __state = CoroutineRuntime.Running;
            try
            {
                switch (__entry)
                {
                    case 1:
                    case 2:
                    case 3:
                        goto __try1;
                }
                // the body starts after this switch (state 0)

            __try1:
                try
                {
                    switch (__entry)
                    {
                        case 1:
                            goto __resume1;
                        case 2:
                            goto __throw1;
                        case 3:
                            goto __close1;
                    }

                    // while (true)
                __while1:
                    // target.Send(inbox.Receive());
                    __state = 1;
                    return true;
                __close1:
                    __entry = -1; goto __catch1;
                __throw1:
                    __entry = -1; CoroutineRuntime.Rethrow(__pending);
                __resume1:
                    __entry = -1;
                    __target.Send(value);
                    goto __while1;
                __while_end1: ;
                }
                catch (GeneratorExitException)
                {
                    goto __catch1;
                }
                // catch (GeneratorExitException), moved out of the catch clause
            __catch1:
                __target.Close();
                goto __finish;
            }
            catch (StopIterationException __leaked)
            {
                // A StopIterationException escaping the body is an error, not the end of this coroutine (PEP 479).
                __Release();
                throw CoroutineRuntime.RaisedStopIteration(__leaked);
            }
            catch
            {
                __Release();
                throw;
            }

        __finish:
            __Release();
            return false;
        }

        /// <inheritdoc/>
        public void Throw(Exception exception)
        {
            if (exception is null)
            {
                throw new ArgumentNullException(nameof(exception));
            }

            int state = __state;
            if (state == CoroutineRuntime.Running)
            {
                CoroutineRuntime.ThrowAlreadyRunning();
            }

            if (state <= 0)
            {
                // Finished (or never started): the exception is raised here, as Python's throw() does.
                __Release();
                CoroutineRuntime.Rethrow(exception);
            }

            __state = state + 1; // the throw entry of the same suspension point
            if (!__Step(default!, exception))
            {
                CoroutineRuntime.ThrowStopIteration();
            }
        }

        /// <inheritdoc/>
        public void Close()
        {
            int state = __state;
            if (state <= 0)
            {
                if (state == CoroutineRuntime.Running)
                {
                    CoroutineRuntime.ThrowAlreadyRunning();
                }

                __Release();
                return;
            }

            // No handler can observe the exception: go straight to the code that handles GeneratorExitException.
            __state = state + 2;
            try
            {
                __Step(default!);
            }
            catch (GeneratorExitException)
            {
                // GeneratorExit escaped the body: the coroutine is closed.
            }

            if (__state > 0)
            {
                CoroutineRuntime.ThrowIgnoredGeneratorExit();
            }
        }

        /// <summary>Closes the coroutine (<see cref="Close"/>).</summary>
        public void Dispose() => Close();

        internal void __Start()
        {
            __Step(default!);
        }

        // Finished: release everything the coroutine holds.
        private void __Release()
        {
            __state = CoroutineRuntime.Finished;
            __target = default;
        }
    }

    public sealed class GrepCoroutine : ICoroutineCore<string>
    {
        // 0 before priming, k > 0 while parked at suspension point k, -1 while running, -2 once finished.
        private int __state;
        // The template's parameters.
        private string __pattern;
        private ICoroutine<string> __target;

        internal GrepCoroutine(string pattern, ICoroutine<string> target)
        {
            __pattern = pattern;
            __target = target;
        }

        /// <inheritdoc/>
        public CoroutineState State => CoroutineRuntime.ToState(__state);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Send(string value)
        {
            if (!__TrySend(value, out Exception? raised))
            {
                CoroutineCore.ThrowFinished(raised);
            }
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        bool ICoroutineCore<string>.TrySendCore(string value, out Exception? raised) => __TrySend(value, out raised);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool __TrySend(string value, out Exception? raised)
        {
            if (__state == 1)
            {
                // Fast path (see PassCoroutine). It assumes that string.Contains cannot raise GeneratorExitException or
                // StopIterationException (it calls no user code): a call that could would need the template's handler
                // and PEP 479 around it, i.e. today's catch clauses.
                __state = CoroutineRuntime.Running;
                bool __completed = false;
                raised = null;
                try
                {
                    string line = value;
                    if (line.Contains(__pattern))
                    {
                        var __t = __target;
                        if (!(__t is ICoroutineCore<string> __core
                            ? __core.TrySendCore(line, out raised)
                            : CoroutineCore.TrySendOther(__t, line, out raised)))
                        {
                            __completed = true;
                            goto __stopped;
                        }
                    }

                    __state = 1;
                    __completed = true;
                    return true;
                }
                finally
                {
                    if (!__completed)
                    {
                        __Release();
                    }
                }

            __stopped:
                return __TargetStopped(ref raised);
            }

            return __StepCore(value, out raised);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __TargetStopped(ref Exception? raised)
        {
            if (raised is GeneratorExitException)
            {
                __state = 3;
                return __StepCore(default!, out raised);
            }

            __Release();
            throw CoroutineCore.RaisedStopIteration(raised);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __StepCore(string value, out Exception? raised)
        {
            raised = null;
            try
            {
                return __Step(value);
            }
            catch (GeneratorExitException e)
            {
                raised = e;
                return false;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __Step(string value, Exception? __pending = null)
        {
            int __entry = __state;
            if (__entry < 0)
            {
                if (__entry == CoroutineRuntime.Running)
                {
                    CoroutineRuntime.ThrowAlreadyRunning();
                }

                return false;
            }

            __state = CoroutineRuntime.Running;
            try
            {
                switch (__entry)
                {
                    case 1:
                    case 2:
                    case 3:
                        goto __try1;
                }
                // the body starts after this switch (state 0)

            __try1:
                try
                {
                    switch (__entry)
                    {
                        case 1:
                            goto __resume1;
                        case 2:
                            goto __throw1;
                        case 3:
                            goto __close1;
                    }

                    // while (true)
                __while1:
                    // string line = inbox.Receive();
                    __state = 1;
                    return true;
                __close1:
                    __entry = -1; goto __catch1;
                __throw1:
                    __entry = -1; CoroutineRuntime.Rethrow(__pending);
                __resume1:
                    __entry = -1;
                    string line = value;
                    if (line.Contains(__pattern)) __target.Send(line);
                    goto __while1;
                __while_end1: ;
                }
                catch (GeneratorExitException)
                {
                    goto __catch1;
                }
                // catch (GeneratorExitException), moved out of the catch clause
            __catch1:
                __target.Close();
                goto __finish;
            }
            catch (StopIterationException __leaked)
            {
                __Release();
                throw CoroutineRuntime.RaisedStopIteration(__leaked);
            }
            catch
            {
                __Release();
                throw;
            }

        __finish:
            __Release();
            return false;
        }

        /// <inheritdoc/>
        public void Throw(Exception exception)
        {
            if (exception is null)
            {
                throw new ArgumentNullException(nameof(exception));
            }

            int state = __state;
            if (state == CoroutineRuntime.Running)
            {
                CoroutineRuntime.ThrowAlreadyRunning();
            }

            if (state <= 0)
            {
                __Release();
                CoroutineRuntime.Rethrow(exception);
            }

            __state = state + 1;
            if (!__Step(default!, exception))
            {
                CoroutineRuntime.ThrowStopIteration();
            }
        }

        /// <inheritdoc/>
        public void Close()
        {
            int state = __state;
            if (state <= 0)
            {
                if (state == CoroutineRuntime.Running)
                {
                    CoroutineRuntime.ThrowAlreadyRunning();
                }

                __Release();
                return;
            }

            __state = state + 2;
            try
            {
                __Step(default!);
            }
            catch (GeneratorExitException)
            {
            }

            if (__state > 0)
            {
                CoroutineRuntime.ThrowIgnoredGeneratorExit();
            }
        }

        /// <summary>Closes the coroutine (<see cref="Close"/>).</summary>
        public void Dispose() => Close();

        internal void __Start()
        {
            __Step(default!);
        }

        private void __Release()
        {
            __state = CoroutineRuntime.Finished;
            __pattern = default;
            __target = default;
        }
    }

    public sealed class BroadcastCoroutine : ICoroutineCore<int>
    {
        // 0 before priming, k > 0 while parked at suspension point k, -1 while running, -2 once finished.
        private int __state;
        // The template's parameters.
        private ICoroutine<int>[] __targets;

        internal BroadcastCoroutine(ICoroutine<int>[] targets)
        {
            __targets = targets;
        }

        /// <inheritdoc/>
        public CoroutineState State => CoroutineRuntime.ToState(__state);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Send(int value)
        {
            if (!__TrySend(value, out Exception? raised))
            {
                CoroutineCore.ThrowFinished(raised);
            }
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        bool ICoroutineCore<int>.TrySendCore(int value, out Exception? raised) => __TrySend(value, out raised);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool __TrySend(int value, out Exception? raised)
        {
            if (__state == 1)
            {
                // Fast path (see PassCoroutine); each element of the array is tested for the core.
                __state = CoroutineRuntime.Running;
                bool __completed = false;
                raised = null;
                try
                {
                    int item = value;
                    foreach (var t in __targets)
                    {
                        if (!(t is ICoroutineCore<int> __core
                            ? __core.TrySendCore(item, out raised)
                            : CoroutineCore.TrySendOther(t, item, out raised)))
                        {
                            __completed = true;
                            goto __stopped;
                        }
                    }

                    __state = 1;
                    __completed = true;
                    return true;
                }
                finally
                {
                    if (!__completed)
                    {
                        __Release();
                    }
                }

            __stopped:
                return __TargetStopped(ref raised);
            }

            return __StepCore(value, out raised);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __TargetStopped(ref Exception? raised)
        {
            if (raised is GeneratorExitException)
            {
                __state = 3;
                return __StepCore(default!, out raised);
            }

            __Release();
            throw CoroutineCore.RaisedStopIteration(raised);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __StepCore(int value, out Exception? raised)
        {
            raised = null;
            try
            {
                return __Step(value);
            }
            catch (GeneratorExitException e)
            {
                raised = e;
                return false;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __Step(int value, Exception? __pending = null)
        {
            int __entry = __state;
            if (__entry < 0)
            {
                if (__entry == CoroutineRuntime.Running)
                {
                    CoroutineRuntime.ThrowAlreadyRunning();
                }

                return false;
            }

            __state = CoroutineRuntime.Running;
            try
            {
                switch (__entry)
                {
                    case 1:
                    case 2:
                    case 3:
                        goto __try1;
                }
                // the body starts after this switch (state 0)

            __try1:
                try
                {
                    switch (__entry)
                    {
                        case 1:
                            goto __resume1;
                        case 2:
                            goto __throw1;
                        case 3:
                            goto __close1;
                    }

                    // while (true)
                __while1:
                    // int item = inbox.Receive();
                    __state = 1;
                    return true;
                __close1:
                    __entry = -1; goto __catch1;
                __throw1:
                    __entry = -1; CoroutineRuntime.Rethrow(__pending);
                __resume1:
                    __entry = -1;
                    int item = value;
                    foreach (var t in __targets) t.Send(item);
                    goto __while1;
                __while_end1: ;
                }
                catch (GeneratorExitException)
                {
                    goto __catch1;
                }
                // catch (GeneratorExitException), moved out of the catch clause
            __catch1:
                foreach (var t_2 in __targets) t_2.Close();
                goto __finish;
            }
            catch (StopIterationException __leaked)
            {
                __Release();
                throw CoroutineRuntime.RaisedStopIteration(__leaked);
            }
            catch
            {
                __Release();
                throw;
            }

        __finish:
            __Release();
            return false;
        }

        /// <inheritdoc/>
        public void Throw(Exception exception)
        {
            if (exception is null)
            {
                throw new ArgumentNullException(nameof(exception));
            }

            int state = __state;
            if (state == CoroutineRuntime.Running)
            {
                CoroutineRuntime.ThrowAlreadyRunning();
            }

            if (state <= 0)
            {
                __Release();
                CoroutineRuntime.Rethrow(exception);
            }

            __state = state + 1;
            if (!__Step(default!, exception))
            {
                CoroutineRuntime.ThrowStopIteration();
            }
        }

        /// <inheritdoc/>
        public void Close()
        {
            int state = __state;
            if (state <= 0)
            {
                if (state == CoroutineRuntime.Running)
                {
                    CoroutineRuntime.ThrowAlreadyRunning();
                }

                __Release();
                return;
            }

            __state = state + 2;
            try
            {
                __Step(default!);
            }
            catch (GeneratorExitException)
            {
            }

            if (__state > 0)
            {
                CoroutineRuntime.ThrowIgnoredGeneratorExit();
            }
        }

        /// <summary>Closes the coroutine (<see cref="Close"/>).</summary>
        public void Dispose() => Close();

        internal void __Start()
        {
            __Step(default!);
        }

        private void __Release()
        {
            __state = CoroutineRuntime.Finished;
            __targets = default;
        }
    }

    public sealed class CountCoroutine : ICoroutineCore<int>
    {
        // 0 before priming, k > 0 while parked at suspension point k, -1 while running, -2 once finished.
        private int __state;
        // The template's parameters.
        private Result __result_2;
        // Locals that live across a suspension point.
        private long __count;
        private long __sum;

        internal CountCoroutine(Result result)
        {
            __result_2 = result;
        }

        /// <inheritdoc/>
        public CoroutineState State => CoroutineRuntime.ToState(__state);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Send(int value)
        {
            if (!__TrySend(value, out Exception? raised))
            {
                CoroutineCore.ThrowFinished(raised);
            }
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        bool ICoroutineCore<int>.TrySendCore(int value, out Exception? raised) => __TrySend(value, out raised);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool __TrySend(int value, out Exception? raised)
        {
            if (__state == 1)
            {
                // Today's handler-free fast path: the segment calls nothing, so the state is Finished while it runs.
                __state = CoroutineRuntime.Finished;
                __count++;
                __sum += value;
                __state = 1;
                raised = null;
                return true;
            }

            return __StepCore(value, out raised);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __StepCore(int value, out Exception? raised)
        {
            raised = null;
            try
            {
                return __Step(value);
            }
            catch (GeneratorExitException e)
            {
                raised = e;
                return false;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __Step(int value, Exception? __pending = null)
        {
            int __entry = __state;
            if (__entry < 0)
            {
                if (__entry == CoroutineRuntime.Running)
                {
                    CoroutineRuntime.ThrowAlreadyRunning();
                }

                return false;
            }

            __state = CoroutineRuntime.Running;
            try
            {
                switch (__entry)
                {
                    case 1:
                    case 2:
                    case 3:
                        goto __try1;
                }
                // the body starts after this switch (state 0)

                __count = 0;
                __sum = 0;
            __try1:
                try
                {
                    switch (__entry)
                    {
                        case 1:
                            goto __resume1;
                        case 2:
                            goto __throw1;
                        case 3:
                            goto __close1;
                    }

                    // while (true)
                __while1:
                    // int x = inbox.Receive();
                    __state = 1;
                    return true;
                __close1:
                    __entry = -1; goto __catch1;
                __throw1:
                    __entry = -1; CoroutineRuntime.Rethrow(__pending);
                __resume1:
                    __entry = -1;
                    int x = value;
                    __count++;
                    __sum += x;
                    goto __while1;
                __while_end1: ;
                }
                catch (GeneratorExitException)
                {
                    goto __catch1;
                }
                // catch (GeneratorExitException), moved out of the catch clause
            __catch1:
                __result_2.Add(__count, __sum);
                goto __finish;
            }
            catch (StopIterationException __leaked)
            {
                __Release();
                throw CoroutineRuntime.RaisedStopIteration(__leaked);
            }
            catch
            {
                __Release();
                throw;
            }

        __finish:
            __Release();
            return false;
        }

        /// <inheritdoc/>
        public void Throw(Exception exception)
        {
            if (exception is null)
            {
                throw new ArgumentNullException(nameof(exception));
            }

            int state = __state;
            if (state == CoroutineRuntime.Running)
            {
                CoroutineRuntime.ThrowAlreadyRunning();
            }

            if (state <= 0)
            {
                __Release();
                CoroutineRuntime.Rethrow(exception);
            }

            __state = state + 1;
            if (!__Step(default!, exception))
            {
                CoroutineRuntime.ThrowStopIteration();
            }
        }

        /// <inheritdoc/>
        public void Close()
        {
            int state = __state;
            if (state <= 0)
            {
                if (state == CoroutineRuntime.Running)
                {
                    CoroutineRuntime.ThrowAlreadyRunning();
                }

                __Release();
                return;
            }

            __state = state + 2;
            try
            {
                __Step(default!);
            }
            catch (GeneratorExitException)
            {
            }

            if (__state > 0)
            {
                CoroutineRuntime.ThrowIgnoredGeneratorExit();
            }
        }

        /// <summary>Closes the coroutine (<see cref="Close"/>).</summary>
        public void Dispose() => Close();

        internal void __Start()
        {
            __Step(default!);
        }

        private void __Release()
        {
            __state = CoroutineRuntime.Finished;
            __result_2 = default;
        }
    }

    public sealed class CountStrCoroutine : ICoroutineCore<string>
    {
        // 0 before priming, k > 0 while parked at suspension point k, -1 while running, -2 once finished.
        private int __state;
        // The template's parameters.
        private Result __result_2;
        // Locals that live across a suspension point.
        private long __count;
        private long __sum;

        internal CountStrCoroutine(Result result)
        {
            __result_2 = result;
        }

        /// <inheritdoc/>
        public CoroutineState State => CoroutineRuntime.ToState(__state);

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Send(string value)
        {
            if (!__TrySend(value, out Exception? raised))
            {
                CoroutineCore.ThrowFinished(raised);
            }
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        bool ICoroutineCore<string>.TrySendCore(string value, out Exception? raised) => __TrySend(value, out raised);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool __TrySend(string value, out Exception? raised)
        {
            if (__state == 1)
            {
                // Today's handler-free fast path (a null line raises NullReferenceException and leaves it Finished).
                __state = CoroutineRuntime.Finished;
                __count++;
                __sum += value.Length;
                __state = 1;
                raised = null;
                return true;
            }

            return __StepCore(value, out raised);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __StepCore(string value, out Exception? raised)
        {
            raised = null;
            try
            {
                return __Step(value);
            }
            catch (GeneratorExitException e)
            {
                raised = e;
                return false;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool __Step(string value, Exception? __pending = null)
        {
            int __entry = __state;
            if (__entry < 0)
            {
                if (__entry == CoroutineRuntime.Running)
                {
                    CoroutineRuntime.ThrowAlreadyRunning();
                }

                return false;
            }

            __state = CoroutineRuntime.Running;
            try
            {
                switch (__entry)
                {
                    case 1:
                    case 2:
                    case 3:
                        goto __try1;
                }
                // the body starts after this switch (state 0)

                __count = 0;
                __sum = 0;
            __try1:
                try
                {
                    switch (__entry)
                    {
                        case 1:
                            goto __resume1;
                        case 2:
                            goto __throw1;
                        case 3:
                            goto __close1;
                    }

                    // while (true)
                __while1:
                    // string line = inbox.Receive();
                    __state = 1;
                    return true;
                __close1:
                    __entry = -1; goto __catch1;
                __throw1:
                    __entry = -1; CoroutineRuntime.Rethrow(__pending);
                __resume1:
                    __entry = -1;
                    string line = value;
                    __count++;
                    __sum += line.Length;
                    goto __while1;
                __while_end1: ;
                }
                catch (GeneratorExitException)
                {
                    goto __catch1;
                }
                // catch (GeneratorExitException), moved out of the catch clause
            __catch1:
                __result_2.Add(__count, __sum);
                goto __finish;
            }
            catch (StopIterationException __leaked)
            {
                __Release();
                throw CoroutineRuntime.RaisedStopIteration(__leaked);
            }
            catch
            {
                __Release();
                throw;
            }

        __finish:
            __Release();
            return false;
        }

        /// <inheritdoc/>
        public void Throw(Exception exception)
        {
            if (exception is null)
            {
                throw new ArgumentNullException(nameof(exception));
            }

            int state = __state;
            if (state == CoroutineRuntime.Running)
            {
                CoroutineRuntime.ThrowAlreadyRunning();
            }

            if (state <= 0)
            {
                __Release();
                CoroutineRuntime.Rethrow(exception);
            }

            __state = state + 1;
            if (!__Step(default!, exception))
            {
                CoroutineRuntime.ThrowStopIteration();
            }
        }

        /// <inheritdoc/>
        public void Close()
        {
            int state = __state;
            if (state <= 0)
            {
                if (state == CoroutineRuntime.Running)
                {
                    CoroutineRuntime.ThrowAlreadyRunning();
                }

                __Release();
                return;
            }

            __state = state + 2;
            try
            {
                __Step(default!);
            }
            catch (GeneratorExitException)
            {
            }

            if (__state > 0)
            {
                CoroutineRuntime.ThrowIgnoredGeneratorExit();
            }
        }

        /// <summary>Closes the coroutine (<see cref="Close"/>).</summary>
        public void Dispose() => Close();

        internal void __Start()
        {
            __Step(default!);
        }

        private void __Release()
        {
            __state = CoroutineRuntime.Finished;
            __result_2 = default;
        }
    }
}
