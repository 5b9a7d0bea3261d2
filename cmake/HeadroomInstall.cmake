# What `cmake --install` puts under the prefix, besides the programs, the desktop entry
# and the icon (their rules live next to their targets in app/).
#
#   bin/headroom, bin/headroom-cli
#   share/headroom/models/             the shipped predictive models (.pt + .json) and their card
#   share/headroom/resources/scenarios the built-in scenarios as files (--scenario FILE)
#   share/headroom/resources/traces    the two public traces, with their README (origin, licence)
#   share/headroom/resources/k8s       the in-cluster controller's manifests (docs/serve.md)
#   share/applications/headroom.desktop, share/icons/hicolor/scalable/apps/headroom.svg
#   share/doc/headroom/copyright       licences and the traces' required attributions
#   share/doc/headroom/README.md, docs/*.md  the guides messages point to ("see docs/sweep.md")
#
# The data directory must stay bin/../share/headroom: io::findDataFile() looks there,
# next to the running program, so an installed tree needs no environment variable.

file(GLOB _headroom_models CONFIGURE_DEPENDS
    "${HEADROOM_SOURCE_MODELS}/*.pt" "${HEADROOM_SOURCE_MODELS}/*.json")
if(NOT EXISTS "${HEADROOM_SOURCE_MODELS}/predictive.pt"
   OR NOT EXISTS "${HEADROOM_SOURCE_MODELS}/predictive.json")
    message(FATAL_ERROR "the shipped model models/predictive.pt (+ .json) is missing")
endif()
install(FILES ${_headroom_models} "${HEADROOM_SOURCE_MODELS}/README.md"
    DESTINATION share/headroom/models)
install(DIRECTORY "${HEADROOM_SOURCE_RESOURCES}/scenarios"
    DESTINATION share/headroom/resources
    FILES_MATCHING PATTERN "*.json")
install(DIRECTORY "${HEADROOM_SOURCE_RESOURCES}/traces"
    DESTINATION share/headroom/resources
    FILES_MATCHING PATTERN "*.csv" PATTERN "README.md")
install(DIRECTORY "${HEADROOM_SOURCE_RESOURCES}/k8s"
    DESTINATION share/headroom/resources
    FILES_MATCHING PATTERN "*.yaml")
install(FILES "${PROJECT_SOURCE_DIR}/packaging/copyright" "${PROJECT_SOURCE_DIR}/README.md"
    DESTINATION share/doc/headroom)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/"
    DESTINATION share/doc/headroom/docs
    FILES_MATCHING PATTERN "*.md"
    PATTERN "results" EXCLUDE)
