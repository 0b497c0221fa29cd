# Install rules: headers, library, CMake package (find_package(vnsearch CONFIG) ->
# vnsearch::vnsearch) and a pkg-config file.
include(CMakePackageConfigHelpers)

# Install components (one Debian package each, see VnsearchPackaging.cmake):
#   library: libvnsearch.so.0.MINOR          -> libvnsearch0
#   dev:     headers, libvnsearch.so, CMake package, pkg-config, abbreviations.tsv -> libvnsearch-dev
#   cli:     bin/vnsearch (examples/cli)      -> vnsearch
#   python:  the Python package (bindings/python) -> python3-vnsearch
install(TARGETS vnsearch EXPORT vnsearchTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT library NAMELINK_COMPONENT dev
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT library
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/vnsearch DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
# The upstream notices of the gazetteer data compiled into the library (lib/places/).
install(FILES ${PROJECT_SOURCE_DIR}/NOTICE DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT library)
install(FILES ${PROJECT_BINARY_DIR}/include/vnsearch/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/vnsearch
        COMPONENT dev)

set(VNSEARCH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/vnsearch)
install(EXPORT vnsearchTargets NAMESPACE vnsearch:: DESTINATION ${VNSEARCH_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/vnsearchConfig.cmake.in
  ${PROJECT_BINARY_DIR}/vnsearchConfig.cmake INSTALL_DESTINATION ${VNSEARCH_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/vnsearchConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/vnsearchConfig.cmake ${PROJECT_BINARY_DIR}/vnsearchConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/vnsearchXapian.cmake
  DESTINATION ${VNSEARCH_CMAKE_DIR} COMPONENT dev)

configure_file(${PROJECT_SOURCE_DIR}/cmake/vnsearch.pc.in ${PROJECT_BINARY_DIR}/vnsearch.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/vnsearch.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
