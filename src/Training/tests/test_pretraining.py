"""BEST-RQ pretraining pipeline: ffmpeg data, corpus statistics, optimisation pieces, exact resumption and the
CLI. Tiny config, 2-s crops, audio made by ffmpeg's lavfi at test time."""

import csv
import json
import os
import random
import subprocess
import sys

import numpy as np
import pytest
import torch

from musicsearch_training import package
from musicsearch_training.audio_io import decode
from musicsearch_training.configs import get_config
from musicsearch_training.data import BatchStream, Clip, CorpusError, CropDataset, Track, list_tracks
from musicsearch_training.musicfm import MusicFM
from musicsearch_training.optim import build_optimizer, build_scheduler, parameter_groups, warmup_cosine
from musicsearch_training.pretrain import (BestRqObjective, accumulate_gradients, main, optimizer_step,
                                           parse_args, prepare_model, train)
from musicsearch_training.stats import corpus_moments, frontend_for
from musicsearch_training.stats import main as stats_main

TRAINING_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_RATE = 24000
CROP = 2 * SAMPLE_RATE  # 50 tokens, 5 mask blocks
TINY = get_config("tiny")
TINY_NO_DROPOUT = TINY.replace(hidden_dropout=0.0, attention_dropout=0.0, activation_dropout=0.0,
                               conformer_conv_dropout=0.0)


def lavfi(path, source, *codec):
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", source, *codec, str(path)],
                   check=True, timeout=60)


def write_corrupt(path):
    path.write_bytes(np.random.default_rng(0).bytes(4096))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    (root / "sub").mkdir()
    lavfi(root / "sine.ogg", "sine=frequency=440:duration=3:sample_rate=44100", "-c:a", "libvorbis")
    lavfi(root / "sub" / "noise.flac", "anoisesrc=duration=4:color=pink:sample_rate=48000:amplitude=0.3")
    lavfi(root / "chirp.wav", "sine=frequency=220:beep_factor=4:duration=3:sample_rate=22050")
    lavfi(root / "short.wav", "sine=frequency=330:duration=0.75:sample_rate=24000")
    write_corrupt(root / "corrupt.mp3")
    (root / "notes.txt").write_text("not audio\n")
    return root


@pytest.fixture(scope="module")
def stats_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("stats") / "stats.json"
    path.write_text(json.dumps({"melspec_512_cnt": 1, "melspec_512_mean": -30.0, "melspec_512_std": 25.0}))
    return str(path)


# --- data -----------------------------------------------------------------------------------------------------

def test_directory_corpus_decodes_exact_crops_and_loops_short_clips(corpus):
    tracks = list_tracks(str(corpus))
    names = [os.path.relpath(track.path, corpus) for track in tracks]
    assert names == ["chirp.wav", "corrupt.mp3", "short.wav", "sine.ogg", os.path.join("sub", "noise.flac")]

    dataset = CropDataset(tracks, CROP, SAMPLE_RATE, seed=3)
    clips = {os.path.basename(clip.path): clip for clip in (dataset[i] for i in range(len(tracks)))}
    assert clips["corrupt.mp3"].audio is None and "corrupt.mp3" in clips["corrupt.mp3"].error
    for name in ("chirp.wav", "short.wav", "sine.ogg", "noise.flac"):
        audio = clips[name].audio
        assert audio.dtype == torch.float32 and audio.shape == (CROP,), name
        assert torch.isfinite(audio).all() and audio.pow(2).mean().sqrt() > 0.01, name
    # 0.75 s is shorter than the crop: repeated from its start.
    short = decode(str(corpus / "short.wav"), SAMPLE_RATE)
    assert short.size == 18000
    looped = clips["short.wav"].audio.numpy()
    np.testing.assert_array_equal(looped[:18000], short)
    np.testing.assert_array_equal(looped[18000:36000], short)
    # A crop is a function of (seed, index): decoding again gives the same samples.
    again = dataset[0]
    assert torch.equal(again.audio, clips[os.path.basename(again.path)].audio)


def test_manifest_corpus(corpus, tmp_path):
    manifest = corpus / "manifest.csv"
    with open(manifest, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "path", "title", "artist", "album", "genre", "license", "duration_s", "format"])
        writer.writerow(["a", "sub/noise.flac", "Noise", "lavfi", "Tests", "", "CC0", "4.00", "flac"])
        writer.writerow(["b", "sine.ogg", "Sine", "lavfi", "Tests", "", "CC0", "", "ogg/vorbis"])
    try:
        tracks = list_tracks(str(manifest))
    finally:
        manifest.unlink()
    assert tracks == [Track(str(corpus / "sub" / "noise.flac"), 4.0), Track(str(corpus / "sine.ogg"), None)]
    dataset = CropDataset(tracks, CROP, SAMPLE_RATE, seed=0)
    assert all(dataset[i].audio.shape == (CROP,) for i in range(4))
    # The noise file is 4 s long, so different epochs crop it at different offsets.
    noise = [dataset[i].audio for i in range(4) if dataset[i].path.endswith("noise.flac")]
    assert not torch.equal(noise[0], noise[1])


def test_stream_skips_and_counts_undecodable_files_once(corpus):
    messages = []
    dataset = CropDataset(list_tracks(str(corpus)), CROP, SAMPLE_RATE, seed=0)
    stream = BatchStream(dataset, batch_size=3, num_workers=1, log=messages.append)
    batches = iter(stream)
    for _ in range(4):  # 12 good crops: three epochs of the 4 good files, so the corrupt file came up 2-3 times
        assert next(batches).shape == (3, CROP)
    batches.close()
    assert stream.failed_files == {str(corpus / "corrupt.mp3")}
    assert stream.skipped_items >= 2
    assert len(messages) == 1 and "corrupt.mp3" in messages[0]


class IndexDataset(torch.utils.data.Dataset):
    """Stands in for CropDataset: item i is filled with the value i; the tracks in `failing` never decode."""

    def __init__(self, size, failing=()):
        self.tracks = [Track(f"t{i}") for i in range(size)]
        self.seed = 0
        self.failing = set(failing)

    def __getitem__(self, index):
        path = self.tracks[index % len(self.tracks)].path
        if path in self.failing:
            return Clip(index, path, None, f"{path}: broken")
        return Clip(index, path, torch.full((2,), float(index)), None)


def consumed(stream, batches):
    iterator = iter(stream)
    indices = [next(iterator)[:, 0].long().tolist() for _ in range(batches)]
    iterator.close()
    return indices


def test_stream_shards_by_rank_and_resumes_exactly():
    dataset = IndexDataset(5, failing={"t3"})
    rank0 = consumed(BatchStream(dataset, 2, rank=0, world_size=2), 3)
    rank1 = consumed(BatchStream(dataset, 2, rank=1, world_size=2), 3)
    # Item i is track i mod 5, so items 3, 8 and 13 (t3) are skipped.
    assert rank0 == [[0, 2], [4, 6], [10, 12]]
    assert rank1 == [[1, 5], [7, 9], [11, 15]]

    stream = BatchStream(dataset, 2, rank=1, world_size=2)
    consumed(stream, 1)
    state = stream.state_dict()
    assert state["epoch"] == 1 and state["index"] == 2 and state["failed_files"] == ["t3"]
    resumed = BatchStream(dataset, 2, rank=1, world_size=2)
    resumed.load_state_dict(state)
    assert consumed(resumed, 2) == rank1[1:]
    assert resumed.skipped_items == 2  # item 3 before the checkpoint, item 13 after it


def test_empty_and_undecodable_corpora_give_clear_errors(tmp_path):
    with pytest.raises(CorpusError, match="neither a directory nor a manifest"):
        list_tracks(str(tmp_path / "missing"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CorpusError, match="no audio files"):
        list_tracks(str(empty))
    (empty / "notes.txt").write_text("not audio\n")
    with pytest.raises(CorpusError, match="no audio files"):
        list_tracks(str(empty))
    header_only = tmp_path / "manifest.csv"
    header_only.write_text("id,path,duration_s\n")
    with pytest.raises(CorpusError, match="no rows"):
        list_tracks(str(header_only))

    broken = tmp_path / "broken"
    broken.mkdir()
    write_corrupt(broken / "corrupt.mp3")
    (broken / "text.ogg").write_text("this is not an Ogg stream\n")
    dataset = CropDataset(list_tracks(str(broken)), CROP, SAMPLE_RATE, seed=0)
    with pytest.raises(CorpusError, match="all 2 files of the corpus failed to decode"):
        next(iter(BatchStream(dataset, batch_size=2, log=lambda message: None)))


# --- statistics -----------------------------------------------------------------------------------------------

def test_streamed_stats_match_a_full_tensor_computation(corpus):
    tracks = [Track(str(corpus / name)) for name in ("chirp.wav", "corrupt.mp3", "short.wav")]
    window = 25000  # not a divisor of the files' lengths: every file ends in a partial window
    moments = corpus_moments(tracks, TINY, window, log=lambda message: None)
    assert moments.skipped_files == 1

    frontend = frontend_for(TINY)
    values = []
    for name in ("chirp.wav", "short.wav"):
        audio = torch.from_numpy(decode(str(corpus / name), SAMPLE_RATE))
        for start in range(0, audio.shape[0], window):
            piece = audio[start:start + window]
            if piece.shape[0] > TINY.n_fft // 2:
                values.append(frontend.mel_db(piece[None]).flatten())
    values = torch.cat(values).double()
    stats = moments.to_stats()
    assert moments.count == values.numel()
    assert stats.mean == pytest.approx(values.mean().item(), rel=1e-9)
    assert stats.std == pytest.approx(values.std(unbiased=False).item(), rel=1e-9)


def test_stats_cli_writes_musicfm_layout(corpus, tmp_path):
    out = tmp_path / "stats.json"
    assert stats_main(["--data", str(corpus), "--out", str(out), "--config", "tiny", "--window-seconds", "2"]) == 0
    values = json.loads(out.read_text())
    assert set(values) == {"melspec_512_cnt", "melspec_512_mean", "melspec_512_std"}
    assert values["melspec_512_cnt"] > 0 and values["melspec_512_std"] > 0


# --- optimisation ---------------------------------------------------------------------------------------------

def test_schedule_warms_up_linearly_then_decays_as_a_cosine():
    multipliers = [warmup_cosine(step, 10, 110) for step in range(110)]
    assert multipliers[:10] == pytest.approx([(step + 1) / 10 for step in range(10)])
    assert multipliers[10] == 1.0
    assert multipliers[60] == pytest.approx(0.5)
    assert all(a > b for a, b in zip(multipliers[10:], multipliers[11:]))
    assert multipliers[-1] < 1e-3

    model = torch.nn.Linear(2, 2)
    optimizer = build_optimizer(model, lr=0.1)
    scheduler = build_scheduler(optimizer, 10, 110)
    seen = []
    for _ in range(110):
        seen.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert seen == pytest.approx([0.1 * m for m in multipliers])


def test_weight_decay_applies_to_weights_only():
    model = prepare_model(MusicFM(TINY))
    decay, no_decay = parameter_groups(model, 0.01)
    assert decay["weight_decay"] == 0.01 and no_decay["weight_decay"] == 0.0
    names = {id(p): name for name, p in model.named_parameters()}
    decayed = {names[id(p)] for p in decay["params"]}
    assert "conformer.layers.0.ffn1.intermediate_dense.weight" in decayed
    assert not any(name.endswith("bias") or "norm" in name or ".bn" in name for name in decayed)
    assert "conformer.layers.0.final_layer_norm.weight" in {names[id(p)] for p in no_decay["params"]}
    # Never used, hence frozen and not optimised at all.
    assert "cls_token" not in decayed | {names[id(p)] for p in no_decay["params"]}


def fixed_batch(size=4):
    generator = torch.Generator().manual_seed(7)
    time = torch.arange(CROP) / SAMPLE_RATE
    tones = torch.sin(2 * torch.pi * 200 * (1 + torch.arange(size))[:, None] * time)
    return 0.3 * tones + 0.05 * torch.randn(size, CROP, generator=generator)


def new_step_parts(config, seed=0):
    torch.manual_seed(seed)
    model = prepare_model(MusicFM(config)).train()
    optimizer = build_optimizer(model, lr=1e-3)
    scheduler = build_scheduler(optimizer, 0, 100)
    return model, BestRqObjective(model), optimizer, scheduler, torch.cuda.amp.GradScaler(enabled=False)


def test_one_training_step_lowers_the_loss_on_a_fixed_batch():
    model, objective, optimizer, scheduler, scaler = new_step_parts(TINY_NO_DROPOUT)
    wav = fixed_batch()

    def loss():
        with torch.no_grad():
            return objective(wav, torch.Generator().manual_seed(5))[0].item()

    before = loss()
    accumulate_gradients(objective, [wav], torch.Generator().manual_seed(5), scaler)
    trainable = [p for p in model.parameters() if p.requires_grad]
    assert optimizer_step(trainable, optimizer, scheduler, scaler, clip=1.0) > 0
    assert loss() < before - 0.01


def every_other_block(config):
    """Masking without randomness, so a batch and its halves see the same masks."""
    def masking(wav, generator=None):
        blocks = wav.shape[1] // config.mask_block_samples
        chosen = (torch.arange(blocks) % 2 == 0).expand(wav.shape[0], blocks)
        samples = chosen.repeat_interleave(config.mask_block_samples, dim=1)
        return wav.masked_fill(samples, 0.0), chosen.repeat_interleave(config.mask_block_tokens, dim=1)
    return masking


def test_gradient_accumulation_matches_one_full_batch():
    wav = fixed_batch()
    gradients, losses = [], []
    for micro_batches in ([wav], list(wav.split(2))):
        model, objective, _, _, scaler = new_step_parts(TINY_NO_DROPOUT)
        # eval: BatchNorm normalises with its running statistics, not those of the (micro-)batch.
        model.eval()
        model.masking = every_other_block(TINY_NO_DROPOUT)
        losses.append(accumulate_gradients(objective, micro_batches, torch.Generator(), scaler)[0])
        gradients.append({name: p.grad.clone() for name, p in model.named_parameters() if p.requires_grad})
    assert losses[0] == pytest.approx(losses[1], rel=1e-6)
    for name, full in gradients[0].items():
        torch.testing.assert_close(gradients[1][name], full, rtol=1e-4, atol=1e-7, msg=name)


# --- runs -----------------------------------------------------------------------------------------------------

def run_args(corpus, out, stats_file, *extra):
    return parse_args(["--config", "tiny", "--data", str(corpus), "--out", str(out), "--steps", "4",
                       "--batch-size", "2", "--crop-seconds", "2", "--warmup", "1", "--lr", "1e-3",
                       "--checkpoint-every", "2", "--keep-checkpoints", "0", "--log-every", "1",
                       "--stats", stats_file, *extra])


def test_resume_continues_bit_exactly(corpus, tmp_path, stats_file):
    out = tmp_path / "run"
    train(run_args(corpus, out, stats_file, "--num-workers", "1"))
    step4 = out / "checkpoints" / "step-00000004.pt"
    reference = torch.load(step4)
    # Interrupted after step 2: only that checkpoint is left.
    step4.unlink()
    assert main(["--config", "tiny", "--data", str(corpus), "--out", str(out)]) == 2  # needs --resume

    torch.manual_seed(123)
    random.seed(123)
    np.random.seed(123)
    # Also with another number of decoding workers: the data stream does not depend on it.
    train(run_args(corpus, out, stats_file, "--resume", "--num-workers", "0"))

    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in records] == [1, 2, 3, 4, 3, 4]
    for key in ("loss", "masked_acc", "grad_norm", "lr"):
        assert [r[key] for r in records[4:]] == [r[key] for r in records[2:4]], key
    final = torch.load(step4)
    for name, tensor in reference["model"].items():
        assert torch.equal(final["model"][name], tensor), name
    for index, state in reference["optimizer"]["state"].items():
        for key, tensor in state.items():
            assert torch.equal(final["optimizer"]["state"][index][key], tensor), (index, key)
    assert final["ranks"][0]["data"] == reference["ranks"][0]["data"]
    assert final["ranks"][0]["data"]["failed_files"] == [str(corpus / "corrupt.mp3")]


def test_cli_trains_and_exports_a_loadable_package(corpus, tmp_path):
    out, export = tmp_path / "run", tmp_path / "package"
    result = subprocess.run(
        [sys.executable, "-m", "musicsearch_training.pretrain", "--config", "tiny", "--data", str(corpus),
         "--out", str(out), "--steps", "2", "--batch-size", "2", "--crop-seconds", "2", "--warmup", "1",
         "--log-every", "1", "--stats-max-files", "3", "--num-workers", "1", "--export", str(export)],
        cwd=TRAINING_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in records] == [1, 2]
    assert {"loss", "masked_acc", "lr", "grad_norm", "audio_s_per_s", "skipped_files"} <= set(records[0])

    stats = json.loads((out / "stats.json").read_text())
    model = package.load_package(str(export))
    assert model.stats.mean == stats["melspec_512_mean"] and model.stats.std == stats["melspec_512_std"]
    with torch.no_grad():
        assert model.embed(fixed_batch(1)).shape == (1, TINY.hidden_size)
