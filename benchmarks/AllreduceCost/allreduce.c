/* The cost of DataParallel's one allreduce per step on its own, without a training step around it (so without waiting
 * for a slower rank): MPI_Allreduce(MPI_IN_PLACE, float32 x N, MPI_SUM) repeated, ranks already in step.
 *   mpicc -O2 -o /tmp/allreduce allreduce.c
 *   mpirun --allow-run-as-root --oversubscribe -np 2 /tmp/allreduce 34833 2000
 * 34,833 floats = the benchmark convnet's 34,826 gradients + 6 per-weight flags + the sample count. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long n = argc > 1 ? atol(argv[1]) : 34833;
    int repeats = argc > 2 ? atoi(argv[2]) : 2000;
    float *buffer = calloc((size_t)n, sizeof(float));
    if (buffer == NULL) MPI_Abort(MPI_COMM_WORLD, 1);
    for (int i = 0; i < 100; i++) MPI_Allreduce(MPI_IN_PLACE, buffer, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    for (int i = 0; i < repeats; i++) MPI_Allreduce(MPI_IN_PLACE, buffer, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    double seconds = MPI_Wtime() - start;
    printf("rank %d of %d: %ld floats (%.1f KiB), %d allreduces, mean %.1f us\n", rank, size, n, n * 4 / 1024.0, repeats, 1e6 * seconds / repeats);
    free(buffer);
    MPI_Finalize();
    return 0;
}
