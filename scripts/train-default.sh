#!/usr/bin/env bash
# Trains the default model (`small` config) the way models/default was made: fetch the TRAIN split, mel statistics,
# BEST-RQ pretraining, contrastive similarity fine-tuning, a float16 copy, and the DEV evaluation next to the
# baselines. Every step resumes (checkpoints, fetched files), so a run cut short continues where it stopped.
#
#   scripts/train-default.sh RUN_DIR                       the CPU recipe models/default was trained with
#   PRETRAIN_STEPS=20000 FINETUNE_STEPS=2000 CROP=30 \
#     BATCH=64 FT_BATCH=64 scripts/train-default.sh RUN    a GPU-sized run (PyTorch picks CUDA when it has it)
#
# Train only on TRAIN, choose on DEV (../shared/data/README.md). The result is RUN_DIR/default (the package to copy
# into models/default) and RUN_DIR/eval (its DEV report beside the classical and random baselines).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUN=$(realpath -m "${1:?usage: scripts/train-default.sh RUN_DIR}")
DATA="${MUSICSEARCH_DATA:-$ROOT/data}"
DATA_SCRIPTS="${MUSICSEARCH_DATA_SCRIPTS:-$ROOT/../shared/data}"
PYTHON=/usr/bin/python3
THREADS="${THREADS:-$(nproc)}"
PRETRAIN_STEPS="${PRETRAIN_STEPS:-150}"
FINETUNE_STEPS="${FINETUNE_STEPS:-70}"
CROP="${CROP:-10}"
BATCH="${BATCH:-8}"
FT_BATCH="${FT_BATCH:-12}"
LAYER="${LAYER:-4}"
mkdir -p "$RUN"
step() { echo "== $* ($(date -u +%H:%M:%S))"; }

step "fetch TRAIN and DEV"
"$PYTHON" "$DATA_SCRIPTS/fetch-music.py" train "$DATA/train" > "$RUN/fetch-train.log"
"$PYTHON" "$DATA_SCRIPTS/fetch-music.py" dev "$DATA/dev" > "$RUN/fetch-dev.log"

cd src/Training
if [ ! -f "$RUN/stats.json" ]; then
  step "mel statistics (level-normalised input, 64 TRAIN files)"
  "$PYTHON" -m musicsearch_training.stats --data "$DATA/train/manifest.csv" --out "$RUN/stats.json" --config small --max-files 64
fi

step "BEST-RQ pretraining: $PRETRAIN_STEPS steps of $BATCH × ${CROP} s"
resume=(); [ -d "$RUN/pretrain/checkpoints" ] && resume=(--resume)
"$PYTHON" -m musicsearch_training.pretrain --config small --data "$DATA/train/manifest.csv" --out "$RUN/pretrain" \
  --stats "$RUN/stats.json" --steps "$PRETRAIN_STEPS" --batch-size "$BATCH" --crop-seconds "$CROP" \
  --warmup $((PRETRAIN_STEPS / 10)) --lr 5e-4 --threads "$THREADS" --num-workers 1 --checkpoint-every 25 --log-every 2 \
  "${resume[@]}" 2>&1 | tee -a "$RUN/pretrain.log"

step "similarity fine-tuning: $FINETUNE_STEPS steps of $FT_BATCH tracks × 2 crops of ${CROP} s, layer $LAYER"
resume=(); [ -d "$RUN/finetune/checkpoints" ] && resume=(--resume)
# The backbone learns at 2e-4, not the 1e-5 meant for a long-pretrained one: after a short pretraining it is
# still close to random. The loss sits on the pooled vectors themselves (--projection-dim 0): with few steps a
# projection head would absorb much of what the searched vectors should learn.
"$PYTHON" -m musicsearch_training.finetune --package "$RUN/pretrain/package" --data "$DATA/train/manifest.csv" \
  --out "$RUN/finetune" --layer "$LAYER" --steps "$FINETUNE_STEPS" --batch-size "$FT_BATCH" --crop-seconds "$CROP" \
  --backbone-lr 2e-4 --lr 1e-3 --warmup $((FINETUNE_STEPS / 10)) --projection-dim 0 --album-aware \
  --threads "$THREADS" --num-workers 1 --checkpoint-every 10 --log-every 1 "${resume[@]}" 2>&1 | tee -a "$RUN/finetune.log"

step "float16 package"
rm -rf "$RUN/default"
"$PYTHON" -m musicsearch_training.package half "$RUN/finetune/package" "$RUN/default"
"$PYTHON" -m musicsearch_training.package export --config small --seed 0 "$RUN/random-small" > /dev/null
cd "$ROOT"

step "DEV evaluation beside the baselines"
dotnet build src/Indexer -c Release -nologo -clp:ErrorsOnly > "$RUN/build.log"
MUSICSEARCH=src/Indexer/bin/Release/net10.0/musicsearch
# The classical statistics are fitted on TRAIN audio (4 windows a track), never on DEV.
[ -f "$RUN/classical/model.json" ] || "$MUSICSEARCH" package classical "$DATA/train/manifest.csv" "$RUN/classical" --max-windows 4
"$MUSICSEARCH" eval "$DATA/dev" --package "$RUN/classical" --package "$RUN/random-small" --package "$RUN/default" \
  --out "$RUN/eval" --threads "$THREADS" --max-windows 20
step "done: $RUN/default, report in $RUN/eval/report.md"
