// The expression parser: lexer, recursive-descent grammar for conditions, updates and
// projections, placeholder resolution, and the service's validation checks.
//
// DynamoDB reports one error per request, and which one wins when several apply is part of
// its observable behaviour: a syntax error anywhere beats everything else, then (as dynalite
// measured against the service) redundant parentheses, unknown functions, misused
// functions, reserved words, repeated update clauses, undefined placeholders, operand
// counts, operand kinds and types, and last overlapping paths. Syntax errors are therefore
// thrown at once, while the other problems are recorded by category during the parse and
// the highest-ranked one is thrown at the end.
#include "dynamo/expr/parse.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "detail/ascii.hpp"
#include "dynamo/expr/reserved_words.hpp"

namespace dynamo::expr {
namespace {

// ---------------------------------------------------------------- lexer

enum class Tok : std::uint8_t {
  end, name, name_placeholder, value_placeholder, number,
  lparen, rparen, lbracket, rbracket, dot, comma,
  eq, ne, lt, le, gt, ge, plus, minus, invalid,
};

struct Token {
  Tok type;
  std::size_t begin;
  std::size_t end;
};

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return is_letter(c) || is_digit(c) || c == '_'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Length of the UTF-8 sequence starting with `lead`, so that an invalid character is quoted
// whole in the error message (1 for bytes that cannot start a sequence).
std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC2) return 2;
  return 1;
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const char c = text[i];
    if (is_space(c)) {
      ++i;
      continue;
    }
    const std::size_t begin = i;
    Tok type = Tok::invalid;
    if (is_letter(c)) {
      while (i < n && is_word(text[i])) ++i;
      type = Tok::name;
    } else if (is_digit(c)) {
      while (i < n && is_digit(text[i])) ++i;
      type = Tok::number;
    } else if ((c == '#' || c == ':') && i + 1 < n && is_word(text[i + 1])) {
      ++i;
      while (i < n && is_word(text[i])) ++i;
      type = c == '#' ? Tok::name_placeholder : Tok::value_placeholder;
    } else {
      ++i;
      switch (c) {
        case '(': type = Tok::lparen; break;
        case ')': type = Tok::rparen; break;
        case '[': type = Tok::lbracket; break;
        case ']': type = Tok::rbracket; break;
        case '.': type = Tok::dot; break;
        case ',': type = Tok::comma; break;
        case '=': type = Tok::eq; break;
        case '+': type = Tok::plus; break;
        case '-': type = Tok::minus; break;
        case '<':
          type = Tok::lt;
          if (i < n && text[i] == '=') { ++i; type = Tok::le; }
          else if (i < n && text[i] == '>') { ++i; type = Tok::ne; }
          break;
        case '>':
          type = Tok::gt;
          if (i < n && text[i] == '=') { ++i; type = Tok::ge; }
          break;
        default:
          i = std::min(n, begin + utf8_length(static_cast<unsigned char>(c)));
          break;
      }
    }
    tokens.push_back(Token{type, begin, i});
  }
  tokens.push_back(Token{Tok::end, n, n});
  return tokens;
}

// ---------------------------------------------------------------- problems

enum class Problem : std::uint8_t {
  redundant_parens, unknown_function, misused_function, reserved, repeated_section,
  undefined_placeholder, operand_count, requires_path, distinct, operand_type,
  too_many_in_operands, too_many_operators, path_overlap, path_conflict, count
};

class Problems {
 public:
  void record(Problem p, std::string message) {
    auto& slot = slots_[static_cast<std::size_t>(p)];
    if (!slot) slot = std::move(message);
  }
  [[nodiscard]] const std::optional<std::string>& first() const {
    for (const auto& slot : slots_) {
      if (slot) return slot;
    }
    return none_;
  }

 private:
  std::array<std::optional<std::string>, static_cast<std::size_t>(Problem::count)> slots_;
  std::optional<std::string> none_;
};

std::string type_long_name(Type t) {
  switch (t) {
    case Type::string: return "STRING";
    case Type::number: return "NUMBER";
    case Type::binary: return "BINARY";
    case Type::boolean: return "BOOLEAN";
    case Type::null: return "NULL";
    case Type::map: return "MAP";
    case Type::list: return "LIST";
    case Type::string_set: return "STRING_SET";
    case Type::number_set: return "NUMBER_SET";
    case Type::binary_set: return "BINARY_SET";
  }
  return "?";
}

// DynamoDB's rendering of a value in BETWEEN messages: `AttributeValue: {N:5}`.
std::string describe_value(const AttributeValue& v) {
  std::string text;
  switch (v.type()) {
    case Type::string: text = v.as_string(); break;
    case Type::number: text = v.as_number().to_string(); break;
    case Type::boolean: text = v.as_bool() ? "true" : "false"; break;
    case Type::null: text = "true"; break;
    default: text = "..."; break;
  }
  return "AttributeValue: {" + std::string(type_tag(v.type())) + ":" + text + "}";
}

// ---------------------------------------------------------------- paths overlap

enum class PathRelation : std::uint8_t { disjoint, overlap, conflict };

PathRelation relate(const Path& a, const Path& b) {
  const auto& x = a.elements();
  const auto& y = b.elements();
  const std::size_t common = std::min(x.size(), y.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (x[i].index() != y[i].index()) return PathRelation::conflict;
    if (x[i] != y[i]) return PathRelation::disjoint;
  }
  return PathRelation::overlap;
}

// Records the first overlapping and the first conflicting pair, in textual order.
void check_paths(const std::vector<const Path*>& paths, Problems& problems) {
  for (std::size_t i = 0; i < paths.size(); ++i) {
    for (std::size_t j = i + 1; j < paths.size(); ++j) {
      const PathRelation relation = relate(*paths[i], *paths[j]);
      if (relation == PathRelation::disjoint) continue;
      const bool overlap = relation == PathRelation::overlap;
      problems.record(overlap ? Problem::path_overlap : Problem::path_conflict,
                      std::string("Two document paths ") + (overlap ? "overlap" : "conflict") +
                          " with each other; must remove or rewrite one of these paths; path one: " +
                          paths[i]->to_error_string() + ", path two: " + paths[j]->to_error_string());
    }
  }
}

// ---------------------------------------------------------------- parser

// What an operand position held: an Operand, or a call of a boolean condition function
// (which is only valid as a whole condition).
struct Parsed {
  Operand operand;
  std::optional<Condition::Kind> condition_function;
  std::vector<Operand> args;  // of condition_function
  std::string function;       // name of the function called, if any
};

class Parser {
 public:
  Parser(std::string_view text, ExpressionAttributes& attributes, ExpressionKind kind)
      : text_(text), tokens_(tokenize(text)), attributes_(attributes), kind_(kind) {}

  Condition condition_expression() {
    Condition result = or_expression();
    expect_end();
    finish();
    return result;
  }

  Update update_expression() {
    std::array<bool, 4> seen{};
    std::vector<UpdateAction> in_text_order;
    do {
      const Token& t = peek();
      std::optional<UpdateAction::Kind> clause;
      if (t.type == Tok::name) {
        const std::string_view word = text_of(t);
        if (dynamo::detail::equals_ignoring_ascii_case(word, "SET")) clause = UpdateAction::Kind::set;
        else if (dynamo::detail::equals_ignoring_ascii_case(word, "REMOVE")) clause = UpdateAction::Kind::remove;
        else if (dynamo::detail::equals_ignoring_ascii_case(word, "ADD")) clause = UpdateAction::Kind::add;
        else if (dynamo::detail::equals_ignoring_ascii_case(word, "DELETE")) clause = UpdateAction::Kind::delete_elements;
      }
      if (!clause) syntax_error();
      ++pos_;
      auto& was_seen = seen[static_cast<std::size_t>(*clause)];
      if (was_seen) {
        problems_.record(Problem::repeated_section,
                         "The \"" + std::string(clause_name(*clause)) +
                             "\" section can only be used once in an update expression;");
      }
      was_seen = true;
      do {
        in_text_order.push_back(update_action(*clause));
      } while (accept(Tok::comma));
    } while (peek().type != Tok::end);
    std::vector<const Path*> paths;
    paths.reserve(in_text_order.size());
    for (const auto& action : in_text_order) paths.push_back(&action.target);
    check_paths(paths, problems_);
    finish();
    Update update;
    for (auto& action : in_text_order) update.push_back(std::move(action));
    return update;
  }

  Projection projection_expression() {
    Projection projection;
    do {
      projection.push_back(path());
    } while (accept(Tok::comma));
    expect_end();
    std::vector<const Path*> paths;
    for (const auto& p : projection.paths()) paths.push_back(&p);
    check_paths(paths, problems_);
    finish();
    return projection;
  }

 private:
  // ------------------------------------------------ token helpers

  [[nodiscard]] const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  [[nodiscard]] std::string_view text_of(const Token& t) const {
    return text_.substr(t.begin, t.end - t.begin);
  }
  bool accept(Tok type) {
    if (peek().type != type) return false;
    ++pos_;
    return true;
  }
  void expect(Tok type) {
    if (!accept(type)) syntax_error();
  }
  void expect_end() {
    if (peek().type != Tok::end) syntax_error();
  }
  bool is_keyword(const Token& t, std::string_view word) const {
    return t.type == Tok::name && dynamo::detail::equals_ignoring_ascii_case(text_of(t), word);
  }
  // Words the grammar gives a meaning; they cannot name attributes.
  bool is_grammar_word(const Token& t) const {
    if (t.type != Tok::name) return false;
    const std::string_view w = text_of(t);
    if (kind_ == ExpressionKind::update) {
      return dynamo::detail::equals_ignoring_ascii_case(w, "SET") || dynamo::detail::equals_ignoring_ascii_case(w, "REMOVE") || dynamo::detail::equals_ignoring_ascii_case(w, "ADD") || dynamo::detail::equals_ignoring_ascii_case(w, "DELETE");
    }
    return dynamo::detail::equals_ignoring_ascii_case(w, "AND") || dynamo::detail::equals_ignoring_ascii_case(w, "OR") || dynamo::detail::equals_ignoring_ascii_case(w, "NOT") || dynamo::detail::equals_ignoring_ascii_case(w, "BETWEEN") ||
           dynamo::detail::equals_ignoring_ascii_case(w, "IN");
  }

  // "Syntax error; token: "x", near: "a x b"": the offending token, and the text from the
  // token before it to the token after it, as the service quotes them.
  [[noreturn]] void syntax_error() const {
    const std::size_t index = std::min(pos_, tokens_.size() - 1);
    const Token& t = tokens_[index];
    const std::size_t from = index > 0 ? tokens_[index - 1].begin : t.begin;
    const std::size_t to = index + 1 < tokens_.size() ? tokens_[index + 1].end : t.end;
    const std::string token = t.type == Tok::end ? "<EOF>" : std::string(text_of(t));
    fail("Syntax error; token: \"" + token + "\", near: \"" +
         std::string(text_.substr(from, to - from)) + "\"");
  }
  [[noreturn]] void fail(const std::string& message) const {
    throw Error::validation("Invalid " + std::string(parameter_name(kind_)) + ": " + message);
  }
  void finish() const {
    if (operators_ > max_operators) {
      fail("The expression contains too many operators; operator count: " + std::to_string(operators_));
    }
    if (const auto& problem = problems_.first()) fail(*problem);
  }

  // Bounds recursion: every nesting construct passes through here.
  struct Nest {
    explicit Nest(Parser& p) : parser(p) {
      if (++parser.depth_ > max_nesting) parser.syntax_error();
    }
    ~Nest() { --parser.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;
    Parser& parser;
  };

  // ------------------------------------------------ paths and operands

  Path path() {
    std::vector<PathElement> elements;
    path_element(elements);
    for (;;) {
      if (accept(Tok::dot)) {
        path_element(elements);
      } else if (peek().type == Tok::lbracket) {
        ++pos_;
        const Token& t = peek();
        if (t.type != Tok::number || t.end - t.begin > 9) syntax_error();
        std::size_t index = 0;
        for (const char c : text_of(t)) index = index * 10 + static_cast<std::size_t>(c - '0');
        ++pos_;
        expect(Tok::rbracket);
        elements.emplace_back(index);
      } else {
        break;
      }
    }
    return Path(std::move(elements));
  }

  void path_element(std::vector<PathElement>& elements) {
    const Token& t = peek();
    if (t.type == Tok::name && !is_grammar_word(t)) {
      const std::string_view word = text_of(t);
      if (is_reserved_word(word)) {
        problems_.record(Problem::reserved,
                         "Attribute name is a reserved keyword; reserved keyword: " + std::string(word));
      }
      elements.emplace_back(std::string(word));
    } else if (t.type == Tok::name_placeholder) {
      const std::string_view placeholder = text_of(t);
      if (const std::string* name = attributes_.resolve_name(placeholder)) {
        elements.emplace_back(*name);
      } else {
        problems_.record(Problem::undefined_placeholder,
                         "An expression attribute name used in the document path is not defined; "
                         "attribute name: " + std::string(placeholder));
        elements.emplace_back(std::string(placeholder));
      }
    } else {
      syntax_error();
    }
    ++pos_;
  }

  Operand value_placeholder() {
    const std::string_view placeholder = text_of(peek());
    ++pos_;
    if (const AttributeValue* v = attributes_.resolve_value(placeholder)) return Operand(*v);
    problems_.record(Problem::undefined_placeholder,
                     "An expression attribute value used in expression is not defined; "
                     "attribute value: " + std::string(placeholder));
    return Operand();
  }

  void check_arity(std::string_view function, std::size_t expected, std::size_t actual) {
    if (expected != actual) {
      problems_.record(Problem::operand_count,
                       "Incorrect number of operands for operator or function; operator or "
                       "function: " + std::string(function) + ", number of operands: " +
                           std::to_string(actual));
    }
  }
  void require_path(std::string_view function, const Operand& o) {
    if (o.kind() != Operand::Kind::path) {
      problems_.record(Problem::requires_path,
                       "Operator or function requires a document path; operator or function: " +
                           std::string(function));
    }
  }
  void wrong_type(std::string_view function, const AttributeValue& v) {
    problems_.record(Problem::operand_type,
                     "Incorrect operand type for operator or function; operator or function: " +
                         std::string(function) + ", operand type: " + std::string(type_tag(v.type())));
  }
  void check_distinct(std::string_view op, const Operand& a, const Operand& b) {
    if (a.kind() == Operand::Kind::path && b.kind() == Operand::Kind::path &&
        a.path().elements() == b.path().elements()) {
      problems_.record(Problem::distinct,
                       "The first operand must be distinct from the remaining operands for this "
                       "operator or function; operator: " + std::string(op) +
                           ", first operand: " + a.path().to_error_string());
    }
  }
  void misused(const Parsed& p) {
    if (!p.function.empty()) {
      problems_.record(Problem::misused_function,
                       "The function is not allowed to be used this way in an expression; "
                       "function: " + p.function);
    }
  }
  // An operand of a comparison, BETWEEN or IN: anything but a boolean function.
  Operand comparable() {
    Parsed p = condition_operand();
    if (p.condition_function) misused(p);
    return std::move(p.operand);
  }

  std::vector<Parsed> arguments() {
    Nest nest(*this);
    expect(Tok::lparen);
    std::vector<Parsed> args;
    do {
      args.push_back(condition_operand());
    } while (accept(Tok::comma));
    expect(Tok::rparen);
    return args;
  }

  // path | :value | function(args), in a condition.
  Parsed condition_operand() {
    const Token& t = peek();
    Parsed result;
    if (t.type == Tok::value_placeholder) {
      result.operand = value_placeholder();
      return result;
    }
    if (t.type == Tok::name && peek(1).type == Tok::lparen && !is_grammar_word(t)) {
      result.function = std::string(text_of(t));
      ++pos_;
      ++operators_;
      std::vector<Parsed> parsed_args = arguments();
      std::vector<Operand> args;
      for (auto& a : parsed_args) {
        if (a.condition_function) misused(a);
        args.push_back(std::move(a.operand));
      }
      const std::string& name = result.function;
      static constexpr std::array<std::pair<std::string_view, Condition::Kind>, 5> functions{{
          {"attribute_exists", Condition::Kind::attribute_exists},
          {"attribute_not_exists", Condition::Kind::attribute_not_exists},
          {"attribute_type", Condition::Kind::attribute_type},
          {"begins_with", Condition::Kind::begins_with},
          {"contains", Condition::Kind::contains},
      }};
      if (name == "size") {
        check_arity(name, 1, args.size());
        if (!args.empty()) require_path(name, args[0]);
        result.operand = args.empty() ? Operand() : Operand(Size{args[0].path()});
        result.function.clear();  // size is an operand, not a misused function
        return result;
      }
      const auto it = std::find_if(functions.begin(), functions.end(),
                                   [&](const auto& f) { return f.first == name; });
      if (it == functions.end()) {
        problems_.record(Problem::unknown_function, "Invalid function name; function: " + name);
        return result;
      }
      result.condition_function = it->second;
      check_condition_function(it->second, name, args);
      result.args = std::move(args);
      return result;
    }
    result.operand = Operand(path());
    return result;
  }

  void check_condition_function(Condition::Kind kind, std::string_view name,
                                const std::vector<Operand>& args) {
    const std::size_t arity =
        kind == Condition::Kind::attribute_exists || kind == Condition::Kind::attribute_not_exists ? 1 : 2;
    check_arity(name, arity, args.size());
    if (args.size() != arity) return;
    if (arity == 2) check_distinct(name, args[0], args[1]);
    switch (kind) {
      case Condition::Kind::attribute_exists:
      case Condition::Kind::attribute_not_exists:
        require_path(name, args[0]);
        break;
      case Condition::Kind::attribute_type:
        require_path(name, args[0]);
        if (args[1].kind() == Operand::Kind::value) {
          const AttributeValue& t = args[1].value();
          if (!t.is(Type::string)) {
            wrong_type(name, t);
          } else if (!type_from_tag(t.as_string())) {
            problems_.record(Problem::operand_type,
                             "Invalid attribute type name found; type: " + t.as_string() +
                                 ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
          }
        }
        break;
      case Condition::Kind::begins_with:
        for (const auto& a : args) {
          if (a.kind() == Operand::Kind::value && !a.value().is(Type::string) &&
              !a.value().is(Type::binary)) {
            wrong_type(name, a.value());
          }
        }
        break;
      default:
        break;
    }
  }

  // ------------------------------------------------ conditions

  Condition or_expression() {
    std::vector<Condition> parts;
    parts.push_back(and_expression());
    while (is_keyword(peek(), "OR")) {
      ++pos_;
      ++operators_;
      parts.push_back(and_expression());
    }
    return parts.size() == 1 ? std::move(parts.front()) : Condition::any_of(std::move(parts));
  }

  Condition and_expression() {
    std::vector<Condition> parts;
    parts.push_back(not_expression());
    while (is_keyword(peek(), "AND")) {
      ++pos_;
      ++operators_;
      parts.push_back(not_expression());
    }
    return parts.size() == 1 ? std::move(parts.front()) : Condition::all_of(std::move(parts));
  }

  Condition not_expression() {
    if (is_keyword(peek(), "NOT")) {
      Nest nest(*this);
      ++pos_;
      ++operators_;
      return Condition::negation(not_expression());
    }
    return primary();
  }

  Condition primary() {
    if (peek().type == Tok::lparen) {
      Nest nest(*this);
      const std::size_t open = pos_++;
      Condition inner = or_expression();
      // `((x))`: the group's content is exactly one group.
      if (last_group_ && last_group_->first == open + 1 && last_group_->second + 1 == pos_ &&
          peek().type == Tok::rparen) {
        problems_.record(Problem::redundant_parens, "The expression has redundant parentheses;");
      }
      expect(Tok::rparen);
      last_group_ = std::pair{open, pos_ - 1};
      return inner;
    }
    Parsed first = condition_operand();
    const Token& t = peek();
    std::optional<Comparator> op;
    switch (t.type) {
      case Tok::eq: op = Comparator::eq; break;
      case Tok::ne: op = Comparator::ne; break;
      case Tok::lt: op = Comparator::lt; break;
      case Tok::le: op = Comparator::le; break;
      case Tok::gt: op = Comparator::gt; break;
      case Tok::ge: op = Comparator::ge; break;
      default: break;
    }
    if (op) {
      if (first.condition_function) misused(first);
      ++pos_;
      ++operators_;
      Operand second = comparable();
      check_distinct(to_string(*op), first.operand, second);
      if (*op != Comparator::eq && *op != Comparator::ne) {
        check_orderable(to_string(*op), first.operand);
        check_orderable(to_string(*op), second);
      }
      return Condition::compare(std::move(first.operand), *op, std::move(second));
    }
    if (is_keyword(t, "BETWEEN")) {
      if (first.condition_function) misused(first);
      ++pos_;
      ++operators_;
      Operand lower = comparable();
      if (!is_keyword(peek(), "AND")) syntax_error();
      ++pos_;
      Operand upper = comparable();
      for (const Operand* o : {&first.operand, &lower, &upper}) check_orderable("BETWEEN", *o);
      check_between(lower, upper);
      return Condition::between(std::move(first.operand), std::move(lower), std::move(upper));
    }
    if (is_keyword(t, "IN")) {
      if (first.condition_function) misused(first);
      ++pos_;
      ++operators_;
      Nest nest(*this);
      expect(Tok::lparen);
      std::vector<Operand> candidates;
      do {
        candidates.push_back(comparable());
      } while (accept(Tok::comma));
      expect(Tok::rparen);
      if (candidates.size() > max_in_operands) {
        problems_.record(Problem::too_many_in_operands,
                         "The IN operator is provided with too many operands; number of operands: " +
                             std::to_string(candidates.size()));
      }
      return Condition::in(std::move(first.operand), std::move(candidates));
    }
    if (first.condition_function) {
      return Condition::function(*first.condition_function, std::move(first.args));
    }
    if (first.operand.kind() == Operand::Kind::size) {
      problems_.record(Problem::misused_function,
                       "The function is not allowed to be used this way in an expression; function: size");
      return {};
    }
    if (!first.function.empty()) return {};  // an unknown function, already recorded
    syntax_error();
  }

  // <, <=, >, >= and BETWEEN order strings, numbers and binaries only. A value given in
  // ExpressionAttributeValues of another type is a ValidationException, found before any item
  // is read; an item attribute of another type only makes the comparison false (ScyllaDB
  // Alternator's test_condition_expression.py, checked against DynamoDB).
  void check_orderable(std::string_view op, const Operand& operand) {
    if (operand.kind() != Operand::Kind::value) return;
    const Type type = operand.value().type();
    if (type == Type::string || type == Type::number || type == Type::binary) return;
    problems_.record(Problem::operand_type, "Incorrect operand type for operator or function; operator or function: " +
                                                std::string(op) + ", operand type: " + std::string(type_tag(type)));
  }

  void check_between(const Operand& lower, const Operand& upper) {
    if (lower.kind() != Operand::Kind::value || upper.kind() != Operand::Kind::value) return;
    const AttributeValue& lo = lower.value();
    const AttributeValue& hi = upper.value();
    const std::string bounds =
        "lower bound operand: " + describe_value(lo) + ", upper bound operand: " + describe_value(hi);
    if (lo.type() != hi.type()) {
      problems_.record(Problem::operand_type,
                       "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
    } else if (auto order = scalar_order(lo, hi); order && *order == std::strong_ordering::greater) {
      problems_.record(Problem::operand_type,
                       "The BETWEEN operator requires upper bound to be greater than or equal to "
                       "lower bound; " + bounds);
    }
  }

  // ------------------------------------------------ updates

  UpdateAction update_action(UpdateAction::Kind clause) {
    UpdateAction action;
    action.kind = clause;
    action.target = path();
    switch (clause) {
      case UpdateAction::Kind::set:
        expect(Tok::eq);
        action.operand = set_value();
        break;
      case UpdateAction::Kind::remove:
        break;
      case UpdateAction::Kind::add:
      case UpdateAction::Kind::delete_elements: {
        if (peek().type != Tok::value_placeholder) syntax_error();
        action.operand = value_placeholder();
        const AttributeValue& v = action.operand.value();
        const bool is_set = v.is(Type::string_set) || v.is(Type::number_set) || v.is(Type::binary_set);
        const bool ok = is_set || (clause == UpdateAction::Kind::add && v.is(Type::number));
        if (!ok) {
          problems_.record(Problem::operand_type,
                           "Incorrect operand type for operator or function; operator: " +
                               std::string(clause_name(clause)) + ", operand type: " +
                               type_long_name(v.type()));
        }
        break;
      }
    }
    return action;
  }

  // operand [ (+|-) operand ]
  Operand set_value() {
    Operand left = set_operand();
    const Tok t = peek().type;
    if (t != Tok::plus && t != Tok::minus) return left;
    ++pos_;
    ++operators_;
    Operand right = set_operand();
    const std::string_view op = t == Tok::plus ? "+" : "-";
    for (const Operand* o : {&left, &right}) {
      if (o->kind() == Operand::Kind::value && !o->value().is(Type::number)) wrong_type(op, o->value());
    }
    return Operand::call(t == Tok::plus ? Operand::Kind::plus : Operand::Kind::minus,
                         {std::move(left), std::move(right)});
  }

  Operand set_operand() {
    const Token& t = peek();
    if (t.type == Tok::value_placeholder) return value_placeholder();
    if (t.type == Tok::lparen) {
      Nest nest(*this);
      ++pos_;
      Operand inner = set_value();
      expect(Tok::rparen);
      return inner;
    }
    if (t.type == Tok::name && peek(1).type == Tok::lparen && !is_grammar_word(t)) {
      const std::string name(text_of(t));
      ++pos_;
      ++operators_;
      Nest nest(*this);
      expect(Tok::lparen);
      std::vector<Operand> args;
      do {
        args.push_back(set_value());
      } while (accept(Tok::comma));
      expect(Tok::rparen);
      if (name == "if_not_exists") {
        check_arity(name, 2, args.size());
        if (args.size() == 2) require_path(name, args[0]);
        return Operand::call(Operand::Kind::if_not_exists, std::move(args));
      }
      if (name == "list_append") {
        check_arity(name, 2, args.size());
        for (const auto& a : args) {
          if (a.kind() == Operand::Kind::value && !a.value().is(Type::list)) wrong_type(name, a.value());
        }
        return Operand::call(Operand::Kind::list_append, std::move(args));
      }
      problems_.record(Problem::unknown_function, "Invalid function name; function: " + name);
      return Operand();
    }
    return Operand(path());
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  ExpressionAttributes& attributes_;
  ExpressionKind kind_;
  Problems problems_;
  std::size_t depth_ = 0;
  std::size_t operators_ = 0;
  std::optional<std::pair<std::size_t, std::size_t>> last_group_;  // token indexes of ( and )
};

// The checks every expression parameter gets before its grammar.
void check_text(std::string_view text, ExpressionKind kind) {
  const std::string prefix = "Invalid " + std::string(parameter_name(kind)) + ": ";
  if (text.empty()) throw Error::validation(prefix + "The expression can not be empty;");
  if (text.size() > max_expression_bytes) {
    throw Error::validation(prefix +
                            "Expression size has exceeded the maximum allowed size; expression size: " +
                            std::to_string(text.size()));
  }
}

bool valid_placeholder(std::string_view key, char sigil) {
  return key.size() >= 2 && key[0] == sigil &&
         std::all_of(key.begin() + 1, key.end(), [](char c) { return is_word(c); });
}

}  // namespace

std::string_view parameter_name(ExpressionKind kind) noexcept {
  switch (kind) {
    case ExpressionKind::condition: return "ConditionExpression";
    case ExpressionKind::filter: return "FilterExpression";
    case ExpressionKind::key_condition: return "KeyConditionExpression";
    case ExpressionKind::update: return "UpdateExpression";
    case ExpressionKind::projection: return "ProjectionExpression";
  }
  return "Expression";
}

void ExpressionAttributes::add_name(std::string placeholder, std::string name) {
  if (!valid_placeholder(placeholder, '#')) {
    throw Error::validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" +
                            placeholder + "\"");
  }
  names_.push_back(Name{std::move(placeholder), std::move(name), false});
}

void ExpressionAttributes::add_value(std::string placeholder, AttributeValue v) {
  if (!valid_placeholder(placeholder, ':')) {
    throw Error::validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" +
                            placeholder + "\"");
  }
  values_.push_back(Value{std::move(placeholder), std::move(v), false});
}

const std::string* ExpressionAttributes::resolve_name(std::string_view placeholder) {
  for (auto& entry : names_) {
    if (entry.placeholder == placeholder) {
      entry.used = true;
      return &entry.name;
    }
  }
  return nullptr;
}

const AttributeValue* ExpressionAttributes::resolve_value(std::string_view placeholder) {
  for (auto& entry : values_) {
    if (entry.placeholder == placeholder) {
      entry.used = true;
      return &entry.value;
    }
  }
  return nullptr;
}

void ExpressionAttributes::check_all_used() const {
  const auto report = [](std::string_view parameter, std::vector<std::string> unused) {
    if (unused.empty()) return;
    std::sort(unused.begin(), unused.end());
    std::string keys;
    for (const auto& key : unused) {
      if (!keys.empty()) keys += ", ";
      keys += key;
    }
    throw Error::validation("Value provided in " + std::string(parameter) +
                            " unused in expressions: keys: {" + keys + "}");
  };
  std::vector<std::string> unused;
  for (const auto& entry : names_) {
    if (!entry.used) unused.push_back(entry.placeholder);
  }
  report("ExpressionAttributeNames", std::move(unused));
  unused.clear();
  for (const auto& entry : values_) {
    if (!entry.used) unused.push_back(entry.placeholder);
  }
  report("ExpressionAttributeValues", std::move(unused));
}

Condition parse_condition(std::string_view text, ExpressionAttributes& attributes, ExpressionKind kind) {
  check_text(text, kind);
  return Parser(text, attributes, kind).condition_expression();
}

Update parse_update(std::string_view text, ExpressionAttributes& attributes) {
  check_text(text, ExpressionKind::update);
  return Parser(text, attributes, ExpressionKind::update).update_expression();
}

Projection parse_projection(std::string_view text, ExpressionAttributes& attributes) {
  check_text(text, ExpressionKind::projection);
  return Parser(text, attributes, ExpressionKind::projection).projection_expression();
}

void check_update_paths(const Update& update) {
  std::vector<const Path*> paths;
  paths.reserve(update.size());
  for (const auto& action : update.actions()) paths.push_back(&action.target);
  Problems problems;
  check_paths(paths, problems);
  if (const auto& problem = problems.first()) {
    throw Error::validation("Invalid UpdateExpression: " + *problem);
  }
}

}  // namespace dynamo::expr
