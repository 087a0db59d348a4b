namespace Sequential.Data;

/// <summary>
/// Starts the pipeline's background threads (prefetch, parallel map) and counts those running, so that tests can
/// check that an abandoned pass leaves none behind (a count read after <c>Join</c>, exact, unlike the OS's thread list,
/// where a joined thread may linger for a moment).
/// </summary>
internal static class WorkerThread
{
    private static int _live;

    /// <summary>Pipeline threads whose body has not returned.</summary>
    public static int Live => Volatile.Read(ref _live);

    /// <summary>Starts a background thread named <paramref name="name"/> running <paramref name="body"/>.</summary>
    public static Thread Start(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            finally
            {
                Interlocked.Decrement(ref _live);
            }
        }) { IsBackground = true, Name = name };
        Interlocked.Increment(ref _live);
        try
        {
            thread.Start();
        }
        catch
        {
            Interlocked.Decrement(ref _live);
            throw;
        }
        return thread;
    }
}
