// Keeps documentation code honest: every ```cpp block of a Markdown page must appear in the
// test source that compiles (and, where it can, runs) it. A test calls
//
//   EXPECT_EQ(docs_test::blocks_missing_from("docs/page.md", "tests/docs/page_test.cpp"), "");
//
// Lines are compared without their indentation and blank lines are ignored, so a snippet
// may sit inside a function or a namespace in the test; otherwise it must be verbatim.
#pragma once

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace docs_test {

inline std::string read_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

inline std::string_view trim(std::string_view line) {
  const auto first = line.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = line.find_last_not_of(" \t\r");
  return line.substr(first, last - first + 1);
}

// The lines of `code`, trimmed, without blank ones, each followed by '\n'.
inline std::string normalise(std::string_view code) {
  std::string out;
  std::size_t start = 0;
  while (start <= code.size()) {
    const auto end = std::min(code.find('\n', start), code.size());
    const std::string_view line = trim(code.substr(start, end - start));
    if (!line.empty()) out.append(line).push_back('\n');
    start = end + 1;
  }
  return out;
}

// The contents of the ```cpp blocks of a Markdown text (fences may be indented).
inline std::vector<std::string> cpp_blocks(std::string_view markdown) {
  std::vector<std::string> blocks;
  std::string current;
  bool inside = false;
  std::size_t start = 0;
  while (start < markdown.size()) {
    const auto end = std::min(markdown.find('\n', start), markdown.size());
    const std::string_view raw = markdown.substr(start, end - start);
    const std::string_view line = trim(raw);
    if (!inside && line.substr(0, 6) == "```cpp") {
      inside = true;
      current.clear();
    } else if (inside && line == "```") {
      inside = false;
      blocks.push_back(current);
    } else if (inside) {
      current.append(raw).push_back('\n');
    }
    start = end + 1;
  }
  return blocks;
}

// Every block of `markdown_path` that `source_path` does not contain, one after the other;
// empty when each is there. Also reports a page that cannot be read or has no C++ at all.
inline std::string blocks_missing_from(const std::string& markdown_path, const std::string& source_path) {
  const std::string markdown = read_file(markdown_path);
  const std::string source = normalise(read_file(source_path));
  const std::vector<std::string> blocks = cpp_blocks(markdown);
  if (blocks.empty()) return markdown_path + " has no ```cpp block (or cannot be read)";
  std::string missing;
  for (const std::string& block : blocks) {
    if (source.find(normalise(block)) == std::string::npos) {
      missing += "not in " + source_path + ":\n" + block + "\n";
    }
  }
  return missing;
}

}  // namespace docs_test
