// libFuzzer target for the INI reader of ~/.aws/config and ~/.aws/credentials
// (dynamo::auth::detail::parse_ini).
//
// For every input: parse_ini either returns or throws dynamo::Error with code
// InvalidConfiguration; the message names the file and a line number and never quotes the
// line (those files hold secrets): it stays the same when every byte of the offending line
// that does not shape the syntax is replaced, and no value of 8 or more characters with a
// digit in it appears in it. Keys are lowercase. Parsing is deterministic, a leading UTF-8
// BOM changes nothing, and CRLF line ends read the same as LF.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "auth/ini.hpp"
#include "dynamo/error.hpp"

namespace {

using dynamo::auth::detail::IniFile;
using dynamo::auth::detail::parse_ini;

constexpr std::string_view file_name = "fuzz-config";

struct Outcome {
  std::optional<IniFile> file;
  std::string message;  // when it threw
};

Outcome parse(std::string_view text) {
  try {
    return {parse_ini(text, file_name), {}};
  } catch (const dynamo::Error& error) {
    if (error.code() != "InvalidConfiguration") std::abort();
    return {std::nullopt, std::string(error.message())};
  }
}

bool same(const Outcome& a, const Outcome& b) { return a.file == b.file && a.message == b.message; }

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The bytes that decide how a line parses; every other byte is text the parser may store.
bool shapes_syntax(char c) {
  return is_blank(c) || c == '[' || c == ']' || c == '=' || c == ':' || c == '#' || c == ';';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

// Line `number` (from 1) of `text`, as offsets; npos when there is no such line.
std::pair<std::size_t, std::size_t> line_span(std::string_view text, std::size_t number) {
  std::size_t start = 0;
  for (std::size_t line = 1; line < number; ++line) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return {std::string_view::npos, 0};
    ++start;
  }
  return {start, std::min(text.find('\n', start), text.size())};
}

void check_message(std::string_view text, const std::string& message) {
  // "<file>:<line>: <what>"
  if (!message.starts_with(std::string(file_name) + ":")) std::abort();
  std::size_t at = file_name.size() + 1;
  std::size_t number = 0;
  while (at < message.size() && message[at] >= '0' && message[at] <= '9') {
    number = number * 10 + static_cast<std::size_t>(message[at++] - '0');
  }
  if (number == 0 || message.compare(at, 2, ": ") != 0) std::abort();
  const std::string_view what = std::string_view(message).substr(at + 2);

  // Replacing the line's free text must not change the message.
  auto [start, end] = line_span(text, number);
  if (start == std::string_view::npos) std::abort();  // names a line that does not exist
  if (start == 0 && text.starts_with("\xEF\xBB\xBF")) start = 3;  // the BOM is not the line's
  std::string masked(text);
  for (std::size_t i = start; i < end; ++i) {
    if (!shapes_syntax(masked[i])) masked[i] = masked[i] == 'Q' ? 'R' : 'Q';
  }
  if (parse(masked).message != message) std::abort();

  // The check the parser's promise is about: no value (a secret, say) shows.
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t line_end = std::min(rest.find('\n'), rest.size());
    const std::string_view line = rest.substr(0, line_end);
    rest.remove_prefix(std::min(line_end + 1, rest.size()));
    const std::size_t delimiter = line.find_first_of("=:");
    const std::string_view value = trim(delimiter == std::string_view::npos ? line : line.substr(delimiter + 1));
    if (value.size() >= 8 && value.find_first_of("0123456789") != std::string_view::npos &&
        what.find(value) != std::string_view::npos) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Outcome outcome = parse(text);
  if (!same(outcome, parse(text))) std::abort();  // deterministic

  if (outcome.file) {
    for (const auto& [section, keys] : *outcome.file) {
      for (const auto& [key, value] : keys) {
        if (key.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos) std::abort();
      }
    }
  } else {
    check_message(text, outcome.message);
  }

  // A leading BOM is skipped.
  if (!same(outcome, parse("\xEF\xBB\xBF" + std::string(text))) && !text.starts_with("\xEF\xBB\xBF")) std::abort();

  // CRLF line ends read as LF ones.
  std::string crlf;
  crlf.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    if (c == '\n') crlf.push_back('\r');
    crlf.push_back(c);
  }
  if (!same(outcome, parse(crlf))) std::abort();
  return 0;
}
