"""Similarity fine-tuning: the NT-Xent loss and retrieval metrics, pair data and album-aware order, what trains,
learning on a tiny corpus, exact resumption, the exported package and the CLI's errors. Tiny config, 2-s
crops, six "tracks" of different timbres made by ffmpeg's lavfi at test time."""

import csv
import itertools
import json
import math
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch

from musicsearch_training import package
from musicsearch_training.audio_io import decode
from musicsearch_training.augment import augment
from musicsearch_training.configs import get_config
from musicsearch_training.contrastive import ProjectionHead, nt_xent, pair_metrics
from musicsearch_training.data import list_tracks
from musicsearch_training.finetune import (FineTuner, RunError, build_optimizer, main, parse_args,
                                           prepare_backbone, train)
from musicsearch_training.musicfm import MusicFM
from musicsearch_training.pair_data import PairDataset, manifest_albums, spread_groups

from test_pretraining import TRAINING_ROOT, lavfi

SAMPLE_RATE = 24000
CROP = 2 * SAMPLE_RATE
TINY = get_config("tiny")
# name, lavfi source, album
SOURCES = [
    ("sine.wav", "sine=frequency=440:duration=5:sample_rate=24000", "Tones"),
    ("beeps.wav", "sine=frequency=110:beep_factor=6:duration=5:sample_rate=24000", "Tones"),
    ("square.wav", "aevalsrc=0.3*sgn(sin(2*PI*220*t)):d=5:s=24000", "Chips"),
    # anoisesrc draws a random seed unless given one.
    ("pink.wav", "anoisesrc=duration=5:color=pink:sample_rate=24000:amplitude=0.3:seed=1", "Noises"),
    ("brown.wav", "anoisesrc=duration=5:color=brown:sample_rate=24000:amplitude=0.5:seed=2", "Noises"),
    # Shorter than a crop: its two crops are loop phases.
    ("vibrato.wav", "aevalsrc=0.2*sin(2*PI*(300+200*sin(PI*t))*t):d=1.5:s=24000", ""),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("tracks")
    with open(root / "manifest.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "path", "album", "duration_s"])
        for number, (name, source, album) in enumerate(SOURCES):
            lavfi(root / name, source)
            writer.writerow([f"t{number}", name, album, "1.5" if name == "vibrato.wav" else "5.0"])
    return root


@pytest.fixture(scope="module")
def tiny_package(tmp_path_factory):
    directory = tmp_path_factory.mktemp("package")
    package.export_random("tiny", 0, str(directory))
    return directory


def run_args(corpus, package_dir, out, *extra):
    # Durations come from the manifest, so no ffprobe runs.
    return parse_args(["--package", str(package_dir), "--data", str(corpus / "manifest.csv"),
                       "--out", str(out), "--steps", "4", "--batch-size", "2", "--crop-seconds", "2",
                       "--warmup", "1", "--lr", "1e-3", "--backbone-lr", "1e-3", "--projection-dim", "16",
                       "--checkpoint-every", "2", "--keep-checkpoints", "0", "--log-every", "1",
                       "--num-workers", "0", *extra])


# --- loss and metrics -----------------------------------------------------------------------------------------

def reference_nt_xent(first, second, temperature):
    """SimCLR's ℓ(i, j) = -log(exp(s_ij/τ) / Σ_{k≠i} exp(s_ik/τ)), averaged over both directions of each
    pair, written out with loops."""
    views = [v / np.linalg.norm(v) for v in np.concatenate([first, second]).astype(np.float64)]
    batch, losses = len(first), []
    for i in range(2 * batch):
        partner = (i + batch) % (2 * batch)
        logits = {k: float(views[i] @ views[k]) / temperature for k in range(2 * batch) if k != i}
        losses.append(-logits[partner] + math.log(sum(math.exp(value) for value in logits.values())))
    return sum(losses) / len(losses)


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0])
def test_nt_xent_matches_a_direct_computation(temperature):
    first = np.array([[1.0, 0.0, 0.0, 0.2], [0.0, 2.0, 0.5, 0.0], [0.3, -1.0, 0.0, 1.0]])
    second = np.array([[0.9, 0.1, 0.0, 0.0], [-0.5, 1.0, 1.0, 0.0], [0.0, 0.0, 0.5, 3.0]])
    loss = nt_xent(torch.tensor(first, dtype=torch.float32), torch.tensor(second, dtype=torch.float32),
                   temperature)
    assert loss.item() == pytest.approx(reference_nt_xent(first, second, temperature), rel=1e-5)


def test_nt_xent_leaves_each_view_out_of_its_own_candidates():
    # At a tiny temperature the loss is log(number of candidates tied with the partner at the top). Each view's
    # own cosine is 1, so counting it would add one tie: log 2 instead of 0 here, log 4 instead of log 3 below.
    orthogonal = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    assert nt_xent(orthogonal, orthogonal.clone(), temperature=1e-3).item() == pytest.approx(0.0, abs=1e-6)
    same = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    assert nt_xent(same, same.clone(), temperature=1e-3).item() == pytest.approx(math.log(3), rel=1e-5)


def test_pair_metrics():
    first = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    second = torch.tensor([[0.8, 0.6], [0.6, 0.8]])
    metrics = pair_metrics(first, second)
    # Both positive pairs have cosine 0.8. Negatives: first[0]-first[1] 0, first[0]-second[1] 0.6,
    # first[1]-second[0] 0.6, second[0]-second[1] 0.96.
    assert metrics["pos_cos"] == pytest.approx(0.8)
    assert metrics["neg_cos"] == pytest.approx((0 + 0.6 + 0.6 + 0.96) / 4)
    # The first views find their partners; the second views find each other (0.96 > 0.8).
    assert metrics["top1"] == pytest.approx(0.5)


def test_projection_head_shapes():
    head = ProjectionHead(32, 8)
    assert head(torch.zeros(5, 32)).shape == (5, 8)


# --- pairs and album-aware order ------------------------------------------------------------------------------

def test_pairs_are_two_different_crops_and_short_tracks_loop_at_two_phases(corpus):
    tracks = list_tracks(str(corpus / "manifest.csv"))
    dataset = PairDataset(tracks, CROP, SAMPLE_RATE, seed=0)
    by_name = {}
    for index in range(len(tracks)):
        clip = dataset[index]
        by_name[os.path.basename(clip.path)] = clip
    pair = by_name["pink.wav"].audio
    assert pair.shape == (2, CROP) and pair.dtype == torch.float32
    assert not torch.equal(pair[0], pair[1])
    # Both are crops of the decoded file: find each one's first samples in it.
    whole = decode(str(corpus / "pink.wav"), SAMPLE_RATE)
    for crop in pair.numpy():
        starts = [s for s in np.flatnonzero(whole == crop[0]) if np.array_equal(whole[s:s + 100], crop[:100])]
        assert starts, "a crop that is not part of the track"

    short = decode(str(corpus / "vibrato.wav"), SAMPLE_RATE)
    assert short.size == 36000
    loops = by_name["vibrato.wav"].audio.numpy()
    phases = []
    for crop in loops:
        matches = [p for p in range(short.size) if short[p] == crop[0]
                   and np.array_equal(np.resize(np.roll(short, -p), CROP), crop)]
        assert len(matches) == 1
        phases.append(matches[0])
    assert phases[0] != phases[1]
    # A pure function of (seed, index).
    assert torch.equal(dataset[0].audio, by_name[os.path.basename(dataset[0].path)].audio)


def test_spread_groups_keeps_an_album_a_batch_apart_where_it_can():
    groups = ["a"] * 4 + ["b"] * 4 + ["c"] * 4 + ["", ""]
    order = spread_groups(np.random.default_rng(0).permutation(len(groups)), groups, spacing=3)
    assert sorted(order.tolist()) == list(range(len(groups)))
    labels = [groups[i] for i in order]
    for start in range(len(labels) - 2):
        window = [label for label in labels[start:start + 3] if label]
        assert len(window) == len(set(window)), labels
    # Impossible (one album is the whole corpus): every track still comes once.
    assert sorted(spread_groups([2, 0, 1], ["x", "x", "x"], spacing=2).tolist()) == [0, 1, 2]


def test_album_aware_epochs_have_batches_of_distinct_albums(corpus):
    manifest = str(corpus / "manifest.csv")
    tracks = list_tracks(manifest)
    albums = manifest_albums(manifest, tracks)
    assert albums == [album for _, _, album in SOURCES]
    dataset = PairDataset(tracks, CROP, SAMPLE_RATE, seed=1, groups=albums, spacing=2)
    album_of = dict(zip((track.path for track in tracks), albums))
    for epoch in range(4):
        order = [album_of[dataset.locate(epoch * len(tracks) + i).path] for i in range(len(tracks))]
        assert sorted(order) == sorted(albums)
        for first, second in zip(order, order[1:]):
            assert not first or first != second, order


# --- what trains ----------------------------------------------------------------------------------------------

def trainable_names(model):
    return {name.rsplit(".", 1)[0] for name, p in model.named_parameters() if p.requires_grad}


def test_only_what_produces_the_layer_trains_and_frozen_parts_are_in_eval_mode():
    model = prepare_backbone(MusicFM(TINY), layer=1, freeze_frontend=False, freeze_layers=0)
    names = trainable_names(model)
    assert any(name.startswith("conv.") for name in names)
    assert any(name.startswith("conformer.layers.0.") for name in names)
    assert not any(name.startswith(("conformer.layers.1.", "conformer.layer_norm", "linear", "cls_token",
                                    "conformer.pos_conv_embed")) for name in names)
    last = prepare_backbone(MusicFM(TINY), layer=2, freeze_frontend=True, freeze_layers=1)
    names = trainable_names(last)
    assert "conformer.layer_norm" in names  # layer 2 of 2: the encoder's LayerNorm makes hidden state 2
    assert not any(name.startswith(("conv.", "conformer.layers.0.")) for name in names)
    assert any(name.startswith("conformer.layers.1.") for name in names)
    assert not last.conv.training and not last.conformer.layers[0].training
    assert last.conformer.layers[1].training
    with pytest.raises(RunError, match="nothing would train"):
        prepare_backbone(MusicFM(TINY), layer=0, freeze_frontend=True, freeze_layers=0)
    with pytest.raises(RunError, match="--freeze-layers"):
        prepare_backbone(MusicFM(TINY), layer=1, freeze_frontend=False, freeze_layers=2)


def test_backbone_and_head_learn_at_their_own_rates():
    model = prepare_backbone(MusicFM(TINY), layer=1, freeze_frontend=False, freeze_layers=0)
    head = ProjectionHead(TINY.hidden_size, 8)
    optimizer = build_optimizer(model, head, lr=1e-4, backbone_lr=1e-5, weight_decay=0.01)
    rates = {id(p): group["lr"] for group in optimizer.param_groups for p in group["params"]}
    assert all(rates[id(p)] == 1e-5 for p in model.parameters() if p.requires_grad)
    assert all(rates[id(p)] == 1e-4 for p in head.parameters())
    assert len(rates) == sum(1 for p in model.parameters() if p.requires_grad) + len(list(head.parameters()))


# --- runs -----------------------------------------------------------------------------------------------------

def test_a_few_steps_separate_positive_pairs_from_negatives(corpus, tiny_package, tmp_path):
    """Trains on one decoded pair per track, evaluates on other crops of the same tracks (another seed) with
    fixed augmentations and no dropout: the positive-negative cosine gap of the pooled vectors widens, top-1
    retrieval does not get worse, and the loss falls."""
    tuner = FineTuner(run_args(corpus, tiny_package, tmp_path / "run", "--batch-size", "6", "--steps", "25",
                               "--layer", "2"), log=lambda message: None)
    tracks = tuner.stream.dataset.tracks
    train_pairs = torch.stack([tuner.stream.dataset[i].audio for i in range(len(tracks))])
    held_out = PairDataset(tracks, CROP, SAMPLE_RATE, seed=99)
    eval_pairs = torch.stack([held_out[i].audio for i in range(len(tracks))])
    eval_views = augment(torch.cat([eval_pairs[:, 0], eval_pairs[:, 1]]), SAMPLE_RATE, tuner.augment_config,
                         torch.Generator().manual_seed(5))

    def evaluate():
        tuner.model.eval()
        tuner.head.eval()
        with torch.no_grad():
            pooled = tuner.model.embed(eval_views, tuner.layer)
            projected = tuner.head(pooled)
        tuner.model.train()
        tuner.head.train()
        metrics = pair_metrics(pooled[:6], pooled[6:])
        return (metrics["pos_cos"] - metrics["neg_cos"], metrics["top1"],
                nt_xent(projected[:6], projected[6:], 0.1).item())

    gap_before, top1_before, loss_before = evaluate()
    batches = itertools.repeat(train_pairs)
    records = [tuner.train_step(batches) for _ in range(25)]
    gap_after, top1_after, loss_after = evaluate()
    # Measured over six noise seeds of the fixtures: the gap grows from 0.085 to 0.50-0.53, top-1 from 0.5 to
    # 0.67-0.83, and the loss falls from 2.1 to 0.8-1.3.
    assert gap_after > gap_before + 0.2
    assert top1_after >= top1_before
    assert loss_after < loss_before - 0.4
    assert records[-1]["loss"] < records[0]["loss"]


@pytest.fixture(scope="module")
def finished_run(corpus, tiny_package, tmp_path_factory):
    """4 steps with checkpoints at 2 and 4, then the export: layer 2 (the package's default is 1), album-aware
    batches, and noise on every view."""
    out = tmp_path_factory.mktemp("finetune") / "run"
    extra = ("--layer", "2", "--album-aware", "--augment", '{"noise_prob": 1.0}')
    train(run_args(corpus, tiny_package, out, "--num-workers", "1", *extra))
    return out, extra


def test_resume_continues_bit_exactly(finished_run, corpus, tiny_package, tmp_path, capsys):
    reference_out, extra = finished_run
    out = tmp_path / "run"
    shutil.copytree(reference_out, out)
    step4 = out / "checkpoints" / "step-00000004.pt"
    reference = torch.load(step4)
    # Interrupted after step 2: only that checkpoint is left.
    step4.unlink()
    assert main(["--package", str(tiny_package), "--data", str(corpus), "--out", str(out),
                 "--batch-size", "2"]) == 2
    assert "pass --resume" in capsys.readouterr().err

    torch.manual_seed(123)
    np.random.seed(123)
    # Also with another number of decoding workers: the data stream does not depend on it.
    train(run_args(corpus, tiny_package, out, "--resume", "--num-workers", "0", *extra))

    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in records] == [1, 2, 3, 4, 3, 4]
    for key in ("loss", "pos_cos", "neg_cos", "top1", "grad_norm", "lr", "backbone_lr"):
        assert [r[key] for r in records[4:]] == [r[key] for r in records[2:4]], key
    final = torch.load(step4)
    for part in ("model", "head"):
        for name, tensor in reference[part].items():
            assert torch.equal(final[part][name], tensor), (part, name)
    for index, state in reference["optimizer"]["state"].items():
        for key, tensor in state.items():
            assert torch.equal(final["optimizer"]["state"][index][key], tensor), (index, key)
    assert final["data"] == reference["data"]
    assert torch.equal(final["rng"]["generators"]["augment"], reference["rng"]["generators"]["augment"])


def test_resume_refuses_a_different_layer(finished_run, corpus, tiny_package, tmp_path, capsys):
    out = tmp_path / "run"
    shutil.copytree(finished_run[0], out)
    assert main(["--package", str(tiny_package), "--data", str(corpus), "--out", str(out), "--resume",
                 "--layer", "1", "--crop-seconds", "2", "--batch-size", "2", "--projection-dim", "16"]) == 2
    assert "--layer 2 (now 1)" in capsys.readouterr().err


def test_export_is_a_loadable_package_embedding_the_chosen_layer(finished_run, tiny_package):
    out, _ = finished_run
    model = package.load_package(str(out / "package"))
    manifest = package.read_manifest(str(out / "package"))
    base = package.read_manifest(str(tiny_package))
    assert model.config.embedding_layer == 2 and manifest["embedding"]["layer"] == 2
    assert manifest["version"] != base["version"]
    provenance = manifest["provenance"]
    assert provenance["source"].startswith("musicsearch_training.finetune")
    assert provenance["base_version"] == base["version"] and provenance["config"] == "tiny"
    assert provenance["layer"] == "2" and provenance["steps"] == "4" and provenance["album_aware"] == "true"
    assert json.loads(provenance["augment"])["noise_prob"] == 1.0
    # Only the backbone: a package has no room for the projection head.
    checkpoint = torch.load(out / "checkpoints" / "step-00000004.pt")
    with torch.no_grad():
        time = torch.arange(CROP) / SAMPLE_RATE
        wav = 0.3 * torch.sin(2 * math.pi * 330 * time)[None]
        trained = MusicFM(model.config, model.stats).eval()
        trained.load_state_dict(checkpoint["model"])
        torch.testing.assert_close(model.embed(wav), trained.embed(wav, 2))


def test_clear_errors(corpus, tiny_package, tmp_path, capsys):
    def error(*argv):
        assert main(["--data", str(corpus), "--out", str(tmp_path / "run"), *argv]) == 2
        return capsys.readouterr().err

    assert "--layer must lie in [0, 2]" in error("--package", str(tiny_package), "--layer", "3")
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(corpus / "sine.wav", one / "sine.wav")
    assert main(["--package", str(tiny_package), "--data", str(one), "--out", str(tmp_path / "run")]) == 2
    assert "at least 2 tracks" in capsys.readouterr().err
    package_args = ("--package", str(tiny_package))
    assert "--batch-size must lie in [2, 6]" in error(*package_args, "--batch-size", "7")
    assert "need a manifest .csv with an 'album' column" in error(*package_args, "--batch-size", "2",
                                                                  "--album-aware")
    assert "unknown augment fields" in error(*package_args, "--batch-size", "2", "--augment", '{"pitch": 1}')

    mert = tmp_path / "mert"
    package.export_random("mert-tiny", 0, str(mert))
    result = subprocess.run([sys.executable, "-m", "musicsearch_training.finetune", "--package", str(mert),
                             "--data", str(corpus), "--out", str(tmp_path / "run")],
                            cwd=TRAINING_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "not a format-1 musicfm package" in result.stderr and "architecture 'mert'" in result.stderr
