using System.Text.Json;

using static TorchSharp.torch;

namespace Sequential.Core.Tests.Distribution;

/// Data-parallel training over MPI (issue 15): the one-process behaviour, the sharding, and two real processes under
/// Open MPI's mpirun (skipped, naming the package, where openmpi-bin is not installed; .ci/run installs it).
public class DataParallelTests
{
    private static string? Mpirun() =>
        new[] { "/usr/bin/mpirun", "/usr/local/bin/mpirun" }.FirstOrDefault(File.Exists);

    private static string NeedMpi() =>
        Mpirun() ?? throw new IgnoreException("needs Open MPI's mpirun: install the Debian package openmpi-bin (.ci/run does)");

    [Test]
    public void WithoutMpirun_ItIsOneProcess()
    {
        var distribution = new DataParallel();
        Assert.That((distribution.Rank, distribution.Size, distribution.IsChief), Is.EqualTo((0, 1, true)));
        Assert.That(distribution.ToString(), Is.EqualTo("DataParallel(rank 0 of 1, no MPI)"));
        Assert.That((distribution.AveragedSteps, distribution.AllreduceTime, distribution.GradientCopyTime), Is.EqualTo((0L, TimeSpan.Zero, TimeSpan.Zero)),
            "one process sends nothing");
    }

    [Test]
    public void ABatch_IsCutIntoContiguousParts_OnePerRank()
    {
        var batch = new Batch(arange(5).view(5, 1).to_type(ScalarType.Float32), arange(5), ones(5));
        var first = new DataParallel(0, 2).Shard(batch);
        var second = new DataParallel(1, 2).Shard(batch);
        Assert.That(first.X.data<float>().ToArray(), Is.EqualTo(new float[] { 0, 1 }));
        Assert.That(second.X.data<float>().ToArray(), Is.EqualTo(new float[] { 2, 3, 4 }));
        Assert.That(second.Y!.data<long>().ToArray(), Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(second.SampleWeight!.shape, Is.EqualTo(new long[] { 3 }));
    }

    private static string Folder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "seq-mpi-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static (int, string, TimeSpan) RunParallel(string folder, string mode, TimeSpan timeout) =>
        ChildPrograms.Run(NeedMpi(),
            ["--allow-run-as-root", "--oversubscribe", "-np", "2", ChildPrograms.DotnetHost, ChildPrograms.Dll("Sequential.Distributed.Driver"), folder, mode],
            timeout);

    private static float[] Weights(string folder, int rank, int epoch) => Floats(folder, $"rank{rank}-epoch{epoch}.bin");

    private static float[] Floats(string folder, string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(folder, file));
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    [Test]
    public void TwoProcessesAtGlobalBatch64_EndWithTheWeightsOfOneProcessAtBatch64()
    {
        string parallel = Folder(), single = Folder();
        try
        {
            var (code, output, _) = RunParallel(parallel, "parallel", TimeSpan.FromMinutes(4));
            Assert.That(code, Is.EqualTo(0), output);
            var (singleCode, singleOutput, _) = ChildPrograms.Run(ChildPrograms.DotnetHost,
                [ChildPrograms.Dll("Sequential.Distributed.Driver"), single, "single"], TimeSpan.FromMinutes(2));
            Assert.That(singleCode, Is.EqualTo(0), singleOutput);
            Assert.That(output, Does.Contain("DataParallel(rank 0 of 2)").And.Contain("DataParallel(rank 1 of 2)"));
            for (int epoch = 0; epoch < 3; epoch++)
            {
                float[] zero = Weights(parallel, 0, epoch), one = Weights(parallel, 1, epoch), reference = Weights(single, 0, epoch);
                Assert.That(one, Is.EqualTo(zero), $"both ranks hold the same weights after epoch {epoch}");
                Assert.That(zero, Is.EqualTo(reference).Within(1e-5), $"the weights of one process at batch 64 after epoch {epoch}");
            }
            string history0 = File.ReadAllText(Path.Combine(parallel, "rank0-history.json"));
            Assert.That(File.ReadAllText(Path.Combine(parallel, "rank1-history.json")), Is.EqualTo(history0), "the same History on both ranks");
            var averaged = JsonSerializer.Deserialize<Dictionary<string, double[]>>(history0)!;
            var reference1 = JsonSerializer.Deserialize<Dictionary<string, double[]>>(File.ReadAllText(Path.Combine(single, "rank0-history.json")))!;
            Assert.That(averaged["loss"], Is.EqualTo(reference1["loss"]).Within(1e-5), "the loss of the whole epoch, as one process logs it");
            Assert.That(averaged["accuracy"], Is.EqualTo(reference1["accuracy"]).Within(1e-6));
            for (int rank = 0; rank < 2; rank++)
            {
                var communication = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(parallel, $"rank{rank}-communication.json")))!;
                Assert.That(communication["steps"], Is.EqualTo(3 * 1024 / 64), "one allreduce per step: 16 steps in each of 3 epochs");
                Assert.That(communication["allreduce_s"], Is.GreaterThan(0));
                Assert.That(communication["copy_s"], Is.GreaterThan(0));
            }
        }
        finally
        {
            Directory.Delete(parallel, recursive: true);
            Directory.Delete(single, recursive: true);
        }
    }

    [Test]
    public void TwoProcessesReadingTheirRowsOfAnAugmentingImageIterator_EndWithTheWeightsOfOneProcess()
    {
        string parallel = Folder(), single = Folder();
        try
        {
            var (code, output, _) = RunParallel(parallel, "flow", TimeSpan.FromMinutes(4));
            Assert.That(code, Is.EqualTo(0), output);
            var (singleCode, singleOutput, _) = ChildPrograms.Run(ChildPrograms.DotnetHost,
                [ChildPrograms.Dll("Sequential.Distributed.Driver"), single, "flow-single"], TimeSpan.FromMinutes(2));
            Assert.That(singleCode, Is.EqualTo(0), singleOutput);
            for (int epoch = 0; epoch < 3; epoch++)
            {
                float[] zero = Weights(parallel, 0, epoch), reference = Weights(single, 0, epoch);
                Assert.That(Weights(parallel, 1, epoch), Is.EqualTo(zero), $"both ranks hold the same weights after epoch {epoch}");
                Assert.That(zero, Is.EqualTo(reference).Within(1e-5), $"the rotated and shifted images of one process's batches after epoch {epoch}");
            }
        }
        finally
        {
            Directory.Delete(parallel, recursive: true);
            Directory.Delete(single, recursive: true);
        }
    }

    [Test]
    public void AWeightThatNoRankHasAGradientFor_IsNotMoved_EvenByMomentumAndWeightDecay()
    {
        string parallel = Folder(), single = Folder();
        try
        {
            var (code, output, _) = RunParallel(parallel, "unused", TimeSpan.FromMinutes(4));
            Assert.That(code, Is.EqualTo(0), output);
            var (singleCode, singleOutput, _) = ChildPrograms.Run(ChildPrograms.DotnetHost,
                [ChildPrograms.Dll("Sequential.Distributed.Driver"), single, "unused-single"], TimeSpan.FromMinutes(2));
            Assert.That(singleCode, Is.EqualTo(0), singleOutput);
            float[] before = Floats(parallel, "rank0-unused-before.bin");
            Assert.That(before, Has.Length.EqualTo(784 * 3 + 3));
            for (int rank = 0; rank < 2; rank++)
                Assert.That(Floats(parallel, $"rank{rank}-unused-after.bin"), Is.EqualTo(before),
                    $"rank {rank}: the flag said no rank had a gradient, so the optimizer left the weight alone (no decay)");
            Assert.That(Floats(single, "rank0-unused-after.bin"), Is.EqualTo(before), "as one process leaves it");
            float[] all = Floats(parallel, "rank0-all.bin");
            Assert.That(Floats(parallel, "rank1-all.bin"), Is.EqualTo(all));
            Assert.That(all, Is.EqualTo(Floats(single, "rank0-all.bin")).Within(1e-5), "the other weights train as in one process");
        }
        finally
        {
            Directory.Delete(parallel, recursive: true);
            Directory.Delete(single, recursive: true);
        }
    }

    [Test]
    public void ARankThatDies_EndsTheJobWithAnError_InsteadOfHanging()
    {
        string folder = Folder();
        try
        {
            var (code, output, _) = RunParallel(folder, "crash", TimeSpan.FromMinutes(3));
            Assert.That(code, Is.Not.EqualTo(0).And.Not.EqualTo(-1), $"mpirun must fail, not be killed by the test's timeout: {output}");
            Assert.That(output, Does.Contain("Rank 1 of 2 failed; ending the MPI job: System.InvalidOperationException: rank 1 fails on purpose"));
            Assert.That(File.Exists(Path.Combine(folder, "rank0-history.json")), Is.False, "rank 0 did not finish on its own");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void ARankThatIsKilled_EndsTheJob_WhileTheOtherWaitsInTheAllreduce()
    {
        // No exception and no MPI_Abort this time: the process vanishes (SIGKILL) mid-training, and rank 0 is left inside
        // the next gradient allreduce. mpirun notices the death and ends the job; the timeout (which would return -1)
        // is the hang this guards against.
        string folder = Folder();
        try
        {
            var (code, output, _) = RunParallel(folder, "killed", TimeSpan.FromMinutes(3));
            Assert.That(code, Is.Not.EqualTo(0).And.Not.EqualTo(-1), $"mpirun must fail, not be killed by the test's timeout: {output}");
            Assert.That(output, Does.Contain("signal 9").Or.Contain("Killed"), output);
            Assert.That(File.Exists(Path.Combine(folder, "rank0-epoch0.bin")), Is.True, "the first epoch ran on both ranks");
            Assert.That(File.Exists(Path.Combine(folder, "rank0-history.json")), Is.False, "rank 0 did not finish on its own");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
