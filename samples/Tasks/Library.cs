using System;
using System.Net;
using System.Net.Sockets;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

/// <summary>
/// pyos8.py's library functions: <see cref="Accept"/>, <see cref="Recv"/> and <see cref="Send"/>, subroutines that
/// wait until a socket call will not block, then make it. A task calls them with <c>inbox.YieldFrom(...)</c>, so its
/// code reads like ordinary socket code: <c>var data = inbox.YieldFrom(Recv(client, 65536));</c>.
/// </summary>
/// <remarks>
/// In pyos8.py a task calls them by yielding them (<c>data = yield Recv(client,65536)</c>), and <c>Task.run()</c>
/// trampolines: it keeps a stack of generators, and a subroutine "returns" a value by yielding something that is
/// neither a system call nor a generator. Here a subroutine returns its value, and <c>YieldFrom</c> does the
/// trampolining (see the README). The sockets are blocking, as Python's.
/// </remarks>
public static partial class Library
{
    // Python:
    //   def Accept(sock):
    //       yield ReadWait(sock)
    //       yield sock.accept()

    /// <summary>Waits for a connection on the listening socket <paramref name="sock"/>, and accepts it.</summary>
    /// <returns>The connected socket, and the address of its other end (Python's <c>(client, addr)</c>).</returns>
    [Coroutine(Prime = false, Accessibility = CoroutineAccessibility.Public)]
    private static (Socket Client, IPEndPoint Addr) Accept(Inbox<object?, SystemCall?> inbox, Socket sock)
    {
        inbox.Yield(new ReadWait(sock));
        var client = sock.Accept();
        return (client, (IPEndPoint)client.RemoteEndPoint!);
    }

    // Python:
    //   def Send(sock,buffer):
    //       while buffer:
    //           yield WriteWait(sock)
    //           len = sock.send(buffer)
    //           buffer = buffer[len:]

    /// <summary>Sends all of <paramref name="buffer"/>, waiting before each send until it will not block.</summary>
    [Coroutine(Prime = false, Accessibility = CoroutineAccessibility.Public)]
    private static void Send(Inbox<object?, SystemCall?> inbox, Socket sock, ReadOnlyMemory<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            inbox.Yield(new WriteWait(sock));
            int len = sock.Send(buffer.Span);
            buffer = buffer[len..];
        }
    }

    // Python:
    //   def Recv(sock,maxbytes):
    //       yield ReadWait(sock)
    //       yield sock.recv(maxbytes)

    /// <summary>Waits until <paramref name="sock"/> has data (or has reached its end), and receives it.</summary>
    /// <returns>What arrived, at most <paramref name="maxbytes"/> bytes; empty at the end of the stream (the other
    /// end has closed).</returns>
    [Coroutine(Prime = false, Accessibility = CoroutineAccessibility.Public)]
    private static ReadOnlyMemory<byte> Recv(Inbox<object?, SystemCall?> inbox, Socket sock, int maxbytes)
    {
        inbox.Yield(new ReadWait(sock));
        var buffer = new byte[maxbytes];
        int len = sock.Receive(buffer);
        return buffer.AsMemory(0, len);
    }
}
