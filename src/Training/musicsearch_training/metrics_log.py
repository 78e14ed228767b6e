"""Training metrics: one line on stdout, one JSON object per line in RUN_DIR/metrics.jsonl, and TensorBoard
scalars when `torch.utils.tensorboard` (which needs the tensorboard package) can be imported."""

from __future__ import annotations

import json
import os
from typing import Optional


class MetricsLog:
    def __init__(self, run_dir: str, tensorboard: bool = True):
        os.makedirs(run_dir, exist_ok=True)
        # Appending: a resumed run continues the same file.
        self._jsonl = open(os.path.join(run_dir, "metrics.jsonl"), "a", encoding="utf-8")
        self._writer: Optional[object] = None
        if tensorboard:
            try:
                from torch.utils.tensorboard import SummaryWriter
            except ImportError:
                print("info: tensorboard is not installed; metrics go to stdout and metrics.jsonl only",
                      flush=True)
            else:
                self._writer = SummaryWriter(os.path.join(run_dir, "tensorboard"))

    def write(self, record: dict) -> None:
        """`record` must hold `step`; every other numeric field becomes a scalar of that step."""
        print(" ".join(f"{key} {_format(value)}" for key, value in record.items()), flush=True)
        self._jsonl.write(json.dumps(record) + "\n")
        self._jsonl.flush()
        if self._writer is not None:
            for key, value in record.items():
                if key != "step" and isinstance(value, (int, float)):
                    self._writer.add_scalar(key, value, record["step"])

    def close(self) -> None:
        self._jsonl.close()
        if self._writer is not None:
            self._writer.close()


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
