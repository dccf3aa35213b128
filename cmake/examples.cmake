# examples/*.c built in hpo's own tree as example_NAME, against hpo_static,
# and run as ctest cases example_NAME.
#
# A case passes when the program exits 0 and prints what it should.  ctest's
# PASS_REGULAR_EXPRESSION alone ignores the exit status, so each program runs
# under `sh -c '"$@" && echo ...'`, which adds a final line only on success,
# and the expected pattern ends with that line.

file(GLOB HPO_EXAMPLE_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/examples/*.c)
foreach(src IN LISTS HPO_EXAMPLE_SOURCES)
  get_filename_component(name ${src} NAME_WE)
  add_executable(example_${name} ${src})
  target_link_libraries(example_${name} PRIVATE hpo_static ${HPO_PRIVATE_LIBS})
endforeach()

# What each example must print (CMake regular expressions; '.' matches a
# newline too).  An example without an entry here only has to exit 0.
set(hpo_float "-?[0-9][0-9.e+-]*")
set(HPO_EXAMPLE_EXPECT_quickstart
  "best of 200 trials is trial #[0-9]+, value ${hpo_float}\n  x = ${hpo_float}\n  y = -?[0-9]+\n  optimizer = (sgd|adam|rmsprop)\n")
set(HPO_EXAMPLE_EXPECT_ask_tell
  "pruning: [1-9][0-9]* complete, [1-9][0-9]* pruned; best trial #[0-9]+: lr = ${hpo_float}, loss ${hpo_float}\npareto front: [1-9][0-9]* of 60 trials\n  trial #")
set(HPO_EXAMPLE_EXPECT_space_file
  "12 parameters from .*\"momentum\".*each only with its optimizer: yes\nbest trial #[0-9]+, value ${hpo_float}:\n  lr  ")
set(HPO_EXAMPLE_EXPECT_custom_sampler
  "    local +Gaussian steps.*\n        scale=0.1  \\(float in \\(0, 1\\]\\) .*refused: local: option scale=2 is outside.*within 0.01 of the minimum 0 at \\(1, -2\\): yes\n")
set(HPO_EXAMPLE_EXPECT_custom_pruner
  "margin pruner: [1-9][0-9]* complete, [1-9][0-9]* pruned; best trial #[0-9]+: lr = ${hpo_float}, loss ${hpo_float}\n")
set(HPO_EXAMPLE_EXPECT_hypergrad_ridge
  "12 lambdas, 30 steps: validation loss ${hpo_float} -> ${hpo_float} \\(test ${hpo_float}\\)\n  lambda_x0 .*best trial #[0-9]+ holds these lambdas: yes\n")
set(HPO_EXAMPLE_ARGS_space_file ${PROJECT_SOURCE_DIR}/examples/space.json)

if(HPO_TESTS)
  foreach(src IN LISTS HPO_EXAMPLE_SOURCES)
    get_filename_component(name ${src} NAME_WE)
    add_test(NAME example_${name}
      COMMAND sh -c "\"$@\" && echo '[example exited 0]'" sh
              $<TARGET_FILE:example_${name}> ${HPO_EXAMPLE_ARGS_${name}})
    set_tests_properties(example_${name} PROPERTIES TIMEOUT 60
      PASS_REGULAR_EXPRESSION "${HPO_EXAMPLE_EXPECT_${name}}.*\\[example exited 0\\]")
  endforeach()
endif()
