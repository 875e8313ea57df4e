# Installs the C API (hungarian4j.h, auction.h), libhungarian4j and the CMake package hungarian4j:
#   cmake --install BUILD --prefix PREFIX
#   find_package(hungarian4j 0.5 CONFIG REQUIRED)   # with CMAKE_PREFIX_PATH=PREFIX
#   target_link_libraries(app PRIVATE hungarian4j::hungarian4j)
include(CMakePackageConfigHelpers)
set(H4J_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/hungarian4j)

install(TARGETS hungarian4j EXPORT hungarian4jTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
# only the public C API; the other headers under native/include are internal to the kernels and tests
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/native/include/hungarian4j/hungarian4j.h
              ${CMAKE_CURRENT_SOURCE_DIR}/native/include/hungarian4j/auction.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hungarian4j)
install(EXPORT hungarian4jTargets NAMESPACE hungarian4j:: DESTINATION ${H4J_CMAKE_DIR})

configure_package_config_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/hungarian4jConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/hungarian4jConfig.cmake INSTALL_DESTINATION ${H4J_CMAKE_DIR})
# before 1.0 a minor version may change the C API: same major.minor only
write_basic_package_version_file(${CMAKE_BINARY_DIR}/hungarian4jConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/hungarian4jConfig.cmake ${CMAKE_BINARY_DIR}/hungarian4jConfigVersion.cmake
        DESTINATION ${H4J_CMAKE_DIR})
