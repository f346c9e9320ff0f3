#!/usr/bin/env bash
# Run neardup cluster and neardup dedup on a large generated corpus.
#
#   bench/scale.sh [N]      N documents (default 1000000, about 3 GB)
#
# Prints wall time, documents per second and peak RSS of each run. Needs
# GNU time (/usr/bin/time) and disk for the corpus, its deduplicated copy
# and the report (bench/out/, which git ignores). Not run by CI.
set -euo pipefail
N=${1:-1000000}
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
go build -o "$out/neardup" ./cmd/neardup
go build -o "$out/gen" ./bench/gen
corpus="$out/corpus-$N.jsonl"
if [ ! -s "$corpus" ]; then
  "$out/gen" -n "$N" -pairs "$out/planted-$N.jsonl" > "$corpus"
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); corpus: $N documents, $(du -h "$corpus" | cut -f1)"
run() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" 2> "$out/stderr.txt" > /dev/null || { cat "$out/stderr.txt"; exit 1; }
  read -r secs kb < "$out/time.txt"
  awk -v l="$label" -v s="$secs" -v kb="$kb" -v n="$N" \
    'BEGIN { printf "%-22s %8.1f s %8.0f docs/s %7.0f MB peak RSS\n", l, s, n / s, kb / 1024 }'
  grep -v '^neardup: read\|^$' "$out/stderr.txt" | sed 's/^/    /' || true
}
run "neardup cluster" "$out/neardup" cluster -o "$out/report-$N.csv" "$corpus"
run "neardup dedup" "$out/neardup" dedup -o "$out/dedup-$N.jsonl" "$corpus"
"$out/neardup" eval --labels "$out/planted-$N.jsonl" "$out/report-$N.csv" | grep 'copy level' |
  awk '{ printf "recall of planted copies: %s\n", $8 }'
