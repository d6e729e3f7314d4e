// How a backend tells the Connection how many attempts the call it is completing took,
// without widening the Backend interface: the backend sets the value on the thread that
// completes the call, just before returning or invoking the completion, and the Connection
// takes it there at once. Internal to the client layer.
#pragma once

namespace dynamo::detail {

// 1 unless a backend said otherwise; 0 means "unknown" (the transport gave up with an error).
inline thread_local int completing_call_attempts = 1;

// The value a backend set for the call completing on this thread, which resets it.
[[nodiscard]] inline int take_call_attempts() noexcept {
  const int attempts = completing_call_attempts;
  completing_call_attempts = 1;
  return attempts;
}

}  // namespace dynamo::detail
