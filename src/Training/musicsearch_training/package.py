"""Model packages (docs/model-package.md) of the musicfm architecture: export a `MusicFM` to model.json +
model.safetensors and rebuild it from a package. The command line writes a randomly initialised package of any
named config, musicfm or mert / music2vec (the C# tests' fixtures):

    python3 -m musicsearch_training.package export --config tiny --seed 0 OUT_DIR
    python3 -m musicsearch_training.package export --config mert-tiny --seed 0 OUT_DIR

waveform_package.py holds the mert / music2vec side; package_format.py what every architecture shares.
"""

from __future__ import annotations

import argparse
import sys
from collections import OrderedDict
from typing import Dict, Mapping, Optional

import torch
from torch import nn

from .configs import CONFIGS, ConfigError, MusicFMConfig, get_config
from .frontend import DB_FLOOR, MelStats
from .musicfm import MusicFM
from .package_format import (FORMAT_VERSION, WEIGHTS_FILE, export_command, load_weights, read_package_manifest,
                             write_package)
from .waveform_configs import WAVEFORM_CONFIGS, get_waveform_config
from .waveform_encoder import WaveformModel
from .waveform_package import export_waveform_package

ARCHITECTURE = "musicfm"
# What `export --config` accepts: musicfm's configs, then mert's and music2vec's.
EXPORTABLE_CONFIGS = (*CONFIGS, *WAVEFORM_CONFIGS)
# model.json's `config` block for musicfm, in HF field names.
CONFIG_FIELDS = ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                 "layer_norm_eps", "conv_dim", "conv_depthwise_kernel_size", "rotary_embedding_base")
FLOAT_CONFIG_FIELDS = ("layer_norm_eps", "rotary_embedding_base")

# Tensors a package leaves out, because inference never reads them: the BEST-RQ quantizer, the codebook head
# and `cls_token` serve pretraining only; `pos_conv_embed` is built but never called (MODEL_SPEC §2.1);
# `num_batches_tracked` is a training counter; and the rotary `inv_freq` and the frontend's window and
# filterbank are functions of model.json's fields, which the engine computes itself.
TRAINING_ONLY_PREFIXES = ("quantizer_", "preprocessor_", "conformer.pos_conv_embed.")
TRAINING_ONLY_NAMES = frozenset({"linear.weight", "linear.bias", "cls_token",
                                 "conformer.embed_positions.inv_freq"})


def is_training_only(name: str) -> bool:
    return (name in TRAINING_ONLY_NAMES or name.startswith(TRAINING_ONLY_PREFIXES)
            or name.endswith(".num_batches_tracked"))


def inference_tensors(model: MusicFM, dtype: torch.dtype = torch.float32) -> "OrderedDict[str, torch.Tensor]":
    """Every tensor the engine needs, BatchNorm running statistics included, contiguous, in `dtype`."""
    return OrderedDict((name, tensor.detach().to(dtype).contiguous())
                       for name, tensor in model.state_dict().items() if not is_training_only(name))


def normalization_manifest(config: MusicFMConfig, stats: MelStats) -> dict:
    normalization = {"type": "global", "mean": float(stats.mean), "std": float(stats.std)}
    if config.level_epsilon is not None:
        normalization["waveform"] = {"type": "per_clip", "epsilon": float(config.level_epsilon)}
    return normalization


def build_manifest(config: MusicFMConfig, version: str, sha256: str, layer: int, stats: MelStats,
                   provenance: Mapping[str, str]) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "architecture": ARCHITECTURE,
        "version": version,
        "weights": {"file": WEIGHTS_FILE, "sha256": sha256},
        "sample_rate": config.sample_rate,
        "frontend": {
            "type": "mel", "n_fft": config.n_fft, "win_length": config.n_fft,
            "hop_length": config.hop_length, "n_mels": config.n_mels, "f_min": float(config.f_min),
            "f_max": config.max_frequency, "power": 2.0, "mel_scale": "htk", "center": True,
            "pad_mode": "reflect", "db_floor": DB_FLOOR, "drop_last_frame": True,
        },
        "normalization": normalization_manifest(config, stats),
        "config": {field: float(getattr(config, field)) if field in FLOAT_CONFIG_FIELDS
                   else getattr(config, field) for field in CONFIG_FIELDS},
        "embedding": {"layer": layer, "pooling": "mean", "window_seconds": 30.0, "hop_seconds": 30.0,
                      "min_window_seconds": 5.0},
        "provenance": dict(provenance),
    }


def export_package(model: MusicFM, directory: str, version: Optional[str] = None, layer: Optional[int] = None,
                   stats: Optional[MelStats] = None, provenance: Optional[Mapping[str, str]] = None,
                   dtype: torch.dtype = torch.float32) -> dict:
    """Writes model.safetensors and model.json into `directory`; returns the manifest. The default version is
    `musicfm-<config>-<first 8 hex digits of the weights' sha256>`, so different weights never share an
    index."""
    def manifest(version: str, sha256: str, layer: int, provenance: Dict[str, str]) -> dict:
        return build_manifest(model.config, version, sha256, layer, stats or model.stats, provenance)

    return write_package(directory, inference_tensors(model, dtype), model.config, ARCHITECTURE, manifest,
                         version=version, layer=layer, provenance=provenance)


def read_manifest(directory: str) -> dict:
    return read_package_manifest(directory, (ARCHITECTURE,))


def config_from_manifest(manifest: dict) -> MusicFMConfig:
    """The named config of the provenance (for the training-only fields a package does not carry, such as the
    dropouts), overridden by every field model.json does carry."""
    frontend = manifest["frontend"]
    fixed = {"type": "mel", "power": 2.0, "mel_scale": "htk", "center": True, "pad_mode": "reflect",
             "db_floor": DB_FLOOR, "drop_last_frame": True, "win_length": frontend["n_fft"]}
    for field, value in fixed.items():
        if frontend[field] != value:
            raise ValueError(f"frontend.{field} is {frontend[field]!r}; this model implements only {value!r}")
    normalization = manifest["normalization"]
    if normalization["type"] != "global":
        raise ValueError("normalization.type must be 'global' for musicfm")
    waveform = normalization.get("waveform", {"type": "none"})
    if waveform["type"] not in ("none", "per_clip"):
        raise ValueError(f"normalization.waveform.type must be 'none' or 'per_clip', found {waveform['type']!r}")
    name = manifest.get("provenance", {}).get("config", "package")
    base = get_config(name) if name in CONFIGS else MusicFMConfig(name=name)
    return base.replace(sample_rate=manifest["sample_rate"], n_fft=frontend["n_fft"],
                        hop_length=frontend["hop_length"], n_mels=frontend["n_mels"], f_min=frontend["f_min"],
                        f_max=frontend["f_max"], embedding_layer=manifest["embedding"]["layer"],
                        level_epsilon=waveform.get("epsilon") if waveform["type"] == "per_clip" else None,
                        **{field: manifest["config"][field] for field in CONFIG_FIELDS})


def load_package(directory: str) -> MusicFM:
    """The package's model in eval mode. The weights' sha256 is checked; only training-only tensors may be
    missing, and nothing may be left over."""
    manifest = read_manifest(directory)

    def build() -> MusicFM:
        normalization = manifest["normalization"]
        return MusicFM(config_from_manifest(manifest), MelStats(normalization["mean"], normalization["std"]))

    return load_weights(directory, manifest, build, is_training_only)


def randomize_normalization_layers(model: nn.Module, generator: torch.Generator) -> None:
    """Moves every BatchNorm, GroupNorm and affine LayerNorm away from its identity initialisation
    (running_mean ~ N(0, 0.1²), running_var ~ U(0.5, 1.5), weight ~ U(0.5, 1.5), bias ~ N(0, 0.1²)), so that a
    random test package exercises the engine's normalisation (and any BatchNorm folding) with non-trivial
    values."""
    def uniform(tensor):
        return 0.5 + torch.rand(tensor.shape, generator=generator)

    def normal(tensor):
        return 0.1 * torch.randn(tensor.shape, generator=generator)

    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
                module.running_mean.copy_(normal(module.running_mean))
                module.running_var.copy_(uniform(module.running_var))
            if (isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d, nn.GroupNorm, nn.LayerNorm))
                    and module.weight is not None):
                module.weight.copy_(uniform(module.weight))
                module.bias.copy_(normal(module.bias))


def export_random(config_name: str, seed: int, directory: str, version: Optional[str] = None,
                  layer: Optional[int] = None, level_epsilon: Optional[float] = None) -> dict:
    """A package of randomly initialised weights (norms included) for a musicfm config (configs.CONFIGS) or a
    mert / music2vec one (waveform_configs.WAVEFORM_CONFIGS). `level_epsilon` switches a musicfm config's
    per-clip level normalisation on (or changes its epsilon)."""
    torch.manual_seed(seed)
    if config_name in CONFIGS:
        config = get_config(config_name)
        if level_epsilon is not None:
            config = config.replace(level_epsilon=level_epsilon)
        model, export = MusicFM(config), export_package
    elif config_name in WAVEFORM_CONFIGS:
        model, export = WaveformModel(get_waveform_config(config_name)), export_waveform_package
    else:
        raise ConfigError(f"unknown config '{config_name}' (known: {', '.join(EXPORTABLE_CONFIGS)})")
    randomize_normalization_layers(model, torch.Generator().manual_seed(seed))
    provenance = {"source": "random initialisation (musicsearch_training.package export)", "seed": str(seed),
                  "torch": torch.__version__}
    return export(model.eval(), directory, version=version, layer=layer, provenance=provenance)


def export_half(source: str, directory: str) -> dict:
    """The package at `source` with float16 weights: half the size on disk (what models/ ships), at a relative
    rounding of 2^-11 per weight; the engine widens them to float32 at load. The version follows the new
    weights' hash, so the two never share an index."""
    model = load_package(source)
    manifest = read_manifest(source)
    provenance = {**manifest.get("provenance", {}), "weights_dtype": "float16",
                  "converted_from": manifest["version"]}
    return export_package(model, directory, layer=manifest["embedding"]["layer"], provenance=provenance,
                          dtype=torch.float16)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m musicsearch_training.package",
                                     description="Create model packages.")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write a randomly initialised package")
    export.add_argument("directory")
    export.add_argument("--config", default="tiny", help=f"one of: {', '.join(EXPORTABLE_CONFIGS)}")
    export.add_argument("--seed", type=int, default=0)
    export.add_argument("--layer", type=int, default=None, help="embedding layer (default: the config's)")
    export.add_argument("--version", default=None)
    export.add_argument("--level-epsilon", type=float, default=None,
                        help="musicfm: standardise each clip before the mel with this variance floor")
    half = commands.add_parser("half", help="copy a musicfm package with float16 weights")
    half.add_argument("source")
    half.add_argument("directory")
    args = parser.parse_args(argv)
    if args.command == "half":
        return export_command(args.directory, lambda: export_half(args.source, args.directory))
    return export_command(args.directory, lambda: export_random(args.config, args.seed, args.directory,
                                                                args.version, args.layer, args.level_epsilon))


if __name__ == "__main__":
    sys.exit(main())
