"""Training audio: a corpus (a folder or a manifest CSV), random fixed-length crops decoded by ffmpeg, and a
resumable stream of batches that DDP ranks shard.

Item i of the endless stream (i = 0, 1, 2, ...) is a pure function of (seed, i): epoch e = i // n visits the
n tracks in a permutation drawn from (seed, e), and the crop offset of item i is drawn from
(seed, e, i mod n). So the data position of a run is one integer per rank (stored as epoch and index within
the epoch's permutation, with the seed as the whole RNG state), DataLoader workers share no state, and any
number of workers yields the same stream. Rank r of W takes the items i ≡ r (mod W): disjoint shards of every
epoch.

Clips shorter than the crop are looped to fill it rather than skipped: much game music is written to loop,
and skipping would silently drop every short track of a corpus. Files that fail to decode are skipped,
counted, and logged once each; a corpus in which every file fails raises `CorpusError`.
"""

from __future__ import annotations

import csv
import itertools
import os
from dataclasses import dataclass
from typing import Callable, Dict, Iterator, List, NamedTuple, Optional

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from .audio_io import DEFAULT_TIMEOUT_S, DecodeError, decode, probe_duration

AUDIO_EXTENSIONS = frozenset({
    ".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac", ".wma", ".aif", ".aiff", ".mka",
    ".webm", ".mod", ".xm", ".it", ".s3m", ".mptm",
})
# Decoded past the crop so that resampler rounding never shortens it.
CROP_MARGIN_S = 0.1
# Crops start this far before the stated end: module durations and input seeking are approximate, and a crop
# that ran off the end would be looped.
END_MARGIN_S = 1.0


class CorpusError(ValueError):
    """A corpus that cannot feed training: missing, empty, or with no decodable file."""


@dataclass(frozen=True)
class Track:
    path: str
    # Seconds, when a manifest states it; otherwise ffprobe is asked.
    duration: Optional[float] = None


def list_tracks(source: str) -> List[Track]:
    """Every audio file under a folder (recursively, sorted), or every row of a manifest CSV with a `path`
    column relative to the manifest's folder and an optional `duration_s`."""
    if os.path.isdir(source):
        tracks = _scan_directory(source)
        what = f"no audio files ({' '.join(sorted(AUDIO_EXTENSIONS))}) under it"
    elif os.path.isfile(source) and source.lower().endswith(".csv"):
        tracks = _read_manifest(source)
        what = "no rows in the manifest"
    else:
        raise CorpusError(f"{source}: neither a directory nor a manifest .csv file")
    if not tracks:
        raise CorpusError(f"{source}: {what}")
    return tracks


def _scan_directory(root: str) -> List[Track]:
    paths = []
    for folder, _, files in os.walk(root):
        paths += [os.path.join(folder, name) for name in files
                  if os.path.splitext(name)[1].lower() in AUDIO_EXTENSIONS]
    return [Track(path) for path in sorted(paths)]


def _read_manifest(manifest: str) -> List[Track]:
    root = os.path.dirname(os.path.abspath(manifest))
    with open(manifest, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "path" not in reader.fieldnames:
            raise CorpusError(f"{manifest}: a manifest needs a 'path' column, found {reader.fieldnames}")
        return [Track(os.path.join(root, row["path"]), _parse_duration(row.get("duration_s")))
                for row in reader if row["path"]]


def _parse_duration(text: Optional[str]) -> Optional[float]:
    try:
        duration = float(text)
    except (TypeError, ValueError):
        return None
    return duration if duration > 0 else None


class Clip(NamedTuple):
    index: int
    path: str
    audio: Optional[torch.Tensor]  # [crop_samples] float32, None when decoding failed
    error: Optional[str]


class CropDataset(Dataset):
    """Map-style: stream index -> one crop of `crop_samples` samples (see the module docstring)."""

    def __init__(self, tracks: List[Track], crop_samples: int, sample_rate: int, seed: int,
                 timeout: float = DEFAULT_TIMEOUT_S):
        if not tracks:
            raise CorpusError("the corpus is empty")
        if crop_samples <= 0 or seed < 0:
            raise ValueError(f"need crop_samples > 0 and seed >= 0, found {crop_samples} and {seed}")
        self.tracks = tracks
        self.crop_samples = crop_samples
        self.sample_rate = sample_rate
        self.timeout = timeout
        self.seed = seed
        self._probed: Dict[str, Optional[float]] = {}

    @property
    def seed(self) -> int:
        return self._seed

    @seed.setter
    def seed(self, seed: int) -> None:
        self._seed = seed
        self._permutation_cache = (-1, np.empty(0, dtype=np.int64))

    def locate(self, index: int) -> Track:
        epoch, position = divmod(index, len(self.tracks))
        if self._permutation_cache[0] != epoch:
            order = np.random.default_rng([self.seed, epoch]).permutation(len(self.tracks))
            self._permutation_cache = (epoch, order)
        return self.tracks[self._permutation_cache[1][position]]

    def __getitem__(self, index: int) -> Clip:
        track = self.locate(index)
        rng = np.random.default_rng([self.seed, *divmod(index, len(self.tracks))])
        try:
            audio = self._crop(track, rng)
        except DecodeError as error:
            return Clip(index, track.path, None, str(error))
        return Clip(index, track.path, torch.from_numpy(audio), None)

    def _duration(self, track: Track) -> Optional[float]:
        if track.duration is not None:
            return track.duration
        if track.path not in self._probed:
            self._probed[track.path] = probe_duration(track.path, self.timeout)
        return self._probed[track.path]

    def _crop(self, track: Track, rng: np.random.Generator) -> np.ndarray:
        seconds = self.crop_samples / self.sample_rate + CROP_MARGIN_S
        duration = self._duration(track)
        # Unknown or short durations start at 0; np.resize below fills what is missing.
        latest_start = duration - seconds - END_MARGIN_S if duration is not None else 0.0
        offset = rng.uniform(0.0, latest_start) if latest_start > 0 else 0.0
        audio = decode(track.path, self.sample_rate, offset, seconds, self.timeout)
        # np.resize repeats the clip cyclically, so it both loops short clips and trims the margin.
        return np.resize(audio, self.crop_samples)


class BatchStream:
    """One rank's endless stream of batches [batch_size, crop_samples], decoded by `num_workers` DataLoader
    workers (0: in this process). Failed items are skipped and counted; `state_dict()` after a batch is the
    position just past it, and iterating again after `load_state_dict()` continues exactly there."""

    def __init__(self, dataset: CropDataset, batch_size: int, rank: int = 0, world_size: int = 1,
                 num_workers: int = 0, log: Callable[[str], None] = print):
        if batch_size <= 0 or not 0 <= rank < world_size:
            raise ValueError(f"need batch_size > 0 and 0 <= rank < world_size, found {batch_size}, {rank}, "
                             f"{world_size}")
        self.dataset = dataset
        self.batch_size = batch_size
        self.rank = rank
        self.world_size = world_size
        self.num_workers = num_workers
        self.log = log
        self.next_index = rank
        self.skipped_items = 0
        self.failed_files: set = set()

    @property
    def epoch(self) -> int:
        return self.next_index // len(self.dataset.tracks)

    def state_dict(self) -> dict:
        return {"seed": self.dataset.seed, "tracks": len(self.dataset.tracks), "epoch": self.epoch,
                "index": self.next_index % len(self.dataset.tracks), "skipped_items": self.skipped_items,
                "failed_files": sorted(self.failed_files)}

    def load_state_dict(self, state: dict) -> None:
        tracks = len(self.dataset.tracks)
        if state["tracks"] != tracks:
            self.log(f"warning: the corpus had {state['tracks']} files when the checkpoint was written and has "
                     f"{tracks} now; epoch {state['epoch']} continues in a different order")
        self.dataset.seed = state["seed"]
        index = state["epoch"] * tracks + min(state["index"], tracks)
        self.next_index = index + (self.rank - index) % self.world_size
        self.skipped_items = state["skipped_items"]
        self.failed_files = set(state["failed_files"])

    def __iter__(self) -> Iterator[torch.Tensor]:
        # A private generator: otherwise creating the loader draws a worker seed from the global torch RNG,
        # and a resumed run would see different dropout than an uninterrupted one.
        loader = DataLoader(self.dataset, batch_size=None, num_workers=self.num_workers,
                            sampler=itertools.count(self.next_index, self.world_size),
                            generator=torch.Generator())
        distinct_paths = len({track.path for track in self.dataset.tracks})
        batch: List[torch.Tensor] = []
        failing_run: set = set()
        for clip in loader:
            self.next_index = clip.index + self.world_size
            if clip.audio is None:
                self._skip(clip)
                failing_run.add(clip.path)
                if len(failing_run) == distinct_paths:
                    raise CorpusError(f"all {distinct_paths} files of the corpus failed to decode; "
                                      f"the last error: {clip.error}")
                continue
            failing_run.clear()
            batch.append(clip.audio)
            if len(batch) == self.batch_size:
                yield torch.stack(batch)
                batch = []

    def _skip(self, clip: Clip) -> None:
        self.skipped_items += 1
        if clip.path not in self.failed_files:
            self.failed_files.add(clip.path)
            self.log(f"skipping undecodable file ({len(self.failed_files)} so far): {clip.error}")
