"""Waveform augmentations for similarity fine-tuning: the degradations that separate two copies of the same
music in a real catalog, as pure functions on batches [B, N] of mono float audio.

Each deterministic function takes one parameter per row (a [B] tensor) and has an identity value (0 dB gain,
0 dB EQ, SNR = +inf, cut-off at or above Nyquist), so `augment` can skip a row by giving it that value while
every row still goes through the same tensor operations. `augment` draws all randomness from one
`torch.Generator`, always the same amount whatever was drawn, so a seeded run is reproducible and a resumed
one continues the same stream.

The chain follows how a catalog copy is made: mastering EQ → noise (recording, transfer) → lossy encode
(band-limiting, which also removes the noise's high band, as an encoder would) → playback loudness (gain).

EQ and band-limiting multiply the FFT of the whole crop by a zero-phase gain curve. That is a circular
convolution, but both curves are smooth, so their impulse responses are a few milliseconds long and the
wrap-around touches only the crop's first and last milliseconds.

Time shifts are left out on purpose: the two views of a track are crops at independent random offsets (and
tracks shorter than a crop take random loop phases, pair_data.py), so their alignment to the 40-ms token grid
is already random.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Tuple

import torch

# 3-band EQ crossovers: below ~250 Hz is bass/kick, above ~4 kHz presence/air, the usual shelf corners of
# mastering EQs. Each crossover is a logistic step over about one octave (slope in octaves).
EQ_LOW_HZ = 250.0
EQ_HIGH_HZ = 4000.0
EQ_CROSSOVER_OCTAVES = 0.25
# Width of the low-pass's raised-cosine roll-off, which ends at the cut-off: short enough to look like an
# encoder's lowpass on a mel spectrogram (one high mel band is ~400-500 Hz wide at 24 kHz), long enough to
# keep the impulse response a few milliseconds short.
LOWPASS_TRANSITION_HZ = 400.0


@dataclass(frozen=True)
class AugmentConfig:
    """Probability per view and range of each augmentation. Ranges are drawn uniformly."""
    gain_prob: float = 0.8
    # Loudness differences between masters and releases of the same music span ~±10 dB.
    gain_db: Tuple[float, float] = (-10.0, 10.0)
    eq_prob: float = 0.5
    # Each of the low, mid and high bands gets a gain in [-eq_db, +eq_db]: remastering-sized changes.
    eq_db: float = 6.0
    noise_prob: float = 0.4
    # White noise, from barely audible hiss (40 dB) to a noisy transfer (15 dB).
    snr_db: Tuple[float, float] = (15.0, 40.0)
    lowpass_prob: float = 0.5
    # Cut-offs of low-bitrate encodes (LAME: 5.5 kHz at 32 kbit/s to 11 kHz at 64) and of 11-22 kHz game audio.
    # A 128 kbit/s MP3 cuts at ~17 kHz, which a 24-kHz model never sees (Nyquist 12 kHz); cut-offs at or above
    # Nyquist are no-ops.
    lowpass_hz: Tuple[float, float] = (5000.0, 11000.0)

    def __post_init__(self):
        for name in ("gain_prob", "eq_prob", "noise_prob", "lowpass_prob"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"augment '{name}' must lie in [0, 1], found {getattr(self, name)}")
        for name in ("gain_db", "snr_db", "lowpass_hz"):
            low, high = getattr(self, name)
            if not low <= high:
                raise ValueError(f"augment '{name}' must be a range [low, high], found {getattr(self, name)}")
        if self.eq_db < 0:
            raise ValueError(f"augment 'eq_db' must be >= 0, found {self.eq_db}")
        if self.lowpass_hz[0] <= LOWPASS_TRANSITION_HZ:
            raise ValueError(f"augment 'lowpass_hz' must lie above the {LOWPASS_TRANSITION_HZ:g}-Hz roll-off, "
                             f"found {self.lowpass_hz}")

    @classmethod
    def from_dict(cls, fields: dict) -> "AugmentConfig":
        """The defaults with `fields` replaced (JSON lists become ranges); unknown names raise ValueError."""
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(fields) - known)
        if unknown:
            raise ValueError(f"unknown augment fields {unknown} (known: {', '.join(sorted(known))})")
        return cls(**{name: tuple(value) if isinstance(value, list) else value
                      for name, value in fields.items()})

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def _per_row(values: torch.Tensor, wav: torch.Tensor) -> torch.Tensor:
    return values.to(device=wav.device, dtype=wav.dtype).unsqueeze(-1)


def apply_gain(wav: torch.Tensor, gain_db: torch.Tensor) -> torch.Tensor:
    return wav * _per_row(10.0 ** (gain_db / 20.0), wav)


def _filter(wav: torch.Tensor, gain_curve: torch.Tensor) -> torch.Tensor:
    """Zero-phase filtering: the FFT of each row times its real gain curve [B, N//2 + 1]."""
    spectrum = torch.fft.rfft(wav, dim=-1)
    return torch.fft.irfft(spectrum * gain_curve, n=wav.shape[-1], dim=-1)


def _frequencies(wav: torch.Tensor, sample_rate: int) -> torch.Tensor:
    return torch.fft.rfftfreq(wav.shape[-1], d=1.0 / sample_rate, device=wav.device, dtype=wav.dtype)


def apply_eq(wav: torch.Tensor, sample_rate: int, low_db: torch.Tensor, mid_db: torch.Tensor,
             high_db: torch.Tensor) -> torch.Tensor:
    """3-band shelving EQ: `low_db` below EQ_LOW_HZ, `mid_db` between, `high_db` above EQ_HIGH_HZ, with
    smooth crossovers on a log-frequency axis. low = -x, mid = 0, high = +x is a tilt towards the treble."""
    octaves = torch.log2(_frequencies(wav, sample_rate).clamp(min=1.0))
    high_weight = torch.sigmoid((octaves - math.log2(EQ_HIGH_HZ)) / EQ_CROSSOVER_OCTAVES)
    low_weight = 1.0 - torch.sigmoid((octaves - math.log2(EQ_LOW_HZ)) / EQ_CROSSOVER_OCTAVES)
    mid_weight = 1.0 - low_weight - high_weight
    curve_db = (_per_row(low_db, wav) * low_weight + _per_row(mid_db, wav) * mid_weight
                + _per_row(high_db, wav) * high_weight)
    return _filter(wav, 10.0 ** (curve_db / 20.0))


def apply_lowpass(wav: torch.Tensor, sample_rate: int, cutoff_hz: torch.Tensor) -> torch.Tensor:
    """Removes everything at and above `cutoff_hz`, with a raised-cosine roll-off over the
    LOWPASS_TRANSITION_HZ below it: what a lossy encoder's lowpass leaves of the spectrum."""
    cutoff = _per_row(cutoff_hz, wav)
    # 0 at the start of the roll-off, 1 at the cut-off.
    position = ((_frequencies(wav, sample_rate) - (cutoff - LOWPASS_TRANSITION_HZ))
                / LOWPASS_TRANSITION_HZ).clamp(0.0, 1.0)
    return _filter(wav, 0.5 * (1.0 + torch.cos(math.pi * position)))


def add_noise(wav: torch.Tensor, snr_db: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """White Gaussian noise scaled so that each row's signal-to-noise power ratio is exactly `snr_db` (over the
    whole row); +inf adds nothing, and so does a silent row, whose SNR is undefined."""
    noise = torch.randn(wav.shape, generator=generator, device=wav.device, dtype=wav.dtype)
    signal_power = wav.pow(2).mean(dim=-1, keepdim=True)
    noise_power = noise.pow(2).mean(dim=-1, keepdim=True)
    scale = torch.sqrt(signal_power / noise_power / _per_row(10.0 ** (snr_db / 10.0), wav))
    return wav + noise * scale


def augment(wav: torch.Tensor, sample_rate: int, config: AugmentConfig, generator: torch.Generator
            ) -> torch.Tensor:
    """Each row independently: EQ, noise, band-limiting and gain, each applied with its probability."""
    batch = wav.shape[0]

    def uniform(low: float, high: float, size=(batch,)) -> torch.Tensor:
        return low + (high - low) * torch.rand(size, generator=generator, device=generator.device)

    def chosen(probability: float) -> torch.Tensor:
        return torch.rand(batch, generator=generator, device=generator.device) < probability

    eq_on, noise_on, lowpass_on, gain_on = (chosen(p) for p in (config.eq_prob, config.noise_prob,
                                                                config.lowpass_prob, config.gain_prob))
    bands = uniform(-config.eq_db, config.eq_db, (3, batch)) * eq_on
    wav = apply_eq(wav, sample_rate, *bands)
    snr = uniform(*config.snr_db).masked_fill(~noise_on, math.inf)
    wav = add_noise(wav, snr, generator)
    # Nyquist and above leaves every bin in the pass band.
    cutoff = uniform(*config.lowpass_hz).masked_fill(~lowpass_on, sample_rate / 2 + LOWPASS_TRANSITION_HZ)
    wav = apply_lowpass(wav, sample_rate, cutoff)
    return apply_gain(wav, uniform(*config.gain_db) * gain_on)
