# vnsearch_warnings(target): the project's warning set, per target (never global),
# promoted to errors when VNSEARCH_WERROR is on (CI).
function(vnsearch_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
  # GCC 12 reports a false -Wrestrict inside libstdc++ for `"literal" + std::string` at -O2/-O3
  # (GCC bug 105651, fixed in GCC 13); keep the rest of the warning set.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(VNSEARCH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
