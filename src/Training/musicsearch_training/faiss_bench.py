"""The FAISS side of the vector-search benchmark: times exact and 8-bit scans on vectors written by the C# side.

`musicsearch bench vectors` (src/Indexer) writes its row vectors and queries as raw little-endian float32 files
and runs this with Debian's interpreter (`python3-faiss` 1.7.3), so both engines scan the same data on the same
machine in one run:

    python3 -m musicsearch_training.faiss_bench BASE.f32 QUERIES.f32 --dims D [--k 10] [--threads 1 2] [--repeats 2]
        [--single-queries 16]

Two indexes: `IndexFlatIP` (exact inner product) and `IndexScalarQuantizer` with `QT_8bit` (per-dimension
min/max 8-bit codes, decoded to float while scanning). For each thread count, single-query timing calls `search`
once for each of the first `--single-queries` queries; batched timing passes every query in one call (FAISS then
uses BLAS for the flat index). Prints one JSON object with the best seconds of each, and the batched top-k row ids
so the caller can compare results.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import faiss
import numpy as np

# Rows read per np.fromfile call: the index keeps its own copy, so only this chunk is held twice.
_CHUNK_ROWS = 65536


def row_count(path: str, dims: int) -> int:
    size = os.path.getsize(path)
    if size == 0 or size % (4 * dims) != 0:
        raise ValueError(f"{path} is not a whole, non-zero number of {dims}-dimensional float32 rows ({size} bytes)")
    return size // (4 * dims)


def load_rows(path: str, dims: int) -> np.ndarray:
    return np.fromfile(path, dtype=np.float32).reshape(row_count(path, dims), dims)


def build_flat(path: str, dims: int) -> faiss.IndexFlatIP:
    """Adds the rows chunk by chunk so the process holds one copy of the matrix (the index's), not two."""
    index = faiss.IndexFlatIP(dims)
    rows = row_count(path, dims)
    with open(path, "rb") as file:
        for start in range(0, rows, _CHUNK_ROWS):
            count = min(_CHUNK_ROWS, rows - start)
            index.add(np.fromfile(file, dtype=np.float32, count=count * dims).reshape(count, dims))
    return index


def stored_rows(flat: faiss.IndexFlatIP) -> np.ndarray:
    """A zero-copy view of the flat index's storage, to train and fill the quantised index from."""
    return faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d)


def best_seconds(action, repeats: int, warm_up: bool = True) -> float:
    if warm_up:
        action()  # OpenMP threads, BLAS buffers, page faults
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def time_index(index, queries: np.ndarray, k: int, threads: list[int], repeats: int, single_queries: int) -> dict:
    runs = []
    singles = queries[:single_queries]
    for count in threads:
        faiss.omp_set_num_threads(count)
        index.search(singles[:1], k)  # warm-up of the single-query path, without a whole extra pass

        def single_pass():
            for i in range(len(singles)):
                index.search(singles[i:i + 1], k)

        single = best_seconds(single_pass, repeats, warm_up=False)
        batch = best_seconds(lambda: index.search(queries, k), repeats)
        runs.append({"threads": count, "single_seconds_per_query": single / len(singles), "batch_seconds": batch,
                     "batch_seconds_per_query": batch / len(queries)})
    _, ids = index.search(queries, k)
    return {"runs": runs, "ids": ids.tolist()}


def run(base: str, queries_path: str, dims: int, k: int, threads: list[int], repeats: int, single_queries: int) -> dict:
    queries = load_rows(queries_path, dims)
    start = time.perf_counter()
    flat = build_flat(base, dims)
    load_seconds = time.perf_counter() - start
    start = time.perf_counter()
    sq8 = faiss.IndexScalarQuantizer(dims, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
    sq8.train(stored_rows(flat))
    sq8.add(stored_rows(flat))
    sq8_build_seconds = time.perf_counter() - start
    return {
        "engine": f"faiss {faiss.__version__}",
        "rows": flat.ntotal,
        "dims": dims,
        "queries": len(queries),
        "k": k,
        "load_seconds": load_seconds,
        "sq8_build_seconds": sq8_build_seconds,
        "flat": time_index(flat, queries, k, threads, repeats, single_queries),
        "sq8": time_index(sq8, queries, k, threads, repeats, single_queries),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m musicsearch_training.faiss_bench",
                                     description="Time FAISS flat and 8-bit scans on raw float32 rows and queries.")
    parser.add_argument("base", help="row vectors, raw float32, row-major")
    parser.add_argument("queries", help="query vectors, raw float32, row-major")
    parser.add_argument("--dims", type=int, required=True)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, faiss.omp_get_max_threads()])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--single-queries", type=int, default=16, help="queries timed one call each")
    args = parser.parse_args(argv)
    if min(args.dims, args.k, args.repeats, args.single_queries, *args.threads) < 1:
        print("error: --dims, --k, --threads, --repeats and --single-queries must be positive", file=sys.stderr)
        return 2
    try:
        report = run(args.base, args.queries, args.dims, args.k, args.threads, args.repeats, args.single_queries)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
