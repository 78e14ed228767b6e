"""The rotary Conformer encoder of HF `Wav2Vec2ConformerEncoder`, as MusicFM uses it (MODEL_SPEC §2).

Module attribute names are the checkpoint's (`layers.{i}.ffn1_layer_norm`, `self_attn.linear_q`, ...), so a
published state dict loads strictly.
"""

from __future__ import annotations

import math
from typing import List, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .configs import MusicFMConfig
from .feed_forward import FeedForward

Rotary = Tuple[torch.Tensor, torch.Tensor]


class RotaryPositionalEmbedding(nn.Module):
    def __init__(self, head_dim: int, base: float):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
        # Persistent: it is in MusicFM's checkpoints (§1.6).
        self.register_buffer("inv_freq", inv_freq)

    def forward(self, hidden_states: torch.Tensor) -> Rotary:
        """cos and sin tables [T, head_dim], computed in inv_freq's dtype, cast to the hidden dtype (§2.3)."""
        positions = torch.arange(hidden_states.shape[1], device=self.inv_freq.device,
                                 dtype=self.inv_freq.dtype)
        angles = torch.outer(positions, self.inv_freq)
        angles = torch.cat([angles, angles], dim=-1)
        return angles.cos().to(hidden_states.dtype), angles.sin().to(hidden_states.dtype)


def apply_rotary(hidden_states: torch.Tensor, rotary: Rotary, num_heads: int) -> torch.Tensor:
    """x' = x·cos + rotate_half(x)·sin on each head-sized chunk of the hidden vector, with
    rotate_half(x) = [−x₂, x₁]."""
    cos, sin = rotary
    batch, time, hidden = hidden_states.shape
    chunks = hidden_states.view(batch, time, num_heads, hidden // num_heads)
    first, second = chunks.chunk(2, dim=-1)
    rotated = torch.cat([-second, first], dim=-1)
    cos, sin = cos[:, None, :], sin[:, None, :]
    return (chunks * cos + rotated * sin).view(batch, time, hidden)


class RotarySelfAttention(nn.Module):
    def __init__(self, config: MusicFMConfig):
        super().__init__()
        hidden = config.hidden_size
        self.num_heads = config.num_attention_heads
        self.head_dim = config.head_dim
        self.linear_q = nn.Linear(hidden, hidden)
        self.linear_k = nn.Linear(hidden, hidden)
        self.linear_v = nn.Linear(hidden, hidden)
        self.linear_out = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(config.attention_dropout)

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        batch, time, _ = x.shape
        return x.view(batch, time, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, hidden_states: torch.Tensor, rotary: Rotary) -> torch.Tensor:
        # HF's rotary branch rotates the (layer-normed) input itself, before the projections, and the same
        # rotated tensor feeds both Q and K while V sees the unrotated input. Not textbook RoPE; reproduced
        # literally (§2.3).
        rotated = apply_rotary(hidden_states, rotary, self.num_heads)
        query = self._heads(self.linear_q(rotated))
        key = self._heads(self.linear_k(rotated))
        value = self._heads(self.linear_v(hidden_states))
        scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(self.head_dim)
        probabilities = self.dropout(torch.softmax(scores, dim=-1))
        context = torch.matmul(probabilities, value).transpose(1, 2)
        return self.linear_out(context.reshape(hidden_states.shape))


class ConvolutionModule(nn.Module):
    """§2.5: LN, pointwise ×2 + GLU, depthwise, BatchNorm, swish, pointwise; no conv biases."""

    def __init__(self, config: MusicFMConfig):
        super().__init__()
        hidden, kernel = config.hidden_size, config.conv_depthwise_kernel_size
        self.layer_norm = nn.LayerNorm(hidden, eps=config.layer_norm_eps)
        self.pointwise_conv1 = nn.Conv1d(hidden, 2 * hidden, kernel_size=1, bias=False)
        self.depthwise_conv = nn.Conv1d(hidden, hidden, kernel, padding=kernel // 2, groups=hidden,
                                        bias=False)
        self.batch_norm = nn.BatchNorm1d(hidden)
        self.pointwise_conv2 = nn.Conv1d(hidden, hidden, kernel_size=1, bias=False)
        self.dropout = nn.Dropout(config.conformer_conv_dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.layer_norm(x).transpose(1, 2)
        x = F.glu(self.pointwise_conv1(x), dim=1)
        x = F.silu(self.batch_norm(self.depthwise_conv(x)))
        return self.dropout(self.pointwise_conv2(x)).transpose(1, 2)


class ConformerLayer(nn.Module):
    """Pre-norm macaron layer (§2.2): ½·FFN, attention, convolution, ½·FFN, then a final LayerNorm."""

    def __init__(self, config: MusicFMConfig):
        super().__init__()
        hidden, eps = config.hidden_size, config.layer_norm_eps
        self.ffn1_layer_norm = nn.LayerNorm(hidden, eps=eps)
        self.ffn1 = FeedForward(config, nn.SiLU())
        self.self_attn_layer_norm = nn.LayerNorm(hidden, eps=eps)
        self.self_attn = RotarySelfAttention(config)
        self.self_attn_dropout = nn.Dropout(config.attention_dropout)
        self.conv_module = ConvolutionModule(config)
        self.ffn2_layer_norm = nn.LayerNorm(hidden, eps=eps)
        self.ffn2 = FeedForward(config, nn.SiLU())
        self.final_layer_norm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, rotary: Rotary) -> torch.Tensor:
        x = x + 0.5 * self.ffn1(self.ffn1_layer_norm(x))
        x = x + self.self_attn_dropout(self.self_attn(self.self_attn_layer_norm(x), rotary))
        x = x + self.conv_module(x)
        x = x + 0.5 * self.ffn2(self.ffn2_layer_norm(x))
        return self.final_layer_norm(x)


class PositionalConvEmbedding(nn.Module):
    """Built only so that checkpoints load strictly: the encoder never calls it (§2.1)."""

    def __init__(self, config: MusicFMConfig):
        super().__init__()
        kernel = config.num_conv_pos_embeddings
        conv = nn.Conv1d(config.hidden_size, config.hidden_size, kernel, padding=kernel // 2,
                         groups=config.num_conv_pos_embedding_groups)
        # The old-style hook names its parameters weight_g / weight_v, as the published checkpoints do (§1.6).
        self.conv = nn.utils.weight_norm(conv, name="weight", dim=2)


class ConformerEncoder(nn.Module):
    def __init__(self, config: MusicFMConfig):
        super().__init__()
        self.pos_conv_embed = PositionalConvEmbedding(config)
        self.embed_positions = RotaryPositionalEmbedding(config.head_dim, config.rotary_embedding_base)
        self.layer_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout)
        self.layers = nn.ModuleList([ConformerLayer(config) for _ in range(config.num_hidden_layers)])

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """All hidden states, HF-style (§1.5): [0] the input, [k] layer k's output for k < L, and [L] the
        encoder LayerNorm of layer L's output (layer L's own output is not in the tuple)."""
        x = self.dropout(x)
        rotary = self.embed_positions(x)
        states: List[torch.Tensor] = []
        for layer in self.layers:
            states.append(x)
            x = layer(x, rotary)
        states.append(self.layer_norm(x))
        return tuple(states)
