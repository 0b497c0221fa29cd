# Install rules: headers, library, CMake package (find_package(vnsearch CONFIG) ->
# vnsearch::vnsearch) and a pkg-config file.
include(CMakePackageConfigHelpers)

install(TARGETS vnsearch EXPORT vnsearchTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/vnsearch DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_BINARY_DIR}/include/vnsearch/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/vnsearch)

set(VNSEARCH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/vnsearch)
install(EXPORT vnsearchTargets NAMESPACE vnsearch:: DESTINATION ${VNSEARCH_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/vnsearchConfig.cmake.in
  ${PROJECT_BINARY_DIR}/vnsearchConfig.cmake INSTALL_DESTINATION ${VNSEARCH_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/vnsearchConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/vnsearchConfig.cmake ${PROJECT_BINARY_DIR}/vnsearchConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/vnsearchXapian.cmake
  DESTINATION ${VNSEARCH_CMAKE_DIR})

configure_file(${PROJECT_SOURCE_DIR}/cmake/vnsearch.pc.in ${PROJECT_BINARY_DIR}/vnsearch.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/vnsearch.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
