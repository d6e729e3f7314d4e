// PageReader: lazy paging of Query and Scan, with limit, resume keys and rate limiting.
#include <algorithm>
#include <span>

#include "dynamo/model/result_iterator.hpp"

namespace dynamo::detail {

PageReader::PageReader(Connection connection, Request request, std::optional<std::int64_t> limit,
                       std::optional<double> rate_limit, std::vector<std::string> key_names)
    : connection_(std::move(connection)),
      request_(std::move(request)),
      limit_(limit),
      key_names_(std::move(key_names)) {
  if (rate_limit) limiter_.emplace(*rate_limit);
  std::visit([this](const auto& r) { start_key_ = r.exclusive_start_key; }, request_);
}

bool PageReader::fetch() {
  if (exhausted_) return false;
  if (limiter_) limiter_->acquire();
  std::visit(
      [this](auto& request) {
        // Never ask for more than the caller still wants.
        if (limit_) {
          const std::int64_t remaining = std::max<std::int64_t>(*limit_ - returned_, 1);
          if (!request.limit || *request.limit > remaining) request.limit = static_cast<int>(std::min<std::int64_t>(remaining, 1 << 30));
        }
        auto response = [&] {
          if constexpr (std::is_same_v<std::decay_t<decltype(request)>, api::QueryRequest>) return connection_.query(request);
          else return connection_.scan(request);
        }();
        page_consumed_.reset();
        if (response.consumed_capacity) {
          const double units = response.consumed_capacity->capacity_units.value_or(0);
          page_consumed_ = units;
          consumed_ += units;
          if (limiter_) limiter_->consume(units);
        }
        start_key_ = request.exclusive_start_key;
        page_ = response.items ? std::move(*response.items) : std::vector<Item>{};
        page_count_ = response.count.value_or(static_cast<int>(page_.size()));
        page_scanned_count_ = response.scanned_count.value_or(0);
        scanned_count_ += page_scanned_count_;
        page_last_key_ = std::move(response.last_evaluated_key);
        if (page_last_key_) request.exclusive_start_key = page_last_key_;
        else exhausted_ = true;
      },
      request_);
  position_ = 0;
  ++pages_;
  return true;
}

const Item* PageReader::next() {
  if (limit_ && returned_ >= *limit_) return nullptr;
  while (position_ >= page_.size()) {
    if (!fetch()) return nullptr;
  }
  ++returned_;
  return &page_[position_++];
}

std::optional<PageView> PageReader::next_page() {
  if (limit_ && returned_ >= *limit_) return std::nullopt;
  // One fetch, not a loop as in next(): a page that a filter emptied is still a page.
  if (position_ >= page_.size() && !fetch()) return std::nullopt;
  std::size_t end = page_.size();
  // DynamoDB was asked for no more than the limit left, so this only guards against a
  // backend that returns more than its Limit.
  if (limit_) end = std::min(end, position_ + static_cast<std::size_t>(*limit_ - returned_));
  return PageView{.items = std::span<const Item>(page_).subspan(position_, end - position_),
                  .info = PageInfo{.last_evaluated_key = key_after(end),
                                   .count = page_count_,
                                   .scanned_count = page_scanned_count_,
                                   .consumed_capacity = page_consumed_}};
}

void PageReader::hand_out(std::size_t items) {
  position_ += items;
  returned_ += static_cast<std::int64_t>(items);
}

std::optional<Item> PageReader::last_evaluated_key() const { return key_after(position_); }

std::optional<Item> PageReader::key_after(std::size_t position) const {
  if (pages_ == 0) return start_key_;
  if (position >= page_.size()) return page_last_key_;
  if (position == 0) return start_key_;  // a page fetched, none of it handed out
  // Stopped inside a page: resume right after the last item handed out.
  const Item& last = page_[position - 1];
  Item key;
  for (const std::string& name : key_names_)
    if (const AttributeValue* v = last.find(name)) key.insert_or_assign(name, *v);
  return key;
}

std::int64_t PageReader::count_all() {
  std::int64_t total = 0;
  while (!(limit_ && total >= *limit_) && fetch()) {
    total += page_count_;
    returned_ = total;
  }
  return limit_ ? std::min(total, *limit_) : total;
}

}  // namespace dynamo::detail
