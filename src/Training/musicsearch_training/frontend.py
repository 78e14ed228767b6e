"""MusicFM's mel frontend (MODEL_SPEC §1.2), written without `torch.stft`.

The STFT is a strided convolution with a windowed DFT basis, so the same graph runs on every backend and
exports to ONNX (which has no `aten::stft`). Module and buffer names mirror torchaudio's `MelSpectrogram`
(`mel_stft.spectrogram.window`, `mel_stft.mel_scale.fb`) because MusicFM's checkpoints store those buffers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

from .waveform_features import normalize_per_clip

DB_FLOOR = 1e-10


def without_autocast(tensor: torch.Tensor):
    """A region where autocast is off on the tensor's device, so the code inside runs in its own dtype."""
    return torch.autocast(device_type=tensor.device.type, enabled=False)


@dataclass(frozen=True)
class MelStats:
    """The global scalar pair of MusicFM's stats JSON (`melspec_2048_mean`, `melspec_2048_std`)."""
    mean: float
    std: float


# The statistics MusicFM-MSD was trained with (MODEL_SPEC §1.2); a model trained here supplies its own.
MSD_STATS = MelStats(mean=6.768444971712967, std=18.417922652295623)


def hz_to_mel(frequency: float) -> float:
    return 2595.0 * math.log10(1.0 + frequency / 700.0)


def mel_to_hz(mel: torch.Tensor) -> torch.Tensor:
    return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)


def htk_mel_filterbank(n_freqs: int, f_min: float, f_max: float, n_mels: int,
                       sample_rate: int) -> torch.Tensor:
    """Triangular filters [n_freqs, n_mels] without area normalisation: n_mels + 2 points equally spaced on
    the HTK mel axis are the feet and peaks, evaluated on the FFT bin frequencies.

    Computed in float32 on purpose: that is how torchaudio built the `fb` buffer MusicFM was trained with, and
    float64 arithmetic would differ from it by up to ~1e-5 (about 1e-4 dB in the output)."""
    # sample_rate // 2 as torchaudio has it (the same grid as k·sr/n_fft for even rates).
    bin_frequencies = torch.linspace(0.0, sample_rate // 2, n_freqs, dtype=torch.float32)
    mel_points = torch.linspace(hz_to_mel(f_min), hz_to_mel(f_max), n_mels + 2, dtype=torch.float32)
    points = mel_to_hz(mel_points)
    widths = points[1:] - points[:-1]
    offsets = points.unsqueeze(0) - bin_frequencies.unsqueeze(1)  # [n_freqs, n_mels + 2]
    rising = -offsets[:, :-2] / widths[:-1]
    falling = offsets[:, 2:] / widths[1:]
    return torch.clamp(torch.minimum(rising, falling), min=0.0)


def dft_phase_index(n_fft: int) -> torch.Tensor:
    """k·n mod N for k = 0..N/2 and n = 0..N-1: the DFT angles in units of 2π/N, exact in integers."""
    k = torch.arange(n_fft // 2 + 1, dtype=torch.int64).unsqueeze(1)
    n = torch.arange(n_fft, dtype=torch.int64).unsqueeze(0)
    return torch.remainder(k * n, n_fft).to(torch.int32)


class Spectrogram(nn.Module):
    """Power spectrogram, periodic Hann window, center=True with reflect padding, onesided."""

    def __init__(self, n_fft: int, hop_length: int):
        super().__init__()
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.register_buffer("window", torch.hann_window(n_fft, periodic=True, dtype=torch.float32))
        # The basis is kept as integer angles, not as float cos/sin: integer buffers survive .float()/.half()/
        # .double() untouched, so the basis never inherits the rounding of an earlier cast. Not in the state
        # dict.
        self.register_buffer("phase_index", dft_phase_index(n_fft), persistent=False)

    def basis(self, dtype: torch.dtype) -> torch.Tensor:
        """[n_fft + 2, 1, n_fft]: windowed cos rows, then windowed sin rows (the sign of the imaginary part
        does not matter for a power spectrum). The window is applied here so that a loaded checkpoint window
        is honoured."""
        angle = self.phase_index.to(torch.float64) * (2.0 * math.pi / self.n_fft)
        basis = torch.cat([torch.cos(angle), torch.sin(angle)]).to(dtype)
        return (basis * self.window.to(dtype)).unsqueeze(1)

    def forward(self, wav: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        """[B, N] -> [B, n_fft/2+1, N//hop + 1]."""
        padding = self.n_fft // 2
        if wav.shape[-1] <= padding:
            raise ValueError(f"the waveform has {wav.shape[-1]} samples; reflect padding of the STFT needs "
                             f"more than n_fft/2 = {padding}")
        padded = F.pad(wav.to(dtype).unsqueeze(1), (padding, padding), mode="reflect")
        spectrum = F.conv1d(padded, self.basis(dtype), stride=self.hop_length)
        real, imaginary = spectrum.chunk(2, dim=1)
        return real * real + imaginary * imaginary


class MelScale(nn.Module):
    def __init__(self, n_freqs: int, f_min: float, f_max: float, n_mels: int, sample_rate: int):
        super().__init__()
        self.register_buffer("fb", htk_mel_filterbank(n_freqs, f_min, f_max, n_mels, sample_rate))

    def forward(self, power: torch.Tensor) -> torch.Tensor:
        """[B, n_freqs, T] -> [B, n_mels, T]."""
        return torch.matmul(self.fb.to(power.dtype).t(), power)


class MelSpectrogram(nn.Module):
    def __init__(self, sample_rate: int, n_fft: int, hop_length: int, n_mels: int, f_min: float,
                 f_max: float):
        super().__init__()
        self.spectrogram = Spectrogram(n_fft, hop_length)
        self.mel_scale = MelScale(n_fft // 2 + 1, f_min, f_max, n_mels, sample_rate)

    def forward(self, wav: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        return self.mel_scale(self.spectrogram(wav, dtype))


class MelFrontend(nn.Module):
    """MusicFM's `preprocessor_melspec_2048` plus its `normalize`: waveform [B, N] -> normalised dB mel
    [B, n_mels, N // hop].

    With `level_epsilon` each clip is first standardised, (x − mean)/sqrt(var + level_epsilon), which makes the
    model blind to playback level: a track mastered 12 dB quieter gives the same input (the dB mel would
    otherwise move as a whole, and a network only learns to ignore that approximately). The epsilon caps the
    gain at 1/sqrt(level_epsilon), so a near-silent clip is not blown up to full level. MusicFM itself has no
    such step; its published checkpoints load without it."""

    def __init__(self, sample_rate: int = 24000, n_fft: int = 2048, hop_length: int = 240, n_mels: int = 128,
                 f_min: float = 0.0, f_max: Optional[float] = None, stats: MelStats = MSD_STATS,
                 level_epsilon: Optional[float] = None):
        super().__init__()
        self.mel_stft = MelSpectrogram(sample_rate, n_fft, hop_length, n_mels, f_min,
                                       sample_rate / 2 if f_max is None else f_max)
        self.stats = stats
        self.level_epsilon = level_epsilon

    def compute_dtype(self) -> torch.dtype:
        # MusicFM runs the frontend in fp32 even for an fp16 model (§1.2); float64 is kept when asked for.
        return torch.float64 if self.mel_stft.spectrogram.window.dtype == torch.float64 else torch.float32

    def mel_db(self, wav: torch.Tensor) -> torch.Tensor:
        """dB mel before normalisation, without the last frame (the centred STFT's extra frame, §1.2)."""
        # Always fp32, also under mixed-precision training: in fp16 the DFT power (up to (n_fft/2)² per bin)
        # overflows, and bf16's 8-bit mantissa would move BEST-RQ targets across codebook boundaries.
        with without_autocast(wav):
            if self.level_epsilon is not None:
                wav = normalize_per_clip(wav, self.level_epsilon)
            power = self.mel_stft(wav, self.compute_dtype())
            return 10.0 * torch.log10(torch.clamp(power, min=DB_FLOOR))[..., :-1]

    def normalize(self, mel_db: torch.Tensor) -> torch.Tensor:
        return (mel_db - self.stats.mean) / self.stats.std

    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        mel_db = self.mel_db(wav)
        with without_autocast(wav):
            return self.normalize(mel_db)
