#!/usr/bin/env bash
# Builds and runs tests/packaging/consumer against dynamo in one of the ways a user would:
#
#   consumer.sh install <build-dir> <prefix>          cmake --install, then check the files
#   consumer.sh find_package <prefix> <work-dir>      find_package(dynamo 0.2) from <prefix>
#   consumer.sh pkg_config <prefix> <work-dir> <c++>  c++ $(pkg-config --cflags --libs dynamo)
#   consumer.sh add_subdirectory <source> <scratch-dir> <work-dir> <build-type> <werror>
#                                                     add_subdirectory(<source>)
#   consumer.sh shared <source> <work-dir> <build-type> <werror>
#                                                     the same with BUILD_SHARED_LIBS=ON, then
#                                                     check SONAMEs and exported symbols
#
# Each run starts from empty directories; ccache (when installed) keeps rebuilds cheap.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=$1
jobs=${DYNAMO_PACKAGING_JOBS:-2}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi

fail() { echo "FAIL: $*" >&2; exit 1; }

# Runs the two consumer programs and checks what they print.
run_consumer() {
  local dir=$1 out
  out=$("$dir/consumer")
  echo "$out"
  grep -qx "dynamo 0.2.0" <<<"$out" || fail "consumer did not print the version"
  grep -qx "note n1 hello 3" <<<"$out" || fail "consumer did not read back its item"
  out=$("$dir/consumer_codec")
  echo "$out"
  [ "$out" = '{"S":"hello"}' ] || fail "consumer_codec printed '$out'"
  # Built where spdlog is installed (dynamo::spdlog).
  if [ -x "$dir/consumer_spdlog" ]; then
    out=$("$dir/consumer_spdlog") || fail "consumer_spdlog failed: '$out'"
    echo "$out"
  fi
}

case $mode in
  install)
    build=$2 prefix=$3
    rm -rf "$prefix"
    cmake --install "$build" --prefix "$prefix" >/dev/null
    for f in include/dynamo/dynamo.hpp include/dynamo/version.hpp include/dynamo/value/number.hpp \
             bin/dynamo-server bin/dynamo lib/cmake/dynamo/dynamoConfig.cmake \
             lib/cmake/dynamo/dynamoConfigVersion.cmake lib/cmake/dynamo/dynamoTargets.cmake \
             lib/pkgconfig/dynamo.pc share/doc/dynamo/LICENSE share/doc/dynamo/CHANGELOG.md; do
      [ -e "$prefix/$f" ] || fail "$f is not installed"
    done
    ls "$prefix"/lib/libdynamo_model.* >/dev/null 2>&1 || fail "libdynamo_model is not installed"
    # Only public headers: nothing of src/, no template of a generated header.
    leaked=$(cd "$prefix/include" && find . -type f ! -path './dynamo/*' -o -name '*.in' -o -name 'state.hpp' -o -name 'value_json.hpp')
    [ -z "$leaked" ] || fail "installed files that are not public headers: $leaked"
    grep -q "Apache License" "$prefix/share/doc/dynamo/LICENSE" || fail "LICENSE is not Apache-2.0"
    # Boost is header-only and private to the server: users of the package need not have it.
    if grep -q "Boost" "$prefix"/lib/cmake/dynamo/*.cmake; then fail "the installed package asks for Boost"; fi
    # Captured before matching: grep -q stops reading at the first match, and the program
    # would then die of SIGPIPE, which pipefail reports as a failure.
    help=$("$prefix/bin/dynamo-server" --help) || fail "installed dynamo-server does not run"
    grep -q -- "--port" <<<"$help" || fail "installed dynamo-server's --help lacks --port"
    version=$("$prefix/bin/dynamo" --version) || fail "installed dynamo does not run"
    [ "$version" = "dynamo 0.2.0" ] || fail "installed dynamo says '$version'"
    echo "installed into $prefix"
    ;;
  find_package)
    prefix=$2 work=$3
    rm -rf "$work"
    cmake -S "$here/consumer" -B "$work" -G Ninja "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$prefix" -DDYNAMO_CONSUMER_MODE=find_package
    cmake --build "$work" -j "$jobs"
    [ -n "$(find "$work" -name 'cmake_pch.hxx.gch' -size +1M)" ] || fail "dynamo.hpp was not precompiled"
    run_consumer "$work"
    ;;
  pkg_config)
    prefix=$2 work=$3 cxx=$4
    rm -rf "$work" && mkdir -p "$work"
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
    version=$(pkg-config --modversion dynamo)
    [ "$version" = "0.2.0" ] || fail "pkg-config reports version '$version'"
    pkg-config --atleast-version=0.2 dynamo || fail "pkg-config --atleast-version=0.2 failed"
    flags=$(pkg-config --cflags --libs dynamo)
    echo "pkg-config --cflags --libs dynamo: $flags"
    compiler=("$cxx")
    if command -v ccache >/dev/null; then compiler=(ccache "$cxx"); fi
    # shellcheck disable=SC2086  # the flags are words
    "${compiler[@]}" -std=c++20 -O1 "$here/consumer/main.cpp" $flags -o "$work/consumer"
    # shellcheck disable=SC2086
    "${compiler[@]}" -std=c++20 -O1 "$here/consumer/codec_only.cpp" $flags -o "$work/consumer_codec"
    # Shared libraries in a prefix the loader does not search (a static build needs none).
    export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    run_consumer "$work"
    ;;
  add_subdirectory)
    source=$2 defaults=$3 work=$4 build_type=$5 werror=$6
    # Configured with nothing set, dynamo must leave the build type alone and define no
    # tests, benchmarks or examples (the consumer's CMakeLists.txt checks both).
    rm -rf "$defaults"
    cmake -S "$here/consumer" -B "$defaults" -G Ninja -DDYNAMO_CONSUMER_MODE=add_subdirectory \
      -DDYNAMO_SOURCE_DIR="$source" -DDYNAMO_CONSUMER_EXPECTED_BUILD_TYPE= >/dev/null
    # Then built with the flags of the build running this test, from a directory as deep as
    # it: ccache (with CCACHE_BASEDIR) then serves the libraries' objects that build made.
    rm -rf "$work"
    cmake -S "$here/consumer" -B "$work" -G Ninja "${launcher[@]}" -DCMAKE_BUILD_TYPE="$build_type" \
      -DDYNAMO_WERROR="$werror" -DDYNAMO_CONSUMER_MODE=add_subdirectory -DDYNAMO_SOURCE_DIR="$source" \
      -DDYNAMO_CONSUMER_EXPECTED_BUILD_TYPE="$build_type"
    cmake --build "$work" -j "$jobs" --target consumer consumer_codec
    run_consumer "$work"
    ;;
  shared)
    source=$2 work=$3 build_type=$4 werror=$5
    rm -rf "$work"
    cmake -S "$here/consumer" -B "$work" -G Ninja "${launcher[@]}" -DCMAKE_BUILD_TYPE="$build_type" \
      -DDYNAMO_WERROR="$werror" -DDYNAMO_CONSUMER_MODE=add_subdirectory -DDYNAMO_SOURCE_DIR="$source" \
      -DDYNAMO_CONSUMER_EXPECTED_BUILD_TYPE="$build_type" -DBUILD_SHARED_LIBS=ON
    cmake --build "$work" -j "$jobs" --target consumer consumer_codec
    run_consumer "$work"
    linked=$(ldd "$work/consumer")
    grep -q "libdynamo_model\.so\.0\.2 " <<<"$linked" || fail "consumer is not linked to libdynamo_model.so.0.2"
    libs=$(find "$work/dynamo" -name 'libdynamo_*.so.0.2.*' -type f)
    [ -n "$libs" ] || fail "no shared library was built"
    for lib in $libs; do
      soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
      [[ "$soname" =~ ^libdynamo_[a-z]+\.so\.0\.2$ ]] || fail "$lib has the SONAME '$soname'"
      # Every exported symbol is dynamo's (its names, or a template instantiated for its types).
      foreign=$(nm -D --defined-only -C "$lib" | sed -E 's/^[0-9a-f]+ [A-Za-z] //' | grep -v 'dynamo::' || true)
      [ -z "$foreign" ] || fail "$lib exports symbols that are not dynamo's: $(head -5 <<<"$foreign")"
      echo "$(basename "$lib"): SONAME $soname, $(nm -D --defined-only "$lib" | wc -l) symbols exported"
    done
    ;;
  *)
    fail "unknown mode $mode"
    ;;
esac
