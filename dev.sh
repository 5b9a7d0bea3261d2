#!/usr/bin/env bash
# Headroom's set-up in one place. On a fresh Debian (bookworm) machine:
#   ./dev.sh run    install what is missing, build, open the dashboard on seed-spike
#   ./dev.sh test   install what is missing, build, run every test suite (ctest)
#   ./dev.sh build  install what is missing and build only
#   ./dev.sh deb    install what is missing, build, write build/headroom_<version>_<arch>.deb
set -euo pipefail
# Stay in the caller's folder, so relative paths given to `run` mean what they say.
root=$(cd "$(dirname "$0")" && pwd)

# Real package names (libqt6svg6-dev is only a virtual name for qt6-svg-dev, which
# dpkg-query never reports as installed).
packages=(cmake make g++ qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev
          libtorch-dev libboost-dev nlohmann-json3-dev libssl-dev libyaml-cpp-dev fonts-dejavu-core)
build_dir=${HEADROOM_BUILD_DIR:-$root/build}

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "dev.sh: installing ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || {
            echo "dev.sh: missing packages (${missing[*]}) and no sudo: install them as root" >&2
            return 1
        }
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update -q || return 1
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends \
        "${missing[@]}" || return 1
}

build() {
    cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
    cmake --build "$build_dir" -j"$(nproc)"
}

case "${1:-}" in
    run)
        install_missing || exit 1
        build || exit 1
        shift
        exec "$build_dir/app/headroom/headroom" "$@" # seed-spike unless told otherwise
        ;;
    test)
        packages+=(prometheus) # a real Prometheus server between serve and control (tst_controlprometheus)
        install_missing || exit 1
        build || exit 1
        cd "$build_dir" && ctest --output-on-failure --timeout 600
        ;;
    build)
        install_missing || exit 1
        build
        ;;
    deb)
        packages+=(dpkg-dev file) # dpkg-shlibdeps computes the package's Depends; CPack needs file
        install_missing || exit 1
        build || exit 1
        cmake --build "$build_dir" --target package
        ;;
    *)
        echo "usage: ./dev.sh run|test|build|deb" >&2
        exit 2
        ;;
esac
