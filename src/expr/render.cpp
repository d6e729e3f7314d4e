// Rendering expression trees to DynamoDB expression text with #n / :v placeholders.
//
// Parentheses are added exactly where the parser needs them to rebuild the same tree: an OR
// inside an AND, an AND or OR under NOT, a NOT under NOT, and arithmetic nested in
// arithmetic. DynamoDB rejects redundant double parentheses, so none are ever emitted.
#include "dynamo/expr/render.hpp"

#include <cstdio>
#include <ostream>
#include <string>

namespace dynamo::expr {
namespace {

Error render_error(std::string why) {
  return Error::validation("cannot render expression: " + std::move(why));
}

void append_quoted(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
}

// A value as describe() writes it: "text", 12.5, true, null, [..], {k: ..}, <<..>> for sets,
// binary as its size (bytes are not for reading).
void append_literal(std::string& out, const AttributeValue& value) {
  const auto join = [&out](const auto& elements, const char* open, const char* close, auto&& each) {
    out += open;
    bool first = true;
    for (const auto& element : elements) {
      if (!first) out += ", ";
      first = false;
      each(element);
    }
    out += close;
  };
  const auto binary = [&out](const Binary& bytes) { out += "<" + std::to_string(bytes.size()) + " bytes>"; };
  switch (value.type()) {
    case Type::string: append_quoted(out, *value.get_if<std::string>()); break;
    case Type::number: out += value.as_number().to_string(); break;
    case Type::binary: binary(*value.get_if<Binary>()); break;
    case Type::boolean: out += *value.get_if<bool>() ? "true" : "false"; break;
    case Type::null: out += "null"; break;
    case Type::map:
      join(*value.get_if<AttributeMap>(), "{", "}", [&](const auto& entry) {
        out += entry.first;
        out += ": ";
        append_literal(out, entry.second);
      });
      break;
    case Type::list: join(*value.get_if<List>(), "[", "]", [&](const AttributeValue& v) { append_literal(out, v); }); break;
    case Type::string_set:
      join(*value.get_if<StringSet>(), "<<", ">>", [&](const std::string& v) { append_quoted(out, v); });
      break;
    case Type::number_set:
      join(*value.get_if<NumberSet>(), "<<", ">>", [&](const Number& v) { out += v.to_string(); });
      break;
    case Type::binary_set: join(*value.get_if<BinarySet>(), "<<", ">>", binary); break;
  }
}

void append_index(std::string& out, char sigil, std::size_t index) {
  out += sigil;
  out += sigil == '#' ? 'n' : 'v';
  out += std::to_string(index);
}

class Renderer {
 public:
  Renderer(std::string& out, Placeholders& placeholders) : out_(out), ph_(placeholders) {}

  void path(const Path& p) {
    if (p.empty()) throw render_error("empty document path");
    bool first = true;
    for (const auto& element : p.elements()) {
      if (const auto* name = std::get_if<std::string>(&element)) {
        if (!first) out_ += '.';
        ph_.append_name(out_, *name);
      } else {
        if (first) throw render_error("a document path must start with a name");
        out_ += '[';
        out_ += std::to_string(std::get<std::size_t>(element));
        out_ += ']';
      }
      first = false;
    }
  }

  void operand(const Operand& o) {
    switch (o.kind()) {
      case Operand::Kind::path:
        path(o.path());
        return;
      case Operand::Kind::value:
        ph_.append_value(out_, o.value());
        return;
      case Operand::Kind::size:
        out_ += "size(";
        path(o.path());
        out_ += ')';
        return;
      case Operand::Kind::plus:
      case Operand::Kind::minus:
        arithmetic_side(o.args().at(0));
        out_ += o.kind() == Operand::Kind::plus ? " + " : " - ";
        arithmetic_side(o.args().at(1));
        return;
      case Operand::Kind::list_append:
      case Operand::Kind::if_not_exists:
        out_ += function_name(o.kind());
        out_ += '(';
        if (o.kind() == Operand::Kind::if_not_exists && o.args().at(0).kind() != Operand::Kind::path) {
          throw render_error("the first argument of if_not_exists must be a path");
        }
        operand(o.args().at(0));
        out_ += ", ";
        operand(o.args().at(1));
        out_ += ')';
        return;
    }
  }

  void condition(const Condition& c) {
    using Kind = Condition::Kind;
    switch (c.kind()) {
      case Kind::empty:
        throw render_error("an empty condition inside AND, OR or NOT");
      case Kind::compare:
        operand(c.operands().at(0));
        out_ += ' ';
        out_ += to_string(c.comparator());
        out_ += ' ';
        operand(c.operands().at(1));
        return;
      case Kind::between:
        operand(c.operands().at(0));
        out_ += " BETWEEN ";
        operand(c.operands().at(1));
        out_ += " AND ";
        operand(c.operands().at(2));
        return;
      case Kind::in:
        if (c.operands().size() < 2) throw render_error("IN needs at least one candidate");
        operand(c.operands().front());
        out_ += " IN (";
        for (std::size_t i = 1; i < c.operands().size(); ++i) {
          if (i > 1) out_ += ", ";
          operand(c.operands()[i]);
        }
        out_ += ')';
        return;
      case Kind::attribute_exists:
      case Kind::attribute_not_exists:
      case Kind::attribute_type:
      case Kind::begins_with:
      case Kind::contains:
        out_ += function_name(c.kind());
        out_ += '(';
        for (std::size_t i = 0; i < c.operands().size(); ++i) {
          if (i) out_ += ", ";
          operand(c.operands()[i]);
        }
        out_ += ')';
        return;
      case Kind::all_of:
      case Kind::any_of: {
        const bool is_and = c.kind() == Kind::all_of;
        for (std::size_t i = 0; i < c.children().size(); ++i) {
          if (i) out_ += is_and ? " AND " : " OR ";
          const Condition& child = c.children()[i];
          // AND binds tighter than OR; a same-kind child cannot occur (trees are flattened)
          // but is parenthesised anyway so that a hand-built tree keeps its shape.
          const bool wrap = child.kind() == Kind::any_of || child.kind() == c.kind();
          grouped(child, wrap);
        }
        return;
      }
      case Kind::negation: {
        out_ += "NOT ";
        const Condition& inner = c.children().at(0);
        grouped(inner, inner.kind() == Kind::all_of || inner.kind() == Kind::any_of ||
                           inner.kind() == Kind::negation);
        return;
      }
    }
  }

  void grouped(const Condition& c, bool wrap) {
    if (wrap) out_ += '(';
    condition(c);
    if (wrap) out_ += ')';
  }

 private:
  void arithmetic_side(const Operand& o) {
    const bool wrap = o.kind() == Operand::Kind::plus || o.kind() == Operand::Kind::minus;
    if (wrap) out_ += '(';
    operand(o);
    if (wrap) out_ += ')';
  }

  std::string& out_;
  Placeholders& ph_;
};

}  // namespace

void Placeholders::append_name(std::string& out, std::string_view name) {
  if (in_place_) {
    out += name;
    return;
  }
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i].second == name) {
      out += names_[i].first;
      return;
    }
  }
  std::string placeholder;
  append_index(placeholder, '#', names_.size());
  out += placeholder;
  names_.emplace_back(std::move(placeholder), std::string(name));
}

void Placeholders::append_value(std::string& out, const AttributeValue& v) {
  if (in_place_) {
    append_literal(out, v);
    return;
  }
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (values_[i].second == v) {
      out += values_[i].first;
      return;
    }
  }
  std::string placeholder;
  append_index(placeholder, ':', values_.size());
  out += placeholder;
  values_.emplace_back(std::move(placeholder), v);
}

std::string render(const Condition& condition, Placeholders& placeholders) {
  std::string out;
  if (condition.empty()) return out;
  Renderer(out, placeholders).condition(condition);
  return out;
}

std::string render(const Update& update, Placeholders& placeholders) {
  std::string out;
  Renderer renderer(out, placeholders);
  const UpdateAction* previous = nullptr;
  for (const auto& action : update.actions()) {
    if (!previous || previous->kind != action.kind) {
      if (previous) out += ' ';
      out += clause_name(action.kind);
      out += ' ';
    } else {
      out += ", ";
    }
    renderer.path(action.target);
    switch (action.kind) {
      case UpdateAction::Kind::set:
        out += " = ";
        renderer.operand(action.operand);
        break;
      case UpdateAction::Kind::remove:
        break;
      case UpdateAction::Kind::add:
      case UpdateAction::Kind::delete_elements:
        if (action.operand.kind() != Operand::Kind::value) {
          throw render_error(std::string(clause_name(action.kind)) + " takes a value operand");
        }
        out += ' ';
        renderer.operand(action.operand);
        break;
    }
    previous = &action;
  }
  return out;
}

std::string render(const Projection& projection, Placeholders& placeholders) {
  std::string out;
  Renderer renderer(out, placeholders);
  for (std::size_t i = 0; i < projection.paths().size(); ++i) {
    if (i) out += ", ";
    renderer.path(projection.paths()[i]);
  }
  return out;
}

std::string render(const Path& p, Placeholders& placeholders) {
  std::string out;
  Renderer(out, placeholders).path(p);
  return out;
}

}  // namespace dynamo::expr

namespace dynamo::expr {
namespace {

template <class Tree>
std::string describe_tree(const Tree& tree, std::string_view what) {
  try {
    Placeholders in_place = Placeholders::written_in_place();
    return render(tree, in_place);
  } catch (const std::exception& error) {
    return "<" + std::string(what) + " that cannot be rendered: " + error.what() + ">";
  }
}

}  // namespace

std::string describe(const Condition& condition) { return describe_tree(condition, "condition"); }
std::string describe(const Update& update) { return describe_tree(update, "update"); }

std::ostream& operator<<(std::ostream& out, const Condition& condition) { return out << describe(condition); }
std::ostream& operator<<(std::ostream& out, const Update& update) { return out << describe(update); }

}  // namespace dynamo::expr
