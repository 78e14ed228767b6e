"""Training pairs for similarity fine-tuning: two crops of one track per stream item, and an optional track
order that keeps tracks of the same album out of one batch.

`PairDataset` is a `CropDataset` whose items are [2, crop_samples]: it keeps data.py's stream (item i is a
pure function of (seed, i); `BatchStream` shards, skips undecodable files and resumes it unchanged) and
batches come out as [B, 2, crop_samples].
"""

from __future__ import annotations

import csv
from collections import Counter
from typing import List, Optional, Sequence

import numpy as np
import torch

from .audio_io import DEFAULT_TIMEOUT_S, DecodeError, decode
from .data import CROP_MARGIN_S, END_MARGIN_S, Clip, CorpusError, CropDataset, Track


class PairDataset(CropDataset):
    """Stream index -> two crops of one track at independent random offsets.

    A track long enough for a random crop gets two ffmpeg crops, which overlap only when the track is short
    relative to the crop. A shorter track (or the first crop + END_MARGIN_S of one of unknown length) is
    decoded once and both crops are cut from it looped, as CropDataset loops, at two random phases:
    otherwise both views would be the same samples from offset 0, and the pair would only teach invariance to
    augmentation.

    With `groups` (one label per track, e.g. its album; see `spread_groups`) each epoch's order keeps tracks
    with the same label at least `spacing` items apart."""

    def __init__(self, tracks: List[Track], crop_samples: int, sample_rate: int, seed: int,
                 groups: Optional[Sequence[str]] = None, spacing: int = 1, timeout: float = DEFAULT_TIMEOUT_S):
        super().__init__(tracks, crop_samples, sample_rate, seed, timeout)
        if groups is not None and len(groups) != len(tracks):
            raise ValueError(f"need one group per track, found {len(groups)} for {len(tracks)} tracks")
        self.groups = groups
        self.spacing = spacing
        self._order_cache = (None, np.empty(0, dtype=np.int64))

    def locate(self, index: int) -> Track:
        if self.groups is None:
            return super().locate(index)
        epoch, position = divmod(index, len(self.tracks))
        if self._order_cache[0] != (self.seed, epoch):
            order = np.random.default_rng([self.seed, epoch]).permutation(len(self.tracks))
            self._order_cache = ((self.seed, epoch), spread_groups(order, self.groups, self.spacing))
        return self.tracks[self._order_cache[1][position]]

    def __getitem__(self, index: int) -> Clip:
        track = self.locate(index)
        rng = np.random.default_rng([self.seed, *divmod(index, len(self.tracks))])
        try:
            pair = self._pair(track, rng)
        except DecodeError as error:
            return Clip(index, track.path, None, str(error))
        return Clip(index, track.path, torch.from_numpy(pair), None)

    def _pair(self, track: Track, rng: np.random.Generator) -> np.ndarray:
        seconds = self.crop_samples / self.sample_rate + CROP_MARGIN_S
        duration = self._duration(track)
        if duration is not None and duration - seconds - END_MARGIN_S > 0:
            return np.stack([self._crop(track, rng), self._crop(track, rng)])
        # At most what a crop from offset 0 of a track of unknown length would read, plus its end margin.
        audio = decode(track.path, self.sample_rate, 0.0, seconds + END_MARGIN_S, self.timeout)
        phases = rng.integers(0, audio.size, size=2)
        return np.stack([np.resize(np.roll(audio, -phase), self.crop_samples) for phase in phases])


def spread_groups(order: Sequence[int], groups: Sequence[str], spacing: int) -> np.ndarray:
    """Reorders `order` (indices into `groups`) so that two items with the same non-empty group are at least
    `spacing` positions apart wherever the greedy pass manages it; empty groups (unknown album) never conflict.

    Each position takes the earliest remaining item whose group is not among the previous spacing - 1, except
    that a group with so many items left that it needs every spacing-th remaining position goes first:
    without that, large albums pile up at the end of the epoch where they can no longer be spread. When no
    remaining item qualifies (an album holding more than 1/spacing of the corpus), the earliest is taken."""
    pending = list(order)
    left = Counter(groups[item] for item in pending if groups[item])
    result: List[int] = []
    while pending:
        recent = {groups[item] for item in result[-(spacing - 1):]} if spacing > 1 else set()
        urgent = {group for group, count in left.items()
                  if group not in recent and (count - 1) * spacing + 1 >= len(pending)}
        pick = next((k for k, item in enumerate(pending) if groups[item] in urgent), None)
        if pick is None:
            pick = next((k for k, item in enumerate(pending)
                         if not groups[item] or groups[item] not in recent), 0)
        item = pending.pop(pick)
        result.append(item)
        if groups[item]:
            left[groups[item]] -= 1
    return np.array(result, dtype=np.int64)


def manifest_albums(manifest: str, tracks: List[Track]) -> List[str]:
    """The `album` of each track of a manifest corpus, in list_tracks' order ('' where a row has none)."""
    if not manifest.lower().endswith(".csv"):
        raise CorpusError(f"{manifest}: album-aware batches need a manifest .csv with an 'album' column")
    with open(manifest, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if "album" not in (reader.fieldnames or ()):
            raise CorpusError(f"{manifest}: no 'album' column, which album-aware batches need "
                              f"(found {reader.fieldnames})")
        albums = [row["album"].strip() for row in reader if row["path"]]
    if len(albums) != len(tracks):
        raise CorpusError(f"{manifest}: changed while it was being read")
    return albums
