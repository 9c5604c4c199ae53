"""Peer: Hugging Face datasets loads the file offline, splits twice with a seed, writes Arrow files.

The cache goes to a fresh directory under --out so no run reuses another's Arrow cache.
"""

import os
import time

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import datasets  # noqa: E402  (must follow the offline switches)
from peer_io import parse_args, report, write_arrow_file  # noqa: E402

BUILDERS = {"csv": "csv", "parquet": "parquet", "arrow": "arrow"}


def main() -> None:
    args = parse_args()
    datasets.disable_progress_bars()
    started = time.perf_counter()
    cache = os.path.join(args.out, "hf-cache")
    ds = datasets.load_dataset(BUILDERS[args.format], data_files=args.input, split="train", cache_dir=cache)
    sizes = args.sizes
    first = ds.train_test_split(test_size=sizes["validation"] + sizes["test"], seed=args.seed)
    second = first["test"].train_test_split(test_size=sizes["test"], seed=args.seed)
    parts = {"train": first["train"], "validation": second["train"], "test": second["test"]}
    rows = {}
    for name, part in parts.items():
        flat = part.flatten_indices(cache_file_name=os.path.join(cache, f"{name}-flat.arrow"))
        write_arrow_file(flat.data.table, os.path.join(args.out, f"{name}.arrow"))
        rows[name] = flat.num_rows
    report("hf-datasets", started, args.out, rows)


if __name__ == "__main__":
    main()
