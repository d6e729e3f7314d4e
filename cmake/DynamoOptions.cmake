# Compiler flags shared by every dynamo target: warnings, sanitizers.
add_library(dynamo_options INTERFACE)
target_compile_options(dynamo_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough)
# GCC 12 reports -Wrestrict on std::string concatenation at -O3 where no overlap exists
# (GCC bug 105651); the warning is unusable with it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(dynamo_options INTERFACE -Wno-restrict)
endif()
if(DYNAMO_WERROR)
  target_compile_options(dynamo_options INTERFACE -Werror)
endif()
if(DYNAMO_SANITIZE)
  target_compile_options(dynamo_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(dynamo_options INTERFACE -fsanitize=address,undefined)
endif()
if(DYNAMO_TSAN)
  target_compile_options(dynamo_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(dynamo_options INTERFACE -fsanitize=thread)
endif()
