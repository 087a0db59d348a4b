using System.Runtime.InteropServices;
using Sequential.IO;

namespace Sequential;

/// <summary>
/// The few MPI calls data-parallel training needs, bound at run time to the system's Open MPI (<c>libmpi.so.40</c>,
/// Debian's <c>libopenmpi3</c>, installed with <c>openmpi-bin</c>): init, rank and size, allreduce, broadcast,
/// abort. Open MPI's handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>) are addresses of exported
/// globals, read with <see cref="NativeLibrary.GetExport"/>; MPICH numbers its handles instead and is not supported.
/// The library is loaded only from a root-owned folder that no one else can write (no code from a place another user
/// controls).
/// </summary>
internal sealed class Mpi
{
    /// <summary>Where Debian, Ubuntu, Fedora and RHEL put Open MPI's library.</summary>
    private static readonly string[] Candidates =
    [
        "/usr/lib/x86_64-linux-gnu/libmpi.so.40", "/usr/lib/aarch64-linux-gnu/libmpi.so.40",
        "/usr/lib64/openmpi/lib/libmpi.so.40", "/usr/lib/openmpi/lib/libmpi.so.40", "/usr/lib64/libmpi.so.40",
    ];

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int InitFn(IntPtr argc, IntPtr argv);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int FlagFn(out int flag);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int VoidFn();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int CommIntFn(IntPtr comm, out int value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int AllreduceFn(IntPtr send, ref byte receive, int count, IntPtr type, IntPtr op, IntPtr comm);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int BcastFn(ref byte buffer, int count, IntPtr type, int root, IntPtr comm);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int AbortFn(IntPtr comm, int code);

    private static readonly Lazy<Mpi?> Shared = new(Load);

    private readonly InitFn _init;
    private readonly FlagFn _initialized, _finalized;
    private readonly VoidFn _finalize;
    private readonly CommIntFn _rank, _size;
    private readonly AllreduceFn _allreduce;
    private readonly BcastFn _bcast;
    private readonly AbortFn _abort;
    private readonly IntPtr _world, _float, _double, _byte, _sum;
    private static readonly IntPtr InPlace = 1;   // Open MPI's MPI_IN_PLACE

    private Mpi(IntPtr library, string path)
    {
        T Fn<T>(string name) where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, name));
        _init = Fn<InitFn>("MPI_Init");
        _initialized = Fn<FlagFn>("MPI_Initialized");
        _finalized = Fn<FlagFn>("MPI_Finalized");
        _finalize = Fn<VoidFn>("MPI_Finalize");
        _rank = Fn<CommIntFn>("MPI_Comm_rank");
        _size = Fn<CommIntFn>("MPI_Comm_size");
        _allreduce = Fn<AllreduceFn>("MPI_Allreduce");
        _bcast = Fn<BcastFn>("MPI_Bcast");
        _abort = Fn<AbortFn>("MPI_Abort");
        _world = NativeLibrary.GetExport(library, "ompi_mpi_comm_world");
        _float = NativeLibrary.GetExport(library, "ompi_mpi_float");
        _double = NativeLibrary.GetExport(library, "ompi_mpi_double");
        _byte = NativeLibrary.GetExport(library, "ompi_mpi_byte");
        _sum = NativeLibrary.GetExport(library, "ompi_mpi_op_sum");
        Path = path;
    }

    /// <summary>The library loaded.</summary>
    public string Path { get; }

    /// <summary>Open MPI, or null when none is installed in a root-owned place.</summary>
    public static Mpi? Library => Shared.Value;

    /// <summary>True when this process was started by <c>mpirun</c>/<c>mpiexec</c> (Open MPI, MPICH and Slurm set these).</summary>
    public static bool Launched =>
        Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null
        || Environment.GetEnvironmentVariable("PMI_SIZE") is not null
        || Environment.GetEnvironmentVariable("PMIX_RANK") is not null;

    private static Mpi? Load() => SystemLibrary.Load(Candidates, (library, path) => new Mpi(library, path));

    private static void Check(int code, string call)
    {
        // Open MPI's default handler (MPI_ERRORS_ARE_FATAL) aborts the job before a failing call returns; this is for
        // handlers that return.
        if (code != 0) throw new InvalidOperationException($"{call} failed with MPI error code {code}.");
    }

    /// <summary>MPI_Init, once per process (no-op when already initialized).</summary>
    public void Init()
    {
        Check(_initialized(out int done), "MPI_Initialized");
        if (done == 0) Check(_init(IntPtr.Zero, IntPtr.Zero), "MPI_Init");
    }

    /// <summary>MPI_Finalize, when initialized and not finalized yet.</summary>
    public void Shutdown()
    {
        Check(_initialized(out int started), "MPI_Initialized");
        Check(_finalized(out int finished), "MPI_Finalized");
        if (started != 0 && finished == 0) Check(_finalize(), "MPI_Finalize");
    }

    /// <summary>This process's rank in MPI_COMM_WORLD.</summary>
    public int Rank { get { Check(_rank(_world, out int r), "MPI_Comm_rank"); return r; } }

    /// <summary>The number of processes in MPI_COMM_WORLD.</summary>
    public int Size { get { Check(_size(_world, out int s), "MPI_Comm_size"); return s; } }

    /// <summary>Sums the float32 values in <paramref name="buffer"/> over every process, in place (a CPU tensor's
    /// <c>bytes</c>).</summary>
    public void AllreduceSumFloat(Span<byte> buffer) =>
        Check(_allreduce(InPlace, ref MemoryMarshal.GetReference(buffer), buffer.Length / sizeof(float), _float, _sum, _world), "MPI_Allreduce");

    /// <summary>Sums <paramref name="values"/> over every process, in place.</summary>
    public void AllreduceSum(double[] values) =>
        Check(_allreduce(InPlace, ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(values.AsSpan())), values.Length, _double, _sum, _world), "MPI_Allreduce");

    /// <summary>Copies <paramref name="buffer"/> from rank <paramref name="root"/> to every process.</summary>
    public void BroadcastBytes(Span<byte> buffer, int root) =>
        Check(_bcast(ref MemoryMarshal.GetReference(buffer), buffer.Length, _byte, root, _world), "MPI_Bcast");

    /// <summary>Ends every process of the job with <paramref name="code"/> (MPI_Abort).</summary>
    public void Abort(int code) => _abort(_world, code);
}
