# The Python package (python/hpo) beside the library it wraps.
#
# `cmake --install` puts it in Debian's layout for the system interpreter,
# PREFIX/lib/python3.X/dist-packages/hpo (for the default prefix /usr/local
# that directory is on /usr/bin/python3's path), with _install_path.py
# naming the installed libhpo.so.0, so `import hpo` works without
# ldconfig, a virtual environment or pip (docs/python.md says why).
# The tests run the package from the source tree (tests/CMakeLists.txt).
find_program(HPO_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT HPO_PYTHON3)
  find_program(HPO_PYTHON3 python3)
endif()
if(HPO_PYTHON3)
  execute_process(COMMAND ${HPO_PYTHON3} -c
    "import sys; print('lib/python%d.%d/dist-packages' % sys.version_info[:2])"
    OUTPUT_VARIABLE HPO_PYTHON_DIR_DEFAULT OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(HPO_PYTHON_INSTALL_DIR ${HPO_PYTHON_DIR_DEFAULT} CACHE STRING
    "where `cmake --install` puts the Python package hpo (relative to the prefix)")
  install(DIRECTORY python/hpo DESTINATION ${HPO_PYTHON_INSTALL_DIR}
    FILES_MATCHING PATTERN "*.py" PATTERN "_cdef.h"
    PATTERN "__pycache__" EXCLUDE)
  # Written at install time, so that `cmake --install --prefix P` names
  # P's library (the configured prefix may differ).
  install(CODE "set(HPO_PYTHON_INSTALL_DIR \"${HPO_PYTHON_INSTALL_DIR}\")
set(HPO_INSTALL_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")")
  install(SCRIPT cmake/python_install_path.cmake)
endif()
