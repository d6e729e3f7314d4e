// Reads one HTTP/1.1 response from bytes as they arrive, for the plain-HTTP channel: the
// parsing half of an exchange, apart from the socket so that a fuzzer can drive it.
// Internal.
//
// Boost.Beast's parser does the parsing: Content-Length, chunked and close-delimited
// bodies. Headers may take 64 KiB and a body 64 MiB (Beast's default of 8 MB is less than
// a BatchGetItem answer may be); more, or a status below 100, is malformed. Interim
// answers (100 Continue) are skipped.
//
//   ResponseReader reader;
//   while (reader.add(received_bytes) == ResponseReader::State::need_more) { ...receive... }
//   reader.take(result);
#pragma once

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/channel.hpp"

namespace dynamo::http::detail {

class ResponseReader {
 public:
  enum class State {
    need_more,  // the response is not complete yet
    complete,   // take() may be called
    malformed,  // the bytes are not an HTTP response; error() says why
  };

  ResponseReader();

  // Takes the bytes that arrived next.
  State add(std::string_view bytes);
  // The server closed the connection while the response was incomplete: returns whether
  // the response is complete after all (its body ran to the close).
  [[nodiscard]] bool end_of_stream();

  // Whether any byte has arrived.
  [[nodiscard]] bool started() const noexcept { return started_; }
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  // After a complete response: whether the connection may carry another request (the
  // server keeps it alive, the body did not run to the close, nothing came after it).
  [[nodiscard]] bool reusable() const noexcept;
  // Moves the complete response's status, headers and body into `result`.
  void take(AttemptResult& result);

 private:
  using Parser = boost::beast::http::response_parser<boost::beast::http::string_body>;
  void start_parser();
  // Gives `input` to the parser until it needs more or is done; returns the bytes taken.
  std::size_t feed(std::string_view input);
  State state() const noexcept;

  std::optional<Parser> parser_;
  std::string pending_;  // bytes the parser has not taken yet
  std::string error_;
  bool started_ = false;
  bool ended_by_close_ = false;
};

}  // namespace dynamo::http::detail
