"""scikit-learn CountVectorizer peer for benchmarks/TextVectorization (Debian's python3-sklearn).

    /usr/bin/python3 countvectorizer_peer.py DOCS_FILE --rounds 3 --max-tokens 20000

DOCS_FILE holds one document per line (written by the C# benchmark, so both sides see the same text). Prints one JSON
line per measurement: {"name", "seconds", "cpu"} (wall and process CPU time of fit + transform, the corpus already in memory), and one with the
vocabulary sizes. Two tokenizations:
  default: CountVectorizer(max_features) as people use it (lowercase, regex \\b\\w\\w+\\b);
  keras:   the tokens Keras's TextVectorization makes (ASCII lower, string.punctuation removed, split on whitespace),
           max_features = max_tokens - 2 (Keras keeps max_tokens - 2 words besides "" and "[UNK]").
"""
import json
import string
import sys
import time

from sklearn.feature_extraction.text import CountVectorizer

path = sys.argv[1]
rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
max_tokens = int(sys.argv[sys.argv.index("--max-tokens") + 1]) if "--max-tokens" in sys.argv else 20000

with open(path, encoding="utf-8") as f:
    docs = f.read().split("\n")
if docs and docs[-1] == "":
    docs.pop()

_lower = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_strip = str.maketrans("", "", string.punctuation)


def keras_standardize(text):
    return text.translate(_lower).translate(_strip)


def make(kind, binary):
    if kind == "default":
        return CountVectorizer(max_features=max_tokens, binary=binary)
    return CountVectorizer(max_features=max_tokens - 2, binary=binary, lowercase=False, preprocessor=keras_standardize,
                           tokenizer=str.split, token_pattern=None)


def timed(name, work):
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    print(json.dumps({"name": name, "seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu}), flush=True)
    return result


for _ in range(rounds):
    for kind in ("default", "keras"):
        for binary in (False, True):
            label = f"CountVectorizer {kind}{' binary' if binary else ''}"
            timed(f"{label}: fit + transform", lambda: make(kind, binary).fit(docs).transform(docs))
            timed(f"{label}: fit_transform", lambda: make(kind, binary).fit_transform(docs))

full = CountVectorizer(lowercase=False, preprocessor=keras_standardize, tokenizer=str.split, token_pattern=None).fit(docs)
print(json.dumps({"name": "vocabulary", "keras_tokens_distinct": len(full.vocabulary_)}), flush=True)
