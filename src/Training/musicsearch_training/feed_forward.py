"""The feed-forward block of HF's wav2vec2 family, shared by MusicFM's Conformer (SiLU) and the MERT / music2vec
transformer (GELU)."""

from __future__ import annotations

import torch
from torch import nn


class FeedForward(nn.Module):
    """Linear → activation → dropout → Linear → dropout. `config` is a MusicFMConfig or a WaveformConfig: both
    name hidden_size, intermediate_size, activation_dropout and hidden_dropout alike. The attribute names are
    the checkpoints' (`intermediate_dense`, `output_dense`), so published state dicts load strictly."""

    def __init__(self, config, activation: nn.Module):
        super().__init__()
        self.intermediate_dropout = nn.Dropout(config.activation_dropout)
        self.intermediate_dense = nn.Linear(config.hidden_size, config.intermediate_size)
        self.output_dense = nn.Linear(config.intermediate_size, config.hidden_size)
        self.output_dropout = nn.Dropout(config.hidden_dropout)
        self.activation = activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.intermediate_dropout(self.activation(self.intermediate_dense(x)))
        return self.output_dropout(self.output_dense(x))
