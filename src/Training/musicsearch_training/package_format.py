"""What every model package shares, whatever its architecture (docs/model-package.md): model.json next to
model.safetensors, the weights' sha256 in the manifest, the version rule, and the checks on load. package.py
(musicfm) and waveform_package.py (mert, music2vec) add the manifest blocks and tensors of their models."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from typing import Callable, Dict, Mapping, Optional, Sequence

import torch
from torch import nn

from .safetensors_io import load_file, save_file

FORMAT_VERSION = 1
MANIFEST_FILE = "model.json"
WEIGHTS_FILE = "model.safetensors"
VERSION_PATTERN = re.compile(r"^[A-Za-z0-9._-]+$")

# (version, weights' sha256, embedding layer, provenance) → model.json's content.
ManifestBuilder = Callable[[str, str, int, Dict[str, str]], dict]


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_package(directory: str, tensors: Mapping[str, torch.Tensor], config, architecture: str,
                  build_manifest: ManifestBuilder, version: Optional[str] = None, layer: Optional[int] = None,
                  provenance: Optional[Mapping[str, str]] = None) -> dict:
    """Writes model.safetensors and model.json into `directory`; returns the manifest. `config` is the model's
    (its name, embedding layer and layer count are read). The default version is
    `<architecture>-<config name>-<first 8 hex digits of the weights' sha256>`, without repeating the
    architecture when the config name starts with it, so different weights never share an index."""
    layer = config.embedding_layer if layer is None else layer
    if not 0 <= layer <= config.num_hidden_layers:
        raise ValueError(f"layer must lie in [0, {config.num_hidden_layers}], found {layer}")
    provenance = {"config": config.name, **(provenance or {})}
    for key, value in provenance.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"provenance must map strings to strings, found {key!r}: {value!r}")
    if version is not None and not VERSION_PATTERN.match(version):
        raise ValueError(f"version may contain only ASCII letters, digits, '-', '_' and '.', found {version!r}")

    os.makedirs(directory, exist_ok=True)
    weights_path = os.path.join(directory, WEIGHTS_FILE)
    save_file(tensors, weights_path)
    sha256 = file_sha256(weights_path)
    if version is None:
        prefix = config.name if config.name.startswith(architecture) else f"{architecture}-{config.name}"
        version = f"{prefix}-{sha256[:8]}"
        if not VERSION_PATTERN.match(version):
            raise ValueError(f"config name {config.name!r} gives the invalid version {version!r}; pass version=")
    manifest = build_manifest(version, sha256, layer, provenance)
    with open(os.path.join(directory, MANIFEST_FILE), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2)
        handle.write("\n")
    return manifest


def read_package_manifest(directory: str, architectures: Sequence[str]) -> dict:
    """model.json of a format-1 package of one of `architectures`."""
    with open(os.path.join(directory, MANIFEST_FILE), encoding="utf-8") as handle:
        manifest = json.load(handle)
    if manifest.get("format_version") != FORMAT_VERSION or manifest.get("architecture") not in architectures:
        raise ValueError(f"{directory}: not a format-{FORMAT_VERSION} {' or '.join(architectures)} package "
                         f"(format_version {manifest.get('format_version')!r}, "
                         f"architecture {manifest.get('architecture')!r})")
    return manifest


def load_weights(directory: str, manifest: dict, build: Callable[[], nn.Module],
                 is_training_only: Callable[[str], bool]) -> nn.Module:
    """`build()`'s model with the package's weights, in eval mode. The weights' sha256 is checked before the
    model is built; only training-only tensors may be missing, and nothing may be left over."""
    weights_path = os.path.join(directory, manifest["weights"]["file"])
    expected = manifest["weights"].get("sha256")
    if expected is not None and file_sha256(weights_path) != expected:
        raise ValueError(f"{weights_path}: sha256 does not match weights.sha256 {expected} in {MANIFEST_FILE}")
    model = build()
    tensors, _ = load_file(weights_path)
    result = model.load_state_dict(tensors, strict=False)
    missing = [name for name in result.missing_keys if not is_training_only(name)]
    if missing or result.unexpected_keys:
        raise ValueError(f"{weights_path}: missing tensors {missing[:8]}, unexpected tensors "
                         f"{result.unexpected_keys[:8]}")
    return model.eval()


def export_command(directory: str, export: Callable[[], dict]) -> int:
    """The exit status of a command that writes one package: 2 when `export` rejects its input (ValueError:
    ConfigError, SafeTensorsError and the converter's errors among them), with the message on stderr."""
    try:
        manifest = export()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{directory}: {manifest['architecture']} {manifest['version']}")
    return 0
