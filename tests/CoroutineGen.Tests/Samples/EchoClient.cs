using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CoroutineGen.Tests.Samples;

/// <summary>
/// A client of an echo server on 127.0.0.1, with a timeout on every socket call (<see cref="Patience"/>): a server
/// that does not answer fails the test instead of hanging it.
/// </summary>
public sealed class EchoClient : IDisposable
{
    /// <summary>How long a connect, send or receive may take.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>.</summary>
    public EchoClient(int port)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = (int)Patience.TotalMilliseconds,
            SendTimeout = (int)Patience.TotalMilliseconds,
        };
        using var timeout = new CancellationTokenSource(Patience);
        _socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Sends all of <paramref name="data"/>.</summary>
    public void Send(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[_socket.Send(data)..];
        }
    }

    /// <summary>Sends <paramref name="text"/> in ASCII.</summary>
    public void Send(string text) => Send(Encoding.ASCII.GetBytes(text));

    /// <summary>Receives exactly <paramref name="count"/> bytes; fails if the stream ends first.</summary>
    public byte[] Receive(int count)
    {
        var buffer = new byte[count];
        int received = 0;
        while (received < count)
        {
            int n = _socket.Receive(buffer, received, count - received, SocketFlags.None);
            if (n == 0)
            {
                Assert.Fail($"the server closed the connection after {received} of {count} bytes");
            }

            received += n;
        }

        return buffer;
    }

    /// <summary>Receives exactly <paramref name="length"/> ASCII characters.</summary>
    public string ReceiveText(int length) => Encoding.ASCII.GetString(Receive(length));

    /// <summary>Whether nothing at all (no data, no end of stream) arrives within <paramref name="period"/>.</summary>
    public bool HearsNothingFor(TimeSpan period) => !_socket.Poll(period, SelectMode.SelectRead);

    /// <summary>Whether the server has closed the connection: a receive returns nothing (within <see cref="Patience"/>).</summary>
    public bool IsClosedByServer()
    {
        var buffer = new byte[1];
        return _socket.Receive(buffer) == 0;
    }

    /// <summary>Closes the connection (the server's receive then returns nothing).</summary>
    public void Close() => _socket.Close();

    public void Dispose() => _socket.Dispose();
}
