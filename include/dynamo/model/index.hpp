// Secondary indexes declared on a model: global (own hash key, own capacity) and local (the
// table's hash key, another range key), with ALL / KEYS_ONLY / INCLUDE projections.
//
//   template <> struct dynamo::model<TestModel> {
//     static auto view_index() {                   // PynamoDB's ViewIndex(GlobalSecondaryIndex)
//       return dynamo::global_index<TestModel>("foo-index")
//           .hash_key(&TestModel::view)
//           .projection(dynamo::IndexProjection::all())
//           .capacity(2, 1);
//     }
//     static auto schema() {
//       return dynamo::table<TestModel>("TestModel")
//           .hash_key("forum", &TestModel::forum)
//           .range_key("thread", &TestModel::thread)
//           .attribute("view", &TestModel::view)
//           .index(view_index());
//     }
//   };
//   auto by_view = tests.index(dynamo::model<TestModel>::view_index());   // ModelIndex
//   for (const TestModel& t : by_view.query(1)) ...
//
// Index keys are members already declared as attributes; the index's key types are part of
// its type, so by_view.query("x") does not compile when `view` is a number.
#pragma once

#include <string>
#include <type_traits>

#include "dynamo/model/schema.hpp"

namespace dynamo {

template <class T, class H = void, class R = NoRangeKey>
class IndexSchema {
 public:
  using object_type = T;
  using hash_type = H;
  using range_type = R;

  explicit IndexSchema(detail::IndexCore core) : core_(std::move(core)) {}

  template <class M, class B>
    requires std::is_base_of_v<B, T>
  [[nodiscard]] IndexSchema<T, M, R> hash_key(M B::*member) const {
    static_assert(std::is_void_v<H>, "hash_key() is declared twice");
    static_assert(detail::is_key_type<typename detail::unwrap_optional<M>::type>(),
                  "an index key attribute must be stored as a string, a number or binary");
    auto core = core_;
    core.hash_member = detail::member_id(static_cast<M T::*>(member));
    return IndexSchema<T, M, R>(std::move(core));
  }

  template <class M, class B>
    requires std::is_base_of_v<B, T>
  [[nodiscard]] IndexSchema<T, H, M> range_key(M B::*member) const {
    static_assert(std::is_same_v<R, NoRangeKey>, "range_key() is declared twice");
    static_assert(detail::is_key_type<typename detail::unwrap_optional<M>::type>(),
                  "an index key attribute must be stored as a string, a number or binary");
    auto core = core_;
    core.range_member = detail::member_id(static_cast<M T::*>(member));
    return IndexSchema<T, H, M>(std::move(core));
  }

  [[nodiscard]] IndexSchema projection(IndexProjection projection) const {
    auto copy = *this;
    copy.core_.projection = std::move(projection);
    return copy;
  }

  // Provisioned capacity of a global index (ignored for on-demand tables).
  [[nodiscard]] IndexSchema capacity(std::int64_t read_units, std::int64_t write_units) const {
    auto copy = *this;
    copy.core_.read_capacity_units = read_units;
    copy.core_.write_capacity_units = write_units;
    return copy;
  }

  [[nodiscard]] const std::string& name() const noexcept { return core_.name; }
  [[nodiscard]] const detail::IndexCore& core() const noexcept { return core_; }

 private:
  detail::IndexCore core_;
};

template <class T>
[[nodiscard]] IndexSchema<T> global_index(std::string index_name) {
  detail::IndexCore core;
  core.name = std::move(index_name);
  core.global = true;
  return IndexSchema<T>(std::move(core));
}

// A local index: its hash key must be the table's (as in PynamoDB, it is declared again,
// which keeps the index's key types in its own type); its range key is another attribute.
template <class T>
[[nodiscard]] IndexSchema<T> local_index(std::string index_name) {
  detail::IndexCore core;
  core.name = std::move(index_name);
  core.global = false;
  return IndexSchema<T>(std::move(core));
}

}  // namespace dynamo
