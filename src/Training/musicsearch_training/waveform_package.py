"""Model packages (docs/model-package.md) of the waveform architectures `mert` and `music2vec`: export a
`WaveformModel` to model.json + model.safetensors, and rebuild it from a package for the engine's tests.
The file layout, hashing and version rules are package_format.py's, shared with musicfm (package.py), whose
command line also writes random packages of these configs.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Dict, Mapping, Optional

import torch

from .package_format import FORMAT_VERSION, WEIGHTS_FILE, load_weights, read_package_manifest, write_package
from .waveform_configs import ARCHITECTURES, WAVEFORM_CONFIGS, WaveformConfig, get_waveform_config
from .waveform_encoder import TRAINING_ONLY_TENSORS, WaveformModel

# model.json's `config` block, in HF field names (src/Inference/Models/WaveformTransformerArchitecture.cs).
CONFIG_FIELDS = ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                 "layer_norm_eps", "conv_dim", "conv_kernel", "conv_stride", "conv_bias", "feat_extract_norm",
                 "do_stable_layer_norm", "num_conv_pos_embeddings", "num_conv_pos_embedding_groups")
MUSIC2VEC_CONFIG_FIELDS = ("conv_pos_kernel_size",)
LIST_FIELDS = ("conv_dim", "conv_kernel", "conv_stride")


def config_fields(config: WaveformConfig) -> tuple:
    return CONFIG_FIELDS + (MUSIC2VEC_CONFIG_FIELDS if config.architecture == "music2vec" else ())


def inference_tensors(model: WaveformModel) -> "OrderedDict[str, torch.Tensor]":
    """Every tensor the engine needs, as contiguous float32; MERT's positional conv stays as weight_g/weight_v
    (the engine materialises the weight norm at load)."""
    return OrderedDict((name, tensor.detach().to(torch.float32).contiguous())
                       for name, tensor in model.state_dict().items() if name not in TRAINING_ONLY_TENSORS)


def build_manifest(config: WaveformConfig, version: str, sha256: str, layer: int,
                   provenance: Mapping[str, str]) -> dict:
    block = {}
    for field in config_fields(config):
        value = getattr(config, field)
        block[field] = list(value) if field in LIST_FIELDS else value
    block["layer_norm_eps"] = float(config.layer_norm_eps)
    return {
        "format_version": FORMAT_VERSION,
        "architecture": config.architecture,
        "version": version,
        "weights": {"file": WEIGHTS_FILE, "sha256": sha256},
        "sample_rate": config.sample_rate,
        "frontend": {"type": "waveform"},
        # per_clip: the official MERT usage normalises each clip (HF feature extractor, §3.3), and music2vec
        # needs it because its per-time-step LayerNorms do not cancel a DC offset (§4). For MERT it is nearly a
        # no-op (§3.3, invariance), except for quiet clips, where GroupNorm's eps would otherwise make the
        # output depend on the gain.
        "normalization": {"type": config.normalization},
        "config": block,
        "embedding": {"layer": layer, "pooling": "mean", "window_seconds": float(config.window_seconds),
                      "hop_seconds": float(config.window_seconds),
                      "min_window_seconds": float(config.min_window_seconds)},
        "provenance": dict(provenance),
    }


def export_waveform_package(model: WaveformModel, directory: str, version: Optional[str] = None,
                            layer: Optional[int] = None,
                            provenance: Optional[Mapping[str, str]] = None) -> dict:
    """Writes model.safetensors and model.json into `directory`; returns the manifest. The default version is
    `<config name>-<first 8 hex digits of the weights' sha256>`."""
    config = model.config

    def manifest(version: str, sha256: str, layer: int, provenance: Dict[str, str]) -> dict:
        return build_manifest(config, version, sha256, layer, provenance)

    return write_package(directory, inference_tensors(model), config, config.architecture, manifest,
                         version=version, layer=layer, provenance=provenance)


def read_waveform_manifest(directory: str) -> dict:
    manifest = read_package_manifest(directory, ARCHITECTURES)
    if manifest["frontend"].get("type") != "waveform":
        raise ValueError(f"{directory}: frontend.type must be 'waveform', found {manifest['frontend'].get('type')!r}")
    return manifest


def config_from_manifest(manifest: dict) -> WaveformConfig:
    """Every field model.json carries, over the named config of the provenance for the training-only fields
    (the dropouts) a package leaves out."""
    block = manifest["config"]
    embedding = manifest["embedding"]
    fields = {field: tuple(block[field]) if field in LIST_FIELDS else block[field]
              for field in CONFIG_FIELDS}
    fields.update(architecture=manifest["architecture"], sample_rate=manifest["sample_rate"],
                  normalization=manifest["normalization"]["type"], embedding_layer=embedding["layer"],
                  window_seconds=embedding["window_seconds"], min_window_seconds=embedding["min_window_seconds"],
                  conv_pos_kernel_size=block.get("conv_pos_kernel_size", 0))
    name = manifest.get("provenance", {}).get("config", "package")
    if name in WAVEFORM_CONFIGS:
        return get_waveform_config(name).replace(**fields)
    return WaveformConfig(name=name, **fields)


def load_waveform_package(directory: str) -> WaveformModel:
    """The package's model in eval mode. The weights' sha256 is checked; only training-only tensors may be
    missing, and nothing may be left over."""
    manifest = read_waveform_manifest(directory)
    return load_weights(directory, manifest, lambda: WaveformModel(config_from_manifest(manifest)),
                        TRAINING_ONLY_TENSORS.__contains__)
