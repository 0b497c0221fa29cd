# Debian packages with CPack: `cd build && cpack -G DEB` makes four packages from the
# install components (cmake/VnsearchInstall.cmake), installing under /usr:
#   libvnsearch0       the shared library (soname libvnsearch.so.0.MINOR)
#   libvnsearch-dev    headers, libvnsearch.so, CMake package and pkg-config file
#   vnsearch           the command-line tool
#   python3-vnsearch   the Python package (/usr/lib/python3/dist-packages/vnsearch)
# Depends: dpkg-shlibdeps for the system libraries (libxapian30, libicu72,
# libboost-locale1.74.0, libstdc++6 ... on Debian 12), plus libvnsearch0 of the same version
# for the other three. scripts/check-debs.sh builds and checks them (CI). docs/packaging.md.
set(CPACK_PACKAGE_NAME vnsearch)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "vnsearch developers <vnsearch@localhost>")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL library dev cli)
if(TARGET _vnsearch)
  list(APPEND CPACK_COMPONENTS_ALL python)
endif()
# Install into DESTDIR with the real prefix (/usr), so install-time code (the Python
# site directory, bindings/python/CMakeLists.txt) sees the prefix the package will have.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps finds libvnsearch.so.0.MINOR (needed by the CLI and the Python module) in
# the build tree; the dependency on it is the explicit libvnsearch0 (= version) below.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/lib)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(_self "libvnsearch0 (= ${PROJECT_VERSION})")

set(CPACK_DEBIAN_LIBRARY_PACKAGE_NAME libvnsearch0)
set(CPACK_DEBIAN_LIBRARY_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_LIBRARY_DESCRIPTION "Embedded full-text search for Vietnamese - shared library
 vnsearch indexes and searches Vietnamese text with Xapian: syllable analysis, queries
 with or without diacritics, Telex/VNI decoding, abbreviations, snippets and facets.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libvnsearch-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${_self}")
set(CPACK_COMPONENT_DEV_DESCRIPTION "Embedded full-text search for Vietnamese - development files
 Headers (C++17), the CMake package (find_package(vnsearch CONFIG): vnsearch::vnsearch)
 and a pkg-config file for libvnsearch.")

set(CPACK_DEBIAN_CLI_PACKAGE_NAME vnsearch)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_CLI_PACKAGE_DEPENDS "${_self}")
set(CPACK_COMPONENT_CLI_DESCRIPTION "Embedded full-text search for Vietnamese - command-line tool
 vnsearch index, search, suggest, stats and abbrev: index article files and JSONL, and
 search them with or without diacritics.")

set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-vnsearch)
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS
    "${_self}, python3 (>= ${VNSEARCH_PYTHON_VERSION}), python3 (<< ${VNSEARCH_PYTHON_NEXT_VERSION})")
set(CPACK_COMPONENT_PYTHON_DESCRIPTION "Embedded full-text search for Vietnamese - Python 3 bindings
 import vnsearch: Index, IndexBuilder, Searcher and the analysis functions, with results
 that render as tables in Jupyter and convert to pandas.")

include(CPack)
