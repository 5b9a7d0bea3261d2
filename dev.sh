#!/usr/bin/env bash
# Headroom's set-up in one place. On a fresh Debian (bookworm) machine:
#   ./dev.sh run    install what is missing, build, open the dashboard on seed-spike
#   ./dev.sh test   install what is missing, build, run every test suite (ctest)
#   ./dev.sh build  install what is missing and build only
set -euo pipefail
cd "$(dirname "$0")"

packages=(cmake make g++ qt6-base-dev qt6-charts-dev libqt6opengl6-dev libqt6svg6-dev
          libtorch-dev libboost-dev nlohmann-json3-dev libssl-dev fonts-dejavu-core)
build_dir=${HEADROOM_BUILD_DIR:-build}

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "dev.sh: installing ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends \
        "${missing[@]}"
}

build() {
    cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
    cmake --build "$build_dir" -j"$(nproc)"
}

case "${1:-}" in
    run)
        install_missing && build
        shift
        exec "$build_dir/app/headroom/headroom" --scenario seed-spike "$@"
        ;;
    test)
        install_missing && build
        cd "$build_dir" && ctest --output-on-failure --timeout 600
        ;;
    build)
        install_missing && build
        ;;
    *)
        echo "usage: ./dev.sh run|test|build" >&2
        exit 2
        ;;
esac
