"""Named MusicFM configurations and their validation.

Field names follow HF `Wav2Vec2ConformerConfig` where one exists (they are the names model.json's `config`
block uses), and MusicFM's constructor names otherwise (MODEL_SPEC §1.1, §1.4).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Callable, Dict, Optional


class ConfigError(ValueError):
    """A configuration that cannot describe a working MusicFM model; the message names the field."""


@dataclass(frozen=True)
class MusicFMConfig:
    name: str
    # Conformer encoder (MODEL_SPEC §1.4, §2).
    hidden_size: int = 1024
    num_hidden_layers: int = 12
    num_attention_heads: int = 16
    intermediate_size: int = 4096
    conv_depthwise_kernel_size: int = 31
    layer_norm_eps: float = 1e-5
    rotary_embedding_base: float = 10000.0
    hidden_dropout: float = 0.1
    attention_dropout: float = 0.1
    activation_dropout: float = 0.1
    conformer_conv_dropout: float = 0.1
    # The weight-normed positional convolution is built but never called (§2.1); only its shape matters.
    num_conv_pos_embeddings: int = 128
    num_conv_pos_embedding_groups: int = 16
    # Conv2d subsampling (§1.3).
    conv_dim: int = 512
    # Mel frontend (§1.2). win_length is always n_fft, as in MusicFM.
    sample_rate: int = 24000
    n_fft: int = 2048
    hop_length: int = 240
    n_mels: int = 128
    f_min: float = 0.0
    f_max: Optional[float] = None
    # Per-clip waveform standardisation before the mel (frontend.MelFrontend), None for MusicFM's plain input.
    level_epsilon: Optional[float] = None
    # BEST-RQ pretraining (§1.7).
    codebook_size: int = 4096
    codebook_dim: int = 16
    mask_seconds: float = 0.4
    mask_prob: float = 0.6
    mask_noise_std: float = 0.1
    # The hidden state a package embeds by default: MusicFM's README extracts features at layer 7 of 12
    # (§1.5).
    embedding_layer: int = 7

    def __post_init__(self):
        def error(message: str) -> ConfigError:
            return ConfigError(f"config '{self.name}': {message}")

        for field in ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                      "conv_depthwise_kernel_size", "num_conv_pos_embeddings",
                      "num_conv_pos_embedding_groups", "conv_dim", "sample_rate", "n_fft", "hop_length",
                      "n_mels", "codebook_size", "codebook_dim"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise error(f"'{field}' must be a positive integer, found {value!r}")
        if self.hidden_size % self.num_attention_heads:
            raise error(f"'hidden_size' ({self.hidden_size}) must be divisible by 'num_attention_heads' "
                        f"({self.num_attention_heads})")
        if self.head_dim % 2:
            raise error(f"the head size ({self.head_dim}) must be even for rotary embeddings")
        if self.conv_depthwise_kernel_size % 2 == 0:
            raise error(f"'conv_depthwise_kernel_size' must be odd so the depthwise convolution keeps the "
                        f"length, found {self.conv_depthwise_kernel_size}")
        if self.hidden_size % self.num_conv_pos_embedding_groups:
            raise error(f"'hidden_size' ({self.hidden_size}) must be divisible by "
                        f"'num_conv_pos_embedding_groups' ({self.num_conv_pos_embedding_groups})")
        if not 0.0 <= self.f_min < self.max_frequency <= self.sample_rate / 2:
            raise error(f"need 0 <= f_min ({self.f_min}) < f_max ({self.max_frequency}) "
                        f"<= sample_rate / 2 ({self.sample_rate / 2})")
        if self.level_epsilon is not None and not 0 < self.level_epsilon < 1:
            raise error(f"'level_epsilon' must lie in (0, 1), found {self.level_epsilon}")
        if not self.layer_norm_eps > 0 or not self.rotary_embedding_base >= 1:
            raise error("'layer_norm_eps' must be > 0 and 'rotary_embedding_base' >= 1")
        for field in ("hidden_dropout", "attention_dropout", "activation_dropout", "conformer_conv_dropout",
                      "mask_prob"):
            if not 0.0 <= getattr(self, field) <= 1.0:
                raise error(f"'{field}' must lie in [0, 1], found {getattr(self, field)}")
        if not 0 <= self.embedding_layer <= self.num_hidden_layers:
            raise error(f"'embedding_layer' must lie in [0, {self.num_hidden_layers}], "
                        f"found {self.embedding_layer}")
        # A masked block must cover whole tokens (4 mel hops each, §1.3) so the token mask aligns exactly
        # (§1.7).
        block = self.sample_rate * self.mask_seconds
        if not self.mask_seconds > 0 or abs(block - round(block)) > 1e-6 or round(block) % self.token_hop:
            raise error(f"a mask block of {self.mask_seconds} s ({block} samples) must be a whole multiple "
                        f"of one token ({self.token_hop} samples)")

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    @property
    def max_frequency(self) -> float:
        return float(self.sample_rate / 2 if self.f_max is None else self.f_max)

    @property
    def token_hop(self) -> int:
        """Samples per token: two stride-2 convolutions over mel frames."""
        return 4 * self.hop_length

    @property
    def subsampled_bands(self) -> int:
        return math.ceil(math.ceil(self.n_mels / 2) / 2)

    @property
    def mask_block_samples(self) -> int:
        return round(self.sample_rate * self.mask_seconds)

    @property
    def mask_block_tokens(self) -> int:
        return self.mask_block_samples // self.token_hop

    def replace(self, **changes) -> "MusicFMConfig":
        return dataclasses.replace(self, **changes)


def _musicfm_330m() -> MusicFMConfig:
    return MusicFMConfig(name="musicfm-330m")


def _small() -> MusicFMConfig:
    # CPU-friendly: MusicFM's proportions (head size 64, FFN 4 × hidden) at 24 M parameters (21 M used by
    # inference), ~38 G multiply-adds per 30 s window (cost.py). Measured on two cores: ~0.85 s per window,
    # about 0.25 s of it the DFT frontend; halving conv_dim or going to 8 × 256 saved only 0.15-0.25 s.
    # Layer 4 of 6 is about the relative depth of MusicFM's 7 of 12. Level-normalised input (gain capped
    # at 50 dB): catalog masters differ by well over 10 dB, and a small model trained briefly would not
    # learn to ignore that on its own.
    return MusicFMConfig(name="small", hidden_size=384, num_hidden_layers=6, num_attention_heads=6,
                         intermediate_size=1536, conv_dim=64, conv_depthwise_kernel_size=31,
                         embedding_layer=4, level_epsilon=1e-5)


def _tiny() -> MusicFMConfig:
    # For tests: runs on real 24 kHz audio with the real hop (so tokens stay at 25 Hz and mask blocks align),
    # with a smaller FFT, so that every size in the engine is exercised with values other than the defaults.
    return MusicFMConfig(name="tiny", hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=64, conv_dim=8, conv_depthwise_kernel_size=5, n_fft=512, n_mels=32,
                         codebook_size=64, codebook_dim=8, num_conv_pos_embeddings=16, embedding_layer=1)


CONFIGS: Dict[str, Callable[[], MusicFMConfig]] = {
    "musicfm-330m": _musicfm_330m,
    "small": _small,
    "tiny": _tiny,
}


def get_config(name: str) -> MusicFMConfig:
    if name not in CONFIGS:
        raise ConfigError(f"unknown config '{name}' (known: {', '.join(CONFIGS)})")
    return CONFIGS[name]()
