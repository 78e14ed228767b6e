"""The transformer encoder of MERT (HF `HubertEncoder` / `HubertEncoderStableLayerNorm`, MODEL_SPEC §3.2) and
music2vec (`Data2VecAudioEncoder`, §4): a convolutional positional embedding, then post-LN or pre-LN layers.
Module names are HF's (`pos_conv_embed`, `layers.{i}.attention.q_proj`, `feed_forward.intermediate_dense`,
...), so their state dicts load strictly."""

from __future__ import annotations

from typing import List, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .feed_forward import FeedForward
from .waveform_configs import WaveformConfig


def tap_norms(weight_v: torch.Tensor) -> torch.Tensor:
    """‖v[:, :, k]‖ for every tap k, shaped [1, 1, K]: the norm of weight norm with dim=2."""
    return torch.sqrt((weight_v * weight_v).sum(dim=(0, 1), keepdim=True))


def weight_norm_weight(weight_g: torch.Tensor, weight_v: torch.Tensor) -> torch.Tensor:
    """W[:, :, k] = g[k]·v[:, :, k]/‖v[:, :, k]‖ (§3.2)."""
    return weight_v * (weight_g / tap_norms(weight_v))


class WeightNormConv1d(nn.Module):
    """A grouped Conv1d whose weight is stored as weight_g [1, 1, K] and weight_v [C, C/groups, K], the names
    of MERT's checkpoints. The weight is materialised on every call instead of through
    torch.nn.utils.weight_norm's hook, so the module deep-copies and traces like any other."""

    def __init__(self, channels: int, kernel: int, groups: int):
        super().__init__()
        initial = nn.Conv1d(channels, channels, kernel, groups=groups)
        self.padding = kernel // 2
        self.groups = groups
        # Like weight_norm: g starts at ‖v‖, so the initial weight is the plain conv's.
        self.weight_g = nn.Parameter(tap_norms(initial.weight.detach()))
        self.weight_v = nn.Parameter(initial.weight.detach().clone())
        self.bias = nn.Parameter(initial.bias.detach().clone())

    def weight(self) -> torch.Tensor:
        return weight_norm_weight(self.weight_g, self.weight_v)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv1d(x, self.weight(), self.bias, padding=self.padding, groups=self.groups)


class MertPositionalConv(nn.Module):
    """[B, T, H] → GELU(trim-last(WNConv1d(x))) (§3.2). With an even kernel the symmetric padding yields one
    frame too many, so the last is dropped."""

    def __init__(self, config: WaveformConfig):
        super().__init__()
        kernel = config.num_conv_pos_embeddings
        self.conv = WeightNormConv1d(config.hidden_size, kernel, config.num_conv_pos_embedding_groups)
        self.trim = 1 if kernel % 2 == 0 else 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        positions = self.conv(x.transpose(1, 2))
        if self.trim:
            positions = positions[:, :, :-self.trim]
        return F.gelu(positions).transpose(1, 2)


class Music2VecPositionalConvLayer(nn.Module):
    """Conv1d(odd kernel, same padding, groups, bias) → LayerNorm over channels without affine → GELU (§4)."""

    def __init__(self, config: WaveformConfig):
        super().__init__()
        kernel = config.conv_pos_kernel_size
        self.conv = nn.Conv1d(config.hidden_size, config.hidden_size, kernel, padding=kernel // 2,
                              groups=config.num_conv_pos_embedding_groups)
        self.layer_norm = nn.LayerNorm(config.hidden_size, elementwise_affine=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.layer_norm(self.conv(x).transpose(1, 2)).transpose(1, 2)
        return F.gelu(x)


class Music2VecPositionalConv(nn.Module):
    """[B, T, H] → a stack of num_conv_pos_embeddings positional conv layers (§4)."""

    def __init__(self, config: WaveformConfig):
        super().__init__()
        self.layers = nn.ModuleList([Music2VecPositionalConvLayer(config)
                                     for _ in range(config.num_conv_pos_embeddings)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        positions = x.transpose(1, 2)
        for layer in self.layers:
            positions = layer(positions)
        return positions.transpose(1, 2)


class SelfAttention(nn.Module):
    """Multi-head attention with biases on q/k/v/out; q is scaled by head_dim^−0.5 after its bias (§3.2)."""

    def __init__(self, config: WaveformConfig):
        super().__init__()
        hidden = config.hidden_size
        self.num_heads = config.num_attention_heads
        self.head_dim = config.head_dim
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(hidden, hidden)
        self.k_proj = nn.Linear(hidden, hidden)
        self.v_proj = nn.Linear(hidden, hidden)
        self.out_proj = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(config.attention_dropout)

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        batch, time, _ = x.shape
        return x.view(batch, time, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        query = self._heads(self.q_proj(x) * self.scaling)
        key = self._heads(self.k_proj(x))
        value = self._heads(self.v_proj(x))
        probabilities = self.dropout(torch.softmax(torch.matmul(query, key.transpose(-2, -1)), dim=-1))
        context = torch.matmul(probabilities, value).transpose(1, 2)
        return self.out_proj(context.reshape(x.shape))


class EncoderLayer(nn.Module):
    """Post-LN (MERT-95M, music2vec): x ← LN(x + Attn(x)); x ← LN_final(x + FFN(x)).
    Pre-LN (`do_stable_layer_norm`, MERT-330M): x ← x + Attn(LN(x)); x ← x + FFN(LN_final(x))."""

    def __init__(self, config: WaveformConfig):
        super().__init__()
        self.pre_layer_norm = config.do_stable_layer_norm
        self.attention = SelfAttention(config)
        self.dropout = nn.Dropout(config.hidden_dropout)
        self.layer_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.feed_forward = FeedForward(config, nn.GELU())
        self.final_layer_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.pre_layer_norm:
            x = x + self.dropout(self.attention(self.layer_norm(x)))
            return x + self.feed_forward(self.final_layer_norm(x))
        x = self.layer_norm(x + self.dropout(self.attention(x)))
        return self.final_layer_norm(x + self.feed_forward(x))


class WaveformTransformerEncoder(nn.Module):
    def __init__(self, config: WaveformConfig):
        super().__init__()
        self.pre_layer_norm = config.do_stable_layer_norm
        positional = MertPositionalConv if config.architecture == "mert" else Music2VecPositionalConv
        self.pos_conv_embed = positional(config)
        self.layer_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout)
        self.layers = nn.ModuleList([EncoderLayer(config) for _ in range(config.num_hidden_layers)])

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """All L + 1 hidden states [B, T, H], HF-style (§3.2). Post-LN: [0] = LN_enc(x + pos), [i] = layer i's
        output. Pre-LN: [0] = x + pos, [i] = the un-normalised residual stream after layer i for i < L,
        [L] = LN_enc(layer L's output); the encoder LayerNorm is applied only there."""
        x = x + self.pos_conv_embed(x)
        if not self.pre_layer_norm:
            x = self.layer_norm(x)
        x = self.dropout(x)
        states: List[torch.Tensor] = []
        for layer in self.layers:
            states.append(x)
            x = layer(x)
        states.append(self.layer_norm(x) if self.pre_layer_norm else x)
        return tuple(states)
