#include "auth/ini.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "dynamo/auth/credentials.hpp"
#include "dynamo/error.hpp"

namespace dynamo::auth::detail {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

[[noreturn]] void malformed(std::string_view file_name, std::size_t line_number, std::string_view what) {
  throw Error(std::string(error_code::invalid_configuration),
              std::string(file_name) + ":" + std::to_string(line_number) + ": " + std::string(what), 400);
}

}  // namespace

IniFile parse_ini(std::string_view text, std::string_view file_name) {
  IniFile file;
  IniSection* section = nullptr;
  bool after_key = false;
  std::string parent_key;  // the last key whose value was empty: its indented lines nest
  std::size_t line_number = 0;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // editors on Windows add a BOM
  while (!text.empty()) {
    ++line_number;
    const auto end = std::min(text.find('\n'), text.size());
    const std::string_view raw = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));

    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (is_blank(raw.front()) && after_key) {
      // A nested setting ("dynamodb =" then "  endpoint_url = ...", as in a [services]
      // section) is kept as "dynamodb.endpoint_url"; a continuation line is skipped.
      const auto equals = line.find('=');
      if (!parent_key.empty() && equals != std::string_view::npos && equals > 0) {
        std::string key = parent_key + "." + std::string(trim(line.substr(0, equals)));
        std::transform(key.begin(), key.end(), key.begin(),
                       [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
        (*section)[std::move(key)] = std::string(trim(line.substr(equals + 1)));
      }
      continue;
    }

    if (line.front() == '[') {
      if (line.back() != ']') malformed(file_name, line_number, "section header lacks its closing ']'");
      section = &file[std::string(trim(line.substr(1, line.size() - 2)))];
      after_key = false;
      parent_key.clear();
      continue;
    }
    const auto delimiter = line.find_first_of("=:");
    if (delimiter == std::string_view::npos || delimiter == 0) {
      malformed(file_name, line_number, "expected '[section]' or 'key = value'");
    }
    if (section == nullptr)
      malformed(file_name, line_number, "setting appears before any '[section]' header");
    std::string key(trim(line.substr(0, delimiter)));
    std::transform(key.begin(), key.end(), key.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
    std::string value(trim(line.substr(delimiter + 1)));
    parent_key = value.empty() ? key : std::string();
    (*section)[std::move(key)] = std::move(value);
    after_key = true;
  }
  return file;
}

std::optional<IniFile> read_ini_file(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return std::nullopt;
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream contents;
  if (!stream || !(contents << stream.rdbuf())) {
    // An empty file makes rdbuf() insertion fail too; that file is merely empty.
    if (stream && std::filesystem::file_size(path, error) == 0) return IniFile{};
    throw Error(std::string(error_code::invalid_configuration), path.string() + ": cannot be read", 400);
  }
  return parse_ini(contents.view(), path.string());
}

}  // namespace dynamo::auth::detail
