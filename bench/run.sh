#!/usr/bin/env bash
# Benchmark the whole neardup cluster run on a generated corpus.
#
#   bench/run.sh [N [R]]    N documents (default 100000) of about 3 KB;
#                           R alternating runs of the floor and the run
#                           (default 3)
#
# Generates a deterministic corpus with planted near-duplicates (bench/gen),
# measures the floor (read the JSONL; read + xxhash64 of every shingle, one
# core, bench/floor), then neardup cluster on one core and on all cores:
# wall time, documents per second, peak RSS, and the recall of the planted
# pairs (neardup eval). The read+hash floor and the all-core run are timed
# R times, one after the other, and their ratio is given for each pair and
# as the median: on a shared machine one run of each can be 25% off, and
# the load drifts, so a ratio is only sound between runs close in time.
# Needs GNU time (/usr/bin/time). Files go to bench/out/, which git ignores.
set -euo pipefail
N=${1:-100000}
R=${2:-3}
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
go build -o "$out/neardup" ./cmd/neardup
go build -o "$out/gen" ./bench/gen
go build -o "$out/floor" ./bench/floor
corpus="$out/corpus-$N.jsonl"
if [ ! -s "$corpus" ]; then
  "$out/gen" -n "$N" -pairs "$out/planted-$N.jsonl" > "$corpus"
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "corpus: $N documents, $(du -h "$corpus" | cut -f1), $(wc -l < "$out/planted-$N.jsonl") planted copies"

# run LABEL CMD...: wall seconds, documents/s and peak RSS of CMD.
run() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$out/stdout.txt" 2> "$out/stderr.txt" || {
    cat "$out/stderr.txt"; exit 1; }
  read -r secs kb < "$out/time.txt"
  last=$secs
  awk -v l="$label" -v s="$secs" -v kb="$kb" -v n="$N" \
    'BEGIN { printf "%-34s %7.2f s %9.0f docs/s %7.0f MB peak RSS\n", l, s, n / s, kb / 1024 }'
}

run "floor: read JSONL" "$out/floor" -read-only "$corpus"
run "neardup cluster -j 1" "$out/neardup" cluster -q -j 1 -o "$out/report-$N.csv" "$corpus"
ratios=()
for i in $(seq "$R"); do
  run "floor: read + xxhash64 shingles" "$out/floor" "$corpus"
  floor=$last
  run "neardup cluster (all cores)" "$out/neardup" cluster -q -o "$out/report-$N.csv" "$corpus"
  ratios+=("$(awk -v c="$last" -v f="$floor" 'BEGIN { printf "%.2f", c / f }')")
done
printf '%s\n' "${ratios[@]}" | sort -n | awk -v r="${ratios[*]}" \
  '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
     printf "neardup cluster (all cores) / read+hash floor, %d pairs: %s; median %.2f×\n", NR, r, m }'
"$out/neardup" eval --labels "$out/planted-$N.jsonl" "$out/report-$N.csv" | grep 'copy level' |
  awk '{ printf "recall of planted copies: %s\n", $8 }'
