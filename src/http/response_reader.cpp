#include "http/response_reader.hpp"

#include <boost/beast/http/error.hpp>
#include <string>
#include <utility>

namespace dynamo::http::detail {

namespace {
constexpr std::uint32_t header_limit = 64 * 1024;
// Four times DynamoDB's largest answer (a BatchGetItem of 16 MB): larger is a server gone
// wrong, and a body is reserved at its announced length.
constexpr std::uint64_t body_limit = 64ULL * 1024 * 1024;
}  // namespace

ResponseReader::ResponseReader() { start_parser(); }

void ResponseReader::start_parser() {
  parser_.emplace();
  // Stops after the header, so that feed() checks the announced length before the body.
  parser_->eager(false);
  parser_->header_limit(header_limit);
  parser_->body_limit(body_limit);
}

std::size_t ResponseReader::feed(std::string_view input) {
  std::size_t taken = 0;
  while (taken < input.size() && !parser_->is_done()) {
    boost::system::error_code failure;
    const std::size_t used = parser_->put(boost::asio::const_buffer(input.data() + taken, input.size() - taken), failure);
    taken += used;
    if (failure == boost::beast::http::error::need_more) break;
    if (failure) {
      error_ = failure.message();
      break;
    }
    if (parser_->is_header_done() && !parser_->eager()) {
      // The header is complete: checked once here, before any of the body is read.
      if (const unsigned status = parser_->get().result_int(); status < 100) {
        // Beast takes any three digits; HTTP has no status below 100.
        error_ = "status code " + std::to_string(status) + " is not an HTTP status";
        break;
      }
      // Beast reserves the body at its announced length before checking its limit.
      if (const auto length = parser_->content_length(); length && *length > body_limit) {
        error_ = "the body's announced length is more than " + std::to_string(body_limit) + " bytes";
        break;
      }
      parser_->eager(true);
      continue;
    }
    if (used == 0) break;
  }
  return taken;
}

ResponseReader::State ResponseReader::state() const noexcept {
  if (!error_.empty()) return State::malformed;
  return parser_->is_done() ? State::complete : State::need_more;
}

ResponseReader::State ResponseReader::add(std::string_view bytes) {
  if (bytes.empty() || state() != State::need_more) return state();
  started_ = true;
  std::string_view input = bytes;
  if (!pending_.empty()) {
    pending_.append(bytes);
    input = pending_;
  }
  const std::size_t taken = feed(input);
  if (input.data() == pending_.data()) {
    pending_.erase(0, taken);
  } else {
    pending_.assign(input.substr(taken));
  }
  // An interim answer (100 Continue) comes before the real one: parse on.
  while (state() == State::complete && parser_->get().result_int() < 200) {
    start_parser();
    pending_.erase(0, feed(pending_));
  }
  return state();
}

bool ResponseReader::end_of_stream() {
  if (state() != State::need_more) return false;
  boost::system::error_code failure;
  parser_->put_eof(failure);
  if (failure) return false;
  ended_by_close_ = true;
  return state() == State::complete;
}

bool ResponseReader::reusable() const noexcept {
  return state() == State::complete && !ended_by_close_ && pending_.empty() && parser_->get().keep_alive();
}

void ResponseReader::take(AttemptResult& result) {
  auto& response = parser_->get();
  result.status = static_cast<int>(response.result_int());
  result.headers.reserve(16);
  for (const auto& field : response) {
    result.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  result.body = std::move(response.body());
}

}  // namespace dynamo::http::detail
