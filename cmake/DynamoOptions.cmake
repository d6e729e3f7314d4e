# Compiler flags shared by every dynamo target: warnings, sanitizers.
#
# Layers link this target PRIVATE; a static library still records it (as link-only) in what
# it exports, so it is installed as dynamo::options. The warnings apply to dynamo's own build
# only; the sanitizer link flags travel with an instrumented library, which needs them.
add_library(dynamo_options INTERFACE)
set_target_properties(dynamo_options PROPERTIES EXPORT_NAME options)
set(dynamo_build_flags
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough)
# GCC 12 reports -Wrestrict on std::string concatenation at -O3 where no overlap exists
# (GCC bug 105651); the warning is unusable with it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND dynamo_build_flags -Wno-restrict)
endif()
if(DYNAMO_WERROR)
  list(APPEND dynamo_build_flags -Werror)
endif()
if(DYNAMO_SANITIZE)
  list(APPEND dynamo_build_flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(dynamo_options INTERFACE -fsanitize=address,undefined)
endif()
# In the fuzz build every dynamo library carries libFuzzer's coverage instrumentation, so
# that a target is guided by the code it reaches in the libraries (the server's sessions, the
# stores), not only by its own source file.
# FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION (the name fuzzing projects share) lets code skip
# checks a fuzzer cannot pass by chance, such as checksums, to reach what lies behind them.
if(DYNAMO_FUZZ)
  list(APPEND dynamo_build_flags -fsanitize=fuzzer-no-link -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
endif()
if(DYNAMO_TSAN)
  list(APPEND dynamo_build_flags -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(dynamo_options INTERFACE -fsanitize=thread)
endif()
target_compile_options(dynamo_options INTERFACE "$<BUILD_INTERFACE:${dynamo_build_flags}>")
