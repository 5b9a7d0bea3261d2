# Read by cpack (CPACK_PROJECT_CONFIG_FILE) before it builds a package.
if(CPACK_GENERATOR STREQUAL "DEB")
    find_program(_headroom_shlibdeps dpkg-shlibdeps)
    if(NOT _headroom_shlibdeps)
        message(FATAL_ERROR "dpkg-shlibdeps not found: install dpkg-dev, or the .deb would "
                            "lack its Qt 6 and LibTorch dependencies")
    endif()
endif()
