"""Converts published checkpoints into model packages.

    python3 -m musicsearch_training.convert musicfm pretrained_msd.pt OUT_DIR [--stats msd_stats.json]
    python3 -m musicsearch_training.convert mert pytorch_model.bin OUT_DIR [--config mert-v1-330m]
    python3 -m musicsearch_training.convert music2vec model.safetensors OUT_DIR

Options: --config NAME (musicfm: default musicfm-330m; mert/music2vec: default the named config whose hidden
size and layer count match the checkpoint), --version V, --layer N (the embedding layer), --stats JSON
(musicfm only).

Every checkpoint is loaded into the reference model with every name and shape checked, so a package never
holds weights the reference forward would not accept.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import sys
from typing import Dict, Iterable, List, Mapping, Optional, Tuple

import torch

from .configs import get_config
from .frontend import MSD_STATS, MelStats
from .musicfm import MusicFM
from .package import export_package
from .package_format import export_command
from .safetensors_io import load_file
from .stats import read_stats
from .waveform_configs import WAVEFORM_CONFIGS, WaveformConfig, get_waveform_config
from .waveform_encoder import TRAINING_ONLY_TENSORS, WaveformModel
from .waveform_package import export_waveform_package

MUSICFM_PREFIX = "model."
# Top-level names of an HF MERT / Data2VecAudio state dict (§3.4).
HF_ROOTS = ("feature_extractor.", "feature_projection.", "encoder.", "masked_spec_embed")
# Prefixes a wrapping HF model may add: `base_model_prefix` of MERT and Data2VecAudio, or a training script's.
HF_PREFIXES = {"mert": ("mert_model.", "model."), "music2vec": ("data2vec_audio.", "model.")}
# torch.nn.utils.parametrizations names the weight-norm parts original0 (g) and original1 (v) (§3.4).
PARAMETRIZED_WEIGHT_NORM = {
    "encoder.pos_conv_embed.conv.parametrizations.weight.original0": "encoder.pos_conv_embed.conv.weight_g",
    "encoder.pos_conv_embed.conv.parametrizations.weight.original1": "encoder.pos_conv_embed.conv.weight_v",
}
LAYER_INDEX = re.compile(r"^encoder\.layers\.(\d+)\.")
MAX_LISTED = 8


class ConversionError(ValueError):
    """A checkpoint that cannot be converted; the message names the file and the offending tensors."""


def read_checkpoint(path: str) -> object:
    """A `.safetensors` file through safetensors_io, anything else through torch.load on the CPU."""
    if not os.path.isfile(path):
        raise ConversionError(f"{path}: file not found")
    if path.endswith(".safetensors"):
        return load_file(path)[0]
    try:
        return torch.load(path, map_location="cpu")
    except (RuntimeError, EOFError, pickle.UnpicklingError, ModuleNotFoundError) as error:
        raise ConversionError(f"{path}: torch.load cannot read it: {error}") from None


def guess_architecture(names: Iterable[str]) -> Optional[Tuple[str, str]]:
    """(architecture, a telling tensor name) from names a family alone has, whatever the prefix."""
    names = [name for name in names if isinstance(name, str)]
    for architecture, marker in (("musicfm", "conformer.layers."), ("music2vec", "pos_conv_embed.layers."),
                                 ("mert", "pos_conv_embed.conv.weight_g"),
                                 ("mert", "pos_conv_embed.conv.parametrizations.weight.original0")):
        for name in names:
            if marker in name:
                return architecture, name
    return None


def check_architecture(names: Iterable[str], architecture: str, source: str) -> None:
    guess = guess_architecture(names)
    if guess is not None and guess[0] != architecture:
        raise ConversionError(f"{source}: this is a {guess[0]} checkpoint (it has '{guess[1]}'), not "
                              f"{architecture}; convert it with `convert {guess[0]}`")


def listed(items: List[str]) -> str:
    more = f"; and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else ""
    return "; ".join(items[:MAX_LISTED]) + more


def check_tensors(tensors: Mapping[str, torch.Tensor], expected: Mapping[str, torch.Size],
                  optional: Iterable[str], source: str, target: str) -> None:
    """Every expected tensor present with its shape, nothing else; `optional` names may be absent."""
    optional = set(optional)
    # Wrong shapes first: when a checkpoint and a config disagree, they tell most.
    problems = [f"tensor '{name}' has shape {list(tensors[name].shape)}, expected {list(shape)}"
                for name, shape in expected.items() if name in tensors and tensors[name].shape != shape]
    problems += [f"missing tensor '{name}' {list(shape)}" for name, shape in expected.items()
                 if name not in tensors and name not in optional]
    problems += [f"unexpected tensor '{name}'" for name in tensors if name not in expected]
    if problems:
        raise ConversionError(f"{source}: {len(problems)} problem(s) loading it as {target}: {listed(problems)}")


def state_dict_of(checkpoint: object, source: str) -> Mapping[str, torch.Tensor]:
    if not isinstance(checkpoint, Mapping) or not checkpoint or not all(
            isinstance(name, str) and isinstance(value, torch.Tensor) for name, value in checkpoint.items()):
        keys = list(checkpoint)[:MAX_LISTED] if isinstance(checkpoint, Mapping) else type(checkpoint).__name__
        raise ConversionError(f"{source}: expected a state dict (tensor names to tensors), found {keys}")
    return checkpoint


# MusicFM -------------------------------------------------------------------------------------------------------


def convert_musicfm(checkpoint: object, source: str, config_name: str = "musicfm-330m",
                    stats: MelStats = MSD_STATS) -> MusicFM:
    """MusicFM's `{"state_dict": {"model." + name: tensor}}` (§1.1) loaded strictly into the reference model."""
    if not isinstance(checkpoint, Mapping) or "state_dict" not in checkpoint:
        found = checkpoint.keys() if isinstance(checkpoint, Mapping) else []
        guess = guess_architecture(found)
        hint = f"; it looks like a {guess[0]} state dict (it has '{guess[1]}')" if guess else ""
        raise ConversionError(f"{source}: a MusicFM checkpoint is a dict with a 'state_dict' entry{hint}")
    state = state_dict_of(checkpoint["state_dict"], source)
    check_architecture(state, "musicfm", source)
    unprefixed = [name for name in state if not name.startswith(MUSICFM_PREFIX)]
    if unprefixed:
        raise ConversionError(f"{source}: every MusicFM tensor name starts with '{MUSICFM_PREFIX}'; "
                              f"{len(unprefixed)} do not: {listed(unprefixed)}")
    tensors = {name[len(MUSICFM_PREFIX):]: tensor for name, tensor in state.items()}
    model = MusicFM(get_config(config_name), stats)
    expected = {name: tensor.shape for name, tensor in model.state_dict().items()}
    check_tensors(tensors, expected, (), source, f"MusicFM '{config_name}'")
    model.load_state_dict(tensors, strict=True)
    return model.eval()


# MERT and music2vec --------------------------------------------------------------------------------------------


def hf_prefix(names: List[str], architecture: str, source: str) -> str:
    """The one prefix ('' or a wrapper's) under which every tensor has an HF MERT / Data2VecAudio name."""
    candidates = ("",) + HF_PREFIXES[architecture]

    def fits(name: str, prefix: str) -> bool:
        return name.startswith(prefix) and name[len(prefix):].startswith(HF_ROOTS)

    for prefix in candidates:
        if all(fits(name, prefix) for name in names):
            return prefix
    strays = [name for name in names if not any(fits(name, prefix) for prefix in candidates)] or names
    raise ConversionError(
        f"{source}: unknown prefix: the names of an HF {architecture} state dict start with "
        f"{', '.join(repr(r) for r in HF_ROOTS)}, all optionally behind one of "
        f"{', '.join(repr(p) for p in HF_PREFIXES[architecture])}; not so: {listed([repr(n) for n in strays])}")


def hf_tensors(state: Mapping[str, torch.Tensor], architecture: str, source: str) -> Dict[str, torch.Tensor]:
    """HF names without the wrapper prefix, with the parametrization weight-norm names mapped to
    weight_g/weight_v."""
    names = list(state)
    check_architecture(names, architecture, source)
    prefix = hf_prefix(names, architecture, source)
    tensors: Dict[str, torch.Tensor] = {}
    for name, tensor in state.items():
        name = name[len(prefix):]
        name = PARAMETRIZED_WEIGHT_NORM.get(name, name)
        if name in tensors:
            raise ConversionError(f"{source}: '{name}' is given twice (old and new weight-norm names)")
        tensors[name] = tensor
    return tensors


def checkpoint_geometry(tensors: Mapping[str, torch.Tensor], source: str) -> Tuple[int, int]:
    """(hidden size, layer count) as the checkpoint's tensors say."""
    projection = tensors.get("feature_projection.projection.weight")
    if projection is None:
        raise ConversionError(f"{source}: missing tensor 'feature_projection.projection.weight'")
    layers = {int(match.group(1)) for match in map(LAYER_INDEX.match, tensors) if match}
    return projection.shape[0], max(layers) + 1 if layers else 0


def waveform_config(tensors: Mapping[str, torch.Tensor], architecture: str, config_name: Optional[str],
                    source: str) -> WaveformConfig:
    """The named config, checked against the checkpoint's hidden size and layer count; without a name, the one
    config of the architecture that matches them. Pre-LN and post-LN layers have the same tensors, so the
    config (MERT-330M's `do_stable_layer_norm`) decides which one runs (§3.2)."""
    hidden, layers = checkpoint_geometry(tensors, source)
    configs = [get_waveform_config(name) for name in WAVEFORM_CONFIGS]
    matching = [c.name for c in configs if c.architecture == architecture
                and (c.hidden_size, c.num_hidden_layers) == (hidden, layers)]
    if config_name is None:
        if len(matching) != 1:
            raise ConversionError(f"{source}: {len(matching) or 'no'} {architecture} configs have hidden size "
                                  f"{hidden} and {layers} layers ({', '.join(matching) or 'none'}); pass --config")
        config_name = matching[0]
    config = get_waveform_config(config_name)
    if config.architecture != architecture:
        raise ConversionError(f"config '{config_name}' is a {config.architecture} config, not {architecture}")
    if (config.hidden_size, config.num_hidden_layers) != (hidden, layers):
        hint = f" ({', '.join(matching)} would match)" if matching else ""
        raise ConversionError(f"{source}: the checkpoint has hidden size {hidden} and {layers} layers, config "
                              f"'{config_name}' has {config.hidden_size} and {config.num_hidden_layers}{hint}")
    return config


def convert_waveform(checkpoint: object, source: str, architecture: str,
                     config_name: Optional[str] = None) -> WaveformModel:
    """An HF MERT-v1 (§3.4) or music2vec-v1 (§4) state dict loaded into the reference model; the training-only
    `masked_spec_embed` may be absent."""
    if isinstance(checkpoint, Mapping) and isinstance(checkpoint.get("state_dict"), Mapping):
        check_architecture(checkpoint["state_dict"], architecture, source)
    tensors = hf_tensors(state_dict_of(checkpoint, source), architecture, source)
    config = waveform_config(tensors, architecture, config_name, source)
    model = WaveformModel(config)
    expected = {name: tensor.shape for name, tensor in model.state_dict().items()}
    check_tensors(tensors, expected, TRAINING_ONLY_TENSORS, source, f"{architecture} '{config.name}'")
    model.load_state_dict(tensors, strict=False)
    return model.eval()


# CLI -----------------------------------------------------------------------------------------------------------


def convert(architecture: str, checkpoint_path: str, directory: str, config_name: Optional[str] = None,
            version: Optional[str] = None, layer: Optional[int] = None,
            stats_path: Optional[str] = None) -> dict:
    """Reads, converts and exports one checkpoint; returns the package's manifest."""
    checkpoint = read_checkpoint(checkpoint_path)
    provenance = {"source": os.path.basename(checkpoint_path), "converter": "musicsearch_training.convert",
                  "torch": torch.__version__}
    if architecture == "musicfm":
        config_name = config_name or "musicfm-330m"
        feature = f"melspec_{get_config(config_name).n_fft}"
        try:
            stats = MSD_STATS if stats_path is None else read_stats(stats_path, feature)
        except ValueError as error:
            raise ConversionError(str(error)) from None
        provenance["stats"] = os.path.basename(stats_path) if stats_path else "MusicFM-MSD (default)"
        model = convert_musicfm(checkpoint, checkpoint_path, config_name, stats)
        return export_package(model, directory, version=version, layer=layer, provenance=provenance)
    if stats_path is not None:
        raise ConversionError("--stats applies to musicfm only; MERT and music2vec normalise each clip")
    model = convert_waveform(checkpoint, checkpoint_path, architecture, config_name)
    return export_waveform_package(model, directory, version=version, layer=layer, provenance=provenance)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m musicsearch_training.convert",
                                     description="Convert a published checkpoint into a model package.")
    parser.add_argument("architecture", choices=("musicfm", "mert", "music2vec"))
    parser.add_argument("checkpoint", help="MusicFM .pt; MERT / music2vec pytorch_model.bin, .pt or .safetensors")
    parser.add_argument("directory", help="the package folder to write")
    parser.add_argument("--config", default=None, help="named config (default: musicfm-330m for musicfm, "
                                                       "inferred from the tensors otherwise)")
    parser.add_argument("--version", default=None, help="model.json version (default: <config>-<sha256[:8]>)")
    parser.add_argument("--layer", type=int, default=None, help="embedding layer (default: the config's)")
    parser.add_argument("--stats", default=None, help="musicfm only: msd_stats.json / fma_stats.json "
                                                      "(default: MusicFM-MSD's values)")
    args = parser.parse_args(argv)
    if args.architecture == "musicfm" and args.stats is None:
        print("note: no --stats given, using MusicFM-MSD's normalisation (MODEL_SPEC §1.2); "
              "pass fma_stats.json for pretrained_fma.pt", file=sys.stderr)
    return export_command(args.directory, lambda: convert(args.architecture, args.checkpoint, args.directory,
                                                          args.config, args.version, args.layer, args.stats))


if __name__ == "__main__":
    sys.exit(main())
