# ctest install_tree: cmake -D BUILD_DIR=... -D SOURCE_DIR=... -P CheckInstall.cmake
#
# Installs the build into a scratch prefix outside the source tree, checks the installed
# tree (programs, models, scenarios, traces, k8s manifests, desktop entry, icon, copyright), then runs the
# installed programs from a scratch folder with every HEADROOM_* variable unset: they must
# find their data under the prefix. To prove the data came from the prefix and not from
# the source tree (the programs' last fallback), it finally breaks the installed model and
# expects the run to name the installed file. The scratch folder is removed on success
# and kept (its path printed) on failure.
cmake_minimum_required(VERSION 3.25)
foreach(var BUILD_DIR SOURCE_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "usage: cmake -D BUILD_DIR=... -D SOURCE_DIR=... -P ${CMAKE_CURRENT_LIST_FILE}")
    endif()
endforeach()

if(DEFINED ENV{TMPDIR} AND IS_DIRECTORY "$ENV{TMPDIR}")
    set(tmp "$ENV{TMPDIR}")
else()
    set(tmp "/tmp")
endif()
string(RANDOM LENGTH 8 ALPHABET "abcdefghijklmnopqrstuvwxyz0123456789" tag)
set(scratch "${tmp}/headroom-install-check-${tag}")
file(MAKE_DIRECTORY "${scratch}/prefix" "${scratch}/cwd")
file(REAL_PATH "${scratch}" scratch)
file(REAL_PATH "${SOURCE_DIR}" source_real)
string(FIND "${scratch}/" "${source_real}/" inside)
if(inside EQUAL 0)
    message(FATAL_ERROR "scratch folder ${scratch} is inside the source tree; set TMPDIR elsewhere")
endif()
set(prefix "${scratch}/prefix")
set(cwd "${scratch}/cwd")
# The dashboard records each run and keeps settings under the user's folders: here, under
# the scratch folder, so a test run leaves nothing in the user's home.
set(ENV{XDG_DATA_HOME} "${scratch}/xdg-data")
set(ENV{XDG_CONFIG_HOME} "${scratch}/xdg-config")
set(ENV{XDG_CACHE_HOME} "${scratch}/xdg-cache")

function(fail what)
    message(FATAL_ERROR "install_tree: ${what}\n(installed tree kept in ${scratch})")
endfunction()

# --- install -------------------------------------------------------------------------
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    fail("cmake --install failed (${rc}):\n${out}${err}")
endif()

# --- the installed tree --------------------------------------------------------------
set(expected
    bin/headroom
    bin/headroom-cli
    share/headroom/models/predictive.pt
    share/headroom/models/predictive.json
    share/headroom/models/README.md
    share/headroom/resources/scenarios/seed-spike.json
    share/headroom/resources/traces/AzureLLMInferenceTrace_conv.csv
    share/headroom/resources/traces/nasa_http_jul1995_per_minute.csv
    share/headroom/resources/traces/README.md
    share/headroom/resources/k8s/headroom-controller.yaml
    share/applications/headroom.desktop
    share/icons/hicolor/scalable/apps/headroom.svg
    share/doc/headroom/copyright
    share/doc/headroom/README.md
    share/doc/headroom/docs/sweep.md
    share/doc/headroom/docs/scenarios.md)
# Every shipped model and scenario, not only the ones named above.
file(GLOB models RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/models/*.pt" "${SOURCE_DIR}/models/*.json")
file(GLOB scenarios RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/resources/scenarios/*.json")
foreach(f IN LISTS models scenarios)
    list(APPEND expected "share/headroom/${f}")
endforeach()
foreach(f IN LISTS expected)
    if(NOT EXISTS "${prefix}/${f}")
        fail("missing from the installed tree: ${f}")
    endif()
endforeach()
foreach(f bin/headroom bin/headroom-cli)
    if(IS_SYMLINK "${prefix}/${f}" OR IS_DIRECTORY "${prefix}/${f}")
        fail("${f} is not a regular file")
    endif()
endforeach()
foreach(f models/predictive.pt resources/traces/AzureLLMInferenceTrace_conv.csv)
    file(SHA256 "${SOURCE_DIR}/${f}" want)
    file(SHA256 "${prefix}/share/headroom/${f}" got)
    if(NOT want STREQUAL got)
        fail("share/headroom/${f} differs from the source tree's")
    endif()
endforeach()

file(READ "${prefix}/share/applications/headroom.desktop" desktop)
foreach(line "[Desktop Entry]" "Type=Application" "Exec=headroom" "Icon=headroom" "Name=Headroom")
    string(FIND "${desktop}" "${line}\n" at)
    if(at EQUAL -1)
        fail("headroom.desktop lacks the line '${line}'")
    endif()
endforeach()
find_program(desktop_validate desktop-file-validate)
if(desktop_validate)
    execute_process(COMMAND "${desktop_validate}" "${prefix}/share/applications/headroom.desktop"
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        fail("desktop-file-validate rejects headroom.desktop:\n${out}${err}")
    endif()
endif()
file(READ "${prefix}/share/icons/hicolor/scalable/apps/headroom.svg" icon LIMIT 4096)
if(NOT icon MATCHES "<svg")
    fail("headroom.svg is not an SVG")
endif()
file(READ "${prefix}/share/doc/headroom/copyright" copyright)
foreach(needle "CC-BY-4.0" "Azure LLM inference trace 2023" "Arlitt and C. Williamson")
    string(FIND "${copyright}" "${needle}" at)
    if(at EQUAL -1)
        fail("share/doc/headroom/copyright lacks '${needle}'")
    endif()
endforeach()

# --- the installed programs, no HEADROOM_* variables, outside the source tree ----------
set(clean_env "${CMAKE_COMMAND}" -E env
    --unset=HEADROOM_DATA_DIR --unset=HEADROOM_MODEL
    --unset=HEADROOM_SOURCE_DIR --unset=HEADROOM_BINARY_DIR
    QT_QPA_PLATFORM=offscreen)

function(run_installed name)
    execute_process(COMMAND ${clean_env} ${ARGN}
        WORKING_DIRECTORY "${cwd}" TIMEOUT 120
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    set(${name}_rc "${rc}" PARENT_SCOPE)
    set(${name}_out "${out}${err}" PARENT_SCOPE)
endfunction()

run_installed(list "${prefix}/bin/headroom-cli" scenarios)
if(NOT list_rc EQUAL 0 OR NOT list_out MATCHES "seed-spike")
    fail("installed 'headroom-cli scenarios' (${list_rc}) does not list seed-spike:\n${list_out}")
endif()

run_installed(run "${prefix}/bin/headroom-cli" run --scenario seed-spike --duration 10 --out run)
if(NOT run_rc EQUAL 0)
    fail("installed 'headroom-cli run --scenario seed-spike' failed (${run_rc}):\n${run_out}")
endif()
foreach(f summary.json timeseries.csv comparison.png comparison.svg)
    if(NOT EXISTS "${cwd}/run/${f}")
        fail("the installed run wrote no ${f}:\n${run_out}")
    endif()
endforeach()
if(run_out MATCHES "no model")
    fail("the installed run did not load the shipped model:\n${run_out}")
endif()
file(READ "${cwd}/run/summary.json" summary)
string(JSON lanes LENGTH "${summary}" lanes)
set(predictive_ok FALSE)
math(EXPR last "${lanes} - 1")
foreach(i RANGE ${last})
    string(JSON controller GET "${summary}" lanes ${i} controller)
    string(JSON available GET "${summary}" lanes ${i} available)
    if(controller STREQUAL "predictive" AND available)
        set(predictive_ok TRUE)
    endif()
endforeach()
if(NOT predictive_ok)
    fail("no available predictive lane in the installed run's summary.json:\n${summary}")
endif()

run_installed(version "${prefix}/bin/headroom" --version)
if(NOT version_rc EQUAL 0 OR NOT version_out MATCHES "[0-9]+\\.[0-9]+\\.[0-9]+")
    fail("installed 'headroom --version' failed (${version_rc}):\n${version_out}")
endif()
run_installed(shot "${prefix}/bin/headroom" --scenario seed-spike --speed max
    --screenshot shot.png --screenshot-at 5)
if(NOT shot_rc EQUAL 0 OR NOT EXISTS "${cwd}/shot.png")
    fail("installed 'headroom --screenshot' failed (${shot_rc}):\n${shot_out}")
endif()
if(shot_out MATCHES "no model")
    fail("the installed dashboard did not load the shipped model:\n${shot_out}")
endif()

# --- the data really comes from the prefix ---------------------------------------------
file(WRITE "${prefix}/share/headroom/models/predictive.pt" "not a model\n")
run_installed(broken "${prefix}/bin/headroom-cli" run --scenario seed-spike --duration 10 --out broken)
string(FIND "${broken_out}" "${prefix}/share/headroom/models/predictive.pt" at)
if(at EQUAL -1)
    fail("with the installed model broken, the run did not name it, so it read another copy "
         "(rc ${broken_rc}):\n${broken_out}")
endif()

file(REMOVE_RECURSE "${scratch}")
message(STATUS "install_tree: installed tree complete; installed programs found their data under the prefix")
