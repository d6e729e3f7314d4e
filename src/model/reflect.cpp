// ReflectionCore: matching the attributes a reflected schema declares to the struct's members.
#include <string>
#include <utility>

#include "dynamo/error.hpp"
#include "dynamo/model/reflect.hpp"

namespace dynamo::detail::reflection {
namespace {

std::string owner(const ReflectionCore& reflection) {
  return reflection.table_name.empty() ? std::string("the reflected map schema")
                                       : "the reflected schema of table " + reflection.table_name;
}

// How an error names a declared attribute: its stored name, when it was given one.
std::string described(const FieldCore& field) {
  return field.name.empty() ? std::string("a member") : "attribute \"" + field.name + "\"";
}

}  // namespace

void ReflectionCore::declare(FieldCore field) {
  for (const FieldCore& declared : declared_)
    if (declared.member == field.member)
      throw Error::validation(described(field) + " is the member of " + described(declared) + ", declared twice in " +
                              owner(*this));
  declared_.push_back(std::move(field));
  matched_.push_back(false);
}

void ReflectionCore::add_member(SchemaCore& core, const MemberId& member, std::string_view name,
                                FieldCore (*make)(std::string name, const MemberId& member)) {
  if (unknown_member && *unknown_member == member) return;
  for (std::size_t i = 0; i < declared_.size(); ++i) {
    if (declared_[i].member != member) continue;
    FieldCore field = declared_[i];
    if (field.name.empty()) field.name = std::string(name);
    matched_[i] = true;
    core.add_field(std::move(field));
    return;
  }
  core.add_field(make(std::string(name), member));
}

void ReflectionCore::check_all_matched() const {
  for (std::size_t i = 0; i < declared_.size(); ++i)
    if (!matched_[i])
      throw Error::validation(described(declared_[i]) + " of " + owner(*this) +
                              " is not among the struct's attributes: its member is excluded");
}

}  // namespace dynamo::detail::reflection
