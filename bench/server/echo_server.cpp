// The floor for dynamo-server's CPU per request: an HTTP/1.1 keep-alive server that does
// nothing but frame requests and answer each with the same fixed 200 response carrying a
// ~1 KB JSON body (the size of a GetItem answer for a ~1 KB item). Boost.Asio, one thread,
// one read buffer and one write per request, like dynamo-server; no parsing beyond finding
// the header's end and its Content-Length. bench/server/floor.sh runs it.
//
//   echo_server <port>
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string make_response() {
  std::string body = R"({"Item":{"pk":{"S":"k1"},"payload":{"S":")";
  while (body.size() < 1000) body += "the quick brown fox jumps over the lazy dog ";
  body += R"("}}})";
  std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n";
  out += "x-amzn-RequestId: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n";
  out += "x-amz-crc32: 1234567890\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  return out + body;
}

const std::string& response() {
  static const std::string made = make_response();
  return made;
}

// The Content-Length of a header block (0 when absent).
std::size_t content_length(std::string_view header) {
  constexpr std::string_view name = "\r\ncontent-length:";
  for (std::size_t at = header.find("\r\n"); at != std::string_view::npos; at = header.find("\r\n", at + 2)) {
    const std::string_view line = header.substr(at, name.size());
    if (line.size() != name.size() ||
        !std::equal(line.begin(), line.end(), name.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; })) {
      continue;
    }
    std::size_t digits = at + name.size();
    while (digits < header.size() && header[digits] == ' ') ++digits;
    std::size_t value = 0;
    std::from_chars(header.data() + digits, header.data() + header.size(), value);
    return value;
  }
  return 0;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : socket_(std::move(socket)) {}

  void read() {
    if (used_ == buffer_.size()) return;  // a request larger than the buffer: give up
    socket_.async_read_some(asio::buffer(buffer_.data() + used_, buffer_.size() - used_),
                            [self = shared_from_this()](const boost::system::error_code& error, std::size_t n) {
                              if (error) return;
                              self->used_ += n;
                              self->answer();
                            });
  }

 private:
  // Answers every complete request in the buffer with one write, then reads again.
  void answer() {
    std::size_t start = 0;
    std::size_t answers = 0;
    for (;;) {
      const std::string_view pending(buffer_.data() + start, used_ - start);
      const std::size_t end = pending.find("\r\n\r\n");
      if (end == std::string_view::npos) break;
      const std::size_t whole = end + 4 + content_length(pending.substr(0, end + 2));
      if (whole > pending.size()) break;
      start += whole;
      ++answers;
    }
    std::copy(buffer_.data() + start, buffer_.data() + used_, buffer_.data());
    used_ -= start;
    if (answers == 0) return read();
    out_.clear();
    for (std::size_t i = 0; i < answers; ++i) out_ += response();
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                        if (!error) self->read();
                      });
  }

  tcp::socket socket_;
  std::array<char, 16384> buffer_{};
  std::size_t used_ = 0;
  std::string out_;
};

void accept(tcp::acceptor& acceptor) {
  acceptor.async_accept([&acceptor](const boost::system::error_code& error, tcp::socket socket) {
    if (!error) {
      socket.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(socket))->read();
    }
    accept(acceptor);
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: echo_server <port>\n");
    return 2;
  }
  asio::io_context context(1);
  tcp::acceptor acceptor(context, tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                                static_cast<unsigned short>(std::atoi(argv[1]))));
  accept(acceptor);
  context.run();
}
