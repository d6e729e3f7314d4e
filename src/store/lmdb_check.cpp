// The check of an LMDB data file's structure that the LMDB store runs before LMDB reads a
// page of it (check_lmdb_file in store_internal.hpp).
//
// LMDB 0.9 trusts its file: a page number, a node offset or an entry size that damage
// changed is followed as it is, and the process dies of SIGBUS (a page past the end of the
// file) or SIGSEGV (an offset outside the map) inside the library. The store loads every
// entry when it opens, so it reads every page that holds one anyway; walking the same pages
// first, with every number checked before it is used, costs one more pass over memory that
// is then in the page cache, and turns that damage into an error.
//
// The walk follows the newest meta page, as LMDB does, through the main database (whose
// entries are the named databases), each named database and the free-page database. Every
// page it reaches must lie inside the file and carry its own number, be of the kind its
// place in the tree calls for, hold at least one node, and have its node table, nodes, keys
// and inline values inside the page, its nodes packed as LMDB packs them (its writes move
// nodes by the sizes they record), keys no longer than LMDB accepts and in order; overflow
// pages must lie inside the file; no page may be reached twice or be both used and free;
// lists of free pages must fit their entries and name pages in range.
//
// What the walk does not require: that the file reaches the last page number the meta page
// records. A sound file can end before it: pages LMDB allocated and freed within one
// transaction are listed as free but never written. Only pages the trees use must exist.
//
// The layout below is LMDB's on-disk format (data version 1, 64-bit builds): liblmdb 0.9's
// mdb.c, struct MDB_page, MDB_node, MDB_db and MDB_meta.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "store/store_internal.hpp"

namespace dynamo::store {
namespace {

constexpr std::size_t page_header_bytes = 16;  // mp_pgno, mp_pad, mp_flags, mp_lower, mp_upper
constexpr std::size_t node_header_bytes = 8;   // mn_lo, mn_hi, mn_flags, mn_ksize
constexpr std::size_t db_bytes = 48;           // MDB_db
constexpr std::uint16_t page_branch = 0x01;
constexpr std::uint16_t page_leaf = 0x02;
constexpr std::uint16_t page_overflow = 0x04;
constexpr std::uint16_t page_meta = 0x08;
constexpr std::uint16_t page_leaf2 = 0x20;
constexpr std::uint16_t page_sub = 0x40;
constexpr std::uint16_t page_kinds = page_branch | page_leaf | page_overflow | page_meta | page_leaf2 | page_sub;
constexpr std::uint16_t node_big = 0x01;
constexpr std::uint16_t node_sub_db = 0x02;
constexpr std::uint16_t node_duplicates = 0x04;
constexpr std::uint32_t meta_magic = 0xBEEFC0DE;
constexpr std::uint32_t data_version = 1;
constexpr std::uint64_t no_page = ~std::uint64_t{0};
constexpr std::uint16_t max_depth = 32;  // LMDB's cursor stack
constexpr std::size_t meta_bytes = 136;    // MDB_meta
constexpr std::size_t max_key_size = 511;  // MDB_MAXKEYSIZE, which mdb_put enforces
// Page sizes LMDB can have written: powers of two, the system's page size where it ran.
constexpr std::uint32_t min_page_size = 512;
constexpr std::uint32_t max_page_size = 65536;

template <class T>
T read(const unsigned char* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

// MDB_db: a tree's root page and depth (and flags, which this store never sets).
struct Tree {
  std::uint16_t flags = 0;
  std::uint16_t depth = 0;
  std::uint64_t root = no_page;
};

Tree read_tree(const unsigned char* at) {
  return Tree{.flags = read<std::uint16_t>(at + 4), .depth = read<std::uint16_t>(at + 6), .root = read<std::uint64_t>(at + 40)};
}

enum class Database { main, named, free };

class Walk {
 public:
  Walk(const std::string& path, const unsigned char* file, std::size_t size, std::size_t page_size)
      : path_(path), file_(file), size_(size), page_size_(page_size), pages_(size / page_size), used_(pages_) {}

  void run() {
    const unsigned char* meta = newest_meta();
    const std::uint64_t last_page = read<std::uint64_t>(meta + 120);
    if (last_page < 1 || last_page == no_page) damaged("the meta page records no pages");
    next_page_ = last_page + 1;
    tree(read_tree(meta + 24), Database::free, "free-page");
    tree(read_tree(meta + 24 + db_bytes), Database::main, "main");
    for (const auto& [name, named] : named_) {
      if (named.flags != 0) damaged("the " + name + " database has flags this store never sets");
      tree(named, Database::named, name);
    }
    for (const std::uint64_t page : free_) {
      if (page < pages_ && used_[page]) damaged("page " + std::to_string(page) + " is both used and listed as free");
    }
  }

 private:
  [[noreturn]] void damaged(const std::string& what) const {
    throw Error(std::string(error_code::store_error), "LMDB store " + path_ + ": the data file is damaged: " + what, 500);
  }

  // The meta page LMDB uses: of the two, the one of the later transaction, which must sit
  // in the slot its number's parity names (mdb_env_open has already refused the file when
  // either is not a meta page of this format).
  const unsigned char* newest_meta() const {
    if (size_ < 2 * page_size_) damaged("data.mdb holds " + std::to_string(size_) + " bytes, less than its two meta pages");
    const unsigned char* first = file_ + page_header_bytes;
    const unsigned char* second = file_ + page_size_ + page_header_bytes;
    for (const unsigned char* meta : {first, second}) {
      if ((read<std::uint16_t>(meta - page_header_bytes + 10) & page_meta) == 0 || read<std::uint32_t>(meta) != meta_magic ||
          read<std::uint32_t>(meta + 4) != data_version) {
        damaged("a meta page is not one");
      }
    }
    const bool second_newer = read<std::uint64_t>(second + 128) > read<std::uint64_t>(first + 128);
    const unsigned char* newest = second_newer ? second : first;
    if (read<std::uint32_t>(newest + 24) != page_size_) damaged("the meta page records another page size");
    // LMDB writes transaction N's meta page into slot N & 1, and its transactions read the
    // meta page of the slot that the newest number's parity names: a number whose parity
    // does not match its slot would have LMDB read the other, older tree, which this walk
    // does not check (and whose pages may since have been reused).
    if ((read<std::uint64_t>(newest + 128) & 1) != (second_newer ? 1U : 0U)) {
      damaged("the newest meta page's transaction number does not match its slot");
    }
    return newest;
  }

  // Page `number`, marked used; refused when it is outside the file or the pages the meta
  // page records, used already, or does not carry its number.
  const unsigned char* page(std::uint64_t number, const std::string& database) {
    if (number < 2 || number >= next_page_) {
      damaged("the " + database + " database refers to page " + std::to_string(number) + ", outside pages 2 to " +
              std::to_string(next_page_ - 1) + " that the meta page records");
    }
    if (number >= pages_) {
      damaged("data.mdb holds " + std::to_string(size_) + " bytes (" + std::to_string(pages_) + " pages of " +
              std::to_string(page_size_) + " bytes), but the " + database + " database uses page " +
              std::to_string(number) + " (the file was cut short)");
    }
    if (used_[number]) damaged("page " + std::to_string(number) + " is reached twice");
    used_[number] = true;
    const unsigned char* at = file_ + number * page_size_;
    if (read<std::uint64_t>(at) != number) damaged("page " + std::to_string(number) + " does not carry its number");
    return at;
  }

  void tree(const Tree& tree, Database database, const std::string& name) {
    if (tree.root == no_page) return;
    if (tree.depth < 1 || tree.depth > max_depth) damaged("the " + name + " database has a depth of " + std::to_string(tree.depth));
    walk(tree.root, 1, tree.depth, database, name);
  }

  void walk(std::uint64_t number, std::uint16_t level, std::uint16_t depth, Database database, const std::string& name) {
    const unsigned char* at = page(number, name);
    const bool leaf = level == depth;
    const std::string where = "page " + std::to_string(number) + " of the " + name + " database";
    if ((read<std::uint16_t>(at + 10) & page_kinds) != (leaf ? page_leaf : page_branch)) {
      damaged(where + " is not a " + (leaf ? "leaf" : "branch") + " page");
    }
    const auto lower = read<std::uint16_t>(at + 12);
    const auto upper = read<std::uint16_t>(at + 14);
    if (lower < page_header_bytes + 2 || lower > upper || upper > page_size_ || (lower - page_header_bytes) % 2 != 0) {
      damaged(where + " has a node table that does not fit");
    }
    const std::size_t nodes = (lower - page_header_bytes) / 2;
    std::vector<std::pair<std::size_t, std::size_t>> extents;  // offset, size of each node
    extents.reserve(nodes);
    std::string_view previous;
    for (std::size_t i = 0; i < nodes; ++i) {
      const auto offset = read<std::uint16_t>(at + page_header_bytes + 2 * i);
      if (offset < upper || offset + node_header_bytes > page_size_) damaged(where + " has a node outside its page");
      const unsigned char* node = at + offset;
      const auto low = read<std::uint16_t>(node);
      const auto high = read<std::uint16_t>(node + 2);
      const auto flags = read<std::uint16_t>(node + 4);
      const auto key_size = read<std::uint16_t>(node + 6);
      const std::size_t key_end = offset + node_header_bytes + key_size;
      if (key_end > page_size_) damaged(where + " has a key outside its page");
      if (key_size > max_key_size) damaged(where + " has a key longer than LMDB writes");
      const std::string_view key(reinterpret_cast<const char*>(node + node_header_bytes), key_size);
      if ((leaf || i > 1) && i > 0 && !in_order(previous, key, database)) damaged(where + " has keys out of order");
      previous = key;
      if (!leaf) {
        extents.emplace_back(offset, even(node_header_bytes + key_size));
        const std::uint64_t child = low | std::uint64_t{high} << 16 | std::uint64_t{flags} << 32;
        walk(child, static_cast<std::uint16_t>(level + 1), depth, database, name);
        continue;
      }
      const std::size_t value_size = low | std::size_t{high} << 16;
      if ((flags & node_duplicates) != 0) damaged(where + " holds duplicate values, which this store never writes");
      const unsigned char* value = node + node_header_bytes + key_size;
      const std::size_t inline_value = (flags & node_big) != 0 ? sizeof(std::uint64_t) : value_size;
      if (key_end + inline_value > page_size_) damaged(where + " has a value outside its page");
      extents.emplace_back(offset, even(node_header_bytes + key_size + inline_value));
      if ((flags & node_big) != 0) value = overflow(read<std::uint64_t>(value), value_size, name);
      if ((flags & node_sub_db) != 0) {
        if (database != Database::main || value_size != db_bytes) damaged(where + " holds a misplaced database record");
        named_.emplace_back(std::string(key), read_tree(value));
      } else if (database == Database::free) {
        free_list(value, value_size, where);
      }
    }
    check_packed(extents, upper, where);
  }

  // LMDB keeps a page's nodes packed from mp_upper to the end of the page, each taking its
  // header, key and inline value rounded up to an even size: it adds a node just below
  // mp_upper and, deleting or resizing one, shifts the nodes below it by its size. Nodes
  // that overlap, leave a gap or claim more bytes than they hold would have those shifts
  // write over other nodes, and a later search read keys past the page.
  void check_packed(std::vector<std::pair<std::size_t, std::size_t>>& extents, std::uint16_t upper,
                    const std::string& where) const {
    std::sort(extents.begin(), extents.end());
    std::size_t next = upper;
    for (const auto& [offset, size] : extents) {
      if (offset != next) damaged(where + " has nodes that overlap or leave a gap");
      next = offset + size;
    }
    if (next != page_size_) damaged(where + " has nodes that do not reach the end of the page");
  }

  static std::size_t even(std::size_t size) { return size + (size & 1); }

  static bool in_order(std::string_view previous, std::string_view key, Database database) {
    if (database != Database::free) return previous < key;
    return previous.size() == sizeof(std::uint64_t) && key.size() == sizeof(std::uint64_t) &&
           read<std::uint64_t>(reinterpret_cast<const unsigned char*>(previous.data())) <
               read<std::uint64_t>(reinterpret_cast<const unsigned char*>(key.data()));
  }

  // The pages of a value too large for its leaf; returns where the value starts.
  const unsigned char* overflow(std::uint64_t number, std::size_t value_size, const std::string& name) {
    const unsigned char* at = page(number, name);
    const std::string where = "overflow page " + std::to_string(number) + " of the " + name + " database";
    if ((read<std::uint16_t>(at + 10) & page_kinds) != page_overflow) damaged(where + " is not an overflow page");
    const auto count = read<std::uint32_t>(at + 12);
    if (count < 1 || number + count > next_page_ || value_size > count * page_size_ - page_header_bytes) {
      damaged(where + " does not hold its value");
    }
    if (number + count > pages_) {
      damaged("data.mdb holds " + std::to_string(size_) + " bytes (" + std::to_string(pages_) + " pages of " +
              std::to_string(page_size_) + " bytes), but the " + name + " database uses pages up to " +
              std::to_string(number + count - 1) + " (the file was cut short)");
    }
    for (std::uint64_t next = number + 1; next < number + count; ++next) {
      if (used_[next]) damaged("page " + std::to_string(next) + " is reached twice");
      used_[next] = true;
    }
    return at + page_header_bytes;
  }

  // An entry of the free-page database: a count, then that many page numbers.
  void free_list(const unsigned char* value, std::size_t value_size, const std::string& where) {
    if (value_size < sizeof(std::uint64_t)) damaged(where + " has a list of free pages too short for its count");
    const auto count = read<std::uint64_t>(value);
    if (count > value_size / sizeof(std::uint64_t) - 1) damaged(where + " has a list of free pages longer than its entry");
    for (std::uint64_t i = 1; i <= count; ++i) {
      const auto free_page = read<std::uint64_t>(value + i * sizeof(std::uint64_t));
      if (free_page < 2 || free_page >= next_page_) damaged(where + " lists a free page out of range");
      free_.push_back(free_page);
    }
  }

  const std::string& path_;
  const unsigned char* file_;
  std::size_t size_;
  std::size_t page_size_;
  std::uint64_t pages_;
  std::uint64_t next_page_ = 0;
  std::vector<bool> used_;
  std::vector<std::pair<std::string, Tree>> named_;
  std::vector<std::uint64_t> free_;
};

}  // namespace

void check_lmdb_meta_pages(const std::string& path) {
  const std::string file = path + "/data.mdb";
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // a new store, or one LMDB will refuse to open
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } closing{fd};
  struct stat status{};
  if (::fstat(fd, &status) != 0 || status.st_size == 0) return;  // LMDB starts an empty file afresh
  const auto damaged = [&](const std::string& what) {
    throw Error(std::string(error_code::store_error),
                "LMDB store " + path + ": the data file is damaged: data.mdb holds " + std::to_string(status.st_size) +
                    " bytes, and " + what,
                500);
  };
  unsigned char page[page_header_bytes + meta_bytes];
  std::uint32_t page_size = 0;
  for (int which = 0; which < 2; ++which) {
    const auto offset = static_cast<off_t>(which == 0 ? 0 : page_size);
    if (::pread(fd, page, sizeof page, offset) != static_cast<ssize_t>(sizeof page)) {
      damaged(std::string(which == 0 ? "its first" : "its second") + " meta page is cut short");
    }
    const unsigned char* meta = page + page_header_bytes;
    if ((read<std::uint16_t>(page + 10) & page_meta) == 0 || read<std::uint32_t>(meta) != meta_magic) {
      damaged(std::string(which == 0 ? "its first" : "its second") + " page is not an LMDB meta page");
    }
    if (read<std::uint32_t>(meta + 4) != data_version) return;  // LMDB refuses it: another version of the format
    const auto recorded = read<std::uint32_t>(meta + 24);
    if (which == 1 && recorded != page_size) damaged("its meta pages record different page sizes");
    page_size = recorded;
    if (page_size < min_page_size || page_size > max_page_size || (page_size & (page_size - 1)) != 0) {
      damaged("its meta page records a page size of " + std::to_string(page_size) + " bytes");
    }
  }
}

void check_lmdb_file(const std::string& path, int fd, std::size_t page_size) {
  struct stat file{};
  if (::fstat(fd, &file) != 0 || page_size == 0) return;  // nothing to compare; LMDB's own checks remain
  const auto size = static_cast<std::size_t>(file.st_size);
  if (size % page_size != 0) {
    throw Error(std::string(error_code::store_error),
                "LMDB store " + path + ": the data file is damaged: data.mdb holds " + std::to_string(size) +
                    " bytes, not a whole number of " + std::to_string(page_size) + "-byte pages (the file was cut short)",
                500);
  }
  void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  if (mapped == MAP_FAILED) return;
  struct Unmap {
    void* at;
    std::size_t size;
    ~Unmap() { ::munmap(at, size); }
  } unmap{mapped, size};
  Walk(path, static_cast<const unsigned char*>(mapped), size, page_size).run();
}

}  // namespace dynamo::store
