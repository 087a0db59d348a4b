# PyTorch peer of benchmarks/RecurrentImdb: the same model and loop as RawEpoch there, one epoch, same thread count.
# Usage (Debian's python3-torch): /usr/bin/python3 benchmarks/RecurrentImdb/peer_lstm_imdb.py [REPEATS [SAMPLES [THREADS]]] [--layer lstm|gru|conv1d]
import sys, time, statistics
import torch

repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
samples = int(sys.argv[2]) if len(sys.argv) > 2 else 1600
threads = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3].isdigit() else 2
layer = sys.argv[sys.argv.index('--layer') + 1] if '--layer' in sys.argv else 'lstm'
torch.set_num_threads(threads)
torch.manual_seed(1)
x = torch.randint(1, 20000, (samples, 200))
y = torch.randint(0, 2, (samples, 1)).float()

def epoch():
    torch.manual_seed(1)
    embedding = torch.nn.Embedding(20000, 128)
    lstm = torch.nn.LSTM(128, 64, batch_first=True)
    gru = torch.nn.GRU(128, 64, batch_first=True)
    conv1 = torch.nn.Conv1d(128, 128, 7, stride=3)
    conv2 = torch.nn.Conv1d(128, 128, 7, stride=3)
    dropout = torch.nn.Dropout(0.5)
    dense = torch.nn.Linear(128 if layer == 'conv1d' else 64, 1)
    body = {'lstm': list(lstm.parameters()), 'gru': list(gru.parameters()),
            'conv1d': list(conv1.parameters()) + list(conv2.parameters())}[layer]
    params = list(embedding.parameters()) + body + list(dense.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3)
    start = time.perf_counter()
    for i in range(0, samples, 32):
        optimizer.zero_grad()
        embedded = embedding(x[i:i + 32])
        if layer == 'conv1d':
            h = torch.relu(conv1(dropout(embedded).transpose(1, 2)))
            features = torch.relu(conv2(h)).amax(2)
        else:
            sequence, _ = (gru if layer == 'gru' else lstm)(embedded)
            features = sequence[:, -1]
        p = torch.sigmoid(dense(features))
        loss = torch.nn.functional.binary_cross_entropy(p, y[i:i + 32])
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start

epoch()
times = [epoch() for _ in range(repeats)]
print(f"PyTorch {torch.__version__}, {layer}, threads {torch.get_num_threads()}: median {statistics.median(times):.2f} s, best {min(times):.2f} s  {[round(t, 2) for t in times]}")
