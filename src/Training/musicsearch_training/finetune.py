"""Similarity fine-tuning of a pretrained MusicFM package: makes the embeddings of ARCHITECTURE.md §5 good for
"sounds like" retrieval with a contrastive (NT-Xent) objective on two crops of each track.

    python3 -m musicsearch_training.finetune --package PRETRAINED_PACKAGE_DIR --data DIR_OR_MANIFEST \\
        --out RUN_DIR [--layer L] [--steps 1000] [--batch-size 16] [--lr 1e-4] [--backbone-lr 1e-5] \\
        [--warmup 100] [--temperature 0.1] [--crop-seconds 30] [--projection-dim 128] [--freeze-frontend] \\
        [--freeze-layers K] [--album-aware] [--augment JSON] [--weight-decay 0.01] [--clip 1.0] \\
        [--precision {fp32,bf16,fp16}] [--checkpoint-every 200] [--keep-checkpoints 3] [--resume] [--seed 0] \\
        [--num-workers 2] [--threads N] [--log-every 10] [--export DIR]

Each step takes --batch-size tracks and two crops of each (pair_data.py), augments all 2B crops independently
(augment.py; --augment '{"noise_prob": 0.0}' overrides fields of AugmentConfig), embeds them with the
retrieval pooling — the mean over time of hidden state L (--layer, default the package's embedding layer) —
and minimises NT-Xent (contrastive.py) on a projection of those vectors. Logged every --log-every steps to
stdout and RUN_DIR/metrics.jsonl: loss, and on the pooled (retrieval) vectors the mean positive-pair cosine,
the mean negative cosine and the in-batch top-1 retrieval accuracy. RUN_DIR receives checkpoints/ and at the
end the package (RUN_DIR/package, or --export DIR): the backbone only, with L as its embedding layer and
provenance naming the base package, the data and the hyper-parameters. --resume continues from the newest
checkpoint exactly, as pretrain's does. --precision bf16/fp16 needs CUDA.

One process, on CPU or one GPU: across processes, NT-Xent would need every process's embeddings gathered so
that the negatives span the global batch, which this stage does not do.

Train on the train split only and choose the layer, temperature and the rest on dev
(/work/shared/data/README.md); for example, with --album-aware as recommended below:

    python3 -m musicsearch_training.finetune --package runs/pretrain/package --data music/train/manifest.csv \\
        --out runs/finetune --album-aware

Why these choices
-----------------
NT-Xent, not a triplet loss. A batch of B tracks gives 2B anchors, each contrasted with all 2B - 2 other views
at once, and the softmax weights each negative by how close it is, so the hard negatives dominate the gradient
without a mining step or a margin to tune. A triplet loss sees one negative per anchor, and most random
triplets are already satisfied (zero loss, no gradient). NT-Xent also ranks by cosine, exactly what search
does. No labels are needed: positives come from the tracks themselves.

Temperature 0.1. Cosines lie in [-1, 1]; at τ = 1 the logits span only 2 and the softmax is almost flat, so
every negative pulls about the same and nothing is separated. Smaller τ concentrates the loss on the nearest
negatives; too small (≤ 0.05) would push apart negatives that genuinely sound alike (same genre, same
composer), which a "sounds like" search must keep close. 0.1 is in the range of SimCLR and MoCo (0.07-0.2);
tune it on dev.

Two crops of the same track as the positive pair. The track vector of §5 is the mean of its 30-s window
vectors, so windows from different parts of one track (intro, loop, bridge) should land near each other: what
persists across a track (instruments, timbre, production, sound chip, tempo range) is what "sounds like"
means, and what changes (the exact notes of the moment) is not. Crops are at independent random offsets;
tracks shorter than a crop take two random loop phases. Artist or album positives were not used: they are
noisier (a composer writes in several styles) and they are the labels dev evaluates with.

Augmentations that copy the catalog's real degradations, so that search ranks by the music and not by the
file: low-bitrate encodes and the 11-22 kHz sample rates of old game audio (band-limiting at 5-11 kHz, where
LAME cuts 32-64 kbit/s MP3s; from ~80 kbit/s up the cut lies above 12 kHz, which a 24-kHz model never sees),
masters of different loudness (gain
±10 dB: the mel is in dB, so gain shifts the whole normalised input, which pretraining never had to ignore),
remasters with another EQ (3-band shelving, ±6 dB per band) and noisy transfers (white noise, 15-40 dB SNR).
Left out on purpose: pitch shift and time stretch (key and tempo are part of how music sounds), mixing in
other tracks (the positive would partly be another track), time shifts (random offsets already cover them).
Dropout stays on (train mode, as MusicFM's README fine-tunes), which in contrastive training adds one more
independent perturbation of each view (as in SimCSE).

A projection head for the loss, the pooled layer-L mean for retrieval. SimCLR (Chen et al. 2020, §4.2) found
the representation before its MLP head better than the head's output: the loss demands invariances and a
geometry that the head can provide by discarding information the downstream task still needs. The package
holds only the backbone, so the engine keeps §5 as it is and every metric here is measured on the pooled
vectors. --projection-dim 0 puts the loss on the pooled vectors themselves, optimising exactly the cosine the
engine ranks by; which is better for a given corpus is a question for dev.

Learning rates 1e-5 for the backbone and 1e-4 for the head, as MusicFM's README fine-tunes a backbone under a
probe: the head starts random and must move fast, while the backbone must move slowly or a few hundred
tracks would overwrite what BEST-RQ pretraining learnt from many more. The warm-up keeps the random head's
first gradients from reaching the backbone at full rate. AdamW with β2 = 0.98, decay on weight matrices only,
warm-up + cosine: pretraining's optimizer (optim.py).

Crops of 30 s by default: the engine embeds 30-s windows, and the same length keeps the pooled mean's
statistics and the attention context the same in training and in search. Shorter crops train faster on CPU
at the cost of that mismatch.

What trains: the conv frontend and the conformer layers up to L. Layers above L (and the encoder's final
LayerNorm, unless L is the last layer) never reach the loss and are exported unchanged. --freeze-frontend and
--freeze-layers K keep the frontend and the first K layers at their pretrained values (in eval mode, so that
BatchNorm statistics and dropout leave them alone too): less compute, and less forgetting on a small corpus.

False negatives. Every other track of a batch is a negative, even one that does sound alike: tracks of the
same album (a game's soundtrack shares its composer, instruments and sound chip) or the same artist. On
train.csv (456 tracks, 67 albums, the largest 29), 98% of random batches of 16 (52% of batches of 8) hold two
tracks of one album. --album-aware (a manifest with an `album` column) orders each epoch so that tracks of one
album are at least a batch apart (pair_data.spread_groups), which brings that to 3.5% (0.3%) over 20 epochs.
It is best effort: greedy, impossible when one album holds more than 1/B of the corpus, and a batch that
straddles an epoch boundary or a skipped undecodable file can still pair two. Not handled: the same artist
across albums, and the same track twice in a batch straddling an epoch boundary (0.2-0.4% of batches of 16).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from typing import Callable, Dict, List, Optional

import numpy as np
import torch
from torch import nn

from .augment import AugmentConfig, augment
from .checkpoint import (RunError, capture_rng, checkpoint_path, checkpoint_to_resume, prune_checkpoints,
                         restore_rng, save_atomic)
from .configs import ConfigError, MusicFMConfig
from .contrastive import ProjectionHead, nt_xent, pair_metrics
from .data import BatchStream, CorpusError, list_tracks
from .metrics_log import MetricsLog
from .musicfm import MusicFM
from .optim import build_scheduler, parameter_groups
from .package import export_package, load_package, read_manifest
from .pair_data import PairDataset, manifest_albums
from .pretrain import PRECISIONS, autocast, non_negative, optimizer_step, positive

# Shorter crops pool too few tokens (25 per second) for their mean to say much about the music.
MIN_CROP_SECONDS = 1.0
# What a checkpoint must share with the run that resumes it: they shape the model, head and optimizer state.
RESUME_MUST_MATCH = ("layer", "projection_dim", "freeze_frontend", "freeze_layers")


def load_base(directory: str):
    """The pretrained package's model (eval mode) and manifest, or a RunError that says what is wrong."""
    try:
        return load_package(directory), read_manifest(directory)
    except (OSError, KeyError, ValueError) as error:
        raise RunError(f"--package {directory}: {error}; fine-tuning needs a musicfm model package "
                       "(pretrain's or convert's export)") from None


def resolve_layer(layer: Optional[int], config: MusicFMConfig) -> int:
    layer = config.embedding_layer if layer is None else layer
    if not 0 <= layer <= config.num_hidden_layers:
        raise RunError(f"--layer must lie in [0, {config.num_hidden_layers}] for this package "
                       f"(0: the conv frontend's output, {config.num_hidden_layers}: the last layer), "
                       f"found {layer}")
    return layer


def crop_samples_for(seconds: float, config: MusicFMConfig) -> int:
    if not seconds >= MIN_CROP_SECONDS:
        raise RunError(f"--crop-seconds must be at least {MIN_CROP_SECONDS:g}, found {seconds}")
    return round(seconds * config.sample_rate)


def prepare_backbone(model: MusicFM, layer: int, freeze_frontend: bool, freeze_layers: int) -> MusicFM:
    """Train mode, with gradients only for what produces hidden state `layer` and is not frozen; frozen parts
    in eval mode. Raises RunError when nothing would train."""
    if not 0 <= freeze_layers <= layer:
        raise RunError(f"--freeze-layers must lie in [0, --layer = {layer}], found {freeze_layers}")
    model.requires_grad_(False).train()
    trainable: List[nn.Module] = list(model.conformer.layers[freeze_layers:layer])
    if layer == model.config.num_hidden_layers:
        trainable.append(model.conformer.layer_norm)  # the last hidden state is its output (§1.5)
    frozen: List[nn.Module] = list(model.conformer.layers[:freeze_layers])
    (frozen if freeze_frontend else trainable).append(model.conv)
    for module in trainable:
        module.requires_grad_(True)
    for module in frozen:
        module.eval()
    if not any(parameter.requires_grad for parameter in model.parameters()):
        raise RunError(f"nothing would train: --layer {layer} with the frontend and {freeze_layers} layers "
                       "frozen")
    return model


def build_optimizer(backbone: nn.Module, head: nn.Module, lr: float, backbone_lr: float,
                    weight_decay: float) -> torch.optim.AdamW:
    """optim.py's AdamW and decay groups: the backbone's groups at `backbone_lr`, the head's at `lr`."""
    groups = [{**group, "lr": backbone_lr} for group in parameter_groups(backbone, weight_decay)]
    groups += [{**group, "lr": lr} for group in parameter_groups(head, weight_decay)]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.98))


def augment_config(text: Optional[str]) -> AugmentConfig:
    try:
        fields = json.loads(text) if text else {}
        if not isinstance(fields, dict):
            raise ValueError(f"expected a JSON object, found {text}")
        return AugmentConfig.from_dict(fields)
    except (ValueError, TypeError) as error:
        raise RunError(f"--augment: {error}") from None


class FineTuner:
    """Backbone, projection head, optimisation state, RNGs and pair stream of a fine-tuning run, and their
    checkpoints."""

    def __init__(self, args, log: Callable[[str], None]):
        if int(os.environ.get("WORLD_SIZE", "1")) > 1:
            raise RunError("fine-tuning runs in one process; do not launch it with torchrun")
        self.args = args
        self.log = log
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        model, self.base = load_base(args.package)
        self.config = model.config
        self.layer = resolve_layer(args.layer, self.config)
        self.crop_samples = crop_samples_for(args.crop_seconds, self.config)
        self.augment_config = augment_config(args.augment)
        tracks = list_tracks(args.data)
        if len({track.path for track in tracks}) < 2:
            raise CorpusError(f"{args.data}: contrastive fine-tuning needs at least 2 tracks (the other "
                              f"tracks of a batch are the negatives), found {len(tracks)}")
        if args.batch_size < 2 or args.batch_size > len(tracks):
            raise RunError(f"--batch-size must lie in [2, {len(tracks)}] (the corpus's tracks): a batch "
                           f"holds distinct tracks, found {args.batch_size}")
        groups = manifest_albums(args.data, tracks) if args.album_aware else None
        checkpoint = self._load_checkpoint()

        random.seed(args.seed)
        np.random.seed(args.seed)
        torch.manual_seed(args.seed)  # the head's initial weights
        self.model = prepare_backbone(model, self.layer, args.freeze_frontend, args.freeze_layers)
        self.model.to(self.device)
        self.head = (ProjectionHead(self.config.hidden_size, args.projection_dim) if args.projection_dim
                     else nn.Identity()).to(self.device)
        self.parameters = [p for module in (self.model, self.head) for p in module.parameters()
                           if p.requires_grad]
        self.optimizer = build_optimizer(self.model, self.head, args.lr, args.backbone_lr, args.weight_decay)
        self.scheduler = build_scheduler(self.optimizer, args.warmup, args.steps)
        self.scaler = torch.cuda.amp.GradScaler(enabled=args.precision == "fp16")
        # Augmentation has its own generator so that its stream does not depend on how much dropout drew.
        dropout_seed, augment_seed = np.random.SeedSequence(args.seed).generate_state(2)
        torch.manual_seed(int(dropout_seed))
        self.augment_generator = torch.Generator(device=self.device).manual_seed(int(augment_seed))
        dataset = PairDataset(tracks, self.crop_samples, self.config.sample_rate, args.seed, groups,
                              spacing=args.batch_size)
        self.stream = BatchStream(dataset, args.batch_size, num_workers=args.num_workers,
                                  log=lambda message: print(message, flush=True))
        self.step = 0
        if checkpoint is not None:
            self._restore(checkpoint)

    def _load_checkpoint(self) -> Optional[dict]:
        found = checkpoint_to_resume(self.args.out, self.args.resume, self.log)
        if found is None:
            return None
        latest, checkpoint = found
        if checkpoint["base_sha256"] != self.base["weights"]["sha256"]:
            raise RunError(f"{latest} fine-tunes another package (weights sha256 "
                           f"{checkpoint['base_sha256']}) than --package {self.args.package}")
        now = {**vars(self.args), "layer": self.layer}
        changed = [f"--{key.replace('_', '-')} {checkpoint['args'][key]} (now {now[key]})"
                   for key in RESUME_MUST_MATCH if checkpoint["args"][key] != now[key]]
        if changed:
            raise RunError(f"{latest} was trained with {', '.join(changed)}; resume with the same values")
        return checkpoint

    def _restore(self, checkpoint: dict) -> None:
        self.model.load_state_dict(checkpoint["model"])
        self.head.load_state_dict(checkpoint["head"])
        self.optimizer.load_state_dict(checkpoint["optimizer"])
        self.scheduler.load_state_dict(checkpoint["scheduler"])
        self.scaler.load_state_dict(checkpoint["scaler"])
        restore_rng(checkpoint["rng"], {"augment": self.augment_generator})
        self.stream.load_state_dict(checkpoint["data"])
        self.step = checkpoint["step"]

    def save(self) -> None:
        state = {"step": self.step, "args": {**vars(self.args), "layer": self.layer},
                 "base_sha256": self.base["weights"]["sha256"], "model": self.model.state_dict(),
                 "head": self.head.state_dict(), "optimizer": self.optimizer.state_dict(),
                 "scheduler": self.scheduler.state_dict(), "scaler": self.scaler.state_dict(),
                 "rng": capture_rng({"augment": self.augment_generator}), "data": self.stream.state_dict()}
        save_atomic(state, checkpoint_path(self.args.out, self.step))
        prune_checkpoints(self.args.out, self.args.keep_checkpoints)

    def views(self, pairs: torch.Tensor) -> torch.Tensor:
        """[B, 2, N] crop pairs -> [2B, N] augmented views: all first crops, then all second crops."""
        return augment(torch.cat([pairs[:, 0], pairs[:, 1]]), self.config.sample_rate, self.augment_config,
                       self.augment_generator)

    def train_step(self, batches) -> Dict[str, float]:
        started = time.perf_counter()
        pairs = next(batches).to(self.device)
        data_seconds = time.perf_counter() - started
        lr, backbone_lr = self.optimizer.param_groups[-1]["lr"], self.optimizer.param_groups[0]["lr"]
        with autocast(self.args.precision, self.device):
            pooled = self.model.embed(self.views(pairs), self.layer)
            projected = self.head(pooled)
        batch = pairs.shape[0]
        loss = nt_xent(projected[:batch], projected[batch:], self.args.temperature)
        self.scaler.scale(loss).backward()
        grad_norm = optimizer_step(self.parameters, self.optimizer, self.scheduler, self.scaler,
                                   self.args.clip)
        self.step += 1
        return {"loss": loss.item(), **pair_metrics(pooled[:batch], pooled[batch:]), "lr": lr,
                "backbone_lr": backbone_lr, "grad_norm": grad_norm, "data_seconds": data_seconds}

    def provenance(self) -> Dict[str, str]:
        args = self.args
        return {"source": "musicsearch_training.finetune (NT-Xent, two crops per track)",
                "base_version": self.base["version"], "base_sha256": self.base["weights"]["sha256"],
                "data": args.data, "steps": str(self.step), "seed": str(args.seed), "layer": str(self.layer),
                "batch_size": str(args.batch_size), "crop_seconds": f"{args.crop_seconds:g}",
                "temperature": f"{args.temperature:g}", "lr": f"{args.lr:g}",
                "backbone_lr": f"{args.backbone_lr:g}", "warmup": str(args.warmup),
                "weight_decay": f"{args.weight_decay:g}", "projection_dim": str(args.projection_dim),
                "freeze_frontend": str(args.freeze_frontend).lower(), "freeze_layers": str(args.freeze_layers),
                "album_aware": str(args.album_aware).lower(), "torch": torch.__version__,
                "augment": json.dumps(self.augment_config.to_dict(), sort_keys=True)}


def summarise(window: List[Dict[str, float]], tuner: FineTuner, seconds: float) -> dict:
    """One log record: the means over the steps since the last one, and the last step's LRs and grad norm."""
    def mean(key: str) -> float:
        return sum(record[key] for record in window) / len(window)

    tracks = len(window) * tuner.args.batch_size
    return {"step": tuner.step, "epoch": tuner.stream.epoch, "loss": mean("loss"), "pos_cos": mean("pos_cos"),
            "neg_cos": mean("neg_cos"), "top1": mean("top1"), "lr": window[-1]["lr"],
            "backbone_lr": window[-1]["backbone_lr"], "grad_norm": window[-1]["grad_norm"],
            "tracks_per_s": tracks / seconds, "audio_s_per_s": 2 * tracks * tuner.args.crop_seconds / seconds,
            "data_wait": sum(record["data_seconds"] for record in window) / seconds,
            "skipped_files": len(tuner.stream.failed_files)}


def train(args) -> None:
    """Runs (or resumes) a fine-tuning run and exports the fine-tuned backbone."""
    def log(message: str) -> None:
        print(message, flush=True)

    if args.precision != "fp32" and not torch.cuda.is_available():
        raise RunError(f"--precision {args.precision} needs CUDA; use fp32 on CPU")
    if args.threads:
        torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    tuner = FineTuner(args, log)
    trainable = sum(p.numel() for p in tuner.parameters)
    log(f"{tuner.base['version']}: layer {tuner.layer}, {trainable:,} trainable parameters, "
        f"{args.batch_size} tracks × 2 crops of {args.crop_seconds:g} s per step on {tuner.device}, "
        f"{args.precision}; step {tuner.step} of {args.steps}")
    metrics = MetricsLog(args.out)
    window: List[Dict[str, float]] = []
    batches = iter(tuner.stream)
    window_started = time.perf_counter()
    try:
        while tuner.step < args.steps:
            window.append(tuner.train_step(batches))
            if tuner.step % args.log_every == 0 or tuner.step == args.steps:
                metrics.write(summarise(window, tuner, time.perf_counter() - window_started))
                window, window_started = [], time.perf_counter()
            if tuner.step % args.checkpoint_every == 0 or tuner.step == args.steps:
                tuner.save()
    finally:
        batches.close()  # stops the decoding workers
        metrics.close()
    directory = args.export or os.path.join(args.out, "package")
    manifest = export_package(tuner.model, directory, layer=tuner.layer, provenance=tuner.provenance())
    log(f"exported {directory}: {manifest['version']}, embedding layer {tuner.layer}")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python3 -m musicsearch_training.finetune",
                                     description="Contrastive similarity fine-tuning of a MusicFM package.")
    parser.add_argument("--package", required=True, help="pretrained musicfm model package folder")
    parser.add_argument("--data", required=True, help="audio folder (recursive) or manifest.csv (train split)")
    parser.add_argument("--out", required=True, help="run folder: checkpoints, metrics.jsonl, package")
    parser.add_argument("--layer", type=non_negative, default=None,
                        help="hidden state to pool and fine-tune (default: the package's embedding layer)")
    parser.add_argument("--steps", type=positive, default=1000, help="optimizer steps (schedule length)")
    parser.add_argument("--batch-size", type=positive, default=16, help="tracks per step (two crops each)")
    parser.add_argument("--lr", type=float, default=1e-4, help="peak learning rate of the projection head")
    parser.add_argument("--backbone-lr", type=float, default=1e-5, help="peak learning rate of the backbone")
    parser.add_argument("--warmup", type=non_negative, default=100, help="linear warm-up steps")
    parser.add_argument("--temperature", type=float, default=0.1, help="NT-Xent temperature")
    parser.add_argument("--crop-seconds", type=float, default=30.0, help="length of each crop")
    parser.add_argument("--projection-dim", type=non_negative, default=128,
                        help="output size of the MLP projection head (0: the loss on the pooled vectors)")
    parser.add_argument("--freeze-frontend", action="store_true", help="keep the conv frontend as pretrained")
    parser.add_argument("--freeze-layers", type=non_negative, default=0,
                        help="keep the first K conformer layers as pretrained")
    parser.add_argument("--album-aware", action="store_true",
                        help="keep tracks of one album out of the same batch (manifest with an album column)")
    parser.add_argument("--augment", default=None,
                        help='JSON object of AugmentConfig fields to override, e.g. \'{"snr_db": [20, 40]}\'')
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--clip", type=float, default=1.0, help="gradient-norm clip (<= 0: off)")
    parser.add_argument("--precision", choices=tuple(PRECISIONS), default="fp32")
    parser.add_argument("--checkpoint-every", type=positive, default=200)
    parser.add_argument("--keep-checkpoints", type=non_negative, default=3, help="0 keeps all")
    parser.add_argument("--resume", action="store_true", help="continue from the newest checkpoint in --out")
    parser.add_argument("--seed", type=non_negative, default=0)
    parser.add_argument("--num-workers", type=non_negative, default=2, help="decoding processes")
    parser.add_argument("--threads", type=non_negative, default=0,
                        help="torch CPU threads (0: torch's default)")
    parser.add_argument("--log-every", type=positive, default=10)
    parser.add_argument("--export", default=None, help="package folder (default RUN_DIR/package)")
    args = parser.parse_args(argv)
    if not args.temperature > 0:
        parser.error(f"--temperature must be > 0, found {args.temperature}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        train(args)
    except (CorpusError, ConfigError, RunError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
