import json
import math
import os
import re
import subprocess
import sys

import pytest
import torch

from musicsearch_training import package, package_format
from musicsearch_training.configs import get_config
from musicsearch_training.frontend import MelStats
from musicsearch_training.musicfm import MusicFM
from musicsearch_training.safetensors_io import load_file, save_file
from csharp_source import TRAINING_ROOT, assert_csharp_source_contains


def csharp_required_tensors(hidden, layers, ffn, conv_dim, kernel, n_mels):
    """Mirror of MusicFmArchitecture.RequiredTensors (src/Inference/Models/MusicFmArchitecture.cs)."""
    required = {}
    subsampled_bands = ((n_mels + 1) // 2 + 1) // 2
    for block in range(2):
        prefix, in_channels = f"conv.conv.{block}", 1 if block == 0 else conv_dim
        required[f"{prefix}.conv1.weight"] = [conv_dim, in_channels, 3, 3]
        required[f"{prefix}.conv1.bias"] = [conv_dim]
        required[f"{prefix}.conv2.weight"] = [conv_dim, conv_dim, 3, 3]
        required[f"{prefix}.conv2.bias"] = [conv_dim]
        required[f"{prefix}.conv3.weight"] = [conv_dim, in_channels, 3, 3]
        required[f"{prefix}.conv3.bias"] = [conv_dim]
        for bn in ("bn1", "bn2", "bn3"):
            for part in ("weight", "bias", "running_mean", "running_var"):
                required[f"{prefix}.{bn}.{part}"] = [conv_dim]
    required["conv.linear.weight"] = [hidden, conv_dim * subsampled_bands]
    required["conv.linear.bias"] = [hidden]
    for i in range(layers):
        layer = f"conformer.layers.{i}"
        for ff in ("ffn1", "ffn2"):
            required[f"{layer}.{ff}_layer_norm.weight"] = required[f"{layer}.{ff}_layer_norm.bias"] = [hidden]
            required[f"{layer}.{ff}.intermediate_dense.weight"] = [ffn, hidden]
            required[f"{layer}.{ff}.intermediate_dense.bias"] = [ffn]
            required[f"{layer}.{ff}.output_dense.weight"] = [hidden, ffn]
            required[f"{layer}.{ff}.output_dense.bias"] = [hidden]
        for part in ("weight", "bias"):
            required[f"{layer}.self_attn_layer_norm.{part}"] = [hidden]
        for projection in ("linear_q", "linear_k", "linear_v", "linear_out"):
            required[f"{layer}.self_attn.{projection}.weight"] = [hidden, hidden]
            required[f"{layer}.self_attn.{projection}.bias"] = [hidden]
        for part in ("weight", "bias"):
            required[f"{layer}.conv_module.layer_norm.{part}"] = [hidden]
        required[f"{layer}.conv_module.pointwise_conv1.weight"] = [2 * hidden, hidden, 1]
        required[f"{layer}.conv_module.depthwise_conv.weight"] = [hidden, 1, kernel]
        for part in ("weight", "bias", "running_mean", "running_var"):
            required[f"{layer}.conv_module.batch_norm.{part}"] = [hidden]
        required[f"{layer}.conv_module.pointwise_conv2.weight"] = [hidden, hidden, 1]
        required[f"{layer}.final_layer_norm.weight"] = required[f"{layer}.final_layer_norm.bias"] = [hidden]
    required["conformer.layer_norm.weight"] = required["conformer.layer_norm.bias"] = [hidden]
    return required


def check_manifest_rules(manifest, directory):
    """docs/model-package.md's rules for a musicfm package, as the C# ModelManifest.Parse applies them."""
    def integer(value, minimum=1, maximum=2 ** 31 - 1):
        return type(value) is int and minimum <= value <= maximum

    def number(value):
        return type(value) in (int, float) and math.isfinite(value)

    assert integer(manifest["format_version"]) and manifest["format_version"] <= 1
    assert manifest["architecture"] == "musicfm"
    assert re.fullmatch(r"[A-Za-z0-9._-]+", manifest["version"])
    weights = manifest["weights"]
    assert os.path.basename(weights["file"]) == weights["file"]
    assert os.path.isfile(os.path.join(directory, weights["file"]))
    assert re.fullmatch(r"[0-9a-f]{64}", weights["sha256"])
    assert integer(manifest["sample_rate"], 1000, 384000)
    frontend = manifest["frontend"]
    assert frontend["type"] == "mel"
    for field in ("n_fft", "win_length", "hop_length", "n_mels"):
        assert integer(frontend[field]), field
    assert frontend["win_length"] <= frontend["n_fft"]
    assert number(frontend["f_min"]) and number(frontend["f_max"])
    assert 0 <= frontend["f_min"] < frontend["f_max"] <= manifest["sample_rate"] / 2
    assert number(frontend["power"]) and frontend["power"] > 0
    assert frontend["mel_scale"] in ("htk", "slaney") and frontend["pad_mode"] in ("reflect", "constant")
    assert type(frontend["center"]) is bool and type(frontend["drop_last_frame"]) is bool
    assert number(frontend["db_floor"]) and frontend["db_floor"] > 0
    normalization = manifest["normalization"]
    assert normalization["type"] == "global" and number(normalization["mean"])
    assert number(normalization["std"]) and normalization["std"] > 0
    config = manifest["config"]
    for field in ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "conv_dim",
                  "conv_depthwise_kernel_size"):
        assert integer(config[field]), field
    assert config["hidden_size"] % config["num_attention_heads"] == 0
    assert (config["hidden_size"] // config["num_attention_heads"]) % 2 == 0
    assert config["conv_depthwise_kernel_size"] % 2 == 1
    assert number(config["layer_norm_eps"]) and config["layer_norm_eps"] > 0
    assert number(config["rotary_embedding_base"]) and config["rotary_embedding_base"] >= 1
    embedding = manifest["embedding"]
    assert integer(embedding["layer"], 0, config["num_hidden_layers"]) and embedding["pooling"] == "mean"
    for field in ("window_seconds", "hop_seconds", "min_window_seconds"):
        assert number(embedding[field]) and embedding[field] > 0, field
    assert embedding["min_window_seconds"] <= embedding["window_seconds"]
    assert all(type(k) is str and type(v) is str for k, v in manifest["provenance"].items())


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("package"))
    manifest = package.export_random("tiny", 0, directory)
    return directory, manifest


def test_manifest_follows_the_format(exported):
    directory, manifest = exported
    with open(os.path.join(directory, "model.json")) as handle:
        on_disk = json.load(handle)
    assert on_disk == manifest
    check_manifest_rules(on_disk, directory)
    assert on_disk["version"] == "musicfm-tiny-" + on_disk["weights"]["sha256"][:8]
    assert on_disk["weights"]["sha256"] == package_format.file_sha256(os.path.join(directory, "model.safetensors"))
    assert on_disk["frontend"] == {
        "type": "mel", "n_fft": 512, "win_length": 512, "hop_length": 240, "n_mels": 32, "f_min": 0.0,
        "f_max": 12000.0, "power": 2.0, "mel_scale": "htk", "center": True, "pad_mode": "reflect",
        "db_floor": 1e-10, "drop_last_frame": True}
    assert on_disk["config"] == {
        "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64,
        "layer_norm_eps": 1e-5, "conv_dim": 8, "conv_depthwise_kernel_size": 5,
        "rotary_embedding_base": 10000.0}
    assert on_disk["embedding"] == {"layer": 1, "pooling": "mean", "window_seconds": 30.0,
                                    "hop_seconds": 30.0, "min_window_seconds": 5.0}
    assert on_disk["provenance"]["config"] == "tiny" and on_disk["provenance"]["seed"] == "0"


def test_weights_are_exactly_what_the_engine_requires(exported):
    directory, manifest = exported
    tensors, _ = load_file(os.path.join(directory, "model.safetensors"))
    required = csharp_required_tensors(hidden=32, layers=2, ffn=64, conv_dim=8, kernel=5, n_mels=32)
    assert {name: list(t.shape) for name, t in tensors.items()} == required
    assert all(t.dtype == torch.float32 for t in tensors.values())
    running_var = tensors["conformer.layers.0.conv_module.batch_norm.running_var"]
    running_mean = tensors["conv.conv.1.bn2.running_mean"]
    assert 0.5 <= running_var.min() and running_var.max() <= 1.5 and not torch.all(running_var == 1)
    assert 0 < running_mean.abs().max() < 1


def test_csharp_inventory_mirror_is_current():
    """Each name fragment the mirror uses still appears in the C# source (skipped without src/Inference)."""
    assert_csharp_source_contains(("MusicFmArchitecture.cs", "ModelArchitecture.cs"), (
        '"conv.conv.{block}"', "conv1.weight", "conv3.bias", '"bn1", "bn2", "bn3"', '"conv.linear"',
        '"conformer.layers.{i}"', '"ffn1", "ffn2"', "_layer_norm", ".intermediate_dense", ".output_dense",
        ".self_attn_layer_norm", '"linear_q", "linear_k", "linear_v", "linear_out"', ".conv_module.layer_norm",
        'pointwise_conv1.weight", [2 * h, h, 1]', 'depthwise_conv.weight", [h, 1, c.ConvDepthwiseKernelSize]',
        ".conv_module.batch_norm", 'pointwise_conv2.weight", [h, h, 1]', ".final_layer_norm",
        '"conformer.layer_norm"', "(((MelBins + 1) / 2) + 1) / 2", "ConvDim * SubsampledBins",
        '"weight", "bias", "running_mean", "running_var"'))


def test_round_trip_gives_identical_hidden_states(exported, tmp_path):
    directory, manifest = exported
    torch.manual_seed(0)
    original = MusicFM(get_config("tiny"))
    package.randomize_normalization_layers(original, torch.Generator().manual_seed(0))
    original.eval()
    loaded = package.load_package(directory)
    assert not loaded.training and loaded.stats == original.stats
    assert loaded.config == original.config.replace(f_max=12000.0)
    wav = torch.randn(1, 24000 * 3, generator=torch.Generator().manual_seed(9))
    with torch.no_grad():
        for a, b in zip(original.get_hidden_states(wav), loaded.get_hidden_states(wav)):
            assert torch.equal(a, b)

    stats = MelStats(mean=1.5, std=3.0)
    manifest = package.export_package(loaded, str(tmp_path), version="custom_1.0", layer=2, stats=stats,
                                      provenance={"data": "unit test"})
    again = package.load_package(str(tmp_path))
    assert manifest["version"] == "custom_1.0" and manifest["embedding"]["layer"] == 2
    assert again.stats == stats and again.config.embedding_layer == 2
    assert manifest["provenance"] == {"config": "tiny", "data": "unit test"}
    loaded.stats = stats
    with torch.no_grad():
        assert torch.equal(again.get_hidden_states(wav)[2], loaded.get_hidden_states(wav)[2])


def test_training_only_tensors_are_exactly_the_dropped_ones():
    names = MusicFM(get_config("tiny")).state_dict().keys()
    dropped = sorted(name for name in names if package.is_training_only(name))
    assert [n for n in dropped if "num_batches_tracked" not in n] == [
        "cls_token", "conformer.embed_positions.inv_freq", "conformer.pos_conv_embed.conv.bias",
        "conformer.pos_conv_embed.conv.weight_g", "conformer.pos_conv_embed.conv.weight_v", "linear.bias",
        "linear.weight", "preprocessor_melspec_512.mel_stft.mel_scale.fb",
        "preprocessor_melspec_512.mel_stft.spectrogram.window", "quantizer_melspec_512_0.codebook",
        "quantizer_melspec_512_0.random_projection"]
    assert len([n for n in dropped if n.endswith("num_batches_tracked")]) == 6 + 2


def test_load_rejects_changed_weights(exported, tmp_path):
    directory, _ = exported
    for name in ("model.json", "model.safetensors"):
        with open(os.path.join(directory, name), "rb") as source, open(tmp_path / name, "wb") as target:
            target.write(source.read())
    with open(tmp_path / "model.safetensors", "r+b") as handle:
        handle.seek(-1, os.SEEK_END)
        handle.write(b"\x00")
    with pytest.raises(ValueError, match="sha256"):
        package.load_package(str(tmp_path))


def test_load_rejects_a_missing_required_tensor(exported, tmp_path):
    directory, _ = exported
    model = package.load_package(directory)
    tensors = package.inference_tensors(model)
    del tensors["conformer.layers.1.ffn2.output_dense.bias"]
    package.export_package(model, str(tmp_path))
    save_file(tensors, str(tmp_path / "model.safetensors"))
    manifest = json.loads((tmp_path / "model.json").read_text())
    manifest["weights"]["sha256"] = package_format.file_sha256(str(tmp_path / "model.safetensors"))
    (tmp_path / "model.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match="ffn2.output_dense.bias"):
        package.load_package(str(tmp_path))


def test_export_rejects_bad_arguments(tmp_path):
    model = MusicFM(get_config("tiny"))
    with pytest.raises(ValueError, match="version"):
        package.export_package(model, str(tmp_path), version="has space")
    with pytest.raises(ValueError, match="layer"):
        package.export_package(model, str(tmp_path), layer=3)
    with pytest.raises(TypeError, match="provenance"):
        package.export_package(model, str(tmp_path), provenance={"seed": 1})


def test_command_line_export_is_deterministic(tmp_path, exported):
    command = [sys.executable, "-m", "musicsearch_training.package", "export", "--seed", "0"]
    result = subprocess.run(command + ["--config", "tiny", str(tmp_path / "a")], cwd=TRAINING_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # Same weights, bit for bit, as the in-process export of the fixture (the version embeds their sha256).
    assert json.loads((tmp_path / "a" / "model.json").read_text()) == exported[1]
    result = subprocess.run(command + ["--config", "huge", str(tmp_path / "c")], cwd=TRAINING_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "unknown config 'huge'" in result.stderr


def test_level_normalisation_round_trips_through_the_manifest(tmp_path):
    manifest = package.export_random("tiny", 0, str(tmp_path), level_epsilon=1e-5)
    assert manifest["normalization"]["waveform"] == {"type": "per_clip", "epsilon": 1e-5}
    assert package.load_package(str(tmp_path)).config.level_epsilon == 1e-5
    assert "waveform" not in package.export_random("tiny", 0, str(tmp_path / "plain"))["normalization"]


def test_half_copy_has_float16_weights_and_close_embeddings(exported, tmp_path):
    directory, manifest = exported
    half = package.export_half(directory, str(tmp_path / "half"))
    assert half["version"] != manifest["version"] and half["provenance"]["converted_from"] == manifest["version"]
    assert half["embedding"] == manifest["embedding"] and half["normalization"] == manifest["normalization"]
    assert os.path.getsize(tmp_path / "half" / "model.safetensors") < 0.55 * os.path.getsize(
        os.path.join(directory, "model.safetensors"))
    wav = torch.randn(1, 24000 * 3, generator=torch.Generator().manual_seed(1)) * 0.1
    with torch.no_grad():
        full, halved = package.load_package(directory).embed(wav), package.load_package(str(tmp_path / "half")).embed(wav)
    assert (full - halved).abs().max().item() < 1e-2 * full.abs().max().item()
