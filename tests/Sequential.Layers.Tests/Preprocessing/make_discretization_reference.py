# Reference boundaries for DiscretizationTests: Keras's own quantile functions, run with numpy.
# Usage: python3 make_discretization_reference.py /path/to/keras/src/layers/preprocessing/discretization.py
import sys

import numpy as np

source = open(sys.argv[1]).read()
namespace = {"np": np}
exec(source[source.index("def summarize("):], namespace)


def adapt(batches, num_bins, epsilon=0.01, kind="quicksort"):
    # Discretization.adapt: update_state per batch (summarize, then merge_summaries(new, old)), then get_bin_boundaries.
    # merge_summaries sorts with np.argsort's default (unstable) quicksort, whose order of equal values depends on the numpy
    # version and the CPU's SIMD sort; kind="stable" is the order Sequential uses (only ties across batches differ).
    summary = np.array([[], []], dtype="float32")
    for batch in batches:
        data = np.array(batch).astype("float32")
        merged = np.concatenate((namespace["summarize"](data, epsilon), summary), axis=1)
        merged = np.take(merged, np.argsort(merged[0], kind=kind), axis=1)
        summary = namespace["compress_summary"](merged, epsilon)
    return namespace["get_bin_boundaries"](summary, num_bins).tolist()


d1 = [(i * 37 % 101) / 10.0 for i in range(250)]
d2 = [((i * 53) % 97) / 7.0 - 3 for i in range(130)]
print("d1, 4 bins:", adapt([d1], 4))
print("[0, 1, 5], 5 bins:", adapt([[0.0, 1.0, 5.0]], 5))
print("0..7, 5 bins:", adapt([[0.0, 1, 2, 3, 4, 5, 6, 7]], 5))
print("0..7, 3 bins:", adapt([[0.0, 1, 2, 3, 4, 5, 6, 7]], 3))
print("d1[:120] then d2, 6 bins:", adapt([d1[:120], d2], 6))
print("d1[:120] then d2, 6 bins, stable order:", adapt([d1[:120], d2], 6, kind="stable"))
print("d1, 4 bins, epsilon 0.1:", adapt([d1], 4, epsilon=0.1))
