// Models shared by the model tests: the tutorial's Thread, a model with every attribute
// type, nested maps, and a model with indexes.
#pragma once

#include <dynamo/dynamo.hpp>

namespace model_test {

struct Thread {
  std::string forum_name{};
  std::string subject{};
  std::int64_t views = 0;
  std::int64_t replies = 0;
  std::set<std::string> tags{};
  std::vector<std::string> notes{};
  std::optional<dynamo::utc_time> last_post_datetime{};
  std::optional<std::string> thread_name{};
};

struct CarInfo {
  std::string make{};
  std::optional<std::string> model{};
};

// Declared fields plus free ones (PynamoDB's DynamicMapAttribute).
struct DynamicCarInfo {
  std::string make{};
  std::optional<std::string> model{};
  dynamo::AttributeMap rest{};
};

struct Color {
  std::string name{};
  friend bool operator==(const Color&, const Color&) = default;
};

// One of each attribute type.
struct Everything {
  std::string id{};
  std::int8_t i8 = 0;
  std::uint16_t u16 = 0;
  std::int32_t i32 = 0;
  std::uint64_t u64 = 0;
  float f = 0;
  double d = 0;
  dynamo::Number exact{};
  dynamo::Binary bytes{};
  bool flag = false;
  std::set<std::string> strings{};
  std::set<std::int64_t> numbers{};
  std::set<dynamo::Binary> binaries{};
  dynamo::StringSet raw_strings{};
  std::vector<std::int64_t> typed_list{};
  std::vector<CarInfo> cars{};
  dynamo::List untyped_list{};
  dynamo::AttributeMap raw_map{};
  std::map<std::string, double> scores{};
  CarInfo car{};
  std::optional<DynamicCarInfo> dynamic_car{};
  dynamo::Null nothing{};
  dynamo::JsonText json{"{}"};
  dynamo::utc_time when{};
  std::optional<dynamo::Ttl> expires{};
  std::optional<Color> color{};
  std::optional<std::string> maybe{};
  dynamo::AttributeValue anything{};
};

// A model with a global and a local index (the manual's TestModel).
struct Post {
  std::string forum{};
  std::string thread{};
  std::int64_t view = 0;
  std::string author{};
  std::string body{};
};

// Optimistic locking (the manual's Office).
struct Office {
  std::string office_id{};
  std::string name{};
  std::vector<CarInfo> cars{};
  std::int64_t version = 0;
};

// Defaults on members that always hold a value (default_to on non-optional members).
struct Article {
  std::string id{};
  std::string title{};                 // default_to("untitled")
  std::int64_t rank = 0;               // default_to(5): 0 is "unset"
  dynamo::utc_time created{};          // default_to(a clock): the epoch is "unset"
  std::optional<std::string> note{};   // default_for_new("draft")
};

// A fake clock for Article::created: every call is one second later.
inline dynamo::utc_time next_tick() {
  static std::int64_t ticks = 0;
  return dynamo::utc_time{} + std::chrono::hours(24 * 365 * 50) + std::chrono::seconds(++ticks);
}

}  // namespace model_test

// A user type stored as binary through a converter (the manual's PickleAttribute).
template <>
struct dynamo::attribute_traits<model_test::Color> {
  static constexpr dynamo::StoredAs stored_as = dynamo::StoredAs::binary;
  static dynamo::AttributeValue to_attribute(const model_test::Color& c) { return dynamo::Binary("color:" + c.name); }
  static model_test::Color from_attribute(const dynamo::AttributeValue& v) {
    return {v.as_binary().bytes().substr(6)};
  }
};

template <>
struct dynamo::model<model_test::Thread> {
  static auto schema() {
    using model_test::Thread;
    return dynamo::table<Thread>("Thread")
        .hash_key("forum_name", &Thread::forum_name)
        .range_key("subject", &Thread::subject)
        .attribute("views", &Thread::views)
        .attribute("replies", &Thread::replies)
        .attribute("tags", &Thread::tags)
        .attribute("notes", &Thread::notes)
        .attribute("last_post_datetime", &Thread::last_post_datetime)
        .attribute("tn", &Thread::thread_name);
  }
};

template <>
struct dynamo::model<model_test::CarInfo> {
  static auto schema() {
    using model_test::CarInfo;
    return dynamo::map_schema<CarInfo>().attribute("make", &CarInfo::make).attribute("model", &CarInfo::model);
  }
};

template <>
struct dynamo::model<model_test::DynamicCarInfo> {
  static auto schema() {
    using model_test::DynamicCarInfo;
    return dynamo::map_schema<DynamicCarInfo>()
        .attribute("make", &DynamicCarInfo::make)
        .attribute("model", &DynamicCarInfo::model)
        .unknown_attributes(&DynamicCarInfo::rest);
  }
};

template <>
struct dynamo::model<model_test::Everything> {
  static auto schema() {
    using model_test::Everything;
    return dynamo::table<Everything>("Everything")
        .hash_key("id", &Everything::id)
        .attribute("i8", &Everything::i8)
        .attribute("u16", &Everything::u16)
        .attribute("i32", &Everything::i32)
        .attribute("u64", &Everything::u64)
        .attribute("f", &Everything::f)
        .attribute("d", &Everything::d)
        .attribute("exact", &Everything::exact)
        .attribute("bytes", &Everything::bytes)
        .attribute("flag", &Everything::flag)
        .attribute("strings", &Everything::strings)
        .attribute("numbers", &Everything::numbers)
        .attribute("binaries", &Everything::binaries)
        .attribute("raw_strings", &Everything::raw_strings)
        .attribute("typed_list", &Everything::typed_list)
        .attribute("cars", &Everything::cars)
        .attribute("untyped_list", &Everything::untyped_list)
        .attribute("raw_map", &Everything::raw_map)
        .attribute("scores", &Everything::scores)
        .attribute("car", &Everything::car)
        .attribute("dynamic_car", &Everything::dynamic_car)
        .attribute("nothing", &Everything::nothing)
        .attribute("json", &Everything::json)
        .attribute("when", &Everything::when)
        .attribute("expires", &Everything::expires)
        .attribute("color", &Everything::color)
        .attribute("maybe", &Everything::maybe, dynamo::default_for_new("new"))
        .attribute("anything", &Everything::anything);
  }
};

template <>
struct dynamo::model<model_test::Post> {
  static auto by_view() {
    return dynamo::global_index<model_test::Post>("view-index")
        .hash_key(&model_test::Post::view)
        .projection(dynamo::IndexProjection::all())
        .capacity(2, 1);
  }
  static auto by_author() {
    return dynamo::global_index<model_test::Post>("author-index")
        .hash_key(&model_test::Post::author)
        .range_key(&model_test::Post::view)
        .projection(dynamo::IndexProjection::keys_only());
  }
  static auto forum_by_view() {
    return dynamo::local_index<model_test::Post>("forum-view-index")
        .hash_key(&model_test::Post::forum)
        .range_key(&model_test::Post::view)
        .projection(dynamo::IndexProjection::include({"author"}));
  }
  static auto schema() {
    using model_test::Post;
    return dynamo::table<Post>("Post")
        .hash_key("forum", &Post::forum)
        .range_key("thread", &Post::thread)
        .attribute("view", &Post::view)
        .attribute("author", &Post::author)
        .attribute("body", &Post::body)
        .index(by_view())
        .index(by_author())
        .index(forum_by_view());
  }
};

template <>
struct dynamo::model<model_test::Office> {
  static auto schema() {
    using model_test::Office;
    return dynamo::table<Office>("Office")
        .hash_key("office_id", &Office::office_id)
        .attribute("name", &Office::name)
        .attribute("cars", &Office::cars)
        .version("version", &Office::version);
  }
};

template <>
struct dynamo::model<model_test::Article> {
  static auto schema() {
    using model_test::Article;
    return dynamo::table<Article>("Article")
        .hash_key("id", &Article::id)
        .attribute("title", &Article::title, dynamo::default_to("untitled"))
        .attribute("rank", &Article::rank, dynamo::default_to(5))
        .attribute("created", &Article::created, dynamo::default_to(&model_test::next_tick))
        .attribute("note", &Article::note, dynamo::default_for_new("draft"));
  }
};
