"""The waveform side of MERT and music2vec: per-clip normalisation, the convolutional feature encoder and the
feature projection (MODEL_SPEC §3.2 steps 1-2, §3.3, §4). Module names are HF's
(`feature_extractor.conv_layers.{i}.conv`, `.layer_norm`, `feature_projection.*`)."""

from __future__ import annotations

from typing import List, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from .waveform_configs import WaveformConfig

# The variance floor of HF's Wav2Vec2FeatureExtractor `do_normalize` (§3.3).
PER_CLIP_EPS = 1e-7


def normalize_per_clip(wav: torch.Tensor, epsilon: float = PER_CLIP_EPS) -> torch.Tensor:
    """(x − mean)/sqrt(var + epsilon) over the last axis, population variance. Computed in float64 so the
    statistics of a long clip carry no float32 summation error, then cast back."""
    x = wav.to(torch.float64)
    mean = x.mean(dim=-1, keepdim=True)
    variance = x.var(dim=-1, unbiased=False, keepdim=True)
    return ((x - mean) / torch.sqrt(variance + epsilon)).to(wav.dtype)


def conv_output_lengths(num_samples: int, kernels: Sequence[int], strides: Sequence[int]) -> List[int]:
    """Frames after each conv layer: L ← ⌊(L − k)/s⌋ + 1, no padding (§3.2); 0 once the input is too short."""
    lengths, length = [], num_samples
    for kernel, stride in zip(kernels, strides):
        length = max((length - kernel) // stride + 1, 0)
        lengths.append(length)
    return lengths


def frame_count(num_samples: int, config: WaveformConfig) -> int:
    return conv_output_lengths(num_samples, config.conv_kernel, config.conv_stride)[-1]


class ChannelLayerNorm(nn.LayerNorm):
    """LayerNorm over the channels of a [B, C, T] tensor, i.e. per time step (music2vec's conv layers, §4)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x.transpose(1, 2)).transpose(1, 2)


class ConvLayer(nn.Module):
    """Conv1d → optional norm → exact-erf GELU. The norm is GroupNorm(C groups, C channels), i.e. per channel
    over time, for MERT's layer 0 (§3.2), or a channel LayerNorm for every music2vec layer (§4). HF's default
    eps 1e-5 in both, not config.layer_norm_eps."""

    def __init__(self, in_channels: int, out_channels: int, kernel: int, stride: int, bias: bool,
                 norm: Optional[str]):
        super().__init__()
        self.conv = nn.Conv1d(in_channels, out_channels, kernel, stride=stride, bias=bias)
        self.layer_norm: Optional[nn.Module] = None
        if norm == "group":
            self.layer_norm = nn.GroupNorm(out_channels, out_channels, affine=True)
        elif norm == "layer":
            self.layer_norm = ChannelLayerNorm(out_channels, elementwise_affine=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv(x)
        if self.layer_norm is not None:
            x = self.layer_norm(x)
        return F.gelu(x)


class FeatureEncoder(nn.Module):
    """Waveform [B, N] → features [B, conv_dim[-1], T]."""

    def __init__(self, config: WaveformConfig):
        super().__init__()
        layers, in_channels = [], 1
        for index, (channels, kernel, stride) in enumerate(zip(config.conv_dim, config.conv_kernel,
                                                                 config.conv_stride)):
            if config.feat_extract_norm == "layer":
                norm = "layer"
            else:
                norm = "group" if index == 0 else None
            layers.append(ConvLayer(in_channels, channels, kernel, stride, config.conv_bias, norm))
            in_channels = channels
        self.conv_layers = nn.ModuleList(layers)

    def layer_outputs(self, wav: torch.Tensor) -> List[torch.Tensor]:
        """Every conv layer's output [B, conv_dim[i], T_i], in order."""
        outputs, x = [], wav.unsqueeze(1)
        for layer in self.conv_layers:
            x = layer(x)
            outputs.append(x)
        return outputs

    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        return self.layer_outputs(wav)[-1]


class FeatureProjection(nn.Module):
    """[B, C, T] → [B, T, hidden]: LayerNorm(C) → Linear(C → hidden) → dropout (§3.2 step 2)."""

    def __init__(self, config: WaveformConfig):
        super().__init__()
        features = config.conv_dim[-1]
        self.layer_norm = nn.LayerNorm(features, eps=config.layer_norm_eps)
        self.projection = nn.Linear(features, config.hidden_size)
        self.dropout = nn.Dropout(config.feat_proj_dropout)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.projection(self.layer_norm(features.transpose(1, 2))))
