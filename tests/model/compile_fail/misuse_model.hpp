// The model the compile-failure tests misuse. Each test file compiles cleanly without
// DYNAMO_MISUSE (the control build) and fails with one named static assertion with it.
#pragma once

#include <dynamo/model/field.hpp>
#include <dynamo/model/schema.hpp>

struct Misuse {
  std::string name{};
  std::int64_t views = 0;
  std::optional<std::string> nickname{};
  std::vector<std::string> notes{};
};

template <>
struct dynamo::model<Misuse> {
  static auto schema() {
    return dynamo::table<Misuse>("Misuse")
        .hash_key("name", &Misuse::name)
        .attribute("views", &Misuse::views)
        .attribute("nickname", &Misuse::nickname)
        .attribute("notes", &Misuse::notes);
  }
};
