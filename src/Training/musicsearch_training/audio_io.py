"""Audio decoding through ffmpeg/ffprobe child processes: mono float32 at the model's sample rate.

Every call is an argument list (no shell), has a timeout and captures stderr, so a broken or hostile file can
only ever produce a `DecodeError`.
"""

from __future__ import annotations

import subprocess
from typing import Optional

import numpy as np

# Enough for ffmpeg to render minutes of a tracker module on a loaded machine; a hung decode is a failure.
DEFAULT_TIMEOUT_S = 120.0


class DecodeError(RuntimeError):
    """A file that ffmpeg or ffprobe could not read; the message carries ffmpeg's own error text."""


def _run(command, path: str, timeout: float) -> bytes:
    try:
        result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise DecodeError(f"{path}: {command[0]} timed out after {timeout:g} s") from None
    except OSError as error:
        raise DecodeError(f"{path}: cannot run {command[0]}: {error}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DecodeError(f"{path}: {command[0]} exited with {result.returncode}: "
                          f"{message[-1] if message else 'no message'}")
    return result.stdout


def probe_duration(path: str, timeout: float = DEFAULT_TIMEOUT_S) -> Optional[float]:
    """The container's duration in seconds, or None when the format does not state one."""
    output = _run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                   "-of", "default=noprint_wrappers=1:nokey=1", path], path, timeout)
    try:
        duration = float(output.decode("ascii", "replace").strip())
    except ValueError:
        return None
    return duration if duration > 0 else None


def decode(path: str, sample_rate: int, offset: float = 0.0, seconds: Optional[float] = None,
           timeout: float = DEFAULT_TIMEOUT_S) -> np.ndarray:
    """Mono float32 samples of [offset, offset + seconds) (or to the end of the file), resampled with soxr.

    `-ss` is an input option, so ffmpeg seeks and decodes only the crop (about 3× faster than decoding the
    prefix for a 4-minute file); the start may then land a few ms (tracker modules: up to ~80 ms) away from
    `offset`, which does not matter for random crops, and is the same on every call. `-t` is an output option,
    so the length is exact unless the file ends first."""
    command = ["ffmpeg", "-v", "error", "-nostdin"]
    if offset > 0:
        command += ["-ss", f"{offset:.6f}"]
    command += ["-i", path]
    if seconds is not None:
        command += ["-t", f"{seconds:.6f}"]
    command += ["-ac", "1", "-af", f"aresample={sample_rate}:resampler=soxr", "-f", "f32le", "pipe:1"]
    samples = np.frombuffer(_run(command, path, timeout), dtype="<f4")
    if samples.size == 0:
        raise DecodeError(f"{path}: no audio decoded")
    if not np.isfinite(samples).all():
        raise DecodeError(f"{path}: decoded audio contains NaN or infinity")
    return samples.astype(np.float32)
