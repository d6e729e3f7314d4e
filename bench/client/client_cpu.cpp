// The client's CPU per call, for bench/client/floor.sh to set beside wrk's on the same
// requests: GetItem or PutItem of a ~1 KB item through dynamo::Connection against an
// endpoint, for a number of seconds, with a number of calls in flight (1: sequential calls
// on this thread; n > 1: n calls kept in flight through the `_async` forms, over a pool of
// n connections, waiting on their futures, or with `handlers`, each call's completion
// handler starting the next). Prints one machine-readable line:
//   RESULT calls=<n> seconds=<wall> user_us=<per call> system_us=<per call> errors=<n>
// CPU time is this process's (getrusage), so the server must run in another process.
//
//   client_cpu <endpoint> <GetItem|PutItem> <seconds> <in flight> [futures|handlers]
// The table "Bench" (hash key pk, items k0..k999) must exist: bench/server/load_table.py.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <future>
#include <string>

#include "dynamo/client/connection.hpp"

namespace {

using namespace dynamo;
using namespace dynamo::api;

double cpu_seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

// The same ~1 KB item load_table.py writes: the fox sentence repeated to 1,000 bytes.
std::string payload() {
  const std::string sentence = "the quick brown fox jumps over the lazy dog ";
  std::string text;
  while (text.size() + sentence.size() <= 1000) text += sentence;
  text.append(1000 - text.size(), 'x');
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5 && argc != 6) {
    std::fprintf(stderr, "usage: client_cpu <endpoint> <GetItem|PutItem> <seconds> <in flight> [futures|handlers]\n");
    return 2;
  }
  const std::string endpoint = argv[1];
  const std::string operation = argv[2];
  const double seconds = std::atof(argv[3]);
  const int in_flight = std::atoi(argv[4]);
  const std::string waiting = argc == 6 ? argv[5] : "futures";
  if ((operation != "GetItem" && operation != "PutItem") || seconds <= 0 || in_flight < 1 ||
      (waiting != "futures" && waiting != "handlers")) {
    std::fprintf(stderr, "client_cpu: bad arguments\n");
    return 2;
  }
  Connection db = Connection::connect({.endpoint = endpoint,
                                       .region = "us-east-1",
                                       .access_key_id = "AKIDBENCH",
                                       .secret_access_key = auth::SecretString("bench-secret"),
                                       .settings = {.max_pool_connections = in_flight}});
  const std::string text = payload();
  std::atomic<long> counter = 0;  // handlers run on the client's event thread
  std::atomic<long> errors = 0;
  auto key = [&] { return "k" + std::to_string(counter++ % 1000); };
  auto get_request = [&] { return GetItemRequest{.table_name = "Bench", .key = {{"pk", key()}}}; };
  auto put_request = [&] {
    return PutItemRequest{.table_name = "Bench", .item = {{"pk", key()}, {"n", counter.load()}, {"payload", text}}};
  };
  // One call, sequentially, to warm the connection and the caches.
  (void)db.get_item(get_request());

  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  const auto started = std::chrono::steady_clock::now();
  const auto until = started + std::chrono::duration<double>(seconds);
  std::atomic<long> calls = 0;
  if (in_flight == 1) {
    while (std::chrono::steady_clock::now() < until) {
      if (operation == "GetItem") {
        if (!db.get_item(get_request()).item) ++errors;
      } else {
        (void)db.put_item(put_request());
      }
      ++calls;
    }
  } else if (waiting == "handlers") {
    // Each completion starts the next call until the time is up; the last one to finish
    // wakes this thread.
    std::atomic<int> outstanding = in_flight;
    std::promise<void> all_done;
    std::function<void()> start_one;
    const auto finish = [&](bool ok) {
      if (!ok) ++errors;
      ++calls;
      if (std::chrono::steady_clock::now() < until) {
        start_one();
      } else if (--outstanding == 0) {
        all_done.set_value();
      }
    };
    start_one = [&] {
      if (operation == "GetItem") {
        db.get_item_async(get_request(), [&](Outcome<GetItemResponse> got) { finish(got && got.get().item); });
      } else {
        db.put_item_async(put_request(), [&](Outcome<PutItemResponse> put) { finish(put.ok()); });
      }
    };
    for (int i = 0; i < in_flight; ++i) start_one();
    all_done.get_future().wait();
  } else {
    std::deque<std::future<GetItemResponse>> gets;
    std::deque<std::future<PutItemResponse>> puts;
    auto start_one = [&] {
      if (operation == "GetItem") {
        gets.push_back(db.get_item_async(get_request()));
      } else {
        puts.push_back(db.put_item_async(put_request()));
      }
    };
    for (int i = 0; i < in_flight; ++i) start_one();
    // Waits for the oldest call and starts another, so in_flight calls stay outstanding.
    while (!gets.empty() || !puts.empty()) {
      try {
        if (!gets.empty()) {
          if (!gets.front().get().item) ++errors;
          gets.pop_front();
        } else {
          (void)puts.front().get();
          puts.pop_front();
        }
      } catch (const std::exception&) {
        ++errors;
      }
      ++calls;
      if (std::chrono::steady_clock::now() < until) start_one();
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  const double user_us = (cpu_seconds(after.ru_utime) - cpu_seconds(before.ru_utime)) * 1e6 / static_cast<double>(calls);
  const double system_us = (cpu_seconds(after.ru_stime) - cpu_seconds(before.ru_stime)) * 1e6 / static_cast<double>(calls);
  std::printf("RESULT calls=%ld seconds=%.3f user_us=%.2f system_us=%.2f errors=%ld\n", calls.load(), wall, user_us,
              system_us, errors.load());
  return errors == 0 ? 0 : 1;
}
