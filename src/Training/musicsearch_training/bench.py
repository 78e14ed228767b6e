"""The PyTorch side of the engine benchmark: times this reference model on fixed windows of a package.

`musicsearch bench` (src/Indexer) runs this in the same run as the C# engine, with the same package, window
length, batch and thread count, and reports the ratio. Both run the whole encoder (every hidden state), which
is what indexing with "all layers" costs and an upper bound for one layer.

    python3 -m musicsearch_training.bench PACKAGE_DIR [--seconds 30] [--batch 1] [--repeats 3] [--threads 2]

Prints one JSON object: windows per second (best and median of the timed batches), seconds per batch,
multiply-adds per window, peak resident memory and the BLAS PyTorch was built against.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time

import torch

from .cost import multiply_adds
from .package import load_package


def fixed_windows(batch: int, samples: int, seed: int = 0) -> torch.Tensor:
    """Music-like test windows (the values do not change the cost; fixed so both engines see the same input)."""
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(batch, samples, generator=generator) * 0.1


def blas_info() -> str:
    """PyTorch's BLAS setting (Debian's build says `generic`: libblas.so.3, which the installer points at OpenBLAS)."""
    settings = torch.__config__.show().replace(",", " ").split()
    return next((item for item in settings if item.startswith("BLAS_INFO=")), "BLAS_INFO=unknown")


def run(package_dir: str, seconds: float, batch: int, repeats: int, threads: int) -> dict:
    torch.set_num_threads(threads)
    model = load_package(package_dir).eval()
    config = model.config
    waveforms = fixed_windows(batch, round(seconds * config.sample_rate))
    timings = []
    with torch.no_grad():
        model.get_hidden_states(waveforms)  # warm-up: allocator, OpenMP threads, oneDNN kernels
        for _ in range(repeats):
            start = time.perf_counter()
            model.get_hidden_states(waveforms)
            timings.append(time.perf_counter() - start)
    best, median = min(timings), statistics.median(timings)
    return {
        "engine": f"pytorch {torch.__version__}",
        "threads": torch.get_num_threads(),
        "batch": batch,
        "window_seconds": seconds,
        "seconds_per_batch_best": best,
        "seconds_per_batch_median": median,
        "windows_per_second_best": batch / best,
        "windows_per_second_median": batch / median,
        "multiply_adds_per_window": multiply_adds(config, seconds)["inference"],
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "blas": blas_info(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m musicsearch_training.bench",
                                     description="Time the PyTorch reference on fixed windows of a package.")
    parser.add_argument("package_dir")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = parser.parse_args(argv)
    if args.batch < 1 or args.repeats < 1 or args.threads < 1 or args.seconds <= 0:
        print("error: --batch, --repeats, --threads and --seconds must be positive", file=sys.stderr)
        return 2
    print(json.dumps(run(args.package_dir, args.seconds, args.batch, args.repeats, args.threads)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
