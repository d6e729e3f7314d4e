// dynamo::ResultIterator<T> — the lazy result of query() and scan(): pages are fetched as
// the loop needs them, and the position can be saved to resume later (PynamoDB's
// ResultIterator).
//
//   auto results = threads.query("C++", {}, {}, {.limit = 10});
//   for (const Thread& t : results) std::cout << t.subject << "\n";
//   std::optional<dynamo::Item> resume = results.last_evaluated_key();   // nullopt: no more
//   auto more = threads.query("C++", {}, {}, {.limit = 10, .last_evaluated_key = resume});
//
//   for (const auto& page : threads.scan({}, {.page_size = 100}).pages()) {   // a response at a time
//     for (const Thread& t : page) ...
//     save_checkpoint(page.last_evaluated_key());
//   }
//
// last_evaluated_key() is the key of the last item the loop saw (for an index: the table's
// keys and the index's), or the service's LastEvaluatedKey when a page was used up, so a
// loop that stops early resumes right after the last item it handled. It is an input range:
// every begin() continues after the items already handed out, so a second loop over the
// same results picks up where the first one stopped (where last_evaluated_key() points),
// and copies share their position. A failed page fetch (a throttled request, say) hands
// out nothing: looping again sends the same request again. pages() walks the same position
// a response at a time, with each response's counts and consumed capacity.
#pragma once

#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "dynamo/api/query_scan.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/model/lazy_range.hpp"
#include "dynamo/model/rate_limiter.hpp"
#include "dynamo/model/schema.hpp"
#include "dynamo/model/serialize.hpp"

namespace dynamo {

namespace detail {

// What a page of results says besides its items (ResultPage).
struct PageInfo {
  std::optional<Item> last_evaluated_key{};
  std::int64_t count = 0;
  std::int64_t scanned_count = 0;
  std::optional<double> consumed_capacity{};
};

// A page's items not handed out yet, in the reader's buffer, valid until it moves on.
struct PageView {
  std::span<const Item> items;
  PageInfo info;
};

// Fetches the pages of one Query or Scan and hands out their items (src/model/pages.cpp).
class PageReader {
 public:
  using Request = std::variant<api::QueryRequest, api::ScanRequest>;

  PageReader(Connection connection, Request request, std::optional<std::int64_t> limit,
             std::optional<double> rate_limit, std::vector<std::string> key_names);

  // The next item, or nullptr when there is none (fetching pages as needed).
  [[nodiscard]] const Item* next();
  // The items of the current page not handed out yet, or, when it has none left, the next
  // page (fetched now; it may be empty when a filter dropped all it read). nullopt when
  // there is none, or the limit is reached. Nothing counts as handed out before
  // hand_out(view.items.size()), so a page whose items could not be read is offered again.
  // next() and next_page() walk one position: pages and items can be mixed.
  [[nodiscard]] std::optional<PageView> next_page();
  void hand_out(std::size_t items);
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
  // Where to resume once the items of page_ before `position` are handed out.
  [[nodiscard]] std::optional<Item> key_after(std::size_t position) const;

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
  std::int64_t page_scanned_count_ = 0;
  std::optional<double> page_consumed_;
  double consumed_ = 0;
  int pages_ = 0;
};

}  // namespace detail

// One page of a query or scan: what one Query or Scan response held (ResultPages<T>).
template <class T>
class ResultPage {
 public:
  ResultPage(std::vector<T> items, detail::PageInfo info) : items_(std::move(items)), info_(std::move(info)) {}

  // The page's items, as models. When an item loop stopped inside this page before the
  // page loop began, only the items it had not handed out yet.
  [[nodiscard]] const std::vector<T>& items() const noexcept { return items_; }
  [[nodiscard]] auto begin() const noexcept { return items_.begin(); }
  [[nodiscard]] auto end() const noexcept { return items_.end(); }
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  [[nodiscard]] bool empty() const noexcept { return items_.empty(); }

  // Where to resume after this page: DynamoDB's LastEvaluatedKey (nullopt on the last
  // page), or, when the results' limit ended the walk inside it, the key of its last item.
  [[nodiscard]] const std::optional<Item>& last_evaluated_key() const noexcept { return info_.last_evaluated_key; }
  // DynamoDB's numbers for the whole response: the items that passed the filter, the items
  // read before filtering, and the read units it consumed (nullopt unless capacity was
  // asked for: a rate_limit, or the connection's return_consumed_capacity).
  [[nodiscard]] std::int64_t count() const noexcept { return info_.count; }
  [[nodiscard]] std::int64_t scanned_count() const noexcept { return info_.scanned_count; }
  [[nodiscard]] std::optional<double> consumed_capacity() const noexcept { return info_.consumed_capacity; }

 private:
  std::vector<T> items_;
  detail::PageInfo info_;
};

// The pages of a query or scan, one response each (ResultIterator<T>::pages()). It walks
// the same results as the item loop: both move the one position forward.
template <class T>
class ResultPages : public detail::LazyRange<ResultPages<T>, ResultPage<T>> {
 public:
  explicit ResultPages(std::shared_ptr<detail::PageReader> reader) : reader_(std::move(reader)) {}

  // Where the next page would start (as ResultIterator::last_evaluated_key()).
  [[nodiscard]] std::optional<Item> last_evaluated_key() const { return reader_->last_evaluated_key(); }

 private:
  friend class detail::LazyRange<ResultPages<T>, ResultPage<T>>;

  std::optional<ResultPage<T>> produce() {
    std::optional<detail::PageView> page = reader_->next_page();
    if (!page) return std::nullopt;
    std::vector<T> items;
    items.reserve(page->items.size());
    for (const Item& item : page->items) items.push_back(detail::read_item<T>(item));
    // Only now, so that a page with an item the model cannot read is not skipped.
    reader_->hand_out(page->items.size());
    return ResultPage<T>(std::move(items), std::move(page->info));
  }

  std::shared_ptr<detail::PageReader> reader_;
};

template <class T>
class ResultIterator : public detail::LazyRange<ResultIterator<T>, T> {
 public:
  explicit ResultIterator(std::shared_ptr<detail::PageReader> reader) : reader_(std::move(reader)) {}

  // begin() hands out the next item not handed out yet (fetching a page when needed).
  // Every call moves on: the item a previous loop stopped at counts as seen, as
  // last_evaluated_key() says. to_vector() gives the remaining items.

  // The same results a page at a time (PynamoDB's PageIterator, boto's pages):
  //   for (const auto& page : threads.query("C++", {}, {}, {.page_size = 25}).pages()) ...
  // Pages and items share one position: a page loop after an item loop starts with what is
  // left of the current page, and an item loop after a page loop with the next page.
  [[nodiscard]] ResultPages<T> pages() { return ResultPages<T>(reader_); }

  // Where to resume: pass it as last_evaluated_key of the next query or scan. nullopt
  // once every item has been seen.
  [[nodiscard]] std::optional<Item> last_evaluated_key() const { return reader_->last_evaluated_key(); }
  // Counters of what was fetched so far.
  [[nodiscard]] std::int64_t scanned_count() const noexcept { return reader_->scanned_count(); }
  [[nodiscard]] double consumed_capacity() const noexcept { return reader_->consumed_capacity(); }
  [[nodiscard]] int pages_fetched() const noexcept { return reader_->pages_fetched(); }

 private:
  friend class detail::LazyRange<ResultIterator<T>, T>;

  std::optional<T> produce() {
    const Item* item = reader_->next();
    if (!item) return std::nullopt;
    return detail::read_item<T>(*item);
  }

  std::shared_ptr<detail::PageReader> reader_;
};

}  // namespace dynamo
