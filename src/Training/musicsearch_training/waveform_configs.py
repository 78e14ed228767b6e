"""Named configurations of the wav2vec2-family waveform models: MERT-v1 (MODEL_SPEC §3) and music2vec-v1 (§4).

Field names are HF's (`HubertConfig` / `Data2VecAudioConfig`), which are also the names of model.json's
`config` block for architectures `mert` and `music2vec` (docs/model-package.md).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Dict, Tuple

from .configs import ConfigError

ARCHITECTURES = ("mert", "music2vec")
# The feature encoder both families use: 7 convolutions, total stride 320, receptive field 400 (§3.2, §4).
STANDARD_CONV_DIM = (512,) * 7
STANDARD_CONV_KERNEL = (10, 3, 3, 3, 3, 2, 2)
STANDARD_CONV_STRIDE = (5, 2, 2, 2, 2, 2, 2)


@dataclass(frozen=True)
class WaveformConfig:
    name: str
    architecture: str
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    layer_norm_eps: float = 1e-5
    conv_dim: Tuple[int, ...] = STANDARD_CONV_DIM
    conv_kernel: Tuple[int, ...] = STANDARD_CONV_KERNEL
    conv_stride: Tuple[int, ...] = STANDARD_CONV_STRIDE
    conv_bias: bool = False
    # "group": GroupNorm on conv layer 0 only (MERT); "layer": LayerNorm after every conv (music2vec).
    feat_extract_norm: str = "group"
    # Pre-LN encoder (MERT-330M) instead of post-LN (§3.2).
    do_stable_layer_norm: bool = False
    # MERT: taps of the one weight-normed conv. music2vec: number of stacked convs (§4).
    num_conv_pos_embeddings: int = 128
    num_conv_pos_embedding_groups: int = 16
    # music2vec's per-layer kernel; 0 for MERT, whose kernel is num_conv_pos_embeddings.
    conv_pos_kernel_size: int = 0
    # Training only; eval mode ignores them.
    hidden_dropout: float = 0.1
    attention_dropout: float = 0.1
    activation_dropout: float = 0.0
    feat_proj_dropout: float = 0.1
    sample_rate: int = 24000
    # "per_clip": (x − mean)/sqrt(var + 1e-7) per clip before the feature encoder (§3.3, §4); or "none".
    normalization: str = "per_clip"
    # Package defaults (docs/model-package.md `embedding`).
    embedding_layer: int = 6
    window_seconds: float = 5.0
    min_window_seconds: float = 3.0

    def __post_init__(self):
        def error(message: str) -> ConfigError:
            return ConfigError(f"config '{self.name}': {message}")

        if self.architecture not in ARCHITECTURES:
            raise error(f"'architecture' must be one of {', '.join(ARCHITECTURES)}, found {self.architecture!r}")
        for field in ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                      "num_conv_pos_embeddings", "num_conv_pos_embedding_groups", "sample_rate"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise error(f"'{field}' must be a positive integer, found {value!r}")
        for field in ("conv_dim", "conv_kernel", "conv_stride"):
            values = getattr(self, field)
            if not isinstance(values, tuple) or not values or any(
                    isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in values):
                raise error(f"'{field}' must be a non-empty tuple of positive integers, found {values!r}")
        if not len(self.conv_dim) == len(self.conv_kernel) == len(self.conv_stride):
            raise error(f"'conv_dim', 'conv_kernel' and 'conv_stride' must have the same length "
                        f"({len(self.conv_dim)}, {len(self.conv_kernel)}, {len(self.conv_stride)})")
        if self.hidden_size % self.num_attention_heads:
            raise error(f"'hidden_size' ({self.hidden_size}) must be divisible by 'num_attention_heads' "
                        f"({self.num_attention_heads})")
        if self.hidden_size % self.num_conv_pos_embedding_groups:
            raise error(f"'hidden_size' ({self.hidden_size}) must be divisible by "
                        f"'num_conv_pos_embedding_groups' ({self.num_conv_pos_embedding_groups})")
        expected_norm = "group" if self.architecture == "mert" else "layer"
        if self.feat_extract_norm != expected_norm:
            raise error(f"'feat_extract_norm' must be '{expected_norm}' for {self.architecture}, "
                        f"found {self.feat_extract_norm!r}")
        if self.architecture == "music2vec":
            if self.conv_pos_kernel_size < 1 or self.conv_pos_kernel_size % 2 == 0:
                raise error(f"'conv_pos_kernel_size' must be odd and positive for music2vec, "
                            f"found {self.conv_pos_kernel_size}")
            if self.do_stable_layer_norm:
                raise error("'do_stable_layer_norm' must be false for music2vec (a post-LN encoder)")
        elif self.conv_pos_kernel_size:
            raise error("'conv_pos_kernel_size' applies to music2vec only; MERT's kernel is "
                        "'num_conv_pos_embeddings'")
        if self.normalization not in ("per_clip", "none"):
            raise error(f"'normalization' must be 'per_clip' or 'none', found {self.normalization!r}")
        if not self.layer_norm_eps > 0:
            raise error("'layer_norm_eps' must be > 0")
        for field in ("hidden_dropout", "attention_dropout", "activation_dropout", "feat_proj_dropout"):
            if not 0.0 <= getattr(self, field) <= 1.0:
                raise error(f"'{field}' must lie in [0, 1], found {getattr(self, field)}")
        if not 0 <= self.embedding_layer <= self.num_hidden_layers:
            raise error(f"'embedding_layer' must lie in [0, {self.num_hidden_layers}], "
                        f"found {self.embedding_layer}")
        if not 0 < self.min_window_seconds <= self.window_seconds:
            raise error(f"need 0 < min_window_seconds ({self.min_window_seconds}) <= window_seconds "
                        f"({self.window_seconds})")

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    def replace(self, **changes) -> "WaveformConfig":
        return dataclasses.replace(self, **changes)


def _mert_v1_95m() -> WaveformConfig:
    # MODEL_SPEC §3.1 (MERT-cfg95). Embedding layer: the middle of 12; §6 says the best layer is task-dependent
    # and no source names one for similarity search. Window: the 5 s pretraining context, at least the 3 s
    # minimum pretraining crop (§3.6).
    return WaveformConfig(name="mert-v1-95m", architecture="mert", hidden_size=768, num_hidden_layers=12,
                          num_attention_heads=12, intermediate_size=3072, embedding_layer=6)


def _mert_v1_330m() -> WaveformConfig:
    # MODEL_SPEC §3.1 (MERT-cfg330): pre-LN, all dropouts 0. Layers 1..23 are the un-normalised residual
    # stream (§3.2); 12 is the middle.
    return WaveformConfig(name="mert-v1-330m", architecture="mert", hidden_size=1024, num_hidden_layers=24,
                          num_attention_heads=16, intermediate_size=4096, do_stable_layer_norm=True,
                          hidden_dropout=0.0, attention_dropout=0.0, activation_dropout=0.0,
                          feat_proj_dropout=0.0, embedding_layer=12)


def _music2vec_v1() -> WaveformConfig:
    # MODEL_SPEC §4 (M2V-cfg). The dropouts are not given there (training only); MERT-95M's are used. Window:
    # the 30 s pretraining context (MERT-card).
    return WaveformConfig(name="music2vec-v1", architecture="music2vec", hidden_size=768, num_hidden_layers=12,
                          num_attention_heads=12, intermediate_size=3072, feat_extract_norm="layer",
                          num_conv_pos_embeddings=5, conv_pos_kernel_size=19, sample_rate=16000,
                          embedding_layer=6, window_seconds=30.0, min_window_seconds=5.0)


# Tiny variants for tests: the real 7-layer conv geometry (so frame counts are the real ones) with few and
# unequal channels (so a mix-up of conv_dim[i] and conv_dim[i - 1] changes a shape), an even positional
# kernel for MERT (so the trim-last matters) and a stack of two odd ones for music2vec.
_TINY_CONV_DIM = (8, 12, 12, 12, 12, 12, 16)


def _mert_tiny() -> WaveformConfig:
    return WaveformConfig(name="mert-tiny", architecture="mert", hidden_size=32, num_hidden_layers=2,
                          num_attention_heads=4, intermediate_size=48, conv_dim=_TINY_CONV_DIM,
                          num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4, embedding_layer=1,
                          window_seconds=5.0, min_window_seconds=3.0)


def _mert_tiny_stable() -> WaveformConfig:
    return _mert_tiny().replace(name="mert-tiny-stable", num_hidden_layers=3, do_stable_layer_norm=True,
                                embedding_layer=2)


def _music2vec_tiny() -> WaveformConfig:
    return WaveformConfig(name="music2vec-tiny", architecture="music2vec", hidden_size=32, num_hidden_layers=2,
                          num_attention_heads=4, intermediate_size=48, conv_dim=_TINY_CONV_DIM,
                          feat_extract_norm="layer", num_conv_pos_embeddings=2, num_conv_pos_embedding_groups=4,
                          conv_pos_kernel_size=5, sample_rate=16000, embedding_layer=1, window_seconds=30.0,
                          min_window_seconds=5.0)


WAVEFORM_CONFIGS: Dict[str, Callable[[], WaveformConfig]] = {
    "mert-v1-95m": _mert_v1_95m,
    "mert-v1-330m": _mert_v1_330m,
    "music2vec-v1": _music2vec_v1,
    "mert-tiny": _mert_tiny,
    "mert-tiny-stable": _mert_tiny_stable,
    "music2vec-tiny": _music2vec_tiny,
}


def get_waveform_config(name: str) -> WaveformConfig:
    if name not in WAVEFORM_CONFIGS:
        raise ConfigError(f"unknown config '{name}' (known: {', '.join(WAVEFORM_CONFIGS)})")
    return WAVEFORM_CONFIGS[name]()
