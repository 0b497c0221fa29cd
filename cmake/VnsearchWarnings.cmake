# vnsearch_warnings(target): the project's warning set, per target (never global),
# promoted to errors when VNSEARCH_WERROR is on (CI).
function(vnsearch_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
  if(VNSEARCH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
