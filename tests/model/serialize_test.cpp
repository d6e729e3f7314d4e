// Model <-> attribute map <-> JSON for every attribute type, schema rules, defaults, time
// formats and the rate limiter; no backend needed.
#include <gtest/gtest.h>

#include "model/models.hpp"

// A user's own traits for a type the library already stores (an optional integer kept as a
// labelled string): serializing must go through them, never past them to the library's.
struct Graded {
  std::string id{};
  std::optional<std::int16_t> level{};
  long long score = 0;  // a type no other model of these tests uses: its traits are this file's
};

template <>
struct dynamo::attribute_traits<std::optional<std::int16_t>> {
  static constexpr StoredAs stored_as = StoredAs::string;
  static bool is_empty(const std::optional<std::int16_t>&) { return false; }
  static AttributeValue to_attribute(const std::optional<std::int16_t>& v) {
    return AttributeValue(v ? "level-" + std::to_string(*v) : std::string("none"));
  }
  static std::optional<std::int16_t> from_attribute(const AttributeValue& a) {
    const std::string& text = a.as_string();
    if (text == "none") return std::nullopt;
    return static_cast<std::int16_t>(std::stoi(text.substr(6)));
  }
};

template <>
struct dynamo::attribute_traits<long long> {
  static constexpr StoredAs stored_as = StoredAs::string;
  static AttributeValue to_attribute(long long v) { return AttributeValue("points:" + std::to_string(v)); }
  static long long from_attribute(const AttributeValue& a) { return std::stoll(a.as_string().substr(7)); }
};

template <>
struct dynamo::model<Graded> {
  static auto schema() {
    return dynamo::table<Graded>("Graded")
        .hash_key("id", &Graded::id)
        .attribute("level", &Graded::level)
        .attribute("score", &Graded::score);
  }
};

namespace {

using namespace model_test;
using dynamo::AttributeValue;
using dynamo::Item;

Everything sample() {
  Everything e;
  e.id = "e1";
  e.i8 = -8;
  e.u16 = 65535;
  e.i32 = -123456;
  e.u64 = 18446744073709551615ULL;
  e.f = 0.1f;
  e.d = 2.5;
  e.exact = dynamo::Number::parse("12345678901234567890.123456789");
  e.bytes = dynamo::Binary{0x00, 0xff};
  e.flag = true;
  e.strings = {"a", "b"};
  e.numbers = {3, 1, 2};
  e.binaries = {dynamo::Binary{0x01}};
  e.raw_strings = dynamo::StringSet{"x"};
  e.typed_list = {1, 2, 3};
  e.cars = {CarInfo{.make = "A", .model = std::nullopt}, CarInfo{.make = "B", .model = "b"}};
  e.untyped_list = dynamo::List{"bread", 1, "butter", 6};
  e.raw_map = dynamo::AttributeMap{{"k", "v"}};
  e.scores = {{"x", 1.5}};
  e.car = CarInfo{.make = "Make-A", .model = "Model-A"};
  e.dynamic_car = DynamicCarInfo{.make = "M", .model = std::nullopt, .rest = {{"year", 1975}}};
  e.json = dynamo::JsonText{R"({"a":[1,2]})"};
  e.when = dynamo::parse_utc_time("2024-05-01T12:34:56.789012+0000");
  e.expires = dynamo::Ttl(dynamo::Ttl::time_point(std::chrono::seconds(1700000000)));
  e.color = Color{"red"};
  e.anything = AttributeValue(true);
  return e;
}

// Every built-in type is stored as the DynamoDB type PynamoDB uses for it.
TEST(ModelSerialize, EveryTypeIsStoredAsItsDynamoDBType) {
  const Item item = dynamo::serialize(sample());
  EXPECT_EQ(item.at("id"), AttributeValue("e1"));
  EXPECT_EQ(item.at("i8"), AttributeValue(-8));
  EXPECT_EQ(item.at("u64").as_number().to_string(), "18446744073709551615");
  EXPECT_EQ(item.at("f").as_number().to_string(), "0.1");
  EXPECT_EQ(item.at("d").as_number().to_string(), "2.5");
  EXPECT_EQ(item.at("exact").as_number().to_string(), "12345678901234567890.123456789");
  EXPECT_EQ(item.at("bytes").type(), dynamo::Type::binary);
  EXPECT_EQ(item.at("flag"), AttributeValue(true));
  EXPECT_EQ(item.at("strings"), AttributeValue(dynamo::StringSet{"a", "b"}));
  EXPECT_EQ(item.at("numbers"), AttributeValue(dynamo::NumberSet{1, 2, 3}));
  EXPECT_EQ(item.at("binaries").type(), dynamo::Type::binary_set);
  EXPECT_EQ(item.at("typed_list"), AttributeValue(dynamo::List{1, 2, 3}));
  EXPECT_EQ(item.at("cars").as_list()[0], AttributeValue(dynamo::AttributeMap{{"make", "A"}}));
  EXPECT_EQ(item.at("car"), AttributeValue(dynamo::AttributeMap{{"make", "Make-A"}, {"model", "Model-A"}}));
  EXPECT_EQ(item.at("dynamic_car"), AttributeValue(dynamo::AttributeMap{{"make", "M"}, {"year", 1975}}));
  EXPECT_EQ(item.at("scores"), AttributeValue(dynamo::AttributeMap{{"x", dynamo::Number::parse("1.5")}}));
  EXPECT_EQ(item.at("nothing"), AttributeValue(dynamo::Null{}));
  EXPECT_EQ(item.at("json"), AttributeValue(R"({"a":[1,2]})"));
  EXPECT_EQ(item.at("when"), AttributeValue("2024-05-01T12:34:56.789012+0000"));
  EXPECT_EQ(item.at("expires"), AttributeValue(1700000000));
  EXPECT_EQ(item.at("color"), AttributeValue(dynamo::Binary(std::string("color:red"))));
  EXPECT_FALSE(item.contains("maybe")) << "an empty optional is no attribute";
}

// deserialize(serialize(x)) gives x back, and so does the JSON round trip.
// Traits a user wrote for a type the library stores too (here full specialisations for an
// optional integer and for long long) decide how it is stored.
TEST(ModelSerialize, UserTraitsForBuiltInTypesAreUsed) {
  const Item item = dynamo::serialize(Graded{.id = "g", .level = 3, .score = 12});
  EXPECT_EQ(item.at("level"), AttributeValue("level-3"));
  EXPECT_EQ(item.at("score"), AttributeValue("points:12"));
  EXPECT_EQ(dynamo::serialize(Graded{.id = "g"}).at("level"), AttributeValue("none"));
  const Graded back = dynamo::deserialize<Graded>(item);
  EXPECT_EQ(back.level, std::optional<std::int16_t>(3));
  EXPECT_EQ(back.score, 12);
}

TEST(ModelSerialize, RoundTripsThroughItemAndJson) {
  const Everything e = sample();
  for (const Everything& back : {dynamo::deserialize<Everything>(dynamo::serialize(e)),
                                 dynamo::from_json<Everything>(dynamo::to_json(e))}) {
    EXPECT_EQ(dynamo::serialize(back), dynamo::serialize(e));
    EXPECT_EQ(back.u64, e.u64);
    EXPECT_EQ(back.f, e.f);
    EXPECT_EQ(back.cars.size(), 2u);
    EXPECT_EQ(back.cars[1].model, "b");
    ASSERT_TRUE(back.dynamic_car);
    EXPECT_EQ(back.dynamic_car->rest, (dynamo::AttributeMap{{"year", 1975}}));
    EXPECT_EQ(back.color, Color{"red"});
    EXPECT_EQ(back.when, e.when);
    EXPECT_EQ(back.expires, e.expires);
  }
}

// Empty sets and empty optionals are absent (DynamoDB has no empty sets); empty lists stay.
TEST(ModelSerialize, EmptySetsAndOptionalsAreAbsent) {
  const Item item = dynamo::serialize(Thread{.forum_name = "f", .subject = "s"});
  EXPECT_FALSE(item.contains("tags"));
  EXPECT_FALSE(item.contains("tn"));
  EXPECT_FALSE(item.contains("last_post_datetime"));
  EXPECT_EQ(item.at("notes"), AttributeValue(dynamo::List{}));
  EXPECT_EQ(item.at("views"), AttributeValue(0));
}

// Sets, lists and optionals are stored as the values built from their elements one by one:
// a std::set's order is the stored set's (bytes compared unsigned, numbers numerically).
TEST(ModelSerialize, ContainersStoreWhatTheirElementsStore) {
  const std::set<std::string> strings{"b", "a", "\xc3\xa9", "B", ""};
  EXPECT_EQ(dynamo::to_attribute(strings), AttributeValue(dynamo::StringSet(strings.begin(), strings.end())));
  EXPECT_EQ(dynamo::to_attribute(strings).as_string_set().elements(),
            (std::vector<std::string>{"", "B", "a", "b", "\xc3\xa9"}));
  const std::set<std::int64_t> numbers{7, -5, 0, 1000, -1000000};
  EXPECT_EQ(dynamo::to_attribute(numbers), AttributeValue(dynamo::NumberSet{7, -5, 0, 1000, -1000000}));
  EXPECT_EQ(dynamo::to_attribute(numbers).as_number_set().elements().front(), dynamo::Number(-1000000));
  const std::set<dynamo::Binary> binaries{dynamo::Binary{0xff}, dynamo::Binary{0x01}, dynamo::Binary{0x01, 0x00}};
  EXPECT_EQ(dynamo::to_attribute(binaries), AttributeValue(dynamo::BinarySet(binaries.begin(), binaries.end())));
  const std::set<double> reals{2.5, -0.1, 3};
  EXPECT_EQ(dynamo::to_attribute(reals), AttributeValue(dynamo::NumberSet{dynamo::Number::parse("-0.1"),
                                                                          dynamo::Number::parse("2.5"), 3}));
  EXPECT_EQ(dynamo::to_attribute(std::vector<std::int32_t>{3, -20, 100}), AttributeValue(dynamo::List{3, -20, 100}));
  EXPECT_EQ(dynamo::to_attribute(std::vector<double>{0.1, 1e21}),
            AttributeValue(dynamo::List{dynamo::Number::parse("0.1"), dynamo::Number::parse("1e21")}));
  EXPECT_EQ(dynamo::to_attribute(std::vector<std::vector<bool>>{{true}, {}}),
            AttributeValue(dynamo::List{dynamo::List{true}, dynamo::List{}}));
  EXPECT_EQ(dynamo::to_attribute(std::vector<CarInfo>{CarInfo{.make = "A", .model = "a"}}),
            AttributeValue(dynamo::List{dynamo::AttributeMap{{"make", "A"}, {"model", "a"}}}));
  EXPECT_EQ(dynamo::to_attribute(std::optional<std::vector<std::string>>{{"a"}}), AttributeValue(dynamo::List{"a"}));
}

// Stored names differ from member names (PynamoDB's attr_name), and unknown attributes are
// ignored on read.
TEST(ModelSerialize, StoredNamesAndUnknownAttributes) {
  const Item stored{{"forum_name", "f"}, {"subject", "s"}, {"tn", "name"}, {"added_later", 5}};
  const Thread t = dynamo::deserialize<Thread>(stored);
  EXPECT_EQ(t.thread_name, "name");
  EXPECT_FALSE(dynamo::serialize(t).contains("added_later")) << "the data-loss risk of save() documented in model.md";
}

// A stored value of the wrong type names the attribute.
TEST(ModelSerialize, WrongStoredTypeNamesTheAttribute) {
  const Item stored{{"forum_name", "f"}, {"subject", "s"}, {"views", "many"}};
  try {
    (void)dynamo::deserialize<Thread>(stored);
    FAIL() << "expected an error";
  } catch (const dynamo::Error& e) {
    EXPECT_EQ(std::string(e.what()), "attribute \"views\": expected a number value, found S");
  }
}

// default_for_new applies to new items only; missing attributes read as the C++ initializer.
TEST(ModelSerialize, DefaultsForNewItems) {
  EXPECT_EQ(dynamo::new_item<Everything>().maybe, "new");
  EXPECT_FALSE(dynamo::deserialize<Everything>(Item{{"id", "x"}}).maybe);
}

// default_to() on members that always hold a value: a member still holding its T{} value
// is unset, and gets the default when serialized, in new_item(), and on read.
TEST(ModelSerialize, DefaultToOnNonOptionalMembers) {
  const Item written = dynamo::serialize(Article{.id = "a"});
  EXPECT_EQ(written.at("title"), AttributeValue("untitled"));
  EXPECT_EQ(written.at("rank"), AttributeValue(5));
  EXPECT_NE(written.at("created"), AttributeValue(dynamo::format_utc_time(dynamo::utc_time{})));
  EXPECT_FALSE(written.contains("note")) << "default_for_new is for new_item() only";

  const Article fresh = dynamo::new_item<Article>({.id = "b", .title = "mine"});
  EXPECT_EQ(fresh.title, "mine") << "a value that was set is kept";
  EXPECT_EQ(fresh.rank, 5);
  EXPECT_NE(fresh.created, dynamo::utc_time{});
  EXPECT_EQ(fresh.note, "draft");
  EXPECT_EQ(dynamo::serialize(fresh).at("created"), AttributeValue(dynamo::format_utc_time(fresh.created)))
      << "a default already in the object is not generated again";

  const Article read = dynamo::deserialize<Article>(Item{{"id", "c"}, {"rank", 7}});
  EXPECT_EQ(read.title, "untitled");
  EXPECT_EQ(read.rank, 7);
  EXPECT_FALSE(read.note);
}

// Invalid JSON text is refused when stored.
TEST(ModelSerialize, JsonTextIsChecked) {
  Everything e = sample();
  e.json = dynamo::JsonText{"{not json"};
  EXPECT_THROW((void)dynamo::serialize(e), dynamo::Error);
}

// utc_time uses PynamoDB's format, sorts as text, and accepts Z and +00:00 when reading.
TEST(ModelSerialize, UtcTimeFormat) {
  using namespace std::chrono;
  const dynamo::utc_time t = sys_days(year(2021) / 1 / 2) + hours(3) + minutes(4) + seconds(5) + microseconds(6);
  EXPECT_EQ(dynamo::format_utc_time(t), "2021-01-02T03:04:05.000006+0000");
  EXPECT_EQ(dynamo::parse_utc_time("2021-01-02T03:04:05.000006+0000"), t);
  EXPECT_EQ(dynamo::parse_utc_time("2021-01-02T03:04:05.000006Z"), t);
  EXPECT_EQ(dynamo::parse_utc_time("2021-01-02T03:04:05+00:00"), t - microseconds(6));
  EXPECT_LT(dynamo::format_utc_time(t), dynamo::format_utc_time(t + microseconds(1)));
  EXPECT_THROW((void)dynamo::parse_utc_time("2021-13-02T03:04:05.000000+0000"), dynamo::Error);
  EXPECT_THROW((void)dynamo::parse_utc_time("yesterday"), dynamo::Error);
}

// Ttl can be set from a duration and reads back as an absolute time.
TEST(ModelSerialize, TtlFromDuration) {
  const auto before = std::chrono::system_clock::now();
  const dynamo::Ttl ttl = dynamo::Ttl::in(std::chrono::hours(1));
  const auto expected = std::chrono::duration_cast<std::chrono::seconds>((before + std::chrono::hours(1)).time_since_epoch()).count();
  EXPECT_NEAR(static_cast<double>(ttl.epoch_seconds()), static_cast<double>(expected), 2.0);
}

// The schema's key, TTL and version fields are found; a duplicate name is refused.
TEST(ModelSchema, KeysAndSpecialFields) {
  const auto& everything = dynamo::schema_of<Everything>().core();
  EXPECT_EQ(everything.hash_field().name, "id");
  EXPECT_EQ(everything.range_key(), nullptr);
  ASSERT_NE(everything.ttl_field(), nullptr);
  EXPECT_EQ(everything.ttl_field()->name, "expires");
  EXPECT_EQ(dynamo::schema_of<Office>().core().version_field()->name, "version");
  EXPECT_THROW((void)dynamo::table<Thread>("T")
                   .hash_key("a", &Thread::forum_name)
                   .attribute("a", &Thread::subject),
               dynamo::Error);
}

// Index declarations resolve their keys to stored names.
TEST(ModelSchema, IndexesResolveStoredNames) {
  const auto& core = dynamo::schema_of<Post>().core();
  const auto& by_author = core.index_named("author-index");
  EXPECT_EQ(by_author.hash_name, "author");
  EXPECT_EQ(by_author.range_name, "view");
  EXPECT_EQ(core.key_names(&by_author), (std::vector<std::string>{"forum", "thread", "author", "view"}));
  EXPECT_FALSE(core.index_named("forum-view-index").global);
}

// The rate limiter sleeps units/rate seconds after a call that consumed units.
TEST(ModelRateLimiter, SleepsForConsumedUnits) {
  using clock = dynamo::RateLimiter::clock;
  clock::time_point now{};
  clock::duration slept{};
  dynamo::RateLimiter limiter(
      4.0, [&] { return now; }, [&](clock::duration d) { slept += d; now += d; });
  limiter.acquire();
  limiter.consume(2.0);  // 2 units at 4/s: the next call waits half a second
  limiter.acquire();
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(slept).count(), 500);
  now += std::chrono::seconds(1);  // time passed on its own: no wait
  limiter.consume(1.0);
  limiter.acquire();
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(slept).count(), 500);
  EXPECT_THROW(dynamo::RateLimiter(0.0), dynamo::Error);
}

}  // namespace
