using Sequential.Callbacks;
using Sequential.Layers;
using SkiaSharp;

namespace Sequential.Data.Tests;

/// <summary>Fit on a prefetching image iterator, stopped by an exception in a user callback, leaves nothing running.</summary>
public sealed class AbortedFitTests
{
    private string _root = "";

    [SetUp]
    public void MakeRoot() => _root = TestImages.TempDir();

    [TearDown]
    public void RemoveRoot()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private sealed class FailingCallback(int atBatch) : Callback
    {
        public int ThreadsWhileRunning { get; private set; }

        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
        {
            if (batch != atBatch) return;
            ThreadsWhileRunning = PrefetchThreads();
            throw new InvalidOperationException("user callback failed");
        }
    }

    /// <summary>Threads of this process whose name starts like the iterator's prefetch thread (Linux: /proc/self/task).</summary>
    private static int PrefetchThreads() => Directory.GetDirectories("/proc/self/task")
        .Count(task => File.ReadAllText(Path.Combine(task, "comm")).StartsWith("Sequential.Data", StringComparison.Ordinal));

    [Test]
    public void TwentyAbortedFits_LeaveNoPrefetchThread_AndTheModelInInferenceMode()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("reads thread names from /proc/self/task (Linux)");
        // 40 images in batches of 2 with 2 batches prefetched: the thread is still producing when the callback throws.
        for (int i = 0; i < 40; i++)
            TestImages.Solid(Path.Combine(_root, i % 2 == 0 ? "a" : "b", $"{i}.png"), 8, 8, new SKColor((byte)(5 * i), 0, 0));
        var flow = new ImageDataGenerator(rescale: 1f / 255).FlowFromDirectory(_root, targetSize: (8, 8), batchSize: 2,
            classMode: ClassMode.Binary);
        var model = new SequentialModel(new Flatten(inputShape: [8, 8, 3]), new Dropout(0.5), new Dense(1, activation: "sigmoid"));
        model.Compile(optimizer: "adam", loss: "binary_crossentropy", device: "cpu");
        int before = PrefetchThreads();
        for (int i = 0; i < 20; i++)
        {
            var failing = new FailingCallback(i % 4);
            Assert.Throws<InvalidOperationException>(() => model.Fit(flow, epochs: 2, verbose: 0, callbacks: [failing]));
            Assert.That(failing.ThreadsWhileRunning, Is.EqualTo(before + 1), "the check sees the prefetch thread while Fit runs");
        }
        Assert.That(PrefetchThreads(), Is.EqualTo(before));
        Assert.That(model.training, Is.False);
    }
}
