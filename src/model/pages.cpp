// PageReader: lazy paging of Query and Scan, with limit, resume keys and rate limiting.
#include <algorithm>

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
        if (response.consumed_capacity) {
          const double units = response.consumed_capacity->capacity_units.value_or(0);
          consumed_ += units;
          if (limiter_) limiter_->consume(units);
        }
        start_key_ = request.exclusive_start_key;
        page_ = response.items ? std::move(*response.items) : std::vector<Item>{};
        page_count_ = response.count.value_or(static_cast<int>(page_.size()));
        scanned_count_ += response.scanned_count.value_or(0);
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

std::optional<Item> PageReader::last_evaluated_key() const {
  if (pages_ == 0) return start_key_;
  if (position_ >= page_.size()) return page_last_key_;
  // Stopped inside a page: resume right after the last item handed out.
  const Item& last = page_[position_ - 1];
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
