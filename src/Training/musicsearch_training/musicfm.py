"""MusicFM (`MusicFM25Hz`, MODEL_SPEC §1): mel frontend, Conv2d subsampling, rotary Conformer, BEST-RQ head.

Parameter and buffer names equal those of MusicFM's checkpoints after their `model.` prefix (§1.6), so a
published state dict loads with `load_state_dict(strict=True)`.
"""

from __future__ import annotations

import math
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .best_rq import RandomProjectionQuantizer, mask_blocks
from .configs import MusicFMConfig
from .conformer import ConformerEncoder
from .frontend import MSD_STATS, MelFrontend, MelStats


def token_count(num_samples: int, hop_length: int) -> int:
    """⌈⌈⌊N/hop⌋/2⌉/2⌉: mel frames after dropping the last one, then two stride-2 convolutions (§7)."""
    return math.ceil(math.ceil((num_samples // hop_length) / 2) / 2)


class Res2dModule(nn.Module):
    """Residual block: conv-BN-ReLU-conv-BN plus a conv-BN shortcut when the shape changes (§1.3)."""

    def __init__(self, in_channels: int, out_channels: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.has_shortcut_conv = in_channels != out_channels or stride != 1
        if self.has_shortcut_conv:
            self.conv3 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)
            self.bn3 = nn.BatchNorm2d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = self.bn3(self.conv3(x)) if self.has_shortcut_conv else x
        return F.relu(out + shortcut)


class Conv2dSubsampling(nn.Module):
    """[B, n_bands, T] -> [B, ⌈⌈T/2⌉/2⌉, hidden]: two stride-2 Res2d blocks over (frequency, time), then a
    linear layer over the channel-major flattening (feature index c·F' + f) of each time step."""

    def __init__(self, in_channels: int, conv_dim: int, hidden_size: int, n_bands: int, strides=(2, 2)):
        super().__init__()
        blocks, channels, bands = [], in_channels, n_bands
        for stride in strides:
            blocks.append(Res2dModule(channels, conv_dim, stride))
            channels, bands = conv_dim, math.ceil(bands / stride)
        self.conv = nn.Sequential(*blocks)
        self.linear = nn.Linear(conv_dim * bands, hidden_size)

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        x = self.conv(mel.unsqueeze(1))  # [B, C, F', T']
        batch, channels, bands, time = x.shape
        return self.linear(x.permute(0, 3, 1, 2).reshape(batch, time, channels * bands))


class MusicFM(nn.Module):
    def __init__(self, config: MusicFMConfig, stats: MelStats = MSD_STATS):
        super().__init__()
        self.config = config
        # MusicFM names its frontend and quantizer after the feature, `melspec_<n_fft>` (§1.6).
        self.feature = f"melspec_{config.n_fft}"
        self.conv = Conv2dSubsampling(1, config.conv_dim, config.hidden_size, config.n_mels)
        self.conformer = ConformerEncoder(config)
        self.linear = nn.Linear(config.hidden_size, config.codebook_size)
        # Stored in checkpoints but never used (§1.5).
        self.cls_token = nn.Parameter(torch.randn(config.hidden_size))
        self.add_module(f"preprocessor_{self.feature}",
                        MelFrontend(config.sample_rate, config.n_fft, config.hop_length, config.n_mels,
                                    config.f_min, config.max_frequency, stats, config.level_epsilon))
        self.add_module(f"quantizer_{self.feature}_0",
                        RandomProjectionQuantizer(config.n_mels, config.codebook_dim, config.codebook_size))

    @property
    def frontend(self) -> MelFrontend:
        return getattr(self, f"preprocessor_{self.feature}")

    @property
    def quantizer(self) -> RandomProjectionQuantizer:
        return getattr(self, f"quantizer_{self.feature}_0")

    @property
    def stats(self) -> MelStats:
        return self.frontend.stats

    @stats.setter
    def stats(self, stats: MelStats) -> None:
        self.frontend.stats = stats

    def mel(self, wav: torch.Tensor) -> torch.Tensor:
        """Normalised dB mel [B, n_mels, N // hop] in the encoder's dtype (the frontend runs in ≥ fp32)."""
        return self.frontend(wav).to(self.conv.linear.weight.dtype)

    def get_hidden_states(self, wav: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """L + 1 tensors [B, T', hidden]: [0] the conv frontend output, [k] layer k's output for k < L,
        [L] the encoder LayerNorm of layer L's output (§1.5)."""
        return self.conformer(self.conv(self.mel(wav)))

    def get_latent(self, wav: torch.Tensor, layer: int) -> torch.Tensor:
        if not 0 <= layer <= self.config.num_hidden_layers:
            raise ValueError(f"layer must lie in [0, {self.config.num_hidden_layers}], found {layer}")
        return self.get_hidden_states(wav)[layer]

    def embed(self, wav: torch.Tensor, layer: Optional[int] = None) -> torch.Tensor:
        """Mean over time (dim 1) of one hidden state: [B, hidden]. (MusicFM's README averages dim -1, the
        channels, by mistake; §1.5.)"""
        return self.get_latent(wav, self.config.embedding_layer if layer is None else layer).mean(dim=1)

    def forward(self, wav: torch.Tensor) -> torch.Tensor:
        """Codebook logits [B, T', codebook_size] from the last hidden state."""
        return self.linear(self.get_hidden_states(wav)[-1])

    def get_targets(self, wav: torch.Tensor) -> torch.Tensor:
        """BEST-RQ target tokens [B, T'] of the clean waveform."""
        return self.quantizer(self.frontend(wav))

    def masking(self, wav: torch.Tensor, generator: Optional[torch.Generator] = None
                ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Waveform-domain block masking (§1.7): the masked waveform and the aligned token mask [B, T']."""
        c = self.config
        return mask_blocks(wav, token_count(wav.shape[-1], c.hop_length), c.mask_block_samples,
                           c.mask_block_tokens, c.mask_prob, c.mask_noise_std, generator)

    def best_rq_loss(self, wav: torch.Tensor, generator: Optional[torch.Generator] = None
                     ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Cross-entropy over masked tokens and the masked-token accuracy. Both are 0 when nothing was masked
        (a clip shorter than one mask block), so a training step never sees NaN."""
        targets = self.get_targets(wav)
        masked_wav, token_mask = self.masking(wav, generator)
        logits = self(masked_wav)[token_mask]
        targets = targets[token_mask]
        count = max(int(targets.numel()), 1)
        loss = F.cross_entropy(logits.float(), targets, reduction="sum") / count
        accuracy = (logits.argmax(dim=-1) == targets).sum().float() / count
        return loss, accuracy
