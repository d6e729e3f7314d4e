# Compiler flags shared by every dynamo target: warnings, sanitizers.
add_library(dynamo_options INTERFACE)
target_compile_options(dynamo_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough)
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
