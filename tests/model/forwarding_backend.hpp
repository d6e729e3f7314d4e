// A Backend that passes every call to another one: the base of the test backends that
// fail or hold back some calls the way DynamoDB does under load.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "dynamo/client/backend.hpp"
#include "dynamo/error.hpp"

namespace model_test {

class ForwardingBackend : public dynamo::Backend {
 public:
  explicit ForwardingBackend(std::shared_ptr<dynamo::Backend> inner) : inner_(std::move(inner)) {}
#define DYNAMO_FORWARD(method, Name, ...) \
  dynamo::api::Name##Response method(const dynamo::api::Name##Request& request) override { return inner_->method(request); }
  DYNAMO_OPERATIONS(DYNAMO_FORWARD)
#undef DYNAMO_FORWARD
  [[nodiscard]] std::string describe() const override { return "forwarding to " + inner_->describe(); }

 protected:
  std::shared_ptr<dynamo::Backend> inner_;
};

// Applies only the first `per_call` keys or writes of each batch and hands the rest back
// as unprocessed, as DynamoDB does when a table runs out of capacity.
class StingyBackend : public ForwardingBackend {
 public:
  StingyBackend(std::shared_ptr<dynamo::Backend> inner, std::size_t per_call)
      : ForwardingBackend(std::move(inner)), per_call_(per_call) {}

  dynamo::api::BatchGetItemResponse batch_get_item(const dynamo::api::BatchGetItemRequest& request) override {
    ++batch_calls;
    dynamo::api::BatchGetItemRequest part;
    dynamo::api::BatchGetItemResponse response;
    response.unprocessed_keys.emplace();
    for (const auto& [table, keys] : request.request_items) {
      auto taken = keys;
      taken.keys.resize(std::min(per_call_, keys.keys.size()));
      auto left = keys;
      left.keys.erase(left.keys.begin(), left.keys.begin() + static_cast<std::ptrdiff_t>(taken.keys.size()));
      if (!taken.keys.empty()) part.request_items.emplace(table, std::move(taken));
      if (!left.keys.empty()) response.unprocessed_keys->emplace(table, std::move(left));
    }
    if (!part.request_items.empty()) response.responses = inner_->batch_get_item(part).responses;
    return response;
  }

  dynamo::api::BatchWriteItemResponse batch_write_item(const dynamo::api::BatchWriteItemRequest& request) override {
    ++batch_calls;
    dynamo::api::BatchWriteItemRequest part;
    dynamo::api::BatchWriteItemResponse response;
    response.unprocessed_items.emplace();
    for (const auto& [table, writes] : request.request_items) {
      const std::size_t take = std::min(per_call_, writes.size());
      if (take > 0) part.request_items.emplace(table, std::vector(writes.begin(), writes.begin() + static_cast<std::ptrdiff_t>(take)));
      if (take < writes.size()) {
        response.unprocessed_items->emplace(table, std::vector(writes.begin() + static_cast<std::ptrdiff_t>(take), writes.end()));
      }
    }
    if (!part.request_items.empty()) (void)inner_->batch_write_item(part);
    return response;
  }

  std::atomic<int> batch_calls{0};

 private:
  std::size_t per_call_;
};


// Fails the next `failures` Query and Scan calls with ThrottlingException, as DynamoDB does
// when a table runs over its capacity.
class ThrottlingBackend : public ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;

  dynamo::api::QueryResponse query(const dynamo::api::QueryRequest& request) override {
    throttle();
    return inner_->query(request);
  }
  dynamo::api::ScanResponse scan(const dynamo::api::ScanRequest& request) override {
    throttle();
    return inner_->scan(request);
  }

  std::atomic<int> failures{0};
  std::atomic<int> calls{0};

 private:
  void throttle() {
    ++calls;
    if (failures > 0) {
      --failures;
      throw dynamo::Error("ThrottlingException", "Rate of requests exceeds the allowed throughput.", 400);
    }
  }
};

}  // namespace model_test
