"""Model packages (docs/model-package.md): `model.json` plus `model.safetensors`, read by the C# engine.

    python3 -m musicsearch_training.package export --config tiny --seed 0 OUT_DIR

writes a randomly initialised package (the C# tests' fixture).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from collections import OrderedDict
from typing import Dict, Mapping, Optional

import torch
from torch import nn

from .configs import CONFIGS, MusicFMConfig, get_config
from .frontend import DB_FLOOR, MelStats
from .musicfm import MusicFM
from .safetensors_io import load_file, save_file

FORMAT_VERSION = 1
MANIFEST_FILE = "model.json"
WEIGHTS_FILE = "model.safetensors"
VERSION_PATTERN = re.compile(r"^[A-Za-z0-9._-]+$")
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


def inference_tensors(model: MusicFM) -> "OrderedDict[str, torch.Tensor]":
    """Every tensor the engine needs, BatchNorm running statistics included, as contiguous float32."""
    return OrderedDict((name, tensor.detach().to(torch.float32).contiguous())
                       for name, tensor in model.state_dict().items() if not is_training_only(name))


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_manifest(config: MusicFMConfig, version: str, sha256: str, layer: int, stats: MelStats,
                   provenance: Mapping[str, str]) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "architecture": "musicfm",
        "version": version,
        "weights": {"file": WEIGHTS_FILE, "sha256": sha256},
        "sample_rate": config.sample_rate,
        "frontend": {
            "type": "mel", "n_fft": config.n_fft, "win_length": config.n_fft,
            "hop_length": config.hop_length, "n_mels": config.n_mels, "f_min": float(config.f_min),
            "f_max": config.max_frequency, "power": 2.0, "mel_scale": "htk", "center": True,
            "pad_mode": "reflect", "db_floor": DB_FLOOR, "drop_last_frame": True,
        },
        "normalization": {"type": "global", "mean": float(stats.mean), "std": float(stats.std)},
        "config": {field: float(getattr(config, field)) if field in FLOAT_CONFIG_FIELDS
                   else getattr(config, field) for field in CONFIG_FIELDS},
        "embedding": {"layer": layer, "pooling": "mean", "window_seconds": 30.0, "hop_seconds": 30.0,
                      "min_window_seconds": 5.0},
        "provenance": dict(provenance),
    }


def export_package(model: MusicFM, directory: str, version: Optional[str] = None, layer: Optional[int] = None,
                   stats: Optional[MelStats] = None, provenance: Optional[Mapping[str, str]] = None) -> dict:
    """Writes model.safetensors and model.json into `directory`; returns the manifest. The default version is
    `musicfm-<config>-<first 8 hex digits of the weights' sha256>`, so different weights never share an
    index."""
    config = model.config
    layer = config.embedding_layer if layer is None else layer
    if not 0 <= layer <= config.num_hidden_layers:
        raise ValueError(f"layer must lie in [0, {config.num_hidden_layers}], found {layer}")
    provenance = {"config": config.name, **(provenance or {})}
    for key, value in provenance.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"provenance must map strings to strings, found {key!r}: {value!r}")
    if version is not None and not VERSION_PATTERN.match(version):
        raise ValueError(f"version may contain only ASCII letters, digits, '-', '_' and '.', "
                         f"found {version!r}")

    os.makedirs(directory, exist_ok=True)
    weights_path = os.path.join(directory, WEIGHTS_FILE)
    save_file(inference_tensors(model), weights_path)
    sha256 = file_sha256(weights_path)
    if version is None:
        prefix = config.name if config.name.startswith("musicfm") else f"musicfm-{config.name}"
        version = f"{prefix}-{sha256[:8]}"
        if not VERSION_PATTERN.match(version):
            raise ValueError(f"config name {config.name!r} gives the invalid version {version!r}; "
                             "pass version=")
    manifest = build_manifest(config, version, sha256, layer, stats or model.stats, provenance)
    with open(os.path.join(directory, MANIFEST_FILE), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2)
        handle.write("\n")
    return manifest


def read_manifest(directory: str) -> dict:
    with open(os.path.join(directory, MANIFEST_FILE), encoding="utf-8") as handle:
        manifest = json.load(handle)
    if manifest.get("format_version") != FORMAT_VERSION or manifest.get("architecture") != "musicfm":
        raise ValueError(f"{directory}: not a format-{FORMAT_VERSION} musicfm package "
                         f"(format_version {manifest.get('format_version')!r}, "
                         f"architecture {manifest.get('architecture')!r})")
    return manifest


def config_from_manifest(manifest: dict) -> MusicFMConfig:
    """The named config of the provenance (for the training-only fields a package does not carry, such as the
    dropouts), overridden by every field model.json does carry."""
    frontend = manifest["frontend"]
    fixed = {"type": "mel", "power": 2.0, "mel_scale": "htk", "center": True, "pad_mode": "reflect",
             "db_floor": DB_FLOOR, "drop_last_frame": True, "win_length": frontend["n_fft"]}
    for field, value in fixed.items():
        if frontend[field] != value:
            raise ValueError(f"frontend.{field} is {frontend[field]!r}; this model implements only {value!r}")
    if manifest["normalization"]["type"] != "global":
        raise ValueError("normalization.type must be 'global' for musicfm")
    name = manifest.get("provenance", {}).get("config", "package")
    base = get_config(name) if name in CONFIGS else MusicFMConfig(name=name)
    return base.replace(sample_rate=manifest["sample_rate"], n_fft=frontend["n_fft"],
                        hop_length=frontend["hop_length"], n_mels=frontend["n_mels"], f_min=frontend["f_min"],
                        f_max=frontend["f_max"], embedding_layer=manifest["embedding"]["layer"],
                        **{field: manifest["config"][field] for field in CONFIG_FIELDS})


def load_package(directory: str) -> MusicFM:
    """The package's model in eval mode. The weights' sha256 is checked; only training-only tensors may be
    missing, and nothing may be left over."""
    manifest = read_manifest(directory)
    weights_path = os.path.join(directory, manifest["weights"]["file"])
    expected = manifest["weights"].get("sha256")
    if expected is not None and file_sha256(weights_path) != expected:
        raise ValueError(f"{weights_path}: sha256 does not match weights.sha256 {expected} "
                         f"in {MANIFEST_FILE}")
    normalization = manifest["normalization"]
    model = MusicFM(config_from_manifest(manifest), MelStats(normalization["mean"], normalization["std"]))
    tensors, _ = load_file(weights_path)
    result = model.load_state_dict(tensors, strict=False)
    missing = [name for name in result.missing_keys if not is_training_only(name)]
    if missing or result.unexpected_keys:
        raise ValueError(f"{weights_path}: missing tensors {missing[:8]}, unexpected tensors "
                         f"{result.unexpected_keys[:8]}")
    return model.eval()


def randomize_normalization_layers(model: nn.Module, generator: torch.Generator) -> None:
    """Moves every BatchNorm and LayerNorm away from its identity initialisation (running_mean ~ N(0, 0.1²),
    running_var ~ U(0.5, 1.5), weight ~ U(0.5, 1.5), bias ~ N(0, 0.1²)), so that a random test package
    exercises the engine's normalisation (and any BatchNorm folding) with non-trivial values."""
    def uniform(tensor):
        return 0.5 + torch.rand(tensor.shape, generator=generator)

    def normal(tensor):
        return 0.1 * torch.randn(tensor.shape, generator=generator)

    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
                module.running_mean.copy_(normal(module.running_mean))
                module.running_var.copy_(uniform(module.running_var))
            if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm)):
                module.weight.copy_(uniform(module.weight))
                module.bias.copy_(normal(module.bias))


def export_random(config_name: str, seed: int, directory: str, version: Optional[str] = None,
                  layer: Optional[int] = None) -> dict:
    torch.manual_seed(seed)
    model = MusicFM(get_config(config_name))
    randomize_normalization_layers(model, torch.Generator().manual_seed(seed))
    provenance: Dict[str, str] = {"source": "random initialisation (musicsearch_training.package export)",
                                  "seed": str(seed), "torch": torch.__version__}
    return export_package(model.eval(), directory, version=version, layer=layer, provenance=provenance)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m musicsearch_training.package",
                                     description="Create model packages.")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write a randomly initialised package")
    export.add_argument("directory")
    export.add_argument("--config", default="tiny", help=f"one of: {', '.join(CONFIGS)}")
    export.add_argument("--seed", type=int, default=0)
    export.add_argument("--layer", type=int, default=None, help="embedding layer (default: the config's)")
    export.add_argument("--version", default=None)
    args = parser.parse_args(argv)
    try:
        manifest = export_random(args.config, args.seed, args.directory, args.version, args.layer)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.directory}: {manifest['version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
