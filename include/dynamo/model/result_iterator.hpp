// dynamo::ResultIterator<T> — the lazy result of query() and scan(): pages are fetched as
// the loop needs them, and the position can be saved to resume later (PynamoDB's
// ResultIterator).
//
//   auto results = threads.query("C++", {}, {}, {.limit = 10});
//   for (const Thread& t : results) std::cout << t.subject << "\n";
//   std::optional<dynamo::Item> resume = results.last_evaluated_key();   // nullopt: no more
//   auto more = threads.query("C++", {}, {}, {.limit = 10, .last_evaluated_key = resume});
//
// last_evaluated_key() is the key of the last item the loop saw (for an index: the table's
// keys and the index's), or the service's LastEvaluatedKey when a page was used up, so a
// loop that stops early resumes right after the last item it handled. It is an input range:
// every begin() continues after the items already handed out, so a second loop over the
// same results picks up where the first one stopped (where last_evaluated_key() points),
// and copies share their position. A failed page fetch (a throttled request, say) hands
// out nothing: looping again sends the same request again.
#pragma once

#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dynamo/api/query_scan.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/model/rate_limiter.hpp"
#include "dynamo/model/schema.hpp"
#include "dynamo/model/serialize.hpp"

namespace dynamo {

namespace detail {

// Fetches the pages of one Query or Scan and hands out their items (src/model/pages.cpp).
class PageReader {
 public:
  using Request = std::variant<api::QueryRequest, api::ScanRequest>;

  PageReader(Connection connection, Request request, std::optional<std::int64_t> limit,
             std::optional<double> rate_limit, std::vector<std::string> key_names);

  // The next item, or nullptr when there is none (fetching pages as needed).
  [[nodiscard]] const Item* next();
  [[nodiscard]] std::optional<Item> last_evaluated_key() const;
  // Totals over the pages fetched so far.
  [[nodiscard]] std::int64_t scanned_count() const noexcept { return scanned_count_; }
  [[nodiscard]] double consumed_capacity() const noexcept { return consumed_; }
  [[nodiscard]] int pages_fetched() const noexcept { return pages_; }

  // Select=COUNT over every page (respecting the limit): query and scan counts.
  [[nodiscard]] std::int64_t count_all();

 private:
  // Fetches the next page; false when there is none.
  bool fetch();

  Connection connection_;
  Request request_;
  std::optional<std::int64_t> limit_;
  std::optional<RateLimiter> limiter_;
  std::vector<std::string> key_names_;
  std::vector<Item> page_;
  std::size_t position_ = 0;       // items of page_ handed out
  std::optional<Item> start_key_;  // the ExclusiveStartKey of page_
  std::optional<Item> page_last_key_;
  bool exhausted_ = false;
  std::int64_t returned_ = 0;
  std::int64_t page_count_ = 0;
  std::int64_t scanned_count_ = 0;
  double consumed_ = 0;
  int pages_ = 0;
};

}  // namespace detail

template <class T>
class ResultIterator {
 public:
  explicit ResultIterator(std::shared_ptr<detail::PageReader> reader) : reader_(std::move(reader)) {}

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    iterator() = default;
    explicit iterator(ResultIterator* owner) : owner_(owner) {}

    [[nodiscard]] reference operator*() const { return *owner_->current_; }
    [[nodiscard]] pointer operator->() const { return &*owner_->current_; }
    iterator& operator++() {
      owner_->advance();
      return *this;
    }
    void operator++(int) { owner_->advance(); }
    [[nodiscard]] friend bool operator==(const iterator& it, std::default_sentinel_t) { return it.at_end(); }

   private:
    [[nodiscard]] bool at_end() const noexcept { return !owner_ || !owner_->current_; }

    ResultIterator* owner_ = nullptr;
  };

  // The next item not handed out yet (fetching a page when needed). Every call moves on:
  // the item a previous loop stopped at counts as seen, as last_evaluated_key() says.
  [[nodiscard]] iterator begin() {
    advance();
    return iterator(this);
  }
  [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

  // Where to resume: pass it as last_evaluated_key of the next query or scan. nullopt
  // once every item has been seen.
  [[nodiscard]] std::optional<Item> last_evaluated_key() const { return reader_->last_evaluated_key(); }
  // Counters of what was fetched so far.
  [[nodiscard]] std::int64_t scanned_count() const noexcept { return reader_->scanned_count(); }
  [[nodiscard]] double consumed_capacity() const noexcept { return reader_->consumed_capacity(); }
  [[nodiscard]] int pages_fetched() const noexcept { return reader_->pages_fetched(); }

  // The remaining items.
  [[nodiscard]] std::vector<T> to_vector() {
    std::vector<T> out;
    for (const T& item : *this) out.push_back(item);
    return out;
  }

 private:
  void advance() {
    // Dropped first, so that when fetching throws no loop sees the old item again.
    current_.reset();
    const Item* item = reader_->next();
    if (item) current_ = deserialize<T>(*item);
  }

  std::shared_ptr<detail::PageReader> reader_;
  std::optional<T> current_;
};

}  // namespace dynamo
