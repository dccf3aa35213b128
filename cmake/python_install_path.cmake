# Run by `cmake --install` (cmake/python.cmake): write hpo/_install_path.py
# beside the installed Python package, naming the libhpo.so.0 installed
# with it.  CMAKE_INSTALL_PREFIX is the install's own (--prefix); DESTDIR
# stages the file without entering its text.
set(_libdir ${HPO_INSTALL_LIBDIR})
if(NOT IS_ABSOLUTE "${_libdir}")
  set(_libdir "${CMAKE_INSTALL_PREFIX}/${_libdir}")
endif()
set(_pydir ${HPO_PYTHON_INSTALL_DIR})
if(NOT IS_ABSOLUTE "${_pydir}")
  set(_pydir "${CMAKE_INSTALL_PREFIX}/${_pydir}")
endif()
set(_file "$ENV{DESTDIR}${_pydir}/hpo/_install_path.py")
message(STATUS "Installing: ${_file}")
file(WRITE "${_file}"
  "# Written by cmake --install: the libhpo this copy of the package uses.\n"
  "LIBRARY = \"${_libdir}/libhpo.so.0\"\n")
