using System.Runtime.CompilerServices;

// As in the generator's output: the lowered labels leave unreachable statements and unused labels, and the
// release code assigns default to non-nullable fields.
#pragma warning disable CS0162, CS0164, CS8600, CS8601, CS8604, CS8625

namespace CoroutineGen.Benchmarks.Prototypes;

/// <summary>
/// PROTOTYPE variant "finally only" (benchmark <c>ProtoFinally</c>): <see cref="HandlerFreeStages"/> without
/// <see cref="ICoroutineCore{T}"/>. Every stage sends to every target through the shared, non-inlined helper
/// <see cref="CoroutineCore.TrySendOther{T}"/> (the only catch clauses of the fast path); its own <c>Send</c> has the
/// fast path with the try/finally and completion flag, the result handling after the try (<c>__TargetStopped</c>) and
/// the slow path as in <see cref="HandlerFreeStages"/>. What a generator could emit without a new runtime
/// interface: the stage's <c>Send</c> is inlinable into its caller, but each hop still makes one call into a frame
/// with catch clauses (the helper). The classes below were derived mechanically from <see cref="HandlerFreeStages"/>
/// (the core test at each send removed, the core interface dropped); the counting sinks are
/// <see cref="HandlerFreeStages"/>' (reached through their public <c>Send</c>).
/// </summary>
public static class FinallyStages
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

    public sealed class PassCoroutine : ICoroutine<int>
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
                    if (!CoroutineCore.TrySendOther(__t, value, out raised))
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

    public sealed class GrepCoroutine : ICoroutine<string>
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
                        if (!CoroutineCore.TrySendOther(__t, line, out raised))
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

    public sealed class BroadcastCoroutine : ICoroutine<int>
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool __TrySend(int value, out Exception? raised)
        {
            if (__state == 1)
            {
                // Fast path (see HandlerFreeStages.PassCoroutine); every target through the helper.
                __state = CoroutineRuntime.Running;
                bool __completed = false;
                raised = null;
                try
                {
                    int item = value;
                    foreach (var t in __targets)
                    {
                        if (!CoroutineCore.TrySendOther(t, item, out raised))
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
}

/// <summary>
/// PROTOTYPE variant "core, decided once" (benchmark <c>ProtoCoreFlag</c>): <see cref="HandlerFreeStages"/> with the
/// test "is the target a generated coroutine" made once, when the stage is created, into a bool that fits the
/// object's padding, instead of an interface type test (<c>isinst</c>) per message: without dynamic PGO that test is a
/// call into the runtime's cast helper. The core is then called through <c>Unsafe.As</c>. Only for a target
/// parameter the template never assigns; the broadcast's targets are array elements, so W3 uses
/// <see cref="HandlerFreeStages.Broadcast"/> unchanged (the <c>ProtoCore</c> and <c>ProtoCoreFlag</c> rows of W3 run
/// the same code: their difference is noise). Derived mechanically from <see cref="HandlerFreeStages"/>.
/// </summary>
public static class CoreFlagStages
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

    public sealed class PassCoroutine : ICoroutineCore<int>
    {
        // 0 before priming, k > 0 while parked at suspension point k, -1 while running, -2 once finished.
        private int __state;
        // The template's parameters.
        private ICoroutine<int> __target;
        // Whether __target is a generated coroutine (a core), decided once: the parameter is never assigned in the
        // template. Fits the padding after __state (no larger object).
        private bool __targetIsCore;

        internal PassCoroutine(ICoroutine<int> target)
        {
            __target = target;
            __targetIsCore = target is ICoroutineCore<int>;
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
                    if (!(__targetIsCore
                        ? Unsafe.As<ICoroutineCore<int>>(__t).TrySendCore(value, out raised)
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
        // Whether __target is a generated coroutine (a core), decided once: the parameter is never assigned in the
        // template. Fits the padding after __state (no larger object).
        private bool __targetIsCore;

        internal GrepCoroutine(string pattern, ICoroutine<string> target)
        {
            __pattern = pattern;
            __target = target;
            __targetIsCore = target is ICoroutineCore<string>;
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
                        if (!(__targetIsCore
                            ? Unsafe.As<ICoroutineCore<string>>(__t).TrySendCore(line, out raised)
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
}
