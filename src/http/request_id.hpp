// Client-side call ids for correlating hook events. Internal.
#pragma once

#include <string>

namespace dynamo::http::detail {

// A random (version 4) UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
[[nodiscard]] std::string new_client_request_id();

}  // namespace dynamo::http::detail
