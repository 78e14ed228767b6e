import json
import os
from collections import OrderedDict

import pytest
import torch

from musicsearch_training import convert, package
from musicsearch_training.configs import get_config
from musicsearch_training.frontend import MelStats
from musicsearch_training.musicfm import MusicFM
from musicsearch_training.safetensors_io import load_file, save_file
from musicsearch_training.waveform_configs import get_waveform_config
from musicsearch_training.waveform_encoder import WaveformModel
from musicsearch_training.waveform_package import load_waveform_package
from waveform_inventory import check_manifest_rules, csharp_required_tensors

# The names newer PyTorch gives a weight-normed conv's parameters (torch.nn.utils.parametrizations).
NEW_WEIGHT_NORM_NAMES = {
    "encoder.pos_conv_embed.conv.weight_g": "encoder.pos_conv_embed.conv.parametrizations.weight.original0",
    "encoder.pos_conv_embed.conv.weight_v": "encoder.pos_conv_embed.conv.parametrizations.weight.original1",
}


def random_model(config_name, seed=0):
    torch.manual_seed(seed)
    model = WaveformModel(get_waveform_config(config_name))
    package.randomize_normalization_layers(model, torch.Generator().manual_seed(seed + 1))
    return model.eval()


def hf_state_dict(model, prefix="", new_weight_norm_names=False, with_mask_embed=True):
    """The model's tensors under the names an HF checkpoint would use (MODEL_SPEC §3.4, §4)."""
    state = OrderedDict()
    for name, tensor in model.state_dict().items():
        if name == "masked_spec_embed" and not with_mask_embed:
            continue
        if new_weight_norm_names:
            name = NEW_WEIGHT_NORM_NAMES.get(name, name)
        state[prefix + name] = tensor.clone()
    return state


def write(state, path):
    if path.endswith(".safetensors"):
        save_file(state, path)
    else:
        torch.save(state, path)
    return path


def hidden_states(model, seconds=1.2):
    wav = torch.randn(1, round(seconds * model.config.sample_rate), generator=torch.Generator().manual_seed(4))
    with torch.no_grad():
        return model.get_hidden_states(wav)


@pytest.mark.parametrize("config_name, prefix, new_names, file_name, with_mask_embed", [
    ("mert-tiny", "", False, "pytorch_model.bin", True),
    ("mert-tiny", "mert_model.", True, "model.safetensors", False),
    ("mert-tiny-stable", "model.", True, "checkpoint.pt", True),
    ("mert-tiny-stable", "", False, "model.safetensors", True),
    ("music2vec-tiny", "data2vec_audio.", False, "pytorch_model.bin", True),
    ("music2vec-tiny", "", False, "model.safetensors", False),
])
def test_hf_checkpoint_to_package_reproduces_the_model(tmp_path, config_name, prefix, new_names, file_name,
                                                        with_mask_embed):
    model = random_model(config_name)
    architecture = model.config.architecture
    path = write(hf_state_dict(model, prefix, new_names, with_mask_embed), str(tmp_path / file_name))
    out = str(tmp_path / "package")
    assert convert.main([architecture, path, out]) == 0  # the config is inferred from the tensors

    with open(os.path.join(out, "model.json")) as handle:
        manifest = json.load(handle)
    check_manifest_rules(manifest, out, architecture)
    assert manifest["version"] == f"{config_name}-{manifest['weights']['sha256'][:8]}"
    assert manifest["normalization"] == {"type": "per_clip"} and manifest["frontend"] == {"type": "waveform"}
    assert manifest["provenance"]["config"] == config_name and manifest["provenance"]["source"] == file_name
    tensors, _ = load_file(os.path.join(out, "model.safetensors"))
    assert {n: list(t.shape) for n, t in tensors.items()} == csharp_required_tensors(manifest["config"])
    assert all(t.dtype == torch.float32 for t in tensors.values())

    loaded = load_waveform_package(out)
    assert loaded.config == model.config and not loaded.training
    for expected, actual in zip(hidden_states(model), hidden_states(loaded)):
        assert torch.equal(expected, actual)


def test_options_and_explicit_config(tmp_path):
    model = random_model("mert-tiny-stable")
    path = write(hf_state_dict(model), str(tmp_path / "pytorch_model.bin"))
    manifest = convert.convert("mert", path, str(tmp_path / "p"), config_name="mert-tiny-stable",
                               version="mert_330m-test.1", layer=3)
    assert manifest["version"] == "mert_330m-test.1" and manifest["embedding"]["layer"] == 3
    assert manifest["config"]["do_stable_layer_norm"] is True
    assert load_waveform_package(str(tmp_path / "p")).config.embedding_layer == 3


def test_config_must_match_the_checkpoint(tmp_path):
    # Pre-LN and post-LN layers have the same tensors; the layer count tells MERT-330M-like from 95M-like.
    path = write(hf_state_dict(random_model("mert-tiny-stable")), str(tmp_path / "m.bin"))
    with pytest.raises(convert.ConversionError, match=r"3 layers, config 'mert-tiny' has 32 and 2 "
                                                      r"\(mert-tiny-stable would match\)"):
        convert.convert("mert", path, str(tmp_path / "p"), config_name="mert-tiny")
    with pytest.raises(convert.ConversionError, match="is a music2vec config"):
        convert.convert("mert", path, str(tmp_path / "p"), config_name="music2vec-tiny")
    state = hf_state_dict(random_model("mert-tiny"))
    state["encoder.layers.0.feed_forward.intermediate_dense.weight"] = torch.zeros(48, 32)
    for name in [n for n in state if n.startswith("encoder.layers.1.")]:
        state[name.replace("layers.1.", "layers.7.")] = state.pop(name)
    with pytest.raises(convert.ConversionError, match="no mert configs have hidden size 32 and 8 layers"):
        convert.convert("mert", write(state, str(tmp_path / "odd.bin")), str(tmp_path / "p"))


def conversion_error(tmp_path, architecture, state, match, file_name="c.bin"):
    path = write(state, str(tmp_path / file_name))
    with pytest.raises(convert.ConversionError, match=match):
        convert.convert(architecture, path, str(tmp_path / "p"))
    assert convert.main([architecture, path, str(tmp_path / "p")]) == 2
    assert not os.path.exists(tmp_path / "p" / "model.json")


def test_missing_tensor_is_named(tmp_path):
    state = hf_state_dict(random_model("mert-tiny"))
    del state["encoder.layers.1.feed_forward.output_dense.bias"]
    conversion_error(tmp_path, "mert", state, r"missing tensor 'encoder\.layers\.1\.feed_forward\.output_dense"
                                              r"\.bias' \[32\]")


def test_wrong_shape_is_named_with_expected_and_actual(tmp_path):
    state = hf_state_dict(random_model("music2vec-tiny"))
    state["encoder.pos_conv_embed.layers.1.conv.weight"] = torch.zeros(32, 8, 7)
    conversion_error(tmp_path, "music2vec", state, r"tensor 'encoder\.pos_conv_embed\.layers\.1\.conv\.weight' "
                                                   r"has shape \[32, 8, 7\], expected \[32, 8, 5\]")


def test_unexpected_tensor_is_named(tmp_path):
    state = hf_state_dict(random_model("mert-tiny"))
    state["encoder.pos_conv_embed.conv.weight"] = torch.zeros(32, 8, 16)
    conversion_error(tmp_path, "mert", state, r"unexpected tensor 'encoder\.pos_conv_embed\.conv\.weight'")


def test_unknown_prefix(tmp_path):
    state = hf_state_dict(random_model("mert-tiny"), prefix="backbone.")
    conversion_error(tmp_path, "mert", state, r"unknown prefix.*'backbone\.feature_extractor")
    # A music2vec wrapper prefix is not a MERT one.
    state = hf_state_dict(random_model("mert-tiny"), prefix="data2vec_audio.")
    conversion_error(tmp_path, "mert", state, "unknown prefix")
    state = hf_state_dict(random_model("music2vec-tiny"))
    state["classifier.weight"] = torch.zeros(2, 32)
    conversion_error(tmp_path, "music2vec", state, r"unknown prefix.*'classifier\.weight'")


def test_both_weight_norm_namings_at_once_are_refused(tmp_path):
    state = hf_state_dict(random_model("mert-tiny"))
    state["encoder.pos_conv_embed.conv.parametrizations.weight.original0"] = torch.ones(1, 1, 16)
    conversion_error(tmp_path, "mert", state, "given twice")


def musicfm_checkpoint(model):
    return {"state_dict": OrderedDict(("model." + name, tensor.clone())
                                      for name, tensor in model.state_dict().items())}


def test_wrong_architecture_for_the_file(tmp_path):
    mert = hf_state_dict(random_model("mert-tiny"), new_weight_norm_names=True)
    music2vec = hf_state_dict(random_model("music2vec-tiny"))
    conversion_error(tmp_path, "music2vec", mert, r"this is a mert checkpoint.*`convert mert`")
    conversion_error(tmp_path, "mert", music2vec, r"this is a music2vec checkpoint.*pos_conv_embed\.layers\.")
    musicfm = musicfm_checkpoint(MusicFM(get_config("tiny")))
    conversion_error(tmp_path, "mert", musicfm, r"this is a musicfm checkpoint \(it has 'model\.conformer\.layers")
    conversion_error(tmp_path, "musicfm", mert, r"'state_dict' entry; it looks like a mert state dict")
    conversion_error(tmp_path, "musicfm", {"state_dict": music2vec},
                     "this is a music2vec checkpoint", file_name="wrapped.pt")
    conversion_error(tmp_path, "mert", {"weights": [1, 2]}, "expected a state dict")


@pytest.fixture(scope="module")
def tiny_musicfm():
    torch.manual_seed(0)
    model = MusicFM(get_config("tiny"))
    package.randomize_normalization_layers(model, torch.Generator().manual_seed(1))
    return model.eval()


def test_musicfm_checkpoint_to_package_reproduces_the_model(tmp_path, tiny_musicfm):
    path = str(tmp_path / "pretrained_test.pt")
    torch.save(musicfm_checkpoint(tiny_musicfm), path)
    stats_path = tmp_path / "test_stats.json"
    # The tiny config's feature is melspec_512 (n_fft 512); the other entries of a stats file are ignored.
    stats_path.write_text(json.dumps({"melspec_512_cnt": 10, "melspec_512_mean": 1.5, "melspec_512_std": 3.0,
                                      "melspec_2048_mean": 99.0, "melspec_2048_std": 99.0}))
    out = str(tmp_path / "package")
    assert convert.main(["musicfm", path, out, "--config", "tiny", "--stats", str(stats_path)]) == 0
    manifest = package.read_manifest(out)
    assert manifest["normalization"] == {"type": "global", "mean": 1.5, "std": 3.0}
    assert manifest["provenance"]["source"] == "pretrained_test.pt"
    assert manifest["provenance"]["stats"] == "test_stats.json" and manifest["provenance"]["config"] == "tiny"
    assert manifest["version"] == "musicfm-tiny-" + manifest["weights"]["sha256"][:8]
    loaded = package.load_package(out)
    assert loaded.stats == MelStats(1.5, 3.0)
    original = MusicFM(get_config("tiny"), MelStats(1.5, 3.0))
    original.load_state_dict(tiny_musicfm.state_dict())
    wav = torch.randn(1, 24000 * 2, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        for a, b in zip(original.eval().get_hidden_states(wav), loaded.get_hidden_states(wav)):
            assert torch.equal(a, b)


def test_musicfm_errors(tmp_path, tiny_musicfm):
    checkpoint = musicfm_checkpoint(tiny_musicfm)
    state = checkpoint["state_dict"]
    state["cls_token"] = state.pop("model.cls_token")
    with pytest.raises(convert.ConversionError, match=r"starts with 'model\.'; 1 do not: cls_token"):
        convert.convert_musicfm(checkpoint, "x.pt", "tiny")
    state["model.cls_token"] = state.pop("cls_token")
    del state["model.conv.linear.bias"]
    with pytest.raises(convert.ConversionError, match=r"missing tensor 'conv\.linear\.bias' \[32\]"):
        convert.convert_musicfm(checkpoint, "x.pt", "tiny")
    with pytest.raises(convert.ConversionError, match=r"loading it as MusicFM 'small': .*tensor "
                                                      r"'conv\.conv\.0\.conv1\.weight' has shape \[8, 1, 3, 3\], "
                                                      r"expected \[64, 1, 3, 3\]"):
        convert.convert_musicfm(musicfm_checkpoint(tiny_musicfm), "x.pt", "small")
    stats = tmp_path / "stats.json"
    stats.write_text(json.dumps({"melspec_2048_mean": 1.0}))
    path = str(tmp_path / "m.pt")
    torch.save(musicfm_checkpoint(tiny_musicfm), path)
    assert convert.main(["musicfm", path, str(tmp_path / "p"), "--config", "tiny", "--stats", str(stats)]) == 2
    with pytest.raises(convert.ConversionError, match="--stats applies to musicfm only"):
        convert.convert("mert", path, str(tmp_path / "p"), stats_path=str(stats))
    (tmp_path / "broken.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(convert.ConversionError, match="torch.load cannot read it"):
        convert.read_checkpoint(str(tmp_path / "broken.pt"))
