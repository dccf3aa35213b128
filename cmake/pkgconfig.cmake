# hpo.pc: the pkg-config file, written at install time.
#
# It is configured when `cmake --install` runs, not when the build is
# configured, so that its prefix is the one actually installed to
# (`cmake --install BUILD --prefix DIR` included) and stays an absolute
# path: pkgconf drops -I/usr/include and -L/usr/lib only when it sees them
# spelled that way.
#
# Libs.private is what `pkg-config --static --libs hpo` adds for libhpo.a.
# It is derived from HPO_PRIVATE_LIBS, the list the library itself links, so
# a dependency added there reaches hpo.pc without an edit here: Threads
# becomes -lpthread, a plain name (what pkg_check_modules' *_LIBRARIES hold)
# -lNAME.  They are deliberately not Requires.private modules: pkg-config
# reads those even for --cflags, so every user of the shared library would
# need cJSON's and SQLite's .pc files and get their -I flags for nothing
# (hpo.h includes neither).

set(HPO_PC_LIBS_PRIVATE)
foreach(lib IN LISTS HPO_PRIVATE_LIBS)
  if(lib STREQUAL "Threads::Threads")
    list(APPEND HPO_PC_LIBS_PRIVATE -lpthread)
  elseif(TARGET ${lib})
    message(FATAL_ERROR "cmake/pkgconfig.cmake: cannot name the imported "
      "target '${lib}' in hpo.pc; link a plain library name or teach this file")
  elseif(IS_ABSOLUTE "${lib}" OR lib MATCHES "^-")
    list(APPEND HPO_PC_LIBS_PRIVATE ${lib})
  else()
    list(APPEND HPO_PC_LIBS_PRIVATE -l${lib})
  endif()
endforeach()
list(REMOVE_DUPLICATES HPO_PC_LIBS_PRIVATE)
list(JOIN HPO_PC_LIBS_PRIVATE " " HPO_PC_LIBS_PRIVATE)

# libdir/includedir relative to ${prefix} unless given as absolute paths.
foreach(kind LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${kind}}")
    set(HPO_PC_${kind} "${CMAKE_INSTALL_${kind}}")
  else()
    set(HPO_PC_${kind} "\${prefix}/${CMAKE_INSTALL_${kind}}")
  endif()
endforeach()

# Everything but the prefix is fixed now; the install script substitutes
# @CMAKE_INSTALL_PREFIX@, which it holds at install time.
set(hpo_pc_template ${CMAKE_CURRENT_BINARY_DIR}/hpo.pc.in)
set(hpo_pc_file ${CMAKE_CURRENT_BINARY_DIR}/hpo.pc)
set(CMAKE_INSTALL_PREFIX_AT_INSTALL "@CMAKE_INSTALL_PREFIX@")
configure_file(cmake/hpo.pc.in ${hpo_pc_template} @ONLY)
install(CODE "configure_file(\"${hpo_pc_template}\" \"${hpo_pc_file}\" @ONLY)")
install(FILES ${hpo_pc_file} DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
