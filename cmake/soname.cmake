# hpo_soname(VAR LIBRARY): the SONAME of the shared library file LIBRARY
# (a path, symbolic links followed), which is the name dlopen is given at
# run time: it names the ABI the headers were compiled against, where the
# unversioned libX.so exists only with the -dev package.
function(hpo_soname var library)
  get_filename_component(real "${library}" REALPATH)
  execute_process(COMMAND ${CMAKE_OBJDUMP} -p "${real}"
    OUTPUT_VARIABLE dump RESULT_VARIABLE rc ERROR_QUIET)
  string(REGEX MATCH "SONAME[ \t]+([^ \t\r\n]+)" found "${dump}")
  if(NOT rc EQUAL 0 OR NOT found)
    message(FATAL_ERROR "cannot read the SONAME of ${library} (objdump -p)")
  endif()
  set(${var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()
