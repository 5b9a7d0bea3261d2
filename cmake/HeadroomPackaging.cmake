# The Debian package: `cmake --build BUILD --target package` (or `./dev.sh deb`) writes
# BUILD/headroom_<version>_<arch>.deb. It installs under /usr and its Depends come from
# dpkg-shlibdeps (package dpkg-dev) over the installed programs: the Qt 6 and LibTorch
# runtime packages of the Debian release it was built on (libtorch1.13 on bookworm),
# so `apt install ./headroom_*.deb` pulls them from the archive.

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "headroom")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "Headroom maintainers")
set(CPACK_PACKAGE_CONTACT "Headroom maintainers <maintainers@users.noreply.r-seed-08026e21.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"Headroom is a desktop console that shows, live and side by side, how a
predictive autoscaler (a small LibTorch network) and the Kubernetes HPA scale
an AI inference service under the same traffic, on a request-level cluster
simulator. It replays built-in scenarios and real traces, fires traffic spikes
on demand and exports the comparison as PNG, SVG, PDF or CSV, or as a one-file
HTML or PDF report with the charts, the summary table and the events.
.
The package holds the dashboard (headroom), the headless runner (headroom-cli),
the shipped predictive models, the built-in scenarios and two public traces
(Azure LLM inference 2023, CC-BY 4.0; NASA-HTTP July 1995).")
# Shared-library dependencies (Qt 6, LibTorch, libstdc++) are computed by
# dpkg-shlibdeps; CPack appends them to the ones listed here. A font is needed for
# any text when no desktop is installed (offscreen runs and PNG/SVG exports).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland")
# Refuse to write a .deb without computed dependencies (CPack only warns).
set(CPACK_PROJECT_CONFIG_FILE "${CMAKE_CURRENT_LIST_DIR}/HeadroomCPackChecks.cmake")

# `package_source` (not the .deb): the checkout without git data and build folders.
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/out/")

include(CPack)
