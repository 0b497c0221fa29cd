# Xapian as an imported target, Xapian::Xapian. Debian's xapian-config.cmake (1.4) only sets
# variables (XAPIAN_LIBRARIES, XAPIAN_INCLUDE_DIR); this wraps them. Used by the build and,
# for a static libvnsearch only, by the installed vnsearchConfig.cmake.
if(NOT TARGET Xapian::Xapian)
  find_package(Xapian ${vnsearch_xapian_required} CONFIG NAMES xapian)
  if(XAPIAN_FOUND OR Xapian_FOUND)
    add_library(Xapian::Xapian INTERFACE IMPORTED)
    set_target_properties(Xapian::Xapian PROPERTIES
      INTERFACE_LINK_LIBRARIES "${XAPIAN_LIBRARIES}"
      INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}")
  endif()
endif()
