"""BEST-RQ pretraining of MusicFM (MODEL_SPEC §1.7) on a folder or a manifest CSV of audio files.

    python3 -m musicsearch_training.pretrain --config small --data DIR_OR_MANIFEST --out RUN_DIR \\
        [--steps 10000] [--batch-size 8] [--grad-accum 1] [--lr 5e-4] [--warmup 1000] [--clip 1.0] \\
        [--weight-decay 0.01] [--precision {fp32,bf16,fp16}] [--crop-seconds 30] [--checkpoint-every 1000] \\
        [--keep-checkpoints 3] [--resume] [--seed 0] [--num-workers 2] [--threads N] [--log-every 10] \\
        [--stats stats.json | --stats-max-files 64] [--export DIR]

--batch-size is per process and per micro-batch: one optimizer step sees batch × grad-accum × processes
crops. --steps counts optimizer steps and is the length of the warm-up + cosine schedule. bf16 and fp16 use
CUDA autocast (fp16 with a GradScaler); the mel frontend and BEST-RQ targets always stay in fp32. Without --stats,
the normalisation statistics are computed first over a sample of the corpus and written to RUN_DIR/stats.json.
RUN_DIR receives checkpoints/step-NNNNNNNN.pt, metrics.jsonl, and at the end the model package (RUN_DIR/package,
or --export DIR). --resume continues from the newest checkpoint exactly (bit-identical to an uninterrupted run
with the same processes and precision), or starts afresh when there is none.

Multi-GPU: launch with torchrun, which sets LOCAL_RANK and WORLD_SIZE; each process then trains a
DistributedDataParallel replica on a disjoint shard of the data. Debian's torchrun fails on Python 3.11
unless it is given `--redirects 2 --tee 2`:

    torchrun --standalone --nproc_per_node 4 --redirects 2 --tee 2 -m musicsearch_training.pretrain ...
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from .checkpoint import (RunError, capture_rng, checkpoint_path, checkpoint_to_resume, prune_checkpoints,
                         restore_rng, save_atomic)
from .configs import CONFIGS, ConfigError, MusicFMConfig, get_config
from .data import BatchStream, CorpusError, CropDataset, Track, list_tracks
from .frontend import MelStats
from .metrics_log import MetricsLog
from .musicfm import MusicFM
from .optim import build_optimizer, build_scheduler
from .package import export_package
from .stats import MelMoments, corpus_moments, load_stats, sample_tracks, write_stats

PRECISIONS = {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}


@dataclass(frozen=True)
class Runtime:
    rank: int
    world_size: int
    device: torch.device

    @property
    def distributed(self) -> bool:
        return self.world_size > 1


def start_runtime() -> Runtime:
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    if world_size == 1:
        return Runtime(0, 1, torch.device("cuda" if torch.cuda.is_available() else "cpu"))
    local_rank = int(os.environ["LOCAL_RANK"])
    if torch.cuda.is_available():
        torch.cuda.set_device(local_rank)
        device = torch.device("cuda", local_rank)
    else:
        device = torch.device("cpu")
    dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    return Runtime(dist.get_rank(), world_size, device)


class BestRqObjective(nn.Module):
    """Routes `MusicFM.best_rq_loss` through `forward`: DistributedDataParallel hooks only `forward`, so a
    direct call of best_rq_loss would never all-reduce its gradients."""

    def __init__(self, model: MusicFM):
        super().__init__()
        self.model = model

    def forward(self, wav: torch.Tensor, generator: torch.Generator) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.model.best_rq_loss(wav, generator)


def prepare_model(model: MusicFM) -> MusicFM:
    """Freezes what pretraining never uses: `cls_token` and the positional convolution are in MusicFM's state
    dict but unused (§1.5, §2.1); frozen, they keep their initial values as they would untrained, and DDP
    need not search for unused parameters every step. (The frontend and targets keep themselves in fp32.)"""
    model.cls_token.requires_grad_(False)
    model.conformer.pos_conv_embed.requires_grad_(False)
    return model


def autocast(precision: str, device: torch.device):
    if PRECISIONS[precision] is None:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=PRECISIONS[precision])


def accumulate_gradients(objective: nn.Module, micro_batches: Sequence[torch.Tensor],
                         generator: torch.Generator, scaler: torch.cuda.amp.GradScaler,
                         precision: str = "fp32") -> Tuple[float, float]:
    """Backpropagates the mean of the micro-batches' losses (each already a mean over its masked tokens);
    under DDP the gradients are all-reduced with the last micro-batch only. Returns the mean loss and masked
    accuracy."""
    losses, accuracies = [], []
    for number, wav in enumerate(micro_batches, 1):
        defer_sync = isinstance(objective, DistributedDataParallel) and number < len(micro_batches)
        with objective.no_sync() if defer_sync else contextlib.nullcontext():
            with autocast(precision, wav.device):
                loss, accuracy = objective(wav, generator)
            scaler.scale(loss / len(micro_batches)).backward()
        losses.append(loss.detach())
        accuracies.append(accuracy.detach())
    return torch.stack(losses).mean().item(), torch.stack(accuracies).mean().item()


def optimizer_step(parameters: List[nn.Parameter], optimizer: torch.optim.Optimizer,
                   scheduler: torch.optim.lr_scheduler.LambdaLR, scaler: torch.cuda.amp.GradScaler,
                   clip: float) -> float:
    """Unscales, clips (clip <= 0: measure only), steps and advances the schedule; returns the gradient norm
    before clipping."""
    scaler.unscale_(optimizer)
    grad_norm = torch.nn.utils.clip_grad_norm_(parameters, clip if clip > 0 else float("inf"))
    scaler.step(optimizer)
    scaler.update()
    scheduler.step()
    optimizer.zero_grad(set_to_none=True)
    return float(grad_norm)


def crop_samples_for(seconds: float, config: MusicFMConfig) -> int:
    samples = round(seconds * config.sample_rate)
    if abs(seconds * config.sample_rate - samples) > 1e-6 or samples % config.token_hop:
        raise RunError(f"--crop-seconds {seconds} is not a whole number of tokens ({config.token_hop} "
                       f"samples = {config.token_hop / config.sample_rate * 1000:g} ms each); BEST-RQ "
                       "targets need whole groups of 4 mel frames")
    if samples < config.mask_block_samples:
        raise RunError(f"--crop-seconds {seconds} is shorter than one mask block ({config.mask_seconds} s), "
                       "so nothing would ever be masked")
    return samples


def gather(value, runtime: Runtime) -> list:
    if not runtime.distributed:
        return [value]
    values = [None] * runtime.world_size
    dist.all_gather_object(values, value)
    return values


def resolve_stats(args, config: MusicFMConfig, tracks: List[Track], crop_samples: int, runtime: Runtime,
                  log: Callable[[str], None]) -> MelStats:
    if args.stats:
        return load_stats(args.stats, config)
    sample = sample_tracks(tracks, args.stats_max_files)
    log(f"computing normalisation statistics over {len(sample)} files (--stats skips this)")
    moments = corpus_moments(sample[runtime.rank::runtime.world_size], config, crop_samples, runtime.device,
                             log)
    if runtime.distributed:
        sums = torch.tensor([moments.count, moments.total, moments.total_squares, moments.skipped_files],
                            dtype=torch.float64, device=runtime.device)
        dist.all_reduce(sums)
        moments = MelMoments(int(sums[0]), float(sums[1]), float(sums[2]), int(sums[3]))
    path = os.path.join(args.out, "stats.json")
    if runtime.rank == 0:
        write_stats(path, config, moments)
    stats = moments.to_stats()
    log(f"{path}: mean {stats.mean:.4f} dB, std {stats.std:.4f} dB")
    return stats


class Trainer:
    """Model, optimisation state, RNGs and data stream of one process, and their checkpoints."""

    def __init__(self, args, runtime: Runtime, log: Callable[[str], None]):
        self.args = args
        self.runtime = runtime
        self.log = log
        self.config = get_config(args.config)
        self.crop_samples = crop_samples_for(args.crop_seconds, self.config)
        checkpoint = self._load_checkpoint()
        tracks = list_tracks(args.data)
        if checkpoint is not None:
            self.stats = MelStats(**checkpoint["stats"])
        else:
            self.stats = resolve_stats(args, self.config, tracks, self.crop_samples, runtime, log)

        random.seed(args.seed)
        np.random.seed(args.seed)
        # The same seed on every rank gives identical initial weights (DDP would broadcast rank 0's anyway).
        torch.manual_seed(args.seed)
        self.model = prepare_model(MusicFM(self.config, self.stats)).to(runtime.device).train()
        self.objective: nn.Module = BestRqObjective(self.model)
        if runtime.distributed:
            device_ids = [runtime.device.index] if runtime.device.type == "cuda" else None
            self.objective = DistributedDataParallel(self.objective, device_ids=device_ids)
        self.parameters = [p for p in self.model.parameters() if p.requires_grad]
        self.optimizer = build_optimizer(self.model, args.lr, args.weight_decay)
        self.scheduler = build_scheduler(self.optimizer, args.warmup, args.steps)
        self.scaler = torch.cuda.amp.GradScaler(enabled=args.precision == "fp16")
        # Dropout (the global torch RNG) and masking differ per rank; masking has its own generator so that
        # its stream does not depend on how many random numbers dropout drew.
        dropout_seed, mask_seed = np.random.SeedSequence([args.seed, runtime.rank]).generate_state(2)
        torch.manual_seed(int(dropout_seed))
        self.mask_generator = torch.Generator(device=runtime.device).manual_seed(int(mask_seed))
        dataset = CropDataset(tracks, self.crop_samples, self.config.sample_rate, args.seed)
        self.stream = BatchStream(dataset, args.batch_size, runtime.rank, runtime.world_size, args.num_workers,
                                  log=self._data_log)
        self.step = 0
        if checkpoint is not None:
            self._restore(checkpoint)

    def _data_log(self, message: str) -> None:
        print(f"[rank {self.runtime.rank}] {message}" if self.runtime.distributed else message, flush=True)

    def _load_checkpoint(self) -> Optional[dict]:
        found = checkpoint_to_resume(self.args.out, self.args.resume, self.log)
        if found is None:
            return None
        latest, checkpoint = found
        if checkpoint["config"] != self.args.config:
            raise RunError(f"{latest} was trained with --config {checkpoint['config']}, "
                           f"not {self.args.config}")
        if len(checkpoint["ranks"]) != self.runtime.world_size:
            raise RunError(f"{latest} was written by {len(checkpoint['ranks'])} processes; resume with the "
                           f"same number (found {self.runtime.world_size}) to continue the same data and "
                           "random streams")
        return checkpoint

    def _restore(self, checkpoint: dict) -> None:
        self.model.load_state_dict(checkpoint["model"])
        self.optimizer.load_state_dict(checkpoint["optimizer"])
        self.scheduler.load_state_dict(checkpoint["scheduler"])
        self.scaler.load_state_dict(checkpoint["scaler"])
        own = checkpoint["ranks"][self.runtime.rank]
        restore_rng(own["rng"], {"mask": self.mask_generator})
        self.stream.load_state_dict(own["data"])
        self.step = checkpoint["step"]

    def save(self) -> None:
        own = {"rng": capture_rng({"mask": self.mask_generator}), "data": self.stream.state_dict()}
        ranks = gather(own, self.runtime)
        if self.runtime.rank != 0:
            return
        state = {"step": self.step, "config": self.args.config, "args": vars(self.args),
                 "stats": {"mean": self.stats.mean, "std": self.stats.std},
                 "model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
                 "scheduler": self.scheduler.state_dict(), "scaler": self.scaler.state_dict(), "ranks": ranks}
        save_atomic(state, checkpoint_path(self.args.out, self.step))
        prune_checkpoints(self.args.out, self.args.keep_checkpoints)

    def train_step(self, batches) -> Dict[str, float]:
        started = time.perf_counter()
        micro_batches = [next(batches).to(self.runtime.device) for _ in range(self.args.grad_accum)]
        data_seconds = time.perf_counter() - started
        lr = self.optimizer.param_groups[0]["lr"]
        loss, accuracy = accumulate_gradients(self.objective, micro_batches, self.mask_generator, self.scaler,
                                              self.args.precision)
        grad_norm = optimizer_step(self.parameters, self.optimizer, self.scheduler, self.scaler, self.args.clip)
        self.step += 1
        return {"step": self.step, "loss": loss, "accuracy": accuracy, "lr": lr, "grad_norm": grad_norm,
                "data_seconds": data_seconds}

    def crops_per_step(self) -> int:
        return self.args.batch_size * self.args.grad_accum * self.runtime.world_size


def summarise(window: List[Dict[str, float]], trainer: Trainer, seconds: float) -> dict:
    """One log record over the steps since the last one; loss, accuracy and skipped files over all ranks."""
    stream = trainer.stream
    totals = torch.tensor([sum(r["loss"] for r in window), sum(r["accuracy"] for r in window),
                           len(stream.failed_files)], dtype=torch.float64, device=trainer.runtime.device)
    if trainer.runtime.distributed:
        dist.all_reduce(totals)
    shares = len(window) * trainer.runtime.world_size
    audio_seconds = len(window) * trainer.crops_per_step() * trainer.crop_samples / trainer.config.sample_rate
    return {"step": trainer.step, "epoch": stream.epoch, "loss": float(totals[0]) / shares,
            "masked_acc": float(totals[1]) / shares, "lr": window[-1]["lr"],
            "grad_norm": window[-1]["grad_norm"], "audio_s_per_s": audio_seconds / seconds,
            "data_wait": sum(r["data_seconds"] for r in window) / seconds,
            "skipped_files": int(totals[2])}


def train(args) -> None:
    """Runs (or resumes) a pretraining run."""
    runtime = start_runtime()
    try:
        _train(args, runtime)
    finally:
        if runtime.distributed:
            dist.destroy_process_group()


def _train(args, runtime: Runtime) -> None:
    def log(message: str) -> None:
        if runtime.rank == 0:
            print(message, flush=True)

    if args.precision != "fp32" and runtime.device.type != "cuda":
        # torch 1.13's CPU autocast has no fp16, and under bf16 it feeds bf16 activations to fp32 LayerNorms.
        raise RunError(f"--precision {args.precision} needs CUDA; use fp32 on CPU")
    if args.threads:
        torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    trainer = Trainer(args, runtime, log)
    log(f"config {args.config}: {sum(p.numel() for p in trainer.parameters):,} trainable parameters, "
        f"{trainer.crops_per_step()} crops of {args.crop_seconds:g} s per step, {runtime.world_size} "
        f"process(es) on {runtime.device}, {args.precision}; step {trainer.step} of {args.steps}")
    metrics = MetricsLog(args.out) if runtime.rank == 0 else None
    window: List[Dict[str, float]] = []
    batches = iter(trainer.stream)
    window_started = time.perf_counter()
    try:
        while trainer.step < args.steps:
            window.append(trainer.train_step(batches))
            if trainer.step % args.log_every == 0 or trainer.step == args.steps:
                summary = summarise(window, trainer, time.perf_counter() - window_started)
                if metrics is not None:
                    metrics.write(summary)
                window, window_started = [], time.perf_counter()
            if trainer.step % args.checkpoint_every == 0 or trainer.step == args.steps:
                trainer.save()
    finally:
        batches.close()  # stops the decoding workers
        if metrics is not None:
            metrics.close()
    if runtime.rank == 0:
        directory = args.export or os.path.join(args.out, "package")
        provenance = {"source": "musicsearch_training.pretrain (BEST-RQ)", "steps": str(trainer.step),
                      "data": args.data, "seed": str(args.seed), "torch": torch.__version__}
        manifest = export_package(trainer.model, directory, stats=trainer.stats, provenance=provenance)
        log(f"exported {directory}: {manifest['version']}")


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, found {value}")
    return value


def non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, found {value}")
    return value


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python3 -m musicsearch_training.pretrain",
                                     description="BEST-RQ pretraining of MusicFM.")
    parser.add_argument("--config", default="small", help=f"one of: {', '.join(CONFIGS)}")
    parser.add_argument("--data", required=True, help="audio folder (recursive) or manifest.csv")
    parser.add_argument("--out", required=True, help="run folder: checkpoints, metrics.jsonl, package")
    parser.add_argument("--steps", type=positive, default=10000, help="optimizer steps (schedule length)")
    parser.add_argument("--batch-size", type=positive, default=8, help="crops per micro-batch and process")
    parser.add_argument("--grad-accum", type=positive, default=1, help="micro-batches per optimizer step")
    parser.add_argument("--lr", type=float, default=5e-4, help="peak learning rate")
    parser.add_argument("--warmup", type=non_negative, default=1000, help="linear warm-up steps")
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--clip", type=float, default=1.0, help="gradient-norm clip (<= 0: off)")
    parser.add_argument("--precision", choices=tuple(PRECISIONS), default="fp32")
    parser.add_argument("--crop-seconds", type=float, default=30.0, help="a multiple of 0.04 s")
    parser.add_argument("--checkpoint-every", type=positive, default=1000)
    parser.add_argument("--keep-checkpoints", type=non_negative, default=3, help="0 keeps all")
    parser.add_argument("--resume", action="store_true", help="continue from the newest checkpoint in --out")
    parser.add_argument("--seed", type=non_negative, default=0)
    parser.add_argument("--num-workers", type=non_negative, default=2, help="decoding processes per rank")
    parser.add_argument("--threads", type=non_negative, default=0, help="torch CPU threads (0: torch's default)")
    parser.add_argument("--log-every", type=positive, default=10)
    parser.add_argument("--stats", default=None, help="stats JSON from musicsearch_training.stats")
    parser.add_argument("--stats-max-files", type=positive, default=64,
                        help="files sampled for the statistics when --stats is not given")
    parser.add_argument("--export", default=None, help="package folder (default RUN_DIR/package)")
    return parser.parse_args(argv)


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
