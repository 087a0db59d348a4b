using System.Net;
using Sequential.IO;

namespace Sequential.Data;

/// <summary>
/// Copies what an http(s) or file URI names into a file, atomically (<see cref="AtomicFile"/>: a temporary file in the
/// target's folder, renamed over the target only once every byte has arrived and the hash, if given, matches), so that
/// a broken, stalled or corrupted download leaves nothing behind.
/// </summary>
internal static class Download
{
    /// <summary>How long a download may receive nothing before it is abandoned.</summary>
    internal static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// One client for the process (a client per call would exhaust sockets). No overall timeout: a large file may take
    /// hours; a stalled one is caught by the stall timeout instead. Proxies come from HTTPS_PROXY/HTTP_PROXY as usual.
    /// Content is kept as served (no automatic decompression), as Keras's urlretrieve keeps it, so hashes match.
    /// </summary>
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(30),
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>
    /// Downloads <paramref name="uri"/> into <paramref name="target"/>, checking <paramref name="expected"/> before the
    /// file appears under its name.
    /// </summary>
    /// <param name="uri">An absolute http, https or file URI.</param>
    /// <param name="origin">The URL as the caller wrote it, for messages.</param>
    /// <param name="target">The file to create or replace.</param>
    /// <param name="expected">The hash the content must have, or null.</param>
    /// <param name="progress">Where to draw the progress bar; null draws none.</param>
    /// <param name="stallTimeout">How long a read may wait for data.</param>
    /// <exception cref="HttpRequestException">The server could not be reached or answered with an error status.</exception>
    /// <exception cref="FileNotFoundException">A file URI names no file.</exception>
    /// <exception cref="IOException">The transfer broke off, stalled or came short of its announced length, or the
    /// target could not be written.</exception>
    /// <exception cref="InvalidDataException">The content's hash is not <paramref name="expected"/>.</exception>
    internal static void Fetch(Uri uri, string origin, string target, FileHash? expected, TextWriter? progress, TimeSpan stallTimeout)
    {
        using var response = uri.IsFile ? null : Get(uri, origin);
        using var source = response is null ? OpenFile(uri, origin) : response.Content.ReadAsStream();
        long? length = response is null ? source.Length : response.Content.Headers.ContentLength;
        var bar = new DownloadProgress(progress, length);
        try
        {
            AtomicFile.Write(target, destination => Copy(source, destination, origin, length, expected, bar, stallTimeout));
        }
        catch (SourceFailure failure)
        {
            var cause = failure.InnerException!;
            throw new IOException(
                $"Could not download '{origin}': {failure.Message}. Nothing was saved to '{target}'; check the network " +
                "connection and call GetFile again.", cause);
        }
    }

    /// <summary>Sends the GET and returns the response once its headers have arrived.</summary>
    private static HttpResponseMessage Get(Uri uri, string origin)
    {
        HttpResponseMessage response;
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            response = Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), HttpCompletionOption.ResponseHeadersRead, cancel.Token)
                .GetAwaiter().GetResult();
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException(
                $"Could not download '{origin}': {e.Message.TrimEnd('.')}. Check the URL and the network connection " +
                "(a proxy is taken from HTTPS_PROXY / HTTP_PROXY).", e, e.StatusCode);
        }
        catch (OperationCanceledException e)
        {
            throw new HttpRequestException(
                $"Could not download '{origin}': the server sent no answer within 2 minutes. Check the URL and the network " +
                "connection, or try again later.", e);
        }
        if (!response.IsSuccessStatusCode)
        {
            var status = response.StatusCode;
            string reason = response.ReasonPhrase is { Length: > 0 } phrase ? " " + phrase : "";
            response.Dispose();
            throw new HttpRequestException(
                $"Could not download '{origin}': the server answered {(int)status}{reason}. " +
                (status == HttpStatusCode.NotFound
                    ? "Check the URL (paths are case-sensitive); the file may have moved."
                    : "Check the URL, or try again later."),
                null, status);
        }
        return response;
    }

    /// <summary>Opens the local file a file URI names, refusing a FIFO or device (which could block or never end).</summary>
    private static FileStream OpenFile(Uri uri, string origin)
    {
        string path = uri.LocalPath;
        if (Directory.Exists(path))
            throw new ArgumentException($"GetFile: origin '{origin}' is a folder, not a file; give the file's URI.", "origin");
        if (!File.Exists(path))
            throw new FileNotFoundException($"GetFile: origin '{origin}' names no file ('{path}' does not exist); check the path.", path);
        if (OperatingSystem.IsLinux() && Posix.HasStatx)
        {
            try
            {
                if (Posix.Stat(path)?.NotRegularFile is { } kind)
                    throw new ArgumentException($"GetFile: origin '{origin}' is {kind}, not a regular file; give a file's URI.", "origin");
            }
            catch (PlatformNotSupportedException)
            {
                // No statx here: the size check by the copy still ends a device that never stops.
            }
        }
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/>, hashing as it goes; throws
    /// <see cref="SourceFailure"/> for a failure of the source, which <see cref="Fetch"/> reports as a broken download
    /// rather than as a failed write.
    /// </summary>
    private static void Copy(Stream source, Stream destination, string origin, long? length, FileHash? expected,
        DownloadProgress bar, TimeSpan stallTimeout)
    {
        using var hasher = expected?.CreateHasher();
        var buffer = new byte[1 << 16];
        long received = 0;
        while (true)
        {
            int n = Read(source, buffer, stallTimeout);
            if (n == 0)
                break;
            received += n;
            if (length is { } announced && received > announced)
                throw new SourceFailure($"more data arrived than the {announced:N0} bytes announced", new InvalidDataException());
            hasher?.AppendData(buffer, 0, n);
            destination.Write(buffer, 0, n);
            bar.Update(received);
        }
        bar.Finish(received);
        if (length is { } total && received < total)
            throw new SourceFailure($"the transfer was cut short after {received:N0} of {total:N0} bytes",
                new EndOfStreamException());
        if (expected is not null)
        {
            string actual = Convert.ToHexStringLower(hasher!.GetHashAndReset());
            if (actual != expected.Hex)
                throw new InvalidDataException(
                    $"Incomplete or corrupted file detected: the {expected.Algorithm} hash of the {received:N0} bytes downloaded " +
                    $"from '{origin}' is {actual}, not the expected {expected.Hex}. Nothing was saved. Check fileHash, or " +
                    "whether the origin now serves another file.");
        }
    }

    /// <summary>One read that gives up after <paramref name="stallTimeout"/> without data.</summary>
    private static int Read(Stream source, byte[] buffer, TimeSpan stallTimeout)
    {
        using var cancel = new CancellationTokenSource(stallTimeout);
        try
        {
            return source.ReadAsync(buffer, cancel.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException e)
        {
            throw new SourceFailure($"no data arrived for {stallTimeout.TotalSeconds:0} s", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new SourceFailure(e.Message.TrimEnd('.'), e);
        }
    }

    /// <summary>A failure of the source (not of the write), carried through <see cref="AtomicFile.Write"/> unchanged.</summary>
    private sealed class SourceFailure(string message, Exception inner) : Exception(message, inner);
}
