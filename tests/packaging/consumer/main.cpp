// A tiny application using dynamo from outside its tree: a model on the embedded engine.
// Prints dynamo's version and the item it read back; exits non-zero when something is off.
#include <dynamo/dynamo.hpp>
#include <dynamo/version.hpp>

#include <cstdint>
#include <iostream>
#include <string>

// dynamo's internal headers (src/) must not be reachable from a consumer.
#if __has_include("codec/value_json.hpp") || __has_include("engine/state.hpp")
#error "dynamo's src/ directory is on the consumer's include path"
#endif

static_assert(dynamo::version_major == 0 && dynamo::version_minor == 2);

struct Note {
  std::string id{};
  std::string text{};
  std::int64_t stars = 0;
};

template <>
struct dynamo::model<Note> {
  static auto schema() {
    return dynamo::table<Note>("Notes")
        .hash_key("id", &Note::id)
        .attribute("text", &Note::text)
        .attribute("stars", &Note::stars);
  }
};

int main() {
  using dynamo::field;
  auto db = dynamo::Connection::embedded();
  auto notes = db.table<Note>();
  notes.create_table({.wait = true});
  notes.save(Note{.id = "n1", .text = "hello", .stars = 1});
  notes.update({"n1"}, {field(&Note::stars).add(2)}, field(&Note::stars) == 1);
  const Note got = notes.get("n1");
  std::cout << "dynamo " << dynamo::version() << '\n'
            << "note " << got.id << ' ' << got.text << ' ' << got.stars << '\n';
  return got.text == "hello" && got.stars == 3 ? 0 : 1;
}
