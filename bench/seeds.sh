#!/usr/bin/env bash
# Score neardup cluster against labelled pairs under several MinHash seeds.
#
#   bench/seeds.sh LABELS INPUT [N [FLAGS...]]
#
# Runs neardup cluster --seed S FLAGS... INPUT for S = 1..N (default 10)
# and scores each report with neardup eval --labels LABELS, then prints the
# copy and event F1 of each seed and their mean, standard deviation, least
# and greatest. Each seed is another family of permutations: a decision
# near a threshold falls on either side of it by the chance of the draw,
# and the spread says how much of a difference between two settings is
# that chance. Files go to bench/out/, which git ignores. Not run by CI.
#
#   bench/seeds.sh ../shared/data/ant-pairs-labels.jsonl ant.jsonl
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: bench/seeds.sh LABELS INPUT [N [FLAGS...]]" >&2
  exit 2
fi
labels=$(realpath "$1")
input=$(realpath "$2")
N=${3:-10}
shift $(($# < 3 ? $# : 3))
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
go build -o "$out/neardup" ./cmd/neardup
for s in $(seq "$N"); do
  "$out/neardup" cluster -q --seed "$s" "$@" -o "$out/seed-report.csv" "$input"
  "$out/neardup" eval --labels "$labels" "$out/seed-report.csv" |
    awk -v s="$s" '/^copy level/ { c = $10 } /^event level/ { e = $10 } END { print s, c, e }'
done | awk '
  { printf "seed %-3d copy F1 %s  event F1 %s\n", $1, $2, $3
    n++; c[n] = $2; e[n] = $3; sc += $2; se += $3 }
  function sd(v, m,   i, s) { for (i = 1; i <= n; i++) s += (v[i] - m) ^ 2; return n > 1 ? sqrt(s / (n - 1)) : 0 }
  function lo(v,   i, m) { m = v[1]; for (i = 2; i <= n; i++) if (v[i] < m) m = v[i]; return m }
  function hi(v,   i, m) { m = v[1]; for (i = 2; i <= n; i++) if (v[i] > m) m = v[i]; return m }
  END { mc = sc / n; me = se / n
    printf "copy F1  mean %.3f sd %.3f, %.3f-%.3f over %d seeds\n", mc, sd(c, mc), lo(c), hi(c), n
    printf "event F1 mean %.3f sd %.3f, %.3f-%.3f over %d seeds\n", me, sd(e, me), lo(e), hi(e), n }'
