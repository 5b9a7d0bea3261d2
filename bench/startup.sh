#!/usr/bin/env bash
# Start-up time (DESIGN.md section 8: launch to first drawn frame under 1.5 s), measured
# from outside: launch `headroom` offscreen, let it draw its first frame of the default
# scenario and save it as a screenshot, then exit. The wall time of that whole command is an
# upper bound on launch-to-first-frame (it also writes a PNG and exits). Prints each run and
# the median.
# Usage: bench/startup.sh [BUILD_DIR] [RUNS]   (default: build, 7)
set -eu
build=${1:-build}
runs=${2:-7}
app="$build/app/headroom/headroom"
[ -x "$app" ] || { echo "startup.sh: no $app; build first (./dev.sh build)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
    XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
times=()
for i in $(seq "$runs"); do
    start=$(date +%s.%N)
    "$app" --no-record --screenshot "$tmp/first.png" --screenshot-at 0 >/dev/null 2>&1
    end=$(date +%s.%N)
    t=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
    times+=("$t")
    printf 'startup: run %d: %.3f s\n' "$i" "$t"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'startup: launch to first frame saved, median of %d: %.3f s (target: under 1.5 s)\n' "$runs" "$median"
