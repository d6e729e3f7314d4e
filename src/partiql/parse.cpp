// The PartiQL for DynamoDB parser: a lexer and a recursive-descent parser producing the
// statements of statement.hpp, with conditions and updates in the expr AST.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "detail/ascii.hpp"
#include "dynamo/error.hpp"
#include "dynamo/value/number.hpp"
#include "partiql/statement.hpp"

namespace dynamo::partiql {
namespace {

// Deeper nesting of parentheses, literals or NOT than this is refused, so that the
// recursion of the parser stays far from the end of the stack on any input.
constexpr int max_depth = 64;

[[noreturn]] void malformed(std::string_view detail) {
  throw Error::validation("Statement wasn't well formed, can't be processed: " + std::string(detail));
}

enum class Tok : std::uint8_t {
  end,
  identifier,         // bare: keywords too, compared case-insensitively
  quoted_identifier,  // "name"
  string,             // 'text'
  number,             // 12, -3.5, 1e3
  parameter,          // ?
  punct,              // , . [ ] { } ( ) : * + - = <> != < <= > >= << >>
};

struct Token {
  Tok kind = Tok::end;
  std::string text;  // identifier, string contents, number text or punctuation
  std::size_t offset = 0;
};

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {  // a comment to the end of the line
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    Token t;
    t.offset = i;
    if (is_ident_start(c)) {
      const std::size_t start = i;
      while (i < s.size() && is_ident_char(s[i])) ++i;
      t.kind = Tok::identifier;
      t.text = std::string(s.substr(start, i - start));
    } else if (c == '"' || c == '\'') {
      const char quote = c;
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == quote) {
          if (i + 1 < s.size() && s[i + 1] == quote) {  // a doubled quote stands for itself
            t.text.push_back(quote);
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        t.text.push_back(s[i++]);
      }
      if (!closed) {
        malformed(quote == '"' ? "unterminated quoted identifier at offset " + std::to_string(t.offset)
                               : "unterminated string at offset " + std::to_string(t.offset));
      }
      t.kind = quote == '"' ? Tok::quoted_identifier : Tok::string;
      if (t.kind == Tok::quoted_identifier && t.text.empty()) malformed("empty quoted identifier");
    } else if (is_digit(c) || (c == '.' && i + 1 < s.size() && is_digit(s[i + 1]))) {
      const std::size_t start = i;
      while (i < s.size() && is_digit(s[i])) ++i;
      if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
      }
      if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        std::size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        if (j < s.size() && is_digit(s[j])) {
          while (j < s.size() && is_digit(s[j])) ++j;
          i = j;
        }
      }
      t.kind = Tok::number;
      t.text = std::string(s.substr(start, i - start));
    } else if (c == '?') {
      t.kind = Tok::parameter;
      t.text = "?";
      ++i;
    } else {
      static constexpr std::string_view two[] = {"<>", "!=", "<=", ">=", "<<", ">>"};
      t.kind = Tok::punct;
      for (std::string_view op : two) {
        if (s.substr(i, 2) == op) t.text = std::string(op);
      }
      if (t.text.empty()) {
        if (std::string_view(",.[]{}():;*+-=<>").find(c) == std::string_view::npos) {
          const auto byte = static_cast<unsigned char>(c);
          malformed(byte >= 0x20 && byte < 0x7f
                        ? "unexpected character '" + std::string(1, c) + "' at offset " + std::to_string(i)
                        : "unexpected byte " + std::to_string(byte) + " at offset " + std::to_string(i));
        }
        t.text = std::string(1, c);
      }
      i += t.text.size();
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.offset = s.size();
  out.push_back(std::move(end));
  return out;
}

// Words that end an operand or introduce a clause, so they cannot be bare attribute names.
bool is_reserved(std::string_view word) {
  static constexpr std::string_view words[] = {
      "select", "from",  "where", "and",  "or",        "not",      "between", "in",    "is",     "missing",
      "null",   "true",  "false", "order", "by",       "asc",      "desc",    "insert", "into",  "value",
      "update", "set",   "remove", "delete", "returning", "exists", "values"};
  return std::any_of(std::begin(words), std::end(words), [&](std::string_view w) { return dynamo::detail::equals_ignoring_ascii_case(w, word); });
}

class Parser {
 public:
  Parser(std::string_view text, std::span<const AttributeValue> parameters)
      : tokens_(lex(text)), parameters_(parameters) {}

  Statement statement() {
    Statement result = parse_statement();
    if (peek().kind == Tok::punct && peek().text == ";") advance();
    if (peek().kind != Tok::end) unexpected("the end of the statement");
    if (next_parameter_ != parameters_.size()) mismatch();
    return result;
  }

 private:
  // ---- tokens -------------------------------------------------------------------------------

  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(position_ + ahead, tokens_.size() - 1)];
  }
  const Token& advance() {
    const Token& t = peek();
    if (position_ < tokens_.size() - 1) ++position_;
    return t;
  }
  bool at_keyword(std::string_view word, std::size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == Tok::identifier && dynamo::detail::equals_ignoring_ascii_case(t.text, word);
  }
  bool accept_keyword(std::string_view word) {
    if (!at_keyword(word)) return false;
    advance();
    return true;
  }
  void expect_keyword(std::string_view word) {
    if (!accept_keyword(word)) unexpected("keyword " + upper(word));
  }
  bool at_punct(std::string_view p) const { return peek().kind == Tok::punct && peek().text == p; }
  bool accept_punct(std::string_view p) {
    if (!at_punct(p)) return false;
    advance();
    return true;
  }
  void expect_punct(std::string_view p) {
    if (!accept_punct(p)) unexpected("'" + std::string(p) + "'");
  }

  static std::string upper(std::string_view word) {
    std::string out(word);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
  }
  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Tok::end: return "the end of the statement";
      case Tok::identifier: return "'" + t.text + "'";
      case Tok::quoted_identifier: return "\"" + t.text + "\"";
      case Tok::string: return "string '" + t.text + "'";
      case Tok::number: return "number " + t.text;
      case Tok::parameter: return "'?'";
      case Tok::punct: return "'" + t.text + "'";
    }
    return "a token";
  }
  [[noreturn]] void unexpected(const std::string& expected) const {
    const Token& t = peek();
    malformed("expected " + expected + " but found " + describe(t) + " at offset " + std::to_string(t.offset));
  }
  [[noreturn]] static void mismatch() {
    throw Error::validation("Number of parameters in request and statement don't match.");
  }

  class Depth {
   public:
    explicit Depth(int& depth) : depth_(depth) {
      if (++depth_ > max_depth) {
        --depth_;
        malformed("the statement nests more than " + std::to_string(max_depth) + " levels deep");
      }
    }
    ~Depth() { --depth_; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;

   private:
    int& depth_;
  };

  // ---- statements ------------------------------------------------------------------------

  Statement parse_statement() {
    if (accept_keyword("select")) return parse_select();
    if (accept_keyword("insert")) return parse_insert();
    if (accept_keyword("update")) return parse_update();
    if (accept_keyword("delete")) return parse_delete();
    if (accept_keyword("exists")) {
      expect_punct("(");
      expect_keyword("select");
      Exists e{parse_select()};
      expect_punct(")");
      return e;
    }
    unexpected("SELECT, INSERT, UPDATE, DELETE or EXISTS");
  }

  // A table or index name: quoted, or bare when it is not a keyword.
  std::string name(std::string_view what) {
    const Token& t = peek();
    if (t.kind == Tok::quoted_identifier || (t.kind == Tok::identifier && !is_reserved(t.text))) {
      return advance().text;
    }
    unexpected(std::string(what));
  }

  Select parse_select() {
    Select s;
    if (!accept_punct("*")) {
      do {
        s.projection.push_back(parse_path());
      } while (accept_punct(","));
    }
    expect_keyword("from");
    s.table = name("a table name");
    if (accept_punct(".")) s.index = name("an index name");
    if (accept_keyword("where")) s.where = parse_condition();
    if (accept_keyword("order")) {
      expect_keyword("by");
      OrderBy order{parse_path(), false};
      if (accept_keyword("desc")) {
        order.descending = true;
      } else {
        (void)accept_keyword("asc");
      }
      s.order_by = std::move(order);
    }
    return s;
  }

  Insert parse_insert() {
    expect_keyword("into");
    Insert ins;
    ins.table = name("a table name");
    if (at_keyword("values")) malformed("use VALUE, not VALUES: INSERT takes exactly one item");
    expect_keyword("value");
    if (!at_punct("{") && peek().kind != Tok::parameter) unexpected("an item {...} after VALUE");
    AttributeValue item = parse_value();
    if (!item.is(Type::map)) malformed("the VALUE of an INSERT must be a map of attributes");
    ins.item = item.as_map();
    return ins;
  }

  Update parse_update() {
    Update u;
    u.table = name("a table name");
    bool any = false;
    while (true) {
      if (accept_keyword("set")) {
        do {
          parse_set_action(u.actions);
        } while (accept_punct(","));
        any = true;
      } else if (accept_keyword("remove")) {
        do {
          u.actions.push_back(parse_path().remove());
        } while (accept_punct(","));
        any = true;
      } else {
        break;
      }
    }
    if (!any) unexpected("SET or REMOVE");
    expect_keyword("where");
    u.where = parse_condition();
    u.returning = parse_returning(true);
    return u;
  }

  Delete parse_delete() {
    expect_keyword("from");
    Delete d;
    d.table = name("a table name");
    expect_keyword("where");
    d.where = parse_condition();
    d.returning = parse_returning(false);
    return d;
  }

  Returning parse_returning(bool is_update) {
    if (!accept_keyword("returning")) return Returning::none;
    bool all = true;
    if (accept_keyword("modified")) {
      all = false;
    } else {
      expect_keyword("all");
    }
    bool old = true;
    if (accept_keyword("new")) {
      old = false;
    } else {
      expect_keyword("old");
    }
    expect_punct("*");
    if (!is_update && !(all && old)) malformed("DELETE supports only RETURNING ALL OLD *");
    if (all) return old ? Returning::all_old : Returning::all_new;
    return old ? Returning::modified_old : Returning::modified_new;
  }

  // SET path = operand, where set_add(path, s) and set_delete(path, s) become ADD and DELETE.
  void parse_set_action(expr::Update& actions) {
    expr::Path target = parse_path();
    expect_punct("=");
    if ((at_keyword("set_add") || at_keyword("set_delete")) && peek(1).kind == Tok::punct && peek(1).text == "(") {
      const bool add = at_keyword("set_add");
      const std::string function = add ? "set_add" : "set_delete";
      advance();
      advance();
      expr::Path first = parse_path();
      if (first.elements() != target.elements()) {
        malformed(function + " must name the attribute it assigns: SET " + target.to_string() + " = " + function + "(" +
                  target.to_string() + ", ...)");
      }
      expect_punct(",");
      AttributeValue set = parse_value();
      expect_punct(")");
      if (!set.is(Type::string_set) && !set.is(Type::number_set) && !set.is(Type::binary_set)) {
        malformed("the second argument of " + function + " must be a set");
      }
      actions.push_back(add ? target.add(set) : target.remove_from_set(set));
      return;
    }
    actions.push_back(target.set(parse_update_operand()));
  }

  expr::Operand parse_update_operand() {
    Depth depth(depth_);
    expr::Operand left = parse_update_primary();
    while (at_punct("+") || at_punct("-")) {
      const bool plus = advance().text == "+";
      expr::Operand right = parse_update_primary();
      left = plus ? left + right : left - right;
    }
    return left;
  }

  expr::Operand parse_update_primary() {
    Depth depth(depth_);
    if (at_keyword("list_append") && peek(1).kind == Tok::punct && peek(1).text == "(") {
      advance();
      advance();
      expr::Operand first = parse_update_operand();
      expect_punct(",");
      expr::Operand second = parse_update_operand();
      expect_punct(")");
      return expr::list_append(first, second);
    }
    if (accept_punct("(")) {
      expr::Operand inner = parse_update_operand();
      expect_punct(")");
      return inner;
    }
    return parse_operand();
  }

  // ---- conditions -------------------------------------------------------------------------

  expr::Condition parse_condition() {
    Depth depth(depth_);
    std::vector<expr::Condition> parts;
    parts.push_back(parse_and());
    while (accept_keyword("or")) parts.push_back(parse_and());
    return parts.size() == 1 ? std::move(parts.front()) : expr::Condition::any_of(std::move(parts));
  }

  expr::Condition parse_and() {
    std::vector<expr::Condition> parts;
    parts.push_back(parse_not());
    while (accept_keyword("and")) parts.push_back(parse_not());
    return parts.size() == 1 ? std::move(parts.front()) : expr::Condition::all_of(std::move(parts));
  }

  expr::Condition parse_not() {
    Depth depth(depth_);
    if (accept_keyword("not")) return expr::Condition::negation(parse_not());
    return parse_predicate();
  }

  expr::Condition parse_predicate() {
    // A parenthesised condition, unless the parenthesis opens an operand list.
    if (accept_punct("(")) {
      expr::Condition inner = parse_condition();
      expect_punct(")");
      return inner;
    }
    for (auto [word, kind] : {std::pair{"begins_with", expr::Condition::Kind::begins_with},
                              std::pair{"contains", expr::Condition::Kind::contains},
                              std::pair{"attribute_type", expr::Condition::Kind::attribute_type}}) {
      if (at_keyword(word) && peek(1).kind == Tok::punct && peek(1).text == "(") {
        advance();
        advance();
        expr::Path subject = parse_path();
        expect_punct(",");
        expr::Operand second = parse_operand();
        expect_punct(")");
        if (kind == expr::Condition::Kind::attribute_type) {
          if (second.kind() != expr::Operand::Kind::value || !second.value().is(Type::string) ||
              !type_from_tag(second.value().as_string())) {
            malformed("the second argument of attribute_type must be one of 'S', 'N', 'B', 'BOOL', 'NULL', 'M', "
                      "'L', 'SS', 'NS', 'BS'");
          }
        }
        return expr::Condition::function(kind, {expr::Operand(std::move(subject)), std::move(second)});
      }
    }
    if ((at_keyword("missing") || at_keyword("exists")) && peek(1).kind == Tok::punct && peek(1).text == "(") {
      const bool missing = at_keyword("missing");
      advance();
      advance();
      expr::Path subject = parse_path();
      expect_punct(")");
      return expr::Condition::function(
          missing ? expr::Condition::Kind::attribute_not_exists : expr::Condition::Kind::attribute_exists,
          {expr::Operand(std::move(subject))});
    }

    expr::Operand left = parse_operand();
    if (accept_keyword("is")) {
      const bool negated = accept_keyword("not");
      if (left.kind() != expr::Operand::Kind::path) malformed("IS MISSING and IS NULL apply to attributes");
      expr::Condition c;
      if (accept_keyword("missing")) {
        c = expr::Condition::function(expr::Condition::Kind::attribute_not_exists, {left});
      } else if (accept_keyword("null")) {
        c = expr::Condition::function(expr::Condition::Kind::attribute_type, {left, AttributeValue(std::string("NULL"))});
      } else {
        unexpected("MISSING or NULL after IS");
      }
      return negated ? expr::Condition::negation(std::move(c)) : c;
    }
    const bool negated = accept_keyword("not");
    if (accept_keyword("between")) {
      expr::Operand lower = parse_operand();
      expect_keyword("and");
      expr::Operand upper = parse_operand();
      expr::Condition c = expr::Condition::between(std::move(left), std::move(lower), std::move(upper));
      return negated ? expr::Condition::negation(std::move(c)) : c;
    }
    if (accept_keyword("in")) {
      std::string close;
      if (accept_punct("(")) {
        close = ")";
      } else if (accept_punct("[")) {
        close = "]";
      } else {
        unexpected("'(' or '[' after IN");
      }
      std::vector<expr::Operand> candidates;
      do {
        candidates.push_back(parse_operand());
      } while (accept_punct(","));
      expect_punct(close);
      expr::Condition c = expr::Condition::in(std::move(left), std::move(candidates));
      return negated ? expr::Condition::negation(std::move(c)) : c;
    }
    if (negated) unexpected("BETWEEN or IN after NOT");
    static constexpr std::pair<std::string_view, expr::Comparator> comparators[] = {
        {"=", expr::Comparator::eq},  {"<>", expr::Comparator::ne}, {"!=", expr::Comparator::ne},
        {"<", expr::Comparator::lt},  {"<=", expr::Comparator::le}, {">", expr::Comparator::gt},
        {">=", expr::Comparator::ge}};
    for (const auto& [text, op] : comparators) {
      if (accept_punct(text)) {
        expr::Operand right = parse_operand();
        return expr::Condition::compare(std::move(left), op, std::move(right));
      }
    }
    unexpected("a comparison (=, <>, <, <=, >, >=, BETWEEN, IN, IS)");
  }

  // A path, a literal, a parameter or size(path).
  expr::Operand parse_operand() {
    if (at_keyword("size") && peek(1).kind == Tok::punct && peek(1).text == "(") {
      advance();
      advance();
      expr::Path target = parse_path();
      expect_punct(")");
      return expr::Operand(expr::size(std::move(target)));
    }
    const Token& t = peek();
    if (t.kind == Tok::quoted_identifier || (t.kind == Tok::identifier && !is_literal_keyword(t.text))) {
      return expr::Operand(parse_path());
    }
    const bool starts_value = t.kind == Tok::string || t.kind == Tok::number || t.kind == Tok::parameter ||
                              t.kind == Tok::identifier ||
                              (t.kind == Tok::punct && (t.text == "-" || t.text == "+" || t.text == "{" ||
                                                        t.text == "[" || t.text == "<<"));
    if (!starts_value) unexpected("an attribute name or a value");
    return expr::Operand(parse_value());
  }

  static bool is_literal_keyword(std::string_view word) {
    return dynamo::detail::equals_ignoring_ascii_case(word, "true") || dynamo::detail::equals_ignoring_ascii_case(word, "false") || dynamo::detail::equals_ignoring_ascii_case(word, "null") || dynamo::detail::equals_ignoring_ascii_case(word, "missing");
  }

  // name ( .name | ."name" | [n] | ['name'] )*
  expr::Path parse_path() {
    const Token& first = peek();
    if (first.kind != Tok::quoted_identifier && (first.kind != Tok::identifier || is_reserved(first.text))) {
      unexpected("an attribute name");
    }
    std::vector<expr::PathElement> elements;
    elements.emplace_back(advance().text);
    while (true) {
      if (accept_punct(".")) {
        const Token& t = peek();
        if (t.kind != Tok::quoted_identifier && t.kind != Tok::identifier) unexpected("a field name after '.'");
        elements.emplace_back(advance().text);
      } else if (accept_punct("[")) {
        const Token& t = peek();
        if (t.kind == Tok::number) {
          const std::string text = advance().text;
          if (text.find_first_not_of("0123456789") != std::string::npos || text.size() > 9) {
            malformed("a list index must be a non-negative integer below 1000000000, not " + text);
          }
          elements.emplace_back(static_cast<std::size_t>(std::stoul(text)));
        } else if (t.kind == Tok::string) {
          elements.emplace_back(advance().text);
        } else {
          unexpected("a list index or a quoted field name inside '[ ]'");
        }
        expect_punct("]");
      } else {
        break;
      }
    }
    if (elements.size() > 1 && !std::holds_alternative<std::string>(elements.front())) {
      malformed("a path must start with an attribute name");
    }
    return expr::Path(std::move(elements));
  }

  // ---- literals ------------------------------------------------------------------------------

  AttributeValue parse_value() {
    Depth depth(depth_);
    const Token& t = peek();
    switch (t.kind) {
      case Tok::string: return AttributeValue(advance().text);
      case Tok::number: return AttributeValue(number(advance().text));
      case Tok::parameter: {
        advance();
        if (next_parameter_ >= parameters_.size()) mismatch();
        return parameters_[next_parameter_++];
      }
      case Tok::identifier:
        if (accept_keyword("true")) return AttributeValue(true);
        if (accept_keyword("false")) return AttributeValue(false);
        if (accept_keyword("null")) return AttributeValue::null();
        if (at_keyword("missing")) malformed("MISSING is not a value; use IS MISSING");
        break;
      case Tok::punct:
        if (t.text == "-" || t.text == "+") {
          const std::string sign = advance().text;
          if (peek().kind != Tok::number) unexpected("a number after '" + sign + "'");
          return AttributeValue(number(sign + advance().text));
        }
        if (accept_punct("{")) return parse_map();
        if (accept_punct("[")) return parse_list();
        if (accept_punct("<<")) return parse_set();
        break;
      default: break;
    }
    unexpected("a value");
  }

  static Number number(const std::string& text) {
    Number::Problem problem{};
    if (auto n = Number::try_parse(text, &problem)) return *n;
    malformed("invalid number " + text + ": " + std::string(Number::describe(problem)));
  }

  AttributeValue parse_map() {
    AttributeMap map;
    if (accept_punct("}")) return AttributeValue(std::move(map));
    do {
      const Token& key = peek();
      if (key.kind != Tok::string) unexpected("a quoted attribute name ('name') as a map key");
      std::string name = advance().text;
      expect_punct(":");
      AttributeValue v = parse_value();
      if (map.contains(name)) malformed("the map literal names '" + name + "' twice");
      map.insert_or_assign(std::move(name), std::move(v));
    } while (accept_punct(","));
    expect_punct("}");
    return AttributeValue(std::move(map));
  }

  AttributeValue parse_list() {
    List list;
    if (accept_punct("]")) return AttributeValue(std::move(list));
    do {
      list.push_back(parse_value());
    } while (accept_punct(","));
    expect_punct("]");
    return AttributeValue(std::move(list));
  }

  AttributeValue parse_set() {
    std::vector<AttributeValue> elements;
    if (!at_punct(">>")) {
      do {
        elements.push_back(parse_value());
      } while (accept_punct(","));
    }
    expect_punct(">>");
    if (elements.empty()) malformed("a set <<...>> must have at least one element");
    const Type type = elements.front().type();
    for (const AttributeValue& e : elements) {
      if (e.type() != type || (type != Type::string && type != Type::number && type != Type::binary)) {
        malformed("the elements of a set <<...>> must be all strings, all numbers or all binaries");
      }
    }
    if (type == Type::string) {
      StringSet set;
      for (const AttributeValue& e : elements) set.insert(e.as_string());
      return AttributeValue(std::move(set));
    }
    if (type == Type::number) {
      NumberSet set;
      for (const AttributeValue& e : elements) set.insert(e.as_number());
      return AttributeValue(std::move(set));
    }
    BinarySet set;
    for (const AttributeValue& e : elements) set.insert(e.as_binary());
    return AttributeValue(std::move(set));
  }

  std::vector<Token> tokens_;
  std::size_t position_ = 0;
  std::span<const AttributeValue> parameters_;
  std::size_t next_parameter_ = 0;
  int depth_ = 0;
};

}  // namespace

Statement parse(std::string_view text, std::span<const AttributeValue> parameters) {
  return Parser(text, parameters).statement();
}

bool is_read(const Statement& statement) noexcept { return std::holds_alternative<Select>(statement); }

const std::string& table_of(const Statement& statement) noexcept {
  return std::visit(
      [](const auto& s) -> const std::string& {
        if constexpr (std::is_same_v<std::decay_t<decltype(s)>, Exists>) {
          return s.select.table;
        } else {
          return s.table;
        }
      },
      statement);
}

}  // namespace dynamo::partiql
