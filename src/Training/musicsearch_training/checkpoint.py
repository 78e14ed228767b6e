"""Training checkpoints: atomic files named by step, the latest one of a run, and the RNG states that exact
resumption needs."""

from __future__ import annotations

import os
import random
import re
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np
import torch

from .atomic_file import atomic_write

CHECKPOINT_DIR = "checkpoints"
_NAME = re.compile(r"^step-(\d+)\.pt$")


class RunError(ValueError):
    """A run that cannot start as asked; the message says what to change."""


def checkpoint_path(run_dir: str, step: int) -> str:
    return os.path.join(run_dir, CHECKPOINT_DIR, f"step-{step:08d}.pt")


def list_checkpoints(run_dir: str) -> List[str]:
    """Complete checkpoints of a run, oldest first (temporary files of an interrupted save are ignored)."""
    folder = os.path.join(run_dir, CHECKPOINT_DIR)
    if not os.path.isdir(folder):
        return []
    steps = sorted(int(match.group(1)) for match in map(_NAME.match, os.listdir(folder)) if match)
    return [checkpoint_path(run_dir, step) for step in steps]


def latest_checkpoint(run_dir: str) -> Optional[str]:
    checkpoints = list_checkpoints(run_dir)
    return checkpoints[-1] if checkpoints else None


def checkpoint_to_resume(run_dir: str, resume: bool, log: Callable[[str], None]) -> Optional[Tuple[str, dict]]:
    """The newest checkpoint of a run and its state, or None to start afresh. Without `resume`, a run folder
    that already holds checkpoints is refused, so no run is overwritten by accident."""
    latest = latest_checkpoint(run_dir)
    if not resume:
        if latest is not None:
            raise RunError(f"{run_dir} already holds checkpoints; pass --resume to continue that run or choose "
                           "another --out")
        return None
    if latest is None:
        log(f"--resume: no checkpoint in {run_dir}, starting afresh")
        return None
    log(f"resuming from {latest}")
    return latest, torch.load(latest, map_location="cpu")


def save_atomic(state: dict, path: str) -> None:
    """A crash while saving leaves the previous checkpoints intact and no truncated file under a step name."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with atomic_write(path) as handle:
        torch.save(state, handle)


def prune_checkpoints(run_dir: str, keep: int) -> None:
    """Deletes all but the newest `keep` checkpoints (keep <= 0 keeps everything)."""
    if keep > 0:
        for path in list_checkpoints(run_dir)[:-keep]:
            os.remove(path)


def capture_rng(generators: Dict[str, torch.Generator]) -> dict:
    """Python, NumPy, torch CPU and (when present) every CUDA device's RNG state, plus named generators."""
    state = {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state(),
             "generators": {name: generator.get_state() for name, generator in generators.items()}}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state: dict, generators: Dict[str, torch.Generator]) -> None:
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
    for name, generator in generators.items():
        generator.set_state(state["generators"][name])
