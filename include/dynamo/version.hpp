// The version of dynamo these headers belong to.
//
//   #include <dynamo/version.hpp>
//   static_assert(dynamo::version_major == 0 && dynamo::version_minor >= 2);
//   std::cout << "dynamo " << dynamo::version() << '\n';   // "dynamo 0.2.0"
//
// Until 1.0, a minor release may change the API; a patch release does not. The numbers
// here and the version in CMakeLists.txt's project() are one: configuring fails when they
// differ.
#pragma once

#include <string_view>

namespace dynamo {

inline constexpr int version_major = 0;
inline constexpr int version_minor = 2;
inline constexpr int version_patch = 0;

// "major.minor.patch".
[[nodiscard]] constexpr std::string_view version() noexcept { return "0.2.0"; }

}  // namespace dynamo
