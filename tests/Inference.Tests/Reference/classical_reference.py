"""Reference cases for the classical-features encoder (tests/Inference.Tests/Classical), written independently of it.

Usage: classical_reference.py OUT.safetensors

Everything is float64 from the same float32 samples the C# encoder gets: the power spectrum from torch.stft (periodic
Hann window, centred, reflect padding), the HTK mel filterbank from torchaudio.functional.melscale_fbanks, the
orthonormal DCT-II from torchaudio.functional.create_dct, and the spectral descriptors in numpy as the package
format defines them (docs/model-package.md, "classical"):

  contrast  per band [0, f0), [f0, 2 f0), ..., [f0 2^(B-1), f_max]: 10 log10 of the mean of the largest
            max(1, floor(q n + 1/2)) power values over that of the smallest as many, both floored at 1e-10
  centroid  sum(f |X|) / sum(|X|) over bins up to f_max, 0 for a silent frame
  flatness  exp(mean(log S')) / mean(S'), S' = max(S, 1e-10), bins up to f_max

Per case ("<case>.<tensor>", parameters as JSON in the metadata entry "<case>"): "waveform" [B, N] and, for each
feature group g in mel, mfcc, contrast, centroid, flatness, "<g>_mean" and "<g>_std" [B, width]: the mean and
population standard deviation over frames.
"""

from __future__ import annotations

import json
import math
import sys
from collections import OrderedDict

import numpy as np
import torch
import torchaudio

from musicsearch_training.safetensors_io import save_file

TENSORS: "OrderedDict[str, torch.Tensor]" = OrderedDict()
METADATA = {}
FLOOR = 1e-10
GENERATOR = torch.Generator().manual_seed(1234)

DEFAULT = dict(sample_rate=24000, n_fft=2048, hop_length=512, n_mels=40, f_max=12000.0, n_mfcc=20,
               contrast_bands=6, contrast_f_min=200.0, contrast_quantile=0.02)
SMALL = dict(sample_rate=16000, n_fft=1024, hop_length=256, n_mels=32, f_max=7000.0, n_mfcc=13,
             contrast_bands=4, contrast_f_min=300.0, contrast_quantile=0.05)


def features(wav: np.ndarray, p: dict) -> dict:
    """Per-frame features of one clip (float64), as [frames, width] arrays."""
    n_fft, sr = p["n_fft"], p["sample_rate"]
    window = torch.hann_window(n_fft, periodic=True, dtype=torch.float64)
    spectrum = torch.stft(torch.from_numpy(wav), n_fft, hop_length=p["hop_length"], win_length=n_fft, window=window,
                          center=True, pad_mode="reflect", return_complex=True)
    power = (spectrum.abs() ** 2).numpy()  # [bins, frames]
    bins = power.shape[0]

    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        bank = torchaudio.functional.melscale_fbanks(bins, 0.0, p["f_max"], p["n_mels"], sr, norm=None,
                                                     mel_scale="htk").numpy()
        dct = torchaudio.functional.create_dct(p["n_mfcc"], p["n_mels"], norm="ortho").numpy()
    finally:
        torch.set_default_dtype(previous)
    mel_db = 10 * np.log10(np.maximum(bank.T @ power, FLOOR))  # [n_mels, frames]
    mfcc = dct.T @ mel_db

    freqs = np.arange(bins) * sr / n_fft
    keep = freqs <= p["f_max"]
    s, f = power[keep], freqs[keep]
    magnitude = np.sqrt(s)
    total = magnitude.sum(axis=0)
    centroid = np.where(total > 0, (f[:, None] * magnitude).sum(axis=0) / np.where(total > 0, total, 1), 0.0)
    floored = np.maximum(s, FLOOR)
    flatness = np.exp(np.log(floored).mean(axis=0)) / floored.mean(axis=0)

    edges = [0.0] + [p["contrast_f_min"] * 2 ** i for i in range(p["contrast_bands"])] + [math.inf]
    contrast = []
    for low, high in zip(edges[:-1], edges[1:]):
        band = np.sort(s[(f >= low) & (f < high)], axis=0)
        n = max(1, math.floor(p["contrast_quantile"] * band.shape[0] + 0.5))
        peak, valley = band[-n:].mean(axis=0), band[:n].mean(axis=0)
        contrast.append(10 * np.log10(np.maximum(peak, FLOOR)) - 10 * np.log10(np.maximum(valley, FLOOR)))
    return {"mel": mel_db.T, "mfcc": mfcc.T, "contrast": np.stack(contrast, axis=1),
            "centroid": centroid[:, None], "flatness": flatness[:, None]}


def case(name: str, waveforms: torch.Tensor, params: dict) -> None:
    METADATA[name] = json.dumps({"op": "classical", **params})
    TENSORS[f"{name}.waveform"] = waveforms.contiguous()
    per_clip = [features(w.double().numpy(), params) for w in waveforms]
    for group in per_clip[0]:
        TENSORS[f"{name}.{group}_mean"] = torch.from_numpy(np.stack([c[group].mean(axis=0) for c in per_clip]))
        TENSORS[f"{name}.{group}_std"] = torch.from_numpy(np.stack([c[group].std(axis=0) for c in per_clip]))


def noise(batch: int, length: int, level: float = 0.1) -> torch.Tensor:
    return (level * torch.randn(batch, length, generator=GENERATOR, dtype=torch.float64)).float()


def chord(length: int, sr: int) -> torch.Tensor:
    t = torch.arange(length, dtype=torch.float64) / sr
    tones = sum(a * torch.sin(2 * math.pi * hz * t) for a, hz in ((0.5, 220.0), (0.2, 1250.0), (0.05, 4100.0)))
    return (tones + 0.01 * torch.randn(length, generator=GENERATOR, dtype=torch.float64)).float().unsqueeze(0)


def main() -> None:
    case("default/noise", noise(1, 3 * 24000), DEFAULT)
    case("default/chord", chord(4 * 24000, 24000), DEFAULT)
    half = noise(1, 60000)
    half[:, :30000] = 0
    case("default/half_silent", half, DEFAULT)
    case("default/batch_of_two", torch.cat([noise(1, 30000, 0.3), chord(30000, 24000)]), DEFAULT)
    case("default/shortest", noise(1, 1025), DEFAULT)
    case("small/noise_and_chord", torch.cat([noise(1, 20000), chord(20000, 16000)]), SMALL)
    save_file(TENSORS, sys.argv[1], metadata=METADATA)


if __name__ == "__main__":
    main()
