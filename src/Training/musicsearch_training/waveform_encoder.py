"""Reference forward of MERT-v1 (HF `MERTModel`, MODEL_SPEC §3) and music2vec-v1 (`Data2VecAudioModel`, §4).

Both are wav2vec2-style models over the raw waveform; they differ in the feature encoder's norms, the
positional convolution and (MERT-330M) pre-LN layers, all chosen by the config. Parameter names equal the HF
checkpoints' (§3.4), so a converted state dict loads strictly.
"""

from __future__ import annotations

from typing import Optional, Tuple

import torch
from torch import nn

from .waveform_configs import WaveformConfig
from .waveform_features import FeatureEncoder, FeatureProjection, frame_count, normalize_per_clip
from .waveform_transformer import WaveformTransformerEncoder

# Tensors inference never reads: SpecAugment's mask embedding (§3.2 step 3).
TRAINING_ONLY_TENSORS = frozenset({"masked_spec_embed"})


class WaveformModel(nn.Module):
    def __init__(self, config: WaveformConfig):
        super().__init__()
        self.config = config
        self.feature_extractor = FeatureEncoder(config)
        self.feature_projection = FeatureProjection(config)
        self.encoder = WaveformTransformerEncoder(config)
        # HF draws it from U(0, 1); it replaces masked frames during pretraining only.
        self.masked_spec_embed = nn.Parameter(torch.rand(config.hidden_size))

    def prepare(self, wav: torch.Tensor) -> torch.Tensor:
        """The feature encoder's input [B, N]: the waveform, per-clip normalised if the config says so."""
        if frame_count(wav.shape[-1], self.config) < 1:
            raise ValueError(f"the waveform has {wav.shape[-1]} samples, too few for one frame of the "
                             f"feature encoder (kernels {self.config.conv_kernel}, strides "
                             f"{self.config.conv_stride})")
        wav = wav.to(self.feature_projection.projection.weight.dtype)
        return normalize_per_clip(wav) if self.config.normalization == "per_clip" else wav

    def get_hidden_states(self, wav: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """L + 1 tensors [B, T, hidden], indexed as HF's `hidden_states` (§3.2)."""
        return self.encoder(self.feature_projection(self.feature_extractor(self.prepare(wav))))

    def get_latent(self, wav: torch.Tensor, layer: int) -> torch.Tensor:
        if not 0 <= layer <= self.config.num_hidden_layers:
            raise ValueError(f"layer must lie in [0, {self.config.num_hidden_layers}], found {layer}")
        return self.get_hidden_states(wav)[layer]

    def embed(self, wav: torch.Tensor, layer: Optional[int] = None) -> torch.Tensor:
        """Mean over time of one hidden state: [B, hidden]."""
        return self.get_latent(wav, self.config.embedding_layer if layer is None else layer).mean(dim=1)

    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        """HF's `last_hidden_state` [B, T, hidden]."""
        return self.get_hidden_states(wav)[-1]
