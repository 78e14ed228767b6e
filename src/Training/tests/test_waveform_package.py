import json
import os
import shutil

import pytest
import torch

from musicsearch_training import golden, package, waveform_package
from musicsearch_training.safetensors_io import load_file, save_file
from musicsearch_training.waveform_configs import get_waveform_config
from musicsearch_training.waveform_encoder import WaveformModel
from musicsearch_training.waveform_features import conv_output_lengths
from csharp_source import assert_csharp_source_contains
from waveform_inventory import CSHARP_FRAGMENTS, check_manifest_rules, csharp_required_tensors

TINY = ("mert-tiny", "mert-tiny-stable", "music2vec-tiny")


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    root = tmp_path_factory.mktemp("waveform_packages")
    return {name: (str(root / name), package.export_random(name, 0, str(root / name))) for name in TINY}


@pytest.mark.parametrize("name", TINY)
def test_manifest_follows_the_format_and_weights_cover_the_engines_list(packages, name):
    directory, manifest = packages[name]
    with open(os.path.join(directory, "model.json")) as handle:
        on_disk = json.load(handle)
    assert on_disk == manifest
    architecture = "music2vec" if name.startswith("music2vec") else "mert"
    check_manifest_rules(on_disk, directory, architecture)
    assert on_disk["version"] == f"{name}-{on_disk['weights']['sha256'][:8]}"
    tensors, _ = load_file(os.path.join(directory, "model.safetensors"))
    assert {n: list(t.shape) for n, t in tensors.items()} == csharp_required_tensors(on_disk["config"])
    assert all(t.dtype == torch.float32 for t in tensors.values())
    assert not torch.all(tensors["feature_extractor.conv_layers.0.layer_norm.weight"] == 1)


def test_manifest_blocks(packages):
    _, mert = packages["mert-tiny-stable"]
    assert mert["config"] == {
        "hidden_size": 32, "num_hidden_layers": 3, "num_attention_heads": 4, "intermediate_size": 48,
        "layer_norm_eps": 1e-5, "conv_dim": [8, 12, 12, 12, 12, 12, 16], "conv_kernel": [10, 3, 3, 3, 3, 2, 2],
        "conv_stride": [5, 2, 2, 2, 2, 2, 2], "conv_bias": False, "feat_extract_norm": "group",
        "do_stable_layer_norm": True, "num_conv_pos_embeddings": 16, "num_conv_pos_embedding_groups": 4}
    assert mert["sample_rate"] == 24000 and mert["normalization"] == {"type": "per_clip"}
    assert mert["embedding"] == {"layer": 2, "pooling": "mean", "window_seconds": 5.0, "hop_seconds": 5.0,
                                 "min_window_seconds": 3.0}
    _, music2vec = packages["music2vec-tiny"]
    assert music2vec["config"]["conv_pos_kernel_size"] == 5 and music2vec["config"]["feat_extract_norm"] == "layer"
    assert music2vec["sample_rate"] == 16000 and music2vec["embedding"]["window_seconds"] == 30.0


def test_conv_bias_packages_carry_conv_biases(tmp_path):
    model = WaveformModel(get_waveform_config("mert-tiny").replace(
        conv_bias=True, name="mert-tiny-bias"))
    manifest = waveform_package.export_waveform_package(model, str(tmp_path))
    check_manifest_rules(manifest, str(tmp_path), "mert")
    tensors, _ = load_file(str(tmp_path / "model.safetensors"))
    assert {n: list(t.shape) for n, t in tensors.items()} == csharp_required_tensors(manifest["config"])
    assert "feature_extractor.conv_layers.6.conv.bias" in tensors
    loaded = waveform_package.load_waveform_package(str(tmp_path))
    assert loaded.config == model.config.replace(name="mert-tiny-bias")


def test_csharp_inventory_mirror_is_current():
    """Each fragment the mirror relies on still appears in the C# source (skipped without src/Inference)."""
    assert_csharp_source_contains(("WaveformTransformerArchitecture.cs", "ModelArchitecture.cs"), CSHARP_FRAGMENTS)


@pytest.mark.parametrize("name", TINY)
def test_round_trip_gives_identical_hidden_states(packages, name):
    directory, _ = packages[name]
    torch.manual_seed(0)
    original = WaveformModel(get_waveform_config(name))
    package.randomize_normalization_layers(original, torch.Generator().manual_seed(0))
    loaded = waveform_package.load_waveform_package(directory)
    assert loaded.config == original.config and not loaded.training
    wav = torch.randn(2, 20000, generator=torch.Generator().manual_seed(9))
    with torch.no_grad():
        for a, b in zip(original.eval().get_hidden_states(wav), loaded.get_hidden_states(wav)):
            assert torch.equal(a, b)


def copy_package(directory, target):
    shutil.copytree(directory, target)
    return str(target)


def test_load_rejects_changed_weights(packages, tmp_path):
    directory = copy_package(packages["mert-tiny"][0], tmp_path / "p")
    with open(os.path.join(directory, "model.safetensors"), "r+b") as handle:
        handle.seek(-1, os.SEEK_END)
        handle.write(b"\x01")
    with pytest.raises(ValueError, match="sha256"):
        waveform_package.load_waveform_package(directory)


def test_load_rejects_a_missing_tensor_and_other_architectures(packages, tmp_path):
    directory = copy_package(packages["music2vec-tiny"][0], tmp_path / "p")
    tensors, _ = load_file(os.path.join(directory, "model.safetensors"))
    del tensors["encoder.pos_conv_embed.layers.1.conv.bias"]
    save_file(tensors, os.path.join(directory, "model.safetensors"))
    manifest = json.loads(open(os.path.join(directory, "model.json")).read())
    del manifest["weights"]["sha256"]
    with open(os.path.join(directory, "model.json"), "w") as handle:
        json.dump(manifest, handle)
    with pytest.raises(ValueError, match=r"pos_conv_embed\.layers\.1\.conv\.bias"):
        waveform_package.load_waveform_package(directory)
    manifest["architecture"] = "musicfm"
    with open(os.path.join(directory, "model.json"), "w") as handle:
        json.dump(manifest, handle)
    with pytest.raises(ValueError, match="not a format-1 mert or music2vec package"):
        waveform_package.load_waveform_package(directory)


def test_export_rejects_bad_arguments(tmp_path):
    model = WaveformModel(get_waveform_config("mert-tiny"))
    with pytest.raises(ValueError, match="version may contain only"):
        waveform_package.export_waveform_package(model, str(tmp_path), version="mert v1")
    with pytest.raises(ValueError, match="layer must lie in"):
        waveform_package.export_waveform_package(model, str(tmp_path), layer=3)
    assert package.main(["export", str(tmp_path / "x"), "--config", "nope"]) == 2


def test_command_line_exports_waveform_configs(packages, tmp_path):
    assert package.main(["export", str(tmp_path / "p"), "--config", "music2vec-tiny", "--seed", "0"]) == 0
    with open(tmp_path / "p" / "model.json") as handle:
        assert json.load(handle) == packages["music2vec-tiny"][1]


@pytest.fixture(scope="module")
def golden_file(packages, tmp_path_factory):
    directory, _ = packages["mert-tiny-stable"]
    output = str(tmp_path_factory.mktemp("golden_waveform") / "golden.safetensors")
    assert golden.main([directory, output, "--seed", "3"]) == 0
    tensors, metadata = load_file(output)
    return directory, tensors, metadata


def test_golden_names_shapes_and_metadata(golden_file):
    directory, tensors, metadata = golden_file
    manifest = waveform_package.read_waveform_manifest(directory)
    lengths = [120000, 175237, 24240, 1545]
    assert metadata == {"version": manifest["version"], "architecture": "mert", "sample_rate": "24000",
                        "normalization": "per_clip", "seed": "3", "layer": "2", "num_cases": "4",
                        "lengths": ",".join(map(str, lengths)), "num_conv_layers": "7", "num_hidden_states": "4"}
    conv_dim = manifest["config"]["conv_dim"]
    expected = {}
    for case, samples in enumerate(lengths):
        frames = conv_output_lengths(samples, (10, 3, 3, 3, 3, 2, 2), (5, 2, 2, 2, 2, 2, 2))
        p = f"case{case}"
        expected[f"{p}.wav"] = expected[f"{p}.wav_normalized"] = [samples]
        expected.update({f"{p}.conv.{j}": [conv_dim[j], frames[j]] for j in range(7)})
        expected[f"{p}.features"] = [16, frames[-1]]
        expected[f"{p}.projection"] = [frames[-1], 32]
        expected.update({f"{p}.hidden.{k}": [frames[-1], 32] for k in range(4)})
        expected[f"{p}.embedding"] = [32]
    assert {name: list(t.shape) for name, t in tensors.items()} == expected
    assert all(t.dtype == torch.float32 for t in tensors.values())
    assert frames[-1] == 4 and any(samples % 320 for samples in lengths)


def test_golden_values_are_the_package_models(golden_file):
    directory, tensors, _ = golden_file
    model = waveform_package.load_waveform_package(directory)
    for case in range(4):
        p = f"case{case}"
        wav = tensors[f"{p}.wav"]
        assert torch.equal(wav, golden.synthetic_music(wav.numel(), 24000, 3 + case))
        x = wav.double()
        expected = (x - x.mean()) / torch.sqrt(x.var(unbiased=False) + 1e-7)
        assert torch.allclose(tensors[f"{p}.wav_normalized"].double(), expected, atol=1e-6)
        with torch.no_grad():
            states = model.get_hidden_states(wav.unsqueeze(0))
            convs = model.feature_extractor.layer_outputs(tensors[f"{p}.wav_normalized"].unsqueeze(0))
            projection = model.feature_projection(tensors[f"{p}.features"].unsqueeze(0))
        for j, conv in enumerate(convs):
            assert torch.equal(tensors[f"{p}.conv.{j}"], conv[0])
        assert torch.equal(tensors[f"{p}.features"], tensors[f"{p}.conv.6"])
        assert torch.equal(tensors[f"{p}.projection"], projection[0])
        for k, state in enumerate(states):
            assert torch.equal(tensors[f"{p}.hidden.{k}"], state[0]), (case, k)
        assert torch.allclose(tensors[f"{p}.embedding"], states[2][0].mean(dim=0))
