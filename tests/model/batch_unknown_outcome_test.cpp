// A batch writer whose BatchWriteItem request fails: BatchIncomplete accounts for every write.
// A request whose outcome is unknown (no usable answer: ConnectionError, a 5xx) lists its
// writes as unknown_writes(), one the service refused lists them as unprocessed_writes(),
// and the writes queued behind it, never sent, are unprocessed too. Test backends forward
// to the embedded engine and fail chosen requests before or after applying them.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "dynamo/error_codes.hpp"
#include "dynamo/model/table_item.hpp"
#include "model/forwarding_backend.hpp"
#include "model/models.hpp"

namespace {

using namespace model_test;

std::string subject_of(int i) {
  char subject[8];
  std::snprintf(subject, sizeof subject, "s%02d", i);
  return subject;
}

// How the chosen BatchWriteItem call fails.
enum class Failure {
  applied_then_lost,    // applied, then the answer is lost: ConnectionError
  lost_before,          // never reached the service, but the client cannot tell: ConnectionError
  server_error,         // InternalServerError (500), nothing applied
  refused,              // ValidationException (400), nothing applied
};

// Fails the `fail_at`-th BatchWriteItem call (from 1) as `failure` says; the others pass.
class FailingBatchBackend : public ForwardingBackend {
 public:
  FailingBatchBackend(std::shared_ptr<dynamo::Backend> inner, int fail_at, Failure failure)
      : ForwardingBackend(std::move(inner)), fail_at_(fail_at), failure_(failure) {}

  dynamo::api::BatchWriteItemResponse batch_write_item(const dynamo::api::BatchWriteItemRequest& request) override {
    if (++calls != fail_at_) return inner_->batch_write_item(request);
    switch (failure_) {
      case Failure::applied_then_lost:
        (void)inner_->batch_write_item(request);
        throw dynamo::Error(std::string(dynamo::error_code::connection_error), "connection reset after the request", 0);
      case Failure::lost_before:
        throw dynamo::Error(std::string(dynamo::error_code::connection_error), "read timed out", 0);
      case Failure::server_error:
        throw dynamo::Error(std::string(dynamo::error_code::internal_server_error), "Internal server error", 500);
      case Failure::refused:
        break;
    }
    throw dynamo::Error(std::string(dynamo::error_code::validation), "refused", 400);
  }

  std::atomic<int> calls{0};

 private:
  int fail_at_;
  Failure failure_;
};

std::vector<std::string> subjects(const std::vector<dynamo::api::WriteRequest>& writes) {
  std::vector<std::string> out;
  for (const auto& write : writes) {
    const dynamo::Item& item = write.put_request ? write.put_request->item : write.delete_request->key;
    out.push_back(item.at("subject").as_string());
  }
  return out;
}

std::vector<std::string> range_of_subjects(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(subject_of(i));
  return out;
}

class BatchUnknownOutcome : public ::testing::Test {
 protected:
  // A Thread table on a fresh engine, written through a backend failing as asked.
  dynamo::ModelTable<Thread> table_failing(int fail_at, Failure failure) {
    backend_ = std::make_shared<FailingBatchBackend>(engine_.shared_backend(), fail_at, failure);
    auto threads = dynamo::table_of<Thread>(dynamo::Connection(backend_));
    threads.create_table({.wait = true});
    return threads;
  }
  // The subjects stored on the engine, read directly.
  std::vector<std::string> stored() const {
    std::vector<std::string> out;
    for (const Thread& t : dynamo::table_of<Thread>(engine_).query("F", {}, {}, {.consistent_read = true}))
      out.push_back(t.subject);
    return out;
  }
  // Queues 60 saves without auto_commit (requests of 25, 25 and 10) and returns what the
  // commit threw.
  static dynamo::BatchIncomplete commit_60(const dynamo::ModelTable<Thread>& threads, std::size_t& written) {
    try {
      threads.batch_write(
          [&](dynamo::BatchWriter<Thread>& batch) {
            for (int i = 0; i < 60; ++i) batch.save(Thread{.forum_name = "F", .subject = subject_of(i)});
            try {
              batch.commit();
            } catch (...) {
              written = batch.written();
              EXPECT_EQ(batch.pending(), 0U) << "the queue is handed over to the exception";
              throw;
            }
          },
          {.auto_commit = false});
    } catch (const dynamo::BatchIncomplete& e) {
      return e;
    }
    ADD_FAILURE() << "no BatchIncomplete";
    return dynamo::BatchIncomplete("none", {}, {});
  }

  dynamo::Connection engine_ = dynamo::Connection::embedded();
  std::shared_ptr<FailingBatchBackend> backend_;
};

// The second request is applied and its answer lost: its 25 writes are in doubt (and here in
// fact applied), the 10 behind it were never sent, the first 25 are done.
TEST_F(BatchUnknownOutcome, AnswerLostAfterApplying) {
  const auto threads = table_failing(2, Failure::applied_then_lost);
  std::size_t written = 0;
  const dynamo::BatchIncomplete e = commit_60(threads, written);
  EXPECT_EQ(e.code(), dynamo::error_code::batch_incomplete);
  EXPECT_EQ(e.cause_code(), dynamo::error_code::connection_error);
  EXPECT_EQ(subjects(e.unknown_writes()), range_of_subjects(25, 50));
  EXPECT_EQ(subjects(e.unprocessed_writes()), range_of_subjects(50, 60));
  EXPECT_EQ(written, 25U);
  EXPECT_EQ(backend_->calls.load(), 2) << "nothing is sent after the failed request";
  EXPECT_EQ(stored(), range_of_subjects(0, 50));
  EXPECT_NE(std::string(e.what()).find("10 writes not applied, 25 in doubt"), std::string::npos) << e.what();
  // The cause is the client's own error, with its type.
  ASSERT_TRUE(e.cause());
  try {
    std::rethrow_exception(e.cause());
  } catch (const dynamo::PutError& cause) {
    EXPECT_TRUE(cause.is_connection_failure());
  }
}

// A request that never arrived looks the same to the client: in doubt, not "not applied".
TEST_F(BatchUnknownOutcome, LostBeforeArrivingIsInDoubtToo) {
  const auto threads = table_failing(1, Failure::lost_before);
  std::size_t written = 0;
  const dynamo::BatchIncomplete e = commit_60(threads, written);
  EXPECT_EQ(subjects(e.unknown_writes()), range_of_subjects(0, 25));
  EXPECT_EQ(subjects(e.unprocessed_writes()), range_of_subjects(25, 60));
  EXPECT_EQ(written, 0U);
  EXPECT_TRUE(stored().empty());
}

// A 5xx answer does not say whether the writes were applied: in doubt.
TEST_F(BatchUnknownOutcome, ServerErrorIsInDoubt) {
  const auto threads = table_failing(3, Failure::server_error);
  std::size_t written = 0;
  const dynamo::BatchIncomplete e = commit_60(threads, written);
  EXPECT_EQ(e.cause_code(), dynamo::error_code::internal_server_error);
  EXPECT_EQ(subjects(e.unknown_writes()), range_of_subjects(50, 60));
  EXPECT_TRUE(e.unprocessed_writes().empty());
  EXPECT_EQ(written, 50U);
}

// A refused request applied nothing: its writes are unprocessed, with those behind it.
TEST_F(BatchUnknownOutcome, RefusedRequestIsNotApplied) {
  const auto threads = table_failing(2, Failure::refused);
  std::size_t written = 0;
  const dynamo::BatchIncomplete e = commit_60(threads, written);
  EXPECT_EQ(e.cause_code(), dynamo::error_code::validation);
  EXPECT_TRUE(e.unknown_writes().empty());
  EXPECT_EQ(subjects(e.unprocessed_writes()), range_of_subjects(25, 60));
  EXPECT_EQ(stored(), range_of_subjects(0, 25));
  EXPECT_THROW(std::rethrow_exception(e.cause()), dynamo::PutError);
}

// With auto_commit, a repeated key sends the open request before queueing the write; when
// that request fails, the repeated write is listed as not applied rather than dropped.
TEST_F(BatchUnknownOutcome, WriteThatStartedTheFlushIsAccountedFor) {
  const auto threads = table_failing(1, Failure::applied_then_lost);
  try {
    threads.batch_write([](dynamo::BatchWriter<Thread>& batch) {
      for (int i = 0; i < 10; ++i) batch.save(Thread{.forum_name = "F", .subject = subject_of(i)});
      batch.save(Thread{.forum_name = "F", .subject = subject_of(3), .views = 7});  // same key as write 3
      ADD_FAILURE() << "the failed request was not reported";
    });
    ADD_FAILURE() << "no BatchIncomplete";
  } catch (const dynamo::BatchIncomplete& e) {
    EXPECT_EQ(subjects(e.unknown_writes()), range_of_subjects(0, 10));
    ASSERT_EQ(e.unprocessed_writes().size(), 1U);
    EXPECT_EQ(e.unprocessed_writes()[0].put_request->item.at("views"), dynamo::AttributeValue(7));
  }
  EXPECT_EQ(backend_->calls.load(), 1) << "the body's exception ends the batch; nothing is left to send";
}

// Untyped items (dynamo::batch_write) are accounted for the same way.
TEST_F(BatchUnknownOutcome, UntypedBatchWrite) {
  (void)table_failing(2, Failure::applied_then_lost);
  const dynamo::TableConnection users = dynamo::Connection(backend_).table("Thread");
  try {
    dynamo::batch_write(users, {"forum_name", "subject"}, [](dynamo::ItemBatchWriter& batch) {
      for (int i = 0; i < 30; ++i) batch.put_item({{"forum_name", "F"}, {"subject", subject_of(i)}});
    });
    ADD_FAILURE() << "no BatchIncomplete";
  } catch (const dynamo::BatchIncomplete& e) {
    EXPECT_EQ(subjects(e.unknown_writes()), range_of_subjects(25, 30));
    EXPECT_TRUE(e.unprocessed_writes().empty());
  }
}

// Over HTTP to an endpoint that does not answer: the transport's real ConnectionError.
TEST_F(BatchUnknownOutcome, RealConnectionFailure) {
  // A loopback port that was free a moment ago: connecting is refused.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ::close(fd);
  const auto db = dynamo::Connection::connect(
      {.endpoint = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)),
       .region = "us-east-1",
       .access_key_id = "local",
       .secret_access_key = dynamo::auth::SecretString("local"),
       .settings = {.connect_timeout_seconds = 1, .max_retry_attempts = 0}});
  try {
    dynamo::table_of<Thread>(db).batch_write([](dynamo::BatchWriter<Thread>& batch) {
      for (int i = 0; i < 3; ++i) batch.save(Thread{.forum_name = "F", .subject = subject_of(i)});
    });
    ADD_FAILURE() << "no BatchIncomplete";
  } catch (const dynamo::BatchIncomplete& e) {
    EXPECT_EQ(e.cause_code(), dynamo::error_code::connection_error);
    EXPECT_EQ(subjects(e.unknown_writes()), range_of_subjects(0, 3));
    EXPECT_TRUE(e.unprocessed_writes().empty());
  }
}

}  // namespace
