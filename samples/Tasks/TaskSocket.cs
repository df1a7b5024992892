using System;
using System.Net;
using System.Net.Sockets;
using CoroutineGen;

namespace CoroutineGen.Samples.Tasks;

// Python (sockwrap.py):
//   class Socket(object):
//       def __init__(self,sock):
//           self.sock = sock

/// <summary>
/// sockwrap.py's <c>Socket</c>: a socket whose methods are subroutines for tasks. <see cref="Accept"/>,
/// <see cref="Recv"/> and <see cref="Send"/> wait until the call will not block, then make it, so a task's code
/// reads like ordinary socket code with <c>inbox.YieldFrom</c> around each call:
/// <c>var data = inbox.YieldFrom(client.Recv(65536));</c>.
/// </summary>
/// <remarks>
/// The subroutines are instance templates: each coroutine holds the <see cref="TaskSocket"/> it was made from.
/// Python's <c>close()</c> is a generator too, only so that a task calls it like the others (<c>yield
/// client.close()</c>); it never waits, so here <see cref="Close"/> is an ordinary method.
/// </remarks>
public sealed partial class TaskSocket : IDisposable
{
    private readonly Socket sock;

    /// <summary>Wraps <paramref name="sock"/>, a blocking socket; <see cref="Close"/> closes it.</summary>
    public TaskSocket(Socket sock)
    {
        this.sock = sock;
    }

    // Python:
    //   def accept(self):
    //       yield ReadWait(self.sock)
    //       client,addr = self.sock.accept()
    //       yield Socket(client),addr

    /// <summary>Waits for a connection on this listening socket, and accepts it.</summary>
    /// <returns>The connected socket, wrapped, and the address of its other end.</returns>
    [Coroutine(Prime = false, Accessibility = CoroutineAccessibility.Public)]
    private (TaskSocket Client, IPEndPoint Addr) Accept(Inbox<object?, SystemCall?> inbox)
    {
        inbox.Yield(new ReadWait(sock));
        var client = sock.Accept();
        return (new TaskSocket(client), (IPEndPoint)client.RemoteEndPoint!);
    }

    // Python:
    //   def send(self,buffer):
    //       while buffer:
    //           yield WriteWait(self.sock)
    //           len = self.sock.send(buffer)
    //           buffer = buffer[len:]

    /// <summary>Sends all of <paramref name="buffer"/>, waiting before each send until it will not block.</summary>
    [Coroutine(Prime = false, Accessibility = CoroutineAccessibility.Public)]
    private void Send(Inbox<object?, SystemCall?> inbox, ReadOnlyMemory<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            inbox.Yield(new WriteWait(sock));
            int len = sock.Send(buffer.Span);
            buffer = buffer[len..];
        }
    }

    // Python:
    //   def recv(self, maxbytes):
    //       yield ReadWait(self.sock)
    //       yield self.sock.recv(maxbytes)

    /// <summary>Waits until data (or the end of the stream) has arrived, and receives it.</summary>
    /// <returns>What arrived, at most <paramref name="maxbytes"/> bytes; empty at the end of the stream.</returns>
    [Coroutine(Prime = false, Accessibility = CoroutineAccessibility.Public)]
    private ReadOnlyMemory<byte> Recv(Inbox<object?, SystemCall?> inbox, int maxbytes)
    {
        inbox.Yield(new ReadWait(sock));
        var buffer = new byte[maxbytes];
        int len = sock.Receive(buffer);
        return buffer.AsMemory(0, len);
    }

    // Python:
    //   def close(self):
    //       yield self.sock.close()

    /// <summary>Closes the socket.</summary>
    public void Close() => sock.Close();

    /// <summary>Closes the socket (<see cref="Close"/>), so that <c>using</c> closes it.</summary>
    public void Dispose() => Close();
}
