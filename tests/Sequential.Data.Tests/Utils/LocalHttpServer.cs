using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sequential.Data.Tests;

/// <summary>
/// A one-purpose HTTP/1.1 server on 127.0.0.1 and a free port: a plain TCP listener that reads each request's headers and
/// lets the test write the raw answer, so a test can send a wrong length, stop halfway or stall, which an HTTP server
/// library would not let it do. No outside network needed.
/// </summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="answer">Writes the answer to one request (given the request line) on the connection's stream.</param>
    public LocalHttpServer(Func<string, Stream, CancellationToken, Task> answer)
    {
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        try
                        {
                            string request = await ReadHeaders(stream, _stop.Token);
                            await answer(request.Split("\r\n")[0], stream, _stop.Token);
                        }
                        catch (Exception)
                        {
                            // The client went away, or the server is stopping.
                        }
                    }
                });
            }
        });
    }

    /// <summary>The URL of <paramref name="path"/> on this server.</summary>
    public string Url(string path) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/{path}";

    /// <summary>An answer's status line and headers, ready to write.</summary>
    public static byte[] Head(string status, long? contentLength) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n" + (contentLength is { } n ? $"Content-Length: {n}\r\n" : "") + "Connection: close\r\n\r\n");

    private static async Task<string> ReadHeaders(Stream stream, CancellationToken cancel)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, cancel) == 0)
                break;
            text.Append((char)one[0]);
        }
        return text.ToString();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
