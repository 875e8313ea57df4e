# Warnings for our own C++ sources (not for nvcc's host pass, which floods them).
function(h4j_warnings target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wno-unused-parameter>)
endfunction()
