"""Corpus statistics for MusicFM's global dB-mel normalisation, in the layout of MusicFM's stats files
(`melspec_<n_fft>_cnt`, `_mean`, `_std`; cnt counts mel values, i.e. frames × bands).

    python3 -m musicsearch_training.stats --data DIR_OR_MANIFEST --out stats.json [--config small]
        [--max-files N] [--window-seconds 30]

Streams the corpus: each file is decoded, cut into consecutive windows of the training crop length, turned
into dB mel by the model's own frontend (before normalisation, last frame dropped: exactly the values that
normalisation sees in training, edge frames included), added to float64 count / sum / sum of squares, and
dropped. Files that fail to decode are skipped and counted.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from typing import Callable, List, Optional

import numpy as np
import torch

from .audio_io import DecodeError, decode
from .configs import CONFIGS, MusicFMConfig, get_config
from .data import CorpusError, Track, list_tracks
from .frontend import MelFrontend, MelStats


@dataclass
class MelMoments:
    count: int = 0
    total: float = 0.0
    total_squares: float = 0.0
    skipped_files: int = 0

    def add(self, mel_db: torch.Tensor) -> None:
        values = mel_db.detach().to(torch.float64)
        self.count += values.numel()
        self.total += float(values.sum())
        self.total_squares += float((values * values).sum())

    def to_stats(self) -> MelStats:
        if self.count == 0:
            raise CorpusError("no audio could be decoded, so there are no statistics")
        mean = self.total / self.count
        # Population variance; clamped because rounding can make a constant signal's variance slightly < 0.
        variance = max(self.total_squares / self.count - mean * mean, 0.0)
        return MelStats(mean=mean, std=math.sqrt(variance))


def frontend_for(config: MusicFMConfig) -> MelFrontend:
    return MelFrontend(config.sample_rate, config.n_fft, config.hop_length, config.n_mels, config.f_min,
                       config.max_frequency, level_epsilon=config.level_epsilon)


def window_mels(frontend: MelFrontend, audio: torch.Tensor, window_samples: int):
    """dB mel of each consecutive window of `audio` [N]; a final partial window too short for the STFT's
    reflect padding (n_fft/2 samples) is left out."""
    minimum = frontend.mel_stft.spectrogram.n_fft // 2 + 1
    for start in range(0, audio.shape[0], window_samples):
        window = audio[start:start + window_samples]
        if window.shape[0] >= minimum:
            yield frontend.mel_db(window.unsqueeze(0))


@torch.no_grad()
def corpus_moments(tracks: List[Track], config: MusicFMConfig, window_samples: int,
                   device: torch.device = torch.device("cpu"),
                   log: Callable[[str], None] = print) -> MelMoments:
    if window_samples <= 0:
        raise ValueError(f"the analysis window must be positive, found {window_samples} samples")
    frontend = frontend_for(config).to(device)
    moments = MelMoments()
    for number, track in enumerate(tracks, 1):
        try:
            audio = torch.from_numpy(decode(track.path, config.sample_rate)).to(device)
        except DecodeError as error:
            moments.skipped_files += 1
            log(f"skipping undecodable file ({moments.skipped_files} so far): {error}")
            continue
        for mel_db in window_mels(frontend, audio, window_samples):
            moments.add(mel_db)
        if number % 25 == 0 or number == len(tracks):
            log(f"stats: {number}/{len(tracks)} files, {moments.count} values")
    return moments


def sample_tracks(tracks: List[Track], max_files: Optional[int], seed: int = 0) -> List[Track]:
    """All tracks, or `max_files` of them drawn uniformly (a seeded shuffle), so a limited run still spans
    the whole corpus rather than its first folders."""
    if max_files is None or max_files >= len(tracks):
        return tracks
    order = np.random.default_rng(seed).permutation(len(tracks))[:max_files]
    return [tracks[i] for i in sorted(order)]


def stats_json(config: MusicFMConfig, stats: MelStats, count: int) -> dict:
    prefix = f"melspec_{config.n_fft}"
    return {f"{prefix}_cnt": count, f"{prefix}_mean": stats.mean, f"{prefix}_std": stats.std}


def read_stats(path: str, feature: str) -> MelStats:
    """The global pair `<feature>_mean` / `<feature>_std` of a MusicFM-layout stats JSON (§1.2)."""
    try:
        with open(path, encoding="utf-8") as handle:
            values = json.load(handle)
    except (OSError, ValueError) as error:
        raise ValueError(f"{path}: cannot read the stats JSON: {error}") from None
    try:
        return MelStats(mean=float(values[f"{feature}_mean"]), std=float(values[f"{feature}_std"]))
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"{path}: needs numbers '{feature}_mean' and '{feature}_std'") from None


def load_stats(path: str, config: MusicFMConfig) -> MelStats:
    """The stats a config's frontend needs: the key prefix follows its n_fft (`melspec_<n_fft>`)."""
    return read_stats(path, f"melspec_{config.n_fft}")


def write_stats(path: str, config: MusicFMConfig, moments: MelMoments) -> MelStats:
    stats = moments.to_stats()
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(stats_json(config, stats, moments.count), handle, indent=2)
        handle.write("\n")
    return stats


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m musicsearch_training.stats",
                                     description="Compute dB-mel normalisation statistics over a corpus.")
    parser.add_argument("--data", required=True, help="audio folder or manifest.csv")
    parser.add_argument("--out", required=True, help="stats JSON to write")
    parser.add_argument("--config", default="small", help=f"one of: {', '.join(CONFIGS)} (sets n_fft etc.)")
    parser.add_argument("--max-files", type=int, default=None, help="use a seeded sample of N files")
    parser.add_argument("--window-seconds", type=float, default=30.0,
                        help="analysis window; use the training crop length (default 30)")
    args = parser.parse_args(argv)
    try:
        config = get_config(args.config)
        tracks = sample_tracks(list_tracks(args.data), args.max_files)
        window = round(args.window_seconds * config.sample_rate)
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        moments = corpus_moments(tracks, config, window, device)
        stats = write_stats(args.out, config, moments)
    except (CorpusError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.out}: mean {stats.mean:.6f} dB, std {stats.std:.6f} dB over {moments.count} values of "
          f"{len(tracks) - moments.skipped_files} files ({moments.skipped_files} skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
