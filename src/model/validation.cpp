// Validation of model objects, update values and raw documents (dynamo/model/validation.hpp):
// the loops over fields and actions, the messages, and the reading of plain JSON documents.
#include "dynamo/model/validation.hpp"

#include <re2/re2.h>
#include <simdjson.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "codec/base64.hpp"
#include "dynamo/codec/json.hpp"
#include "dynamo/model/errors.hpp"
#include "dynamo/model/schema.hpp"

namespace dynamo {

namespace {

std::string list_violations(const std::string& subject, const std::vector<Violation>& violations) {
  std::string text = "invalid " + subject + ": ";
  bool first = true;
  for (const Violation& v : violations) {
    if (!first) text += "; ";
    first = false;
    if (!v.field.empty()) text += v.field + ": ";
    text += v.message;
  }
  return text;
}

}  // namespace

ValidationError::ValidationError(const std::string& subject, std::vector<Violation> violations)
    : Error(std::string(error_code::schema_validation), list_violations(subject, violations), 400), violations_(std::move(violations)) {}

namespace detail {

// ---- ValidationContext ----

std::string ValidationContext::path() const {
  std::vector<const Step::Node*> nodes;
  for (const Step::Node* node = top_; node != nullptr; node = node->parent) nodes.push_back(node);
  std::string text;
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    if ((*it)->is_index) {
      text += "[" + std::to_string((*it)->index) + "]";
    } else {
      if (!text.empty()) text += '.';
      text += (*it)->name;
    }
  }
  return text;
}

void ValidationContext::report(std::string message) { out_->push_back({path(), std::move(message)}); }

void ValidationContext::report_member(std::string_view member, std::string message) {
  std::string where = path();
  if (!member.empty()) where += (where.empty() ? "" : ".") + std::string(member);
  out_->push_back({std::move(where), std::move(message)});
}

// ---- messages ----

namespace {

constexpr std::size_t shown_text = 40;

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

std::string shorten(std::string_view text) {
  if (text.size() <= shown_text) return std::string(text);
  std::size_t cut = shown_text;
  while (cut > 0 && is_continuation(text[cut])) --cut;  // keep whole UTF-8 characters
  return std::string(text.substr(0, cut)) + "...";
}

std::string plural(std::size_t n, std::string_view unit) {
  return std::to_string(n) + " " + std::string(unit) + (n == 1 ? "" : "s");
}

// "a string", "an array", ... as a JSON or a DynamoDB reader would call what it found.
std::string found_kind(const AttributeValue& value, bool plain) {
  switch (value.type()) {
    case Type::string: return "a string";
    case Type::number: return "a number";
    case Type::binary: return "a binary";
    case Type::boolean: return plain ? "true or false" : "a boolean";
    case Type::null: return "null";
    case Type::map: return plain ? "an object" : "a map";
    case Type::list: return plain ? "an array" : "a list";
    case Type::string_set: return "a string set";
    case Type::number_set: return "a number set";
    case Type::binary_set: return "a binary set";
  }
  return "a value";
}

std::string expected_kind(StoredAs stored_as, bool plain) {
  switch (stored_as) {
    case StoredAs::string: return "a string";
    case StoredAs::number: return "a number";
    case StoredAs::binary: return plain ? "base64 text" : "a binary";
    case StoredAs::boolean: return plain ? "true or false" : "a boolean";
    case StoredAs::null: return "null";
    case StoredAs::map: return plain ? "an object" : "a map";
    case StoredAs::list: return plain ? "an array" : "a list";
    case StoredAs::string_set: return plain ? "an array of strings" : "a string set";
    case StoredAs::number_set: return plain ? "an array of numbers" : "a number set";
    case StoredAs::binary_set: return plain ? "an array of base64 texts" : "a binary set";
    case StoredAs::any: break;
  }
  return "a value";
}

void sort_by_field(std::vector<Violation>& violations) {
  std::stable_sort(violations.begin(), violations.end(),
                   [](const Violation& a, const Violation& b) { return a.field < b.field; });
}

}  // namespace

std::string describe_value(const AttributeValue& value) {
  switch (value.type()) {
    case Type::string: return "\"" + shorten(value.as_string()) + "\"";
    case Type::number: return value.as_number().to_string();
    case Type::boolean: return value.as_bool() ? "true" : "false";
    case Type::null: return "null";
    case Type::binary: return "a binary of " + plural(value.as_binary().size(), "byte");
    default: break;
  }
  try {
    return shorten(json::encode(value));
  } catch (const Error&) {
    return "a value that cannot be shown";
  }
}

std::size_t count_characters(std::string_view utf8) noexcept {
  std::size_t count = 0;
  for (char c : utf8)
    if (!is_continuation(c)) ++count;
  return count;
}

std::size_t stored_length(const AttributeValue& value) {
  switch (value.type()) {
    case Type::string: return count_characters(value.as_string());
    case Type::binary: return value.as_binary().size();
    case Type::map: return value.as_map().size();
    case Type::list: return value.as_list().size();
    case Type::string_set: return value.as_string_set().size();
    case Type::number_set: return value.as_number_set().size();
    case Type::binary_set: return value.as_binary_set().size();
    default: return 0;
  }
}

std::optional<std::string> length_problem(std::size_t length, StoredAs stored_as, std::optional<std::size_t> min,
                                          std::optional<std::size_t> max) {
  const std::string_view unit = stored_as == StoredAs::string   ? "character"
                                : stored_as == StoredAs::binary ? "byte"
                                : stored_as == StoredAs::map    ? "member"
                                                                : "element";
  if (max && length > *max) return "has " + plural(length, unit) + ", at most " + std::to_string(*max) + " allowed";
  if (min && length < *min) return "has " + plural(length, unit) + ", at least " + std::to_string(*min) + " required";
  return std::nullopt;
}

// ---- patterns ----

// RE2, not std::regex: libstdc++'s matcher recurses once per character of the text, so a
// long string (an attribute may hold 400 KB) overflows the stack; RE2 runs in time linear in
// the text with a bounded stack, for every expression.
class CompiledPattern {
 public:
  explicit CompiledPattern(const std::string& expression) : regex_(expression, options()) {}
  [[nodiscard]] bool ok() const { return regex_.ok(); }
  [[nodiscard]] const std::string& error() const { return regex_.error(); }
  [[nodiscard]] bool matches(std::string_view text) const {
    return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), regex_);
  }

 private:
  static RE2::Options options() {
    RE2::Options options;
    options.set_log_errors(false);  // a malformed expression is reported by compile_pattern
    return options;
  }
  RE2 regex_;
};

std::shared_ptr<const CompiledPattern> compile_pattern(const std::string& expression) {
  auto pattern = std::make_shared<const CompiledPattern>(expression);
  if (!pattern->ok())
    throw Error::validation("pattern \"" + expression + "\" is not a valid regular expression: " + pattern->error());
  return pattern;
}

bool pattern_matches(const CompiledPattern& pattern, std::string_view text) { return pattern.matches(text); }

// ---- objects and updates ----

std::vector<Violation> violations_of(const SchemaCore& schema, const void* object) {
  std::vector<Violation> out;
  ValidationContext context(out);
  schema.validate(object, context);
  sort_by_field(out);
  return out;
}

void throw_invalid(const SchemaCore& schema, std::vector<Violation> violations) {
  throw ValidationError(schema.subject(), std::move(violations));
}

namespace {

// One update action on `field`, or on an element of it (scope element).
void check_action_on(const FieldCore& field, const expr::UpdateAction& action, ValueScope scope,
                     ValidationContext& context) {
  using Kind = expr::UpdateAction::Kind;
  using OperandKind = expr::Operand::Kind;
  const expr::Operand& operand = action.operand;
  switch (action.kind) {
    case Kind::set:
      if (field.check_value == nullptr) return;
      if (operand.kind() == OperandKind::value) {
        field.check_value(field, operand.value(), scope, context);
      } else if (operand.kind() == OperandKind::if_not_exists && operand.args().size() == 2 &&
                 operand.args()[1].kind() == OperandKind::value) {
        field.check_value(field, operand.args()[1].value(), scope, context);  // the value it may write
      } else if (operand.kind() == OperandKind::list_append && scope == ValueScope::whole) {
        for (const expr::Operand& part : operand.args())
          if (part.kind() == OperandKind::value) field.check_value(field, part.value(), ValueScope::elements, context);
      }
      // Arithmetic and copies from other attributes are computed by DynamoDB: not checked.
      return;
    case Kind::remove:
      if (scope == ValueScope::whole && field.required) context.report("is required, so it cannot be removed");
      return;
    case Kind::add:
      if (scope == ValueScope::whole && field.check_value != nullptr && is_set(field.shape->stored_as) &&
          operand.kind() == OperandKind::value)
        field.check_value(field, operand.value(), ValueScope::elements, context);
      return;
    case Kind::delete_elements: return;
  }
}

// The action whose path, from position `at`, names an attribute of `schema`.
void check_action(const SchemaCore& schema, const expr::UpdateAction& action, std::size_t at,
                  ValidationContext& context) {
  const auto& elements = action.target.elements();
  const auto* name = std::get_if<std::string>(&elements[at]);
  if (name == nullptr) return;
  const FieldCore* field = schema.field_named(*name);
  if (field == nullptr) return;  // not declared: no rules to check
  ValidationContext::Step step(context, std::string_view(*name));
  if (at + 1 == elements.size()) {
    check_action_on(*field, action, ValueScope::whole, context);
  } else if (std::holds_alternative<std::string>(elements[at + 1])) {
    if (field->shape->schema != nullptr) check_action(field->shape->schema(), action, at + 1, context);
  } else if (at + 2 == elements.size() && field->shape->stored_as == StoredAs::list) {
    ValidationContext::Step position(context, std::get<std::size_t>(elements[at + 1]));
    check_action_on(*field, action, ValueScope::element, context);
  }
}

}  // namespace

std::vector<Violation> update_violations(const SchemaCore& schema, const expr::Update& update) {
  std::vector<Violation> out;
  ValidationContext context(out);
  for (const expr::UpdateAction& action : update.actions()) {
    if (!action.target.empty()) check_action(schema, action, 0, context);
  }
  sort_by_field(out);
  return out;
}

// ---- documents ----

namespace {

std::optional<AttributeValue> coerce(const TypeShape& shape, const AttributeValue& value, bool plain,
                                     ValidationContext& context);

// A map read as a struct with `schema`: declared members typed, unknown ones reported.
std::optional<AttributeValue> coerce_object(const SchemaCore& schema, const AttributeMap& map, bool plain,
                                            ValidationContext& context) {
  std::vector<AttributeMap::value_type> entries;
  bool failed = false;
  for (const auto& [name, value] : map) {
    ValidationContext::Step step(context, std::string_view(name));
    const FieldCore* field = schema.field_named(name);
    if (field == nullptr) {
      const auto& discriminator = schema.discriminator();
      if (discriminator && discriminator->attribute == name) {
        if (schema.accepts_discriminator(&value)) {
          entries.emplace_back(name, value);
        } else {
          context.report("is " + describe_value(value) + ", not \"" + discriminator->values.front() + "\"");
          failed = true;
        }
      } else if (schema.keeps_unknown_attributes()) {
        entries.emplace_back(name, value);
      } else {
        context.report("is not declared in the schema");
        failed = true;
      }
      continue;
    }
    if (value.is(Type::null) && field->nullable && field->shape->stored_as != StoredAs::null) continue;
    if (plain && detail::is_set(field->shape->stored_as) && value.is(Type::list) && value.as_list().empty()) continue;
    if (auto typed = coerce(*field->shape, value, plain, context)) entries.emplace_back(name, std::move(*typed));
    else failed = true;
  }
  if (failed) return std::nullopt;
  AttributeMap out;
  (void)out.assign_entries(std::move(entries));  // names of a map are unique
  return AttributeValue(std::move(out));
}

// A plain JSON array as a set of `element` values.
template <class E>
std::optional<AttributeValue> coerce_set(const List& list, StoredAs set_type, bool plain, ValidationContext& context) {
  const TypeShape element{set_element(set_type), nullptr, nullptr};
  std::vector<E> elements;
  elements.reserve(list.size());
  bool failed = false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    ValidationContext::Step step(context, i);
    auto typed = coerce(element, list[i], plain, context);
    if (!typed) {
      failed = true;
    } else if (const E* e = typed->get_if<E>()) {
      elements.push_back(*e);
    }
  }
  if (failed) return std::nullopt;
  if (elements.empty()) {
    context.report("is an empty set, which DynamoDB cannot store");
    return std::nullopt;
  }
  return AttributeValue(Set<E>(elements.begin(), elements.end()));
}

std::optional<AttributeValue> coerce(const TypeShape& shape, const AttributeValue& value, bool plain,
                                     ValidationContext& context) {
  switch (shape.stored_as) {
    case StoredAs::any: return value;
    case StoredAs::string:
      if (value.is(Type::string)) return value;
      break;
    case StoredAs::number:
      if (value.is(Type::number)) return value;
      break;
    case StoredAs::boolean:
      if (value.is(Type::boolean)) return value;
      break;
    case StoredAs::null:
      if (value.is(Type::null)) return value;
      break;
    case StoredAs::binary:
      if (value.is(Type::binary)) return value;
      if (plain && value.is(Type::string)) {
        std::string bytes;
        if (auto problem = base64_decode(value.as_string(), bytes)) {
          context.report("is not base64 text (" + std::string(problem->reason) + " at character " +
                         std::to_string(problem->offset) + ")");
          return std::nullopt;
        }
        return AttributeValue(Binary(std::move(bytes)));
      }
      break;
    case StoredAs::list:
      if (const auto* list = value.get_if<List>()) {
        if (shape.element == nullptr) return value;
        List out;
        out.reserve(list->size());
        bool failed = false;
        for (std::size_t i = 0; i < list->size(); ++i) {
          ValidationContext::Step step(context, i);
          if (auto typed = coerce(*shape.element, (*list)[i], plain, context)) out.push_back(std::move(*typed));
          else failed = true;
        }
        if (failed) return std::nullopt;
        return AttributeValue(std::move(out));
      }
      break;
    case StoredAs::string_set:
      if (value.is(Type::string_set)) return value;
      if (plain && value.is(Type::list)) return coerce_set<std::string>(value.as_list(), shape.stored_as, plain, context);
      break;
    case StoredAs::number_set:
      if (value.is(Type::number_set)) return value;
      if (plain && value.is(Type::list)) return coerce_set<Number>(value.as_list(), shape.stored_as, plain, context);
      break;
    case StoredAs::binary_set:
      if (value.is(Type::binary_set)) return value;
      if (plain && value.is(Type::list)) return coerce_set<Binary>(value.as_list(), shape.stored_as, plain, context);
      break;
    case StoredAs::map:
      if (const auto* map = value.get_if<AttributeMap>()) {
        if (shape.schema != nullptr) return coerce_object(shape.schema(), *map, plain, context);
        if (shape.element == nullptr) return value;
        std::vector<AttributeMap::value_type> entries;
        bool failed = false;
        for (const auto& [name, member] : *map) {
          ValidationContext::Step step(context, std::string_view(name));
          if (auto typed = coerce(*shape.element, member, plain, context)) entries.emplace_back(name, std::move(*typed));
          else failed = true;
        }
        if (failed) return std::nullopt;
        AttributeMap out;
        (void)out.assign_entries(std::move(entries));
        return AttributeValue(std::move(out));
      }
      break;
  }
  context.report("expected " + expected_kind(shape.stored_as, plain) + ", found " + found_kind(value, plain));
  return std::nullopt;
}

// The attribute a violation is about: "address" for "address.zip" or "address[2]".
std::string_view top_level(std::string_view field) { return field.substr(0, field.find_first_of(".[")); }

// ---- plain JSON ----

namespace od = simdjson::ondemand;

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// Thrown (and caught by parse_plain_document) to stop reading a document nested too deep.
struct TooDeep {};

// Plain JSON as untyped values: strings S, numbers N (digit for digit), true/false BOOL,
// null NULL, arrays L, objects M. Problems are reported at their place and read as NULL.
AttributeValue from_plain(od::value value, ValidationContext& context, int depth);

AttributeValue object_from_plain(od::object object, ValidationContext& context, int depth) {
  std::vector<AttributeMap::value_type> entries;
  for (auto member : object) {
    std::string_view raw_name = member.unescaped_key();
    std::string name(raw_name);
    AttributeValue parsed;
    {
      ValidationContext::Step step(context, std::string_view(name));
      parsed = from_plain(member.value(), context, depth + 1);
    }
    entries.emplace_back(std::move(name), std::move(parsed));
  }
  AttributeMap map;
  if (auto duplicate = map.assign_entries(std::move(entries))) {
    ValidationContext::Step step(context, std::string_view(*duplicate));
    context.report("appears twice");
  }
  return AttributeValue(std::move(map));
}

AttributeValue from_plain(od::value value, ValidationContext& context, int depth) {
  // DynamoDB nests maps and lists at most max_nesting_depth levels; deeper input is refused
  // here rather than followed without bound.
  if (depth > max_nesting_depth) {
    context.report("is nested deeper than " + std::to_string(max_nesting_depth) + " levels");
    throw TooDeep{};
  }
  switch (value.type().value()) {
    case od::json_type::object: return object_from_plain(value.get_object(), context, depth);
    case od::json_type::array: {
      List list;
      std::size_t position = 0;
      for (auto element : value.get_array()) {
        ValidationContext::Step step(context, position++);
        list.push_back(from_plain(element.value(), context, depth + 1));
      }
      return AttributeValue(std::move(list));
    }
    case od::json_type::number: {
      const std::string_view text = trim(value.raw_json_token());
      Number::Problem problem{};
      if (auto number = Number::try_parse(text, &problem)) return AttributeValue(*number);
      context.report(shorten(text) + " is not a DynamoDB number (" + std::string(Number::describe(problem)) + ")");
      return AttributeValue::null();
    }
    case od::json_type::string: {
      std::string_view text = value.get_string();
      return AttributeValue(std::string(text));
    }
    case od::json_type::boolean: return AttributeValue(static_cast<bool>(value.get_bool()));
    case od::json_type::null:
      if (!value.is_null()) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
      return AttributeValue::null();
  }
  throw simdjson::simdjson_error(simdjson::TAPE_ERROR);
}

// The document as untyped values; nullopt (with the reason reported) when it is not one
// well-formed JSON object.
std::optional<Item> parse_plain_document(std::string_view json, ValidationContext& context) {
  od::parser parser;
  const simdjson::padded_string padded(json);
  const std::size_t before = context.count();
  try {
    od::document document = parser.iterate(padded);
    if (document.type().value() != od::json_type::object) {
      context.report("a document must be a JSON object");
      return std::nullopt;
    }
    AttributeValue object = object_from_plain(document.get_object(), context, 1);
    // simdjson 3 has no at_end(): current_location() fails exactly at the end.
    if (document.current_location().error() == simdjson::SUCCESS) {
      context.report("unexpected text after the JSON object");
      return std::nullopt;
    }
    if (context.count() != before) return std::nullopt;
    return std::move(object.as_map());
  } catch (const TooDeep&) {
    return std::nullopt;
  } catch (const simdjson::simdjson_error& error) {
    context.violations().resize(before);  // a syntax error explains everything after it
    context.report(std::string("the document is not valid JSON (") + simdjson::error_message(error.error()) + ")");
    return std::nullopt;
  }
}

}  // namespace

void read_document(const SchemaCore& schema, std::string_view json, void* object, std::vector<Violation>& out) {
  ValidationContext context(out);
  if (auto document = parse_plain_document(json, context)) schema.read_document(*document, true, object, context);
  sort_by_field(out);
}

void read_document(const SchemaCore& schema, const Item& document, void* object, std::vector<Violation>& out) {
  ValidationContext context(out);
  schema.read_document(document, false, object, context);
  sort_by_field(out);
}

// ---- SchemaCore's part ----

void SchemaCore::add_check(std::function<void(const void* object, ValidationContext& context)> check) {
  checks_.push_back(std::move(check));
  validates_ = true;
}

void SchemaCore::validate(const void* object, ValidationContext& context) const {
  for (const FieldCore& field : fields_) {
    if (field.check == nullptr) continue;
    ValidationContext::Step step(context, std::string_view(field.name));
    field.check(object, field, context);
  }
  for (const auto& check : checks_) check(object, context);
}

std::string SchemaCore::subject() const { return table_name.empty() ? std::string("map") : table_name + " item"; }

void SchemaCore::read_document(const Item& document, bool plain, void* object, ValidationContext& context) const {
  std::vector<std::string> reported;  // attributes whose value could not be read
  std::vector<AttributeMap::value_type> unknown;
  auto read_attribute = [&](const std::string& name, const AttributeValue& value) {
    const FieldCore* field = field_named(name);
    if (field == nullptr) {
      if (discriminator_ && discriminator_->attribute == name) {
        if (!accepts_discriminator(&value)) {
          context.report("is " + describe_value(value) + ", not \"" + discriminator_->values.front() + "\"");
          reported.push_back(name);
        }
      } else if (read_unknown_) {
        unknown.emplace_back(name, value);
      } else {
        context.report("is not declared in the schema");
        reported.push_back(name);
      }
      return;
    }
    if (value.is(Type::null) && field->nullable && field->shape->stored_as != StoredAs::null) return;
    if (plain && is_set(field->shape->stored_as) && value.is(Type::list) && value.as_list().empty()) return;
    const std::size_t before = context.count();
    auto typed = coerce(*field->shape, value, plain, context);
    if (!typed || context.count() != before) {
      reported.push_back(name);
      return;
    }
    try {
      field->read(object, *field, *typed);
    } catch (const Error& e) {  // e.g. a number that does not fit the member's type
      context.report(e.what());
      reported.push_back(name);
    }
  };
  for (const auto& [name, value] : document) {
    ValidationContext::Step step(context, std::string_view(name));
    read_attribute(name, value);
  }
  // Keys and required attributes must be in the document, unless a default fills them.
  for (const FieldCore& field : fields_) {
    const bool must_be_there = field.role != KeyRole::none || field.required;
    if (!must_be_there || field.default_value || field.default_for_new) continue;
    const AttributeValue* value = document.find(field.name);
    if (value != nullptr && !value->is(Type::null)) continue;
    if (std::find(reported.begin(), reported.end(), field.name) != reported.end()) continue;
    ValidationContext::Step step(context, std::string_view(field.name));
    context.report(field.role != KeyRole::none ? "is required (a key attribute)" : "is required");
    reported.push_back(field.name);
  }
  if (read_unknown_) {
    Item rest;
    (void)rest.assign_entries(std::move(unknown));
    read_unknown_(object, *unknown_member_, std::move(rest));
  }
  apply_new_item_defaults(object);
  if (!validates_) return;
  // The rules, except on attributes already reported: their member holds no value of theirs.
  std::vector<Violation> broken;
  ValidationContext rules(broken);
  validate(object, rules);
  const std::string prefix = context.path();
  for (Violation& violation : broken) {
    if (std::find(reported.begin(), reported.end(), top_level(violation.field)) != reported.end()) continue;
    if (!prefix.empty()) violation.field = prefix + (violation.field.empty() ? "" : ".") + violation.field;
    context.violations().push_back(std::move(violation));
  }
}

}  // namespace detail
}  // namespace dynamo
