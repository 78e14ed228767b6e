import pytest
import torch

from musicsearch_training import golden, package
from musicsearch_training.safetensors_io import load_file


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    directory = tmp_path_factory.mktemp("golden")
    package.export_random("tiny", 0, str(directory / "package"))
    output = str(directory / "golden.safetensors")
    assert golden.main([str(directory / "package"), output, "--seed", "3"]) == 0
    tensors, metadata = load_file(output)
    return str(directory / "package"), tensors, metadata


def test_names_shapes_and_metadata(written):
    directory, tensors, metadata = written
    lengths = [720000, 175237, 72240, 12345]
    assert metadata == {"version": package.read_manifest(directory)["version"], "sample_rate": "24000",
                        "seed": "3", "layer": "1", "num_cases": "4", "lengths": "720000,175237,72240,12345",
                        "num_hidden_states": "3"}
    expected = {}
    for case, samples in enumerate(lengths):
        tokens = -(-(-(-(samples // 240) // 2)) // 2)
        expected.update({f"case{case}.wav": [samples], f"case{case}.mel": [32, samples // 240],
                         f"case{case}.mel_normalized": [32, samples // 240],
                         f"case{case}.conv": [tokens, 32]})
        expected.update({f"case{case}.hidden.{k}": [tokens, 32] for k in range(3)})
        expected[f"case{case}.embedding"] = [32]
    assert {name: list(t.shape) for name, t in tensors.items()} == expected
    assert all(t.dtype == torch.float32 for t in tensors.values())
    assert any(samples % 240 for samples in lengths) and any((samples // 240) % 4 for samples in lengths)


def test_values_are_the_package_models(written):
    directory, tensors, _ = written
    model = package.load_package(directory)
    stats = model.stats
    for case in range(4):
        wav = tensors[f"case{case}.wav"]
        assert torch.equal(wav, golden.synthetic_music(wav.numel(), 24000, 3 + case))
        with torch.no_grad():
            states = model.get_hidden_states(wav.unsqueeze(0))
        mel = tensors[f"case{case}.mel"]
        normalized = (mel - stats.mean) / stats.std
        assert torch.allclose(tensors[f"case{case}.mel_normalized"], normalized, atol=1e-6)
        assert torch.equal(tensors[f"case{case}.conv"], tensors[f"case{case}.hidden.0"])
        for k, state in enumerate(states):
            assert torch.equal(tensors[f"case{case}.hidden.{k}"], state[0]), (case, k)
        assert torch.allclose(tensors[f"case{case}.embedding"], states[1][0].mean(dim=0))


def test_synthetic_music_is_deterministic_and_seeded():
    a = golden.synthetic_music(24000, 24000, seed=1)
    assert torch.equal(a, golden.synthetic_music(24000, 24000, seed=1))
    assert not torch.equal(a, golden.synthetic_music(24000, 24000, seed=2))
    assert a.dtype == torch.float32 and a.abs().max().item() == pytest.approx(0.5)
    assert a.std() > 0.05
