// PynamoDB's manual, "Polymorphism": ParentModel with FooModel and BarModel in one table,
// told apart by a discriminator attribute `cls`.
#include <dynamo/dynamo.hpp>

#include <iostream>

#include "example_connection.hpp"

struct FooModel {
  std::string id{};
  std::string foo{};
};

struct BarModel {
  std::string id{};
  std::string bar{};
};

template <>
struct dynamo::model<FooModel> {
  static auto schema() {
    return dynamo::table<FooModel>("polymorphic_table")
        .hash_key("id", &FooModel::id)
        .discriminator("cls", "Foo")
        .attribute("foo", &FooModel::foo);
  }
};

template <>
struct dynamo::model<BarModel> {
  static auto schema() {
    return dynamo::table<BarModel>("polymorphic_table")
        .hash_key("id", &BarModel::id)
        .discriminator("cls", "Bar")
        .attribute("bar", &BarModel::bar);
  }
};

int main() {
  std::cout << "Polymorphism example on " << examples::where() << "\n";
  const dynamo::Connection db = examples::connection();
  // The parent model: every item of the table, each as its own model.
  dynamo::PolymorphicTable<FooModel, BarModel> parent(db);
  if (parent.exists()) parent.delete_table({.wait = true});
  parent.create_table({.wait = true});

  const BarModel bar{.id = "Hello", .bar = "World!"};
  std::cout << "BarModel(id='Hello', bar='World!').serialize() = " << dynamo::to_json(bar) << "\n";
  db.table<BarModel>().save(bar);
  db.table<FooModel>().save(FooModel{.id = "Hi", .foo = "there"});

  int count = 0;
  for (const std::variant<FooModel, BarModel>& item : parent.scan()) {
    std::visit(
        [](const auto& model) {
          if constexpr (std::is_same_v<std::decay_t<decltype(model)>, FooModel>) {
            std::cout << "  a FooModel: " << model.id << " / " << model.foo << "\n";
          } else {
            std::cout << "  a BarModel: " << model.id << " / " << model.bar << "\n";
          }
        },
        item);
    ++count;
  }
  // A subclass reads only its own items; reading another's by key is an error.
  const auto foos = db.table<FooModel>().scan().to_vector();
  std::cout << "FooModel.scan() finds " << foos.size() << " item(s)\n";
  try {
    (void)db.table<FooModel>().get("Hello");
    std::cerr << "FAILED: a BarModel was read as a FooModel\n";
    return 1;
  } catch (const dynamo::WrongModel& e) {
    std::cout << "FooModel.get('Hello'): " << e.what() << "\n";
  }
  if (count != 2 || foos.size() != 1) {
    std::cerr << "FAILED: expected 2 items in the table and 1 FooModel\n";
    return 1;
  }
  return 0;
}
