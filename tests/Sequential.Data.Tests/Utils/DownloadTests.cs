using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Sequential.Data.Tests;

/// <summary>GetFile over HTTP against a local server on 127.0.0.1: success, error statuses, and broken transfers that
/// must leave nothing in the cache.</summary>
public sealed class DownloadTests
{
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0123456789", 100)));
    private static readonly ArchiveExtractor.Limits Limits = new(Utils.DefaultMaxExtractedBytes, Utils.DefaultMaxExtractedEntries);
    private string _cache = "";

    [SetUp]
    public void SetUp() => _cache = Path.Combine(Path.GetTempPath(), "seq-download-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_cache))
            Directory.Delete(_cache, recursive: true);
    }

    private string Get(string url, string? fileHash = null, TimeSpan? stall = null) =>
        Utils.GetFileCore("data.bin", url, fileHash, "datasets", "auto", false, _cache, false, Limits, null,
            stall ?? TimeSpan.FromSeconds(60));

    private string[] CacheContent() =>
        Directory.Exists(Path.Combine(_cache, "datasets")) ? Directory.GetFileSystemEntries(Path.Combine(_cache, "datasets")) : [];

    [Test]
    public void DownloadsOverHttpAndChecksTheHash()
    {
        using var server = new LocalHttpServer(async (_, stream, cancel) =>
        {
            await stream.WriteAsync(LocalHttpServer.Head("200 OK", Payload.Length), cancel);
            await stream.WriteAsync(Payload, cancel);
        });
        string path = Get(server.Url("data.bin"), Convert.ToHexStringLower(SHA256.HashData(Payload)));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(Payload));
    }

    [Test]
    public void ANotFoundStatusNamesTheUrlAndSavesNothing()
    {
        using var server = new LocalHttpServer(async (_, stream, cancel) =>
            await stream.WriteAsync(LocalHttpServer.Head("404 Not Found", 0), cancel));
        string url = server.Url("missing.bin");
        var e = Assert.Throws<HttpRequestException>(() => Get(url))!;
        Assert.That(e.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(e.Message, Does.Contain($"Could not download '{url}': the server answered 404 Not Found"));
        Assert.That(e.Message, Does.Contain("Check the URL"));
        Assert.That(CacheContent(), Is.Empty);
    }

    [Test]
    public void ATransferCutShortLeavesNothing()
    {
        using var server = new LocalHttpServer(async (_, stream, cancel) =>
        {
            await stream.WriteAsync(LocalHttpServer.Head("200 OK", Payload.Length), cancel);
            await stream.WriteAsync(Payload.AsMemory(0, 500), cancel);
            await stream.FlushAsync(cancel);
        });
        string url = server.Url("data.bin");
        var e = Assert.Throws<IOException>(() => Get(url))!;
        Assert.That(e.Message, Does.StartWith($"Could not download '{url}': "));
        Assert.That(e.Message, Does.Contain("Nothing was saved to"));
        Assert.That(CacheContent(), Is.Empty, "no partial file, no temporary file");
    }

    [Test]
    public void AStalledTransferIsAbandonedAndLeavesNothing()
    {
        using var server = new LocalHttpServer(async (_, stream, cancel) =>
        {
            await stream.WriteAsync(LocalHttpServer.Head("200 OK", Payload.Length), cancel);
            await stream.WriteAsync(Payload.AsMemory(0, 10), cancel);
            await stream.FlushAsync(cancel);
            await Task.Delay(Timeout.Infinite, cancel);   // until the server is disposed
        });
        string url = server.Url("data.bin");
        var e = Assert.Throws<IOException>(() => Get(url, stall: TimeSpan.FromSeconds(1)))!;
        Assert.That(e.Message, Does.Contain($"Could not download '{url}': no data arrived for 1 s"));
        Assert.That(CacheContent(), Is.Empty);
    }

    [Test]
    public void AWrongHashOverHttpSavesNothing()
    {
        using var server = new LocalHttpServer(async (_, stream, cancel) =>
        {
            await stream.WriteAsync(LocalHttpServer.Head("200 OK", null), cancel);
            await stream.WriteAsync(Payload, cancel);
        });
        var e = Assert.Throws<InvalidDataException>(() => Get(server.Url("data.bin"), new string('a', 32)))!;
        Assert.That(e.Message, Does.Contain("md5 hash of the 1,000 bytes downloaded"));
        Assert.That(CacheContent(), Is.Empty);
    }

    [Test]
    public void AnUnreachableServerNamesTheUrl()
    {
        // A port that was free a moment ago: nothing listens there now.
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        string url = $"http://127.0.0.1:{port}/data.bin";
        var e = Assert.Throws<HttpRequestException>(() => Get(url))!;
        Assert.That(e.Message, Does.StartWith($"Could not download '{url}': "));
        Assert.That(e.Message, Does.Contain("network connection"));
        Assert.That(CacheContent(), Is.Empty);
    }
}
