# Portable Linux binaries: the shipped shared libraries need at most glibc 2.28 although they are built against
# a newer one (native/compat/glibc_compat.cpp says how). h4j_glibc_compat(target) applies it to a shared
# library; ${CMAKE_BINARY_DIR}/lib/glibc_compat.rsp carries the same link options (a gcc response file, used
# as @FILE) for libraries linked outside CMake: the JavaCPP JNI glue (java/core/pom.xml).
option(H4J_GLIBC_COMPAT "Link the shared libraries so that they load on glibc 2.28" ON)
if(H4J_GLIBC_COMPAT AND NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  set(H4J_GLIBC_COMPAT OFF)
endif()

if(H4J_GLIBC_COMPAT)
  set(_src ${CMAKE_CURRENT_SOURCE_DIR}/native/compat/glibc_compat.cpp)
  add_library(h4j_glibc_compat OBJECT ${_src})
  h4j_warnings(h4j_glibc_compat)
  # the wrapped names, read from the source (one list): H4J_PIN(type, NAME, ...) and __wrap_NAME definitions
  file(READ ${_src} _text)
  string(REGEX MATCHALL "\nH4J_PIN\\([^,]+, [A-Za-z_0-9]+," _pins "${_text}")
  string(REGEX MATCHALL "__wrap_[a-z_][a-z_0-9]*" _wraps "${_text}")
  set(H4J_GLIBC_WRAPPED "")
  foreach(m ${_pins})
    string(REGEX REPLACE "^\nH4J_PIN\\([^,]+, ([A-Za-z_0-9]+),$" "\\1" n "${m}")
    list(APPEND H4J_GLIBC_WRAPPED ${n})
  endforeach()
  foreach(m ${_wraps})
    string(REGEX REPLACE "^__wrap_" "" n "${m}")
    list(APPEND H4J_GLIBC_WRAPPED ${n})
  endforeach()
  list(REMOVE_DUPLICATES H4J_GLIBC_WRAPPED)
  set(H4J_GLIBC_LINK_OPTIONS "")
  foreach(n ${H4J_GLIBC_WRAPPED})
    list(APPEND H4J_GLIBC_LINK_OPTIONS "-Wl,--wrap=${n}")
  endforeach()
  # before glibc 2.34 the pinned pthread, dl and shm functions live in these three (stubs since 2.34)
  list(APPEND H4J_GLIBC_LINK_OPTIONS "-Wl,--push-state,--no-as-needed" "-l:libpthread.so.0" "-l:libdl.so.2" "-l:librt.so.1"
       "-Wl,--pop-state"
       # libgcc's unwinder from libgcc_s.so.1 (every system has it), not libgcc_eh.a, which calls _dl_find_object (2.35)
       "-shared-libgcc")
  string(REPLACE ";" "\n" _rsp "${H4J_GLIBC_LINK_OPTIONS}")
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/lib/glibc_compat.rsp
       CONTENT "$<JOIN:$<TARGET_OBJECTS:h4j_glibc_compat>,\n>\n${_rsp}\n")
else()
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/lib/glibc_compat.rsp CONTENT "")
endif()

function(h4j_glibc_compat target)
  if(H4J_GLIBC_COMPAT)
    target_sources(${target} PRIVATE $<TARGET_OBJECTS:h4j_glibc_compat>)
    target_link_options(${target} PRIVATE ${H4J_GLIBC_LINK_OPTIONS})
  endif()
endfunction()
