// libFuzzer target for the plain-HTTP channel's response reading (src/http/response_reader.hpp).
//
// The input's first byte says where to cut the rest into up to four pieces; the rest is a
// server's answer. It is given to one ResponseReader whole and to another piece by piece,
// each followed by the end of the stream when the reader still wants more. For every input:
// nothing crashes and nothing but the reader's states comes out (no exception); both
// readers agree on the outcome (complete or not) and, when complete, on the status,
// headers and body, so an answer never reads differently for how TCP cut it up; a complete
// answer has a final status (200..999, never an interim 1xx) and a body no longer than the
// input; a reader that saw no byte reports that it did not start.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "http/response_reader.hpp"

namespace {

using dynamo::http::detail::AttemptResult;
using dynamo::http::detail::ResponseReader;

struct Read {
  bool complete = false;
  AttemptResult result;
};

Read read_in_pieces(std::string_view input, const std::vector<std::size_t>& cuts) {
  ResponseReader reader;
  Read read;
  std::size_t from = 0;
  auto state = ResponseReader::State::need_more;
  for (std::size_t i = 0; i <= cuts.size() && state == ResponseReader::State::need_more; ++i) {
    const std::size_t to = i < cuts.size() ? cuts[i] : input.size();
    state = reader.add(input.substr(from, to - from));
    from = to;
  }
  if (input.empty() && reader.started()) std::abort();
  read.complete = state == ResponseReader::State::complete ||
                  (state == ResponseReader::State::need_more && reader.started() && reader.end_of_stream());
  if (read.complete) reader.take(read.result);
  return read;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::size_t> cuts;
  for (int bit = 0; bit < 4; ++bit) {
    if ((data[0] >> bit) & 1U) cuts.push_back(input.size() * static_cast<std::size_t>(bit + 1) / 5);
  }
  const Read whole = read_in_pieces(input, {});
  const Read pieces = read_in_pieces(input, cuts);
  if (whole.complete != pieces.complete) std::abort();
  if (!whole.complete) return 0;
  const AttemptResult& a = whole.result;
  const AttemptResult& b = pieces.result;
  if (a.status != b.status || a.body != b.body || a.headers.size() != b.headers.size()) std::abort();
  for (std::size_t i = 0; i < a.headers.size(); ++i) {
    if (a.headers[i].name != b.headers[i].name || a.headers[i].value != b.headers[i].value) std::abort();
  }
  if (a.status < 200 || a.status > 999 || a.body.size() > input.size()) std::abort();
  return 0;
}
