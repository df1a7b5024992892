using System.Runtime.CompilerServices;
using CoroutineGen.Benchmarks.Workloads;

// As in the generator's output: the lowered labels leave unreachable statements and unused labels, and the
// release code assigns default to non-nullable fields.
#pragma warning disable CS0162, CS0164, CS8604, CS8625

namespace CoroutineGen.Benchmarks.Prototypes;

/// <summary>
/// PROTOTYPE of a faster emitted shape: hand-edited copies of the classes CoroutineGen generates for
/// <see cref="Implementations.GeneratedStages"/> (same templates, same semantics, docs/semantics.md). The edits:
/// <list type="number">
/// <item><description>The generated <c>Send</c> is kept (apart from the arguments of item 5) as the slow path
/// <c>__Step</c> (not inlined); it
/// handles priming, <c>Throw</c>, <c>Close</c> and every state the fast path does not.</description></item>
/// <item><description>A new <c>Send</c> handles the state the coroutine is parked in between messages (state 1)
/// with the loop body inlined into it: no dispatch switch, no <c>__entry</c> bookkeeping.</description></item>
/// <item><description>Where that loop body makes a call (pass, grep, broadcast), the fast path keeps one try region
/// around it, whose handlers are the template's <c>catch (GeneratorExitException)</c> (run by re-entering the
/// full machine at the close entry, which jumps to the handler) and the generated PEP 479 / finish-on-escape
/// clauses.</description></item>
/// <item><description>Where it makes no call (the counting sinks), nothing can observe the Running state or raise
/// StopIteration or GeneratorExit, so the fast path has no exception handler at all: it sets the state to Finished
/// while the body runs, which is what an implicit exception escaping must leave behind. Without handlers, and marked
/// AggressiveInlining, the sink's <c>Send</c> is inlined into the stage that sends to it.</description></item>
/// <item><description>The pending exception of <c>Throw</c> and the "no StopIteration" flag of priming and
/// <c>Close</c> are arguments of <c>__Step</c> instead of fields (both are consumed within the call): 8 bytes less per
/// coroutine, so a pass stage is as large as the hand-written one (32 bytes).</description></item>
/// <item><description>The broadcast's dead fields <c>__t</c> / <c>__t_2</c> (the generator declares fields for the
/// foreach variables, which the foreach locals then shadow) are dropped: 16 bytes per coroutine.</description></item>
/// </list>
/// The generator now emits this shape; the class is kept as the control "today's shape" (benchmark <c>Prototype</c>)
/// for the handler-free variants (<see cref="HandlerFreeStages"/>). Its <c>Close</c> has the generated
/// <c>catch (GeneratorExitException)</c> around the machine since <c>--check-prototype</c> closes a stage whose handler
/// raises GeneratorExit (before that it let the exception out, and measured faster for lacking the catch).
/// </summary>
public static class PrototypeStages
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
        public void Send(int value)
        {
            // Fast path: parked at the loop's receive (state 1). Only calls can raise, so only they are in a try region;
            // its handlers are the template's catch (GeneratorExitException), entered through the full machine, and the
            // two clauses of the generated code (PEP 479, finish on escape).
            if (__state == 1)
            {
                __state = CoroutineRuntime.Running;
                try
                {
                    __target.Send(value);
                    __state = 1;
                    return;
                }
                catch (GeneratorExitException)
                {
                    // handled below, by the template's handler
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

                __state = 3; // the close entry of suspension point 1 runs the template's catch (GeneratorExitException)
                __Step(default!);
                return;
            }

            __Step(value);
        }

        // The full state machine: priming, the throw and close entries, and every state the fast path does not handle.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void __Step(int value, Exception? __pending = null, bool __noStop = false)
        {
            int __entry = __state;
            if (__entry < 0)
            {
                CoroutineRuntime.ThrowNotSuspended(__entry);
                return;
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
                    return;
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
                goto __endtry1;
                // catch (GeneratorExitException), moved out of the catch clause
            __catch1:
                __target.Close();
                goto __endtry1;
            __endtry1: ;
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
            if (!__noStop)
            {
                CoroutineRuntime.ThrowStopIteration();
            }
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
            __Step(default!, exception);
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
                __Step(default!, null, true);
            }
            catch (GeneratorExitException)
            {
                // GeneratorExit escaped the body: the coroutine is closed (as generated; Python's close() absorbs it too).
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
            __Step(default!, null, true);
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
        public void Send(string value)
        {
            // Fast path: parked at the loop's receive (state 1). Only calls can raise, so only they are in a try region;
            // its handlers are the template's catch (GeneratorExitException), entered through the full machine, and the
            // two clauses of the generated code (PEP 479, finish on escape).
            if (__state == 1)
            {
                __state = CoroutineRuntime.Running;
                try
                {
                    if (value.Contains(__pattern)) __target.Send(value);
                    __state = 1;
                    return;
                }
                catch (GeneratorExitException)
                {
                    // handled below, by the template's handler
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

                __state = 3; // the close entry of suspension point 1 runs the template's catch (GeneratorExitException)
                __Step(default!);
                return;
            }

            __Step(value);
        }

        // The full state machine: priming, the throw and close entries, and every state the fast path does not handle.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void __Step(string value, Exception? __pending = null, bool __noStop = false)
        {
            int __entry = __state;
            if (__entry < 0)
            {
                CoroutineRuntime.ThrowNotSuspended(__entry);
                return;
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
                    return;
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
                goto __endtry1;
                // catch (GeneratorExitException), moved out of the catch clause
            __catch1:
                __target.Close();
                goto __endtry1;
            __endtry1: ;
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
            if (!__noStop)
            {
                CoroutineRuntime.ThrowStopIteration();
            }
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
            __Step(default!, exception);
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
                __Step(default!, null, true);
            }
            catch (GeneratorExitException)
            {
                // GeneratorExit escaped the body: the coroutine is closed (as generated; Python's close() absorbs it too).
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
            __Step(default!, null, true);
        }

        // Finished: release everything the coroutine holds.
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
        public void Send(int value)
        {
            // Fast path: parked at the loop's receive (state 1). Only calls can raise, so only they are in a try region;
            // its handlers are the template's catch (GeneratorExitException), entered through the full machine, and the
            // two clauses of the generated code (PEP 479, finish on escape).
            if (__state == 1)
            {
                __state = CoroutineRuntime.Running;
                try
                {
                    foreach (var t in __targets) t.Send(value);
                    __state = 1;
                    return;
                }
                catch (GeneratorExitException)
                {
                    // handled below, by the template's handler
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

                __state = 3; // the close entry of suspension point 1 runs the template's catch (GeneratorExitException)
                __Step(default!);
                return;
            }

            __Step(value);
        }

        // The full state machine: priming, the throw and close entries, and every state the fast path does not handle.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void __Step(int value, Exception? __pending = null, bool __noStop = false)
        {
            int __entry = __state;
            if (__entry < 0)
            {
                CoroutineRuntime.ThrowNotSuspended(__entry);
                return;
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
                    return;
                __close1:
                    __entry = -1; goto __catch1;
                __throw1:
                    __entry = -1; CoroutineRuntime.Rethrow(__pending);
                __resume1:
                    __entry = -1;
                    int item = value;
                    foreach (var __t in __targets) __t.Send(item);
                    goto __while1;
                __while_end1: ;
                }
                catch (GeneratorExitException)
                {
                    goto __catch1;
                }
                goto __endtry1;
                // catch (GeneratorExitException), moved out of the catch clause
            __catch1:
                foreach (var __t_2 in __targets) __t_2.Close();
                goto __endtry1;
            __endtry1: ;
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
            if (!__noStop)
            {
                CoroutineRuntime.ThrowStopIteration();
            }
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
            __Step(default!, exception);
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
                __Step(default!, null, true);
            }
            catch (GeneratorExitException)
            {
                // GeneratorExit escaped the body: the coroutine is closed (as generated; Python's close() absorbs it too).
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
            __Step(default!, null, true);
        }

        // Finished: release everything the coroutine holds.
        private void __Release()
        {
            __state = CoroutineRuntime.Finished;
            __targets = default;
        }
    }

    public sealed class CountCoroutine : ICoroutine<int>
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
        // Small and without exception handlers: inlined into the stage that sends to it, even where that call runs
        // only for some messages (grep passes one line in seven), where the JIT\'s size heuristic alone declines.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Send(int value)
        {
            // Fast path: parked at the loop's receive (state 1). The loop body calls nothing, so nothing can observe the
            // Running state, re-enter, or raise StopIteration or GeneratorExit. Only an implicit exception (say a
            // NullReferenceException) can escape, and it must leave the coroutine finished: the state says Finished
            // while the body runs, so no exception handler is needed and the JIT inlines this Send (it inlines neither
            // try/catch nor, at a call site inside a try/catch, a try/finally that can fault). The fields a coroutine
            // finished this way holds are released by the next Close(), as for every finished coroutine.
            if (__state == 1)
            {
                __state = CoroutineRuntime.Finished;
                __count++;
                __sum += value;
                __state = 1;
                return;
            }

            __Step(value);
        }

        // The full state machine: priming, the throw and close entries, and every state the fast path does not handle.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void __Step(int value, Exception? __pending = null, bool __noStop = false)
        {
            int __entry = __state;
            if (__entry < 0)
            {
                CoroutineRuntime.ThrowNotSuspended(__entry);
                return;
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
                    return;
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
                goto __endtry1;
                // catch (GeneratorExitException), moved out of the catch clause
            __catch1:
                __result_2.Add(__count, __sum);
                goto __endtry1;
            __endtry1: ;
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
            if (!__noStop)
            {
                CoroutineRuntime.ThrowStopIteration();
            }
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
            __Step(default!, exception);
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
                __Step(default!, null, true);
            }
            catch (GeneratorExitException)
            {
                // GeneratorExit escaped the body: the coroutine is closed (as generated; Python's close() absorbs it too).
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
            __Step(default!, null, true);
        }

        // Finished: release everything the coroutine holds.
        private void __Release()
        {
            __state = CoroutineRuntime.Finished;
            __result_2 = default;
        }
    }

    public sealed class CountStrCoroutine : ICoroutine<string>
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
        // Small and without exception handlers: inlined into the stage that sends to it, even where that call runs
        // only for some messages (grep passes one line in seven), where the JIT\'s size heuristic alone declines.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Send(string value)
        {
            // Fast path: parked at the loop's receive (state 1). The loop body calls nothing, so nothing can observe the
            // Running state, re-enter, or raise StopIteration or GeneratorExit. Only an implicit exception (say a
            // NullReferenceException) can escape, and it must leave the coroutine finished: the state says Finished
            // while the body runs, so no exception handler is needed and the JIT inlines this Send (it inlines neither
            // try/catch nor, at a call site inside a try/catch, a try/finally that can fault). The fields a coroutine
            // finished this way holds are released by the next Close(), as for every finished coroutine.
            if (__state == 1)
            {
                __state = CoroutineRuntime.Finished;
                __count++;
                __sum += value.Length;
                __state = 1;
                return;
            }

            __Step(value);
        }

        // The full state machine: priming, the throw and close entries, and every state the fast path does not handle.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void __Step(string value, Exception? __pending = null, bool __noStop = false)
        {
            int __entry = __state;
            if (__entry < 0)
            {
                CoroutineRuntime.ThrowNotSuspended(__entry);
                return;
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
                    return;
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
                goto __endtry1;
                // catch (GeneratorExitException), moved out of the catch clause
            __catch1:
                __result_2.Add(__count, __sum);
                goto __endtry1;
            __endtry1: ;
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
            if (!__noStop)
            {
                CoroutineRuntime.ThrowStopIteration();
            }
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
            __Step(default!, exception);
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
                __Step(default!, null, true);
            }
            catch (GeneratorExitException)
            {
                // GeneratorExit escaped the body: the coroutine is closed (as generated; Python's close() absorbs it too).
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
            __Step(default!, null, true);
        }

        // Finished: release everything the coroutine holds.
        private void __Release()
        {
            __state = CoroutineRuntime.Finished;
            __result_2 = default;
        }
    }
}
