# PyTorch peer of benchmarks/RecurrentImdb: the same model and loop as RawEpoch there, one epoch, same thread count.
# Usage (Debian's python3-torch): /usr/bin/python3 benchmarks/RecurrentImdb/peer_lstm_imdb.py [REPEATS [SAMPLES [THREADS]]]
import sys, time, statistics
import torch

repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
samples = int(sys.argv[2]) if len(sys.argv) > 2 else 1600
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
torch.set_num_threads(threads)
torch.manual_seed(1)
x = torch.randint(1, 20000, (samples, 200))
y = torch.randint(0, 2, (samples, 1)).float()

def epoch():
    torch.manual_seed(1)
    embedding = torch.nn.Embedding(20000, 128)
    lstm = torch.nn.LSTM(128, 64, batch_first=True)
    dense = torch.nn.Linear(64, 1)
    params = list(embedding.parameters()) + list(lstm.parameters()) + list(dense.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3)
    start = time.perf_counter()
    for i in range(0, samples, 32):
        optimizer.zero_grad()
        sequence, _ = lstm(embedding(x[i:i + 32]))
        p = torch.sigmoid(dense(sequence[:, -1]))
        loss = torch.nn.functional.binary_cross_entropy(p, y[i:i + 32])
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start

epoch()
times = [epoch() for _ in range(repeats)]
print(f"PyTorch {torch.__version__}, threads {torch.get_num_threads()}: median {statistics.median(times):.2f} s, best {min(times):.2f} s  {[round(t, 2) for t in times]}")
