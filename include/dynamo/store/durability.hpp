// The durability modes of a persistent store, on their own so that option structs
// (EmbeddedOptions, the server's options) can name one without the store's declarations.
#pragma once

#include <optional>
#include <string_view>

namespace dynamo::store {

// What an acknowledged write survives; the table at the top of dynamo/store/store.hpp
// gives each mode's cost.
enum class Durability {
  process,     // survives the process dying; an OS crash or power loss may corrupt the store
  consistent,  // the default: also leaves the store intact after an OS crash or power loss,
               // losing at most the last writes
  power,       // loses nothing to an OS crash or power loss: fsync at every commit
};

// "process", "consistent", "power".
[[nodiscard]] std::string_view to_string(Durability durability) noexcept;
// The inverse of to_string; nullopt for another word.
[[nodiscard]] std::optional<Durability> parse_durability(std::string_view text) noexcept;

}  // namespace dynamo::store
