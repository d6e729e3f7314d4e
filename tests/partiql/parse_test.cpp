// The PartiQL parser: what each construct of PartiQL for DynamoDB parses to, how `?` binds,
// and the errors malformed statements raise. Trees are compared with expr's builders, so
// these tests also pin which expr construct each PartiQL spelling means.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "dynamo/error.hpp"
#include "dynamo/expr/condition.hpp"
#include "dynamo/expr/operand.hpp"
#include "dynamo/expr/update.hpp"
#include "partiql/statement.hpp"

namespace {

using namespace dynamo;
using namespace dynamo::partiql;
using expr::path;

template <class T>
T parse_as(std::string_view text, std::vector<AttributeValue> params = {}) {
  Statement s = parse(text, params);
  EXPECT_TRUE(std::holds_alternative<T>(s)) << text;
  return std::get<T>(s);
}

// The message of the ValidationException `text` raises ("" when it parses).
std::string error_of(std::string_view text, std::vector<AttributeValue> params = {}) {
  try {
    (void)parse(text, params);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    return e.what();
  }
  return "";
}

// SELECT * with a WHERE of both key equalities: table, empty projection, AND of two terms.
TEST(PartiqlParse, SelectStarWithKeyEqualities) {
  auto s = parse_as<Select>(R"(SELECT * FROM "Music" WHERE "Artist" = 'Acme' AND SongTitle = 'PartiQL Rocks')");
  EXPECT_EQ(s.table, "Music");
  EXPECT_FALSE(s.index);
  EXPECT_TRUE(s.projection.empty());
  EXPECT_EQ(s.where, path("Artist") == "Acme" && path("SongTitle") == "PartiQL Rocks");
  EXPECT_FALSE(s.order_by);
}

// Keywords are case-insensitive; bare table names work; an index follows a dot.
TEST(PartiqlParse, IndexAndCaseInsensitiveKeywords) {
  auto s = parse_as<Select>(R"(select title from Music."by_year" where year >= 1990 order by year desc)");
  EXPECT_EQ(s.table, "Music");
  EXPECT_EQ(s.index, "by_year");
  EXPECT_EQ(s.projection, expr::Projection{path("title")});
  EXPECT_EQ(s.where, path("year") >= 1990);
  ASSERT_TRUE(s.order_by);
  EXPECT_EQ(s.order_by->path.elements(), path("year").elements());
  EXPECT_TRUE(s.order_by->descending);
}

// Nested paths: fields after dots, list indexes and quoted map keys in brackets.
TEST(PartiqlParse, NestedPathsInProjection) {
  auto s = parse_as<Select>(R"(SELECT a.b[0], "odd name".c, m['k y'] FROM t)");
  EXPECT_EQ(s.projection,
            (expr::Projection{path("a").field("b")[0], path("odd name").field("c"), path("m").field("k y")}));
  EXPECT_TRUE(s.where.empty());
}

// Every comparison operator, BETWEEN, IN (both bracket styles), NOT, OR and parentheses.
TEST(PartiqlParse, ComparisonsAndConnectives) {
  auto s = parse_as<Select>(
      "SELECT * FROM t WHERE a = 1 AND b <> 2 AND c != 3 AND d < 4 AND e <= 5 AND f > 6 AND g >= 7 "
      "AND h BETWEEN 1 AND 9 AND i IN [1, 2] AND j IN ('x', 'y') AND NOT (k = 1 OR l = 2) AND m NOT IN [3]");
  EXPECT_EQ(s.where, expr::Condition::all_of({
                         path("a") == 1,
                         path("b") != 2,
                         path("c") != 3,
                         path("d") < 4,
                         path("e") <= 5,
                         path("f") > 6,
                         path("g") >= 7,
                         path("h").between(1, 9),
                         path("i").is_in({1, 2}),
                         path("j").is_in({"x", "y"}),
                         !(path("k") == 1 || path("l") == 2),
                         !path("m").is_in({3}),
                     }));
}

// AND binds tighter than OR.
TEST(PartiqlParse, AndBindsTighterThanOr) {
  auto s = parse_as<Select>("SELECT * FROM t WHERE a = 1 OR b = 2 AND c = 3");
  EXPECT_EQ(s.where, path("a") == 1 || (path("b") == 2 && path("c") == 3));
}

// IS [NOT] MISSING and IS [NOT] NULL map to attribute_not_exists and attribute_type NULL.
TEST(PartiqlParse, IsMissingAndIsNull) {
  auto s = parse_as<Select>("SELECT * FROM t WHERE a IS MISSING AND b IS NOT MISSING AND c IS NULL AND d IS NOT NULL");
  EXPECT_EQ(s.where, expr::Condition::all_of({
                         path("a").does_not_exist(),
                         !path("b").does_not_exist(),
                         path("c").is_type(Type::null),
                         !path("d").is_type(Type::null),
                     }));
}

// The functions: begins_with, contains, attribute_type, size, missing and exists.
TEST(PartiqlParse, Functions) {
  auto s = parse_as<Select>(
      "SELECT * FROM t WHERE begins_with(a, 'x') AND contains(b, 3) AND attribute_type(c, 'SS') "
      "AND size(d) > 2 AND missing(e) AND exists(f)");
  EXPECT_EQ(s.where, expr::Condition::all_of({
                         path("a").begins_with("x"),
                         path("b").contains(3),
                         path("c").is_type(Type::string_set),
                         expr::size(path("d")) > 2,
                         path("e").does_not_exist(),
                         path("f").exists(),
                     }));
}

// Literals of every type, and the three kinds of set.
TEST(PartiqlParse, InsertLiterals) {
  auto ins = parse_as<Insert>(
      "INSERT INTO \"T\" VALUE {'s': 'it''s', 'n': -1.5e2, 'yes': TRUE, 'no': false, 'nil': NULL, "
      "'m': {'x': [1, 'two', {}]}, 'ss': <<'a', 'b', 'a'>>, 'ns': <<1, 2>>}");
  EXPECT_EQ(ins.table, "T");
  EXPECT_EQ(ins.item, (Item{{"s", "it's"},
                            {"n", Number::parse("-150")},
                            {"yes", true},
                            {"no", false},
                            {"nil", AttributeValue::null()},
                            {"m", AttributeMap{{"x", List{1, "two", AttributeMap{}}}}},
                            {"ss", StringSet{"a", "b"}},
                            {"ns", NumberSet{1, 2}}}));
}

// `?` binds parameters in order, anywhere a value may stand (a binary makes a BS set).
TEST(PartiqlParse, ParametersBindInOrder) {
  const Binary bytes(std::string("\x01\x02"));
  auto s = parse_as<Select>("SELECT * FROM t WHERE a = ? AND b IN [?, ?]", {"x", 1, 2});
  EXPECT_EQ(s.where, path("a") == "x" && path("b").is_in({1, 2}));
  auto ins = parse_as<Insert>("INSERT INTO t VALUE {'pk': ?, 'bs': <<?>>}", {"k", bytes});
  EXPECT_EQ(ins.item, (Item{{"pk", "k"}, {"bs", BinarySet{bytes}}}));
}

TEST(PartiqlParse, ParameterCountMustMatch) {
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a = ?"), "Number of parameters in request and statement don't match.");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a = 1", {"x"}),
            "Number of parameters in request and statement don't match.");
}

// UPDATE: SET with arithmetic and list_append, set_add/set_delete as ADD/DELETE, REMOVE.
TEST(PartiqlParse, UpdateActions) {
  auto u = parse_as<Update>(
      "UPDATE \"T\" SET views = views + 1, n = 10 - n, notes = list_append(notes, ['x']), tags = set_add(tags, <<'a'>>), "
      "old = set_delete(old, <<1>>) REMOVE junk, a.b[2] SET z = y WHERE pk = 'k' AND views < 100 RETURNING ALL NEW *");
  EXPECT_EQ(u.table, "T");
  EXPECT_EQ(u.actions, (expr::Update{
                           path("views").set(path("views") + 1),
                           path("n").set(expr::value(10) - path("n")),
                           path("notes").set(expr::list_append(path("notes"), List{"x"})),
                           path("tags").add(StringSet{"a"}),
                           path("old").remove_from_set(NumberSet{1}),
                           path("junk").remove(),
                           path("a").field("b")[2].remove(),
                           path("z").set(path("y")),
                       }));
  EXPECT_EQ(u.where, path("pk") == "k" && path("views") < 100);
  EXPECT_EQ(u.returning, Returning::all_new);
}

TEST(PartiqlParse, ReturningForms) {
  EXPECT_EQ(parse_as<Update>("UPDATE t SET a = 1 WHERE pk = 1 RETURNING MODIFIED OLD *").returning,
            Returning::modified_old);
  EXPECT_EQ(parse_as<Update>("UPDATE t SET a = 1 WHERE pk = 1 RETURNING MODIFIED NEW *").returning,
            Returning::modified_new);
  EXPECT_EQ(parse_as<Update>("UPDATE t SET a = 1 WHERE pk = 1 RETURNING ALL OLD *").returning, Returning::all_old);
  EXPECT_EQ(parse_as<Delete>("DELETE FROM t WHERE pk = 1 RETURNING ALL OLD *").returning, Returning::all_old);
  EXPECT_EQ(error_of("DELETE FROM t WHERE pk = 1 RETURNING ALL NEW *"),
            "Statement wasn't well formed, can't be processed: DELETE supports only RETURNING ALL OLD *");
}

TEST(PartiqlParse, DeleteAndExists) {
  auto d = parse_as<Delete>(R"(DELETE FROM "T" WHERE pk = 'a' AND sk = 2;)");
  EXPECT_EQ(d.table, "T");
  EXPECT_EQ(d.where, path("pk") == "a" && path("sk") == 2);
  auto e = parse_as<Exists>(R"(EXISTS(SELECT * FROM "T" WHERE pk = 'a' AND n > 1))");
  EXPECT_EQ(e.select.table, "T");
  EXPECT_EQ(e.select.where, path("pk") == "a" && path("n") > 1);
  EXPECT_EQ(table_of(Statement(e)), "T");
  EXPECT_FALSE(is_read(Statement(e)));
  EXPECT_TRUE(is_read(Statement(Select{})));
}

// A `--` comment runs to the end of its line.
TEST(PartiqlParse, Comments) {
  auto s = parse_as<Select>("SELECT * -- everything\nFROM t");
  EXPECT_EQ(s.table, "t");
}

// Syntax errors name what was expected, what was found and where.
TEST(PartiqlParse, SyntaxErrorsSayWhatAndWhere) {
  const std::string prefix = "Statement wasn't well formed, can't be processed: ";
  EXPECT_EQ(error_of("SELEC * FROM t"),
            prefix + "expected SELECT, INSERT, UPDATE, DELETE or EXISTS but found 'SELEC' at offset 0");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE"), prefix + "expected an attribute name or a value but found the end of the statement at offset 21");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a = 'x"), prefix + "unterminated string at offset 26");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a = 1 b"),
            prefix + "expected the end of the statement but found 'b' at offset 28");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a # 1"), prefix + "unexpected character '#' at offset 24");
  EXPECT_EQ(error_of("INSERT INTO t VALUES {'a': 1}"),
            prefix + "use VALUE, not VALUES: INSERT takes exactly one item");
  EXPECT_EQ(error_of("INSERT INTO t VALUE {'a': 1, 'a': 2}"), prefix + "the map literal names 'a' twice");
  EXPECT_EQ(error_of("INSERT INTO t VALUE {a: 1}"),
            prefix + "expected a quoted attribute name ('name') as a map key but found 'a' at offset 21");
  EXPECT_EQ(error_of("INSERT INTO t VALUE {'s': <<>>}"), prefix + "a set <<...>> must have at least one element");
  EXPECT_EQ(error_of("INSERT INTO t VALUE {'s': <<1, 'a'>>}"),
            prefix + "the elements of a set <<...>> must be all strings, all numbers or all binaries");
  EXPECT_EQ(error_of("UPDATE t SET a = set_add(b, <<1>>) WHERE pk = 1"),
            prefix + "set_add must name the attribute it assigns: SET a = set_add(a, ...)");
  EXPECT_EQ(error_of("UPDATE t WHERE pk = 1"), prefix + "expected SET or REMOVE but found 'WHERE' at offset 9");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE attribute_type(a, 'X')"),
            prefix +
                "the second argument of attribute_type must be one of 'S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', "
                "'NS', 'BS'");
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a = 1e999"),
            prefix + "invalid number 1e999: " + std::string(Number::describe(Number::Problem::overflow)));
  EXPECT_EQ(error_of("SELECT * FROM t WHERE a[99999999999] = 1"),
            prefix + "a list index must be a non-negative integer below 1000000000, not 99999999999");
}

// Deep nesting is refused with an error, not a stack overflow.
TEST(PartiqlParse, DeepNestingIsAnError) {
  const std::string deep = "SELECT * FROM t WHERE " + std::string(10000, '(') + "a = 1" + std::string(10000, ')');
  EXPECT_EQ(error_of(deep), "Statement wasn't well formed, can't be processed: the statement nests more than 64 levels deep");
  std::string list = "INSERT INTO t VALUE {'a': " + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_NE(error_of(list), "");
  EXPECT_NE(error_of("SELECT * FROM t WHERE " + std::string(5000, 'N') ), "");
  std::string nots = "SELECT * FROM t WHERE ";
  for (int i = 0; i < 5000; ++i) nots += "NOT ";
  EXPECT_EQ(error_of(nots + "a = 1"),
            "Statement wasn't well formed, can't be processed: the statement nests more than 64 levels deep");
}

// Random mutations of valid statements either parse or raise ValidationException.
TEST(PartiqlParse, MutatedStatementsParseOrRaiseValidation) {
  const std::vector<std::string> seeds = {
      R"(SELECT a.b[0], c FROM "T"."i" WHERE pk = ? AND sk BETWEEN 1 AND 5 ORDER BY sk DESC)",
      R"(INSERT INTO "T" VALUE {'pk': 'a', 'l': [1, {'m': <<'x'>>}]})",
      R"(UPDATE "T" SET a = list_append(a, [1]), b = set_add(b, <<2>>) REMOVE c WHERE pk = 'a' RETURNING ALL OLD *)",
      R"(DELETE FROM "T" WHERE pk = 'a' AND (x IS MISSING OR NOT size(y) > 3))",
  };
  std::mt19937 rng(7);
  const std::string alphabet = "\"'?,.[]{}()<>=!*+-;: aZ0_";
  for (int round = 0; round < 20000; ++round) {
    std::string s = seeds[rng() % seeds.size()];
    for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0 && !s.empty(); --edits) {
      const std::size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0: s.erase(at, 1); break;
        case 1: s.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        default: s[at] = static_cast<char>(rng() % 256); break;
      }
    }
    std::vector<AttributeValue> params{"p"};
    try {
      (void)parse(s, params);
    } catch (const Error& e) {
      ASSERT_EQ(e.code(), "ValidationException") << s;
    }
  }
}

}  // namespace
