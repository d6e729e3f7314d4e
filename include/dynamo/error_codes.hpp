// Every error code dynamo raises, sends or recognises, in one list.
//
// A dynamo::Error carries a code (Error::code()). Most are DynamoDB's own, spelled as on the
// wire; some come from the other AWS services dynamo talks to (STS, the credential
// endpoints) and are recognised by the retry policy; a few are dynamo's own, raised on the
// client side before or instead of a service answer (a connection that failed, a malformed
// settings file, a store that cannot be opened). DYNAMO_ERROR_CODES below is that list, and
// everything that needs to know about codes reads it: the `error_code` constants, the HTTP
// status and JSON `__type` namespace the engine and dynamo-server answer with, which codes
// the client retries, which ones it logs as warnings, and the short code that transaction
// cancellation reasons and PartiQL batch errors carry. docs/errors.md describes each code
// for users; a test checks that page against this list.
//
//   catch (const dynamo::Error& e) {
//     if (e.code() == dynamo::error_code::conditional_check_failed) ...
//     if (const dynamo::ErrorCodeInfo* info = dynamo::find_error_code(e.code()))
//       std::cerr << info->meaning;
//   }
#pragma once

#include <span>
#include <string_view>

namespace dynamo {

// Who produces a code.
enum class ErrorOrigin {
  service,        // DynamoDB or DynamoDB Streams answers with it; so do the engine and dynamo-server
  other_service,  // another AWS service or endpoint (STS, metadata endpoints, S3-style throttling)
  client,         // dynamo itself, on the caller's side; never sent over the wire
};

// How the client's retry policy treats a failed attempt with this code (the AWS SDKs'
// standard retry mode): throttling and transient failures are retried with backoff.
enum class ErrorRetry { no, throttling, transient };

// The `__type` namespace of a service error body, e.g. "com.amazon.coral.validate" in
// "com.amazon.coral.validate#ValidationException".
enum class ErrorNamespace { dynamodb, coral_validate, coral_service, coral_availability, none };

// The list. Each row: C++ name, code, HTTP status of the answer (0 for client-side codes:
// no HTTP answer, though an Error may carry the status of a response it concerns), origin, retry
// class, `__type` namespace, the short form of the code that transaction cancellation
// reasons and PartiQL batch errors carry ("" when it has none), and what the code means.
#define DYNAMO_ERROR_CODES(X)                                                                                        \
  /* DynamoDB's codes */                                                                                             \
  X(validation, "ValidationException", 400, service, no, coral_validate, "ValidationError",                         \
    "The request broke one of DynamoDB's rules: a missing or malformed parameter, a key of the wrong type, an "     \
    "expression that does not parse, a limit exceeded.")                                                            \
  X(serialization, "SerializationException", 400, service, no, coral_service, "",                                   \
    "The request body is not JSON of the shape the operation expects.")                                             \
  X(resource_not_found, "ResourceNotFoundException", 400, service, no, dynamodb, "ResourceNotFound",                                \
    "The table, index or stream named does not exist (or is not active yet).")                                      \
  X(resource_in_use, "ResourceInUseException", 400, service, no, dynamodb, "",                                      \
    "The table already exists, or is being created, updated or deleted.")                                           \
  X(conditional_check_failed, "ConditionalCheckFailedException", 400, service, no, dynamodb,                        \
    "ConditionalCheckFailed", "A condition of the write did not hold; nothing was written.")                        \
  X(transaction_canceled, "TransactionCanceledException", 400, service, no, dynamodb, "",                          \
    "A transaction was refused as a whole; the cancellation reasons say which action failed and why.")              \
  X(transaction_conflict, "TransactionConflictException", 400, service, no, dynamodb, "TransactionConflict",        \
    "Another transaction was writing one of the same items at the same time.")                                      \
  X(transaction_in_progress, "TransactionInProgressException", 400, service, throttling, dynamodb, "",             \
    "A transaction with the same client request token is still running.")                                           \
  X(idempotent_parameter_mismatch, "IdempotentParameterMismatchException", 400, service, no, dynamodb, "",          \
    "A client request token was reused within ten minutes for a different transaction.")                            \
  X(duplicate_item, "DuplicateItemException", 400, service, no, dynamodb, "DuplicateItem",                          \
    "A PartiQL INSERT named a key that already exists.")                                                            \
  X(item_collection_size_limit_exceeded, "ItemCollectionSizeLimitExceededException", 400, service, no, dynamodb,    \
    "ItemCollectionSizeLimitExceeded", "An item collection of a table with a local secondary index passed 10 GB.")  \
  X(provisioned_throughput_exceeded, "ProvisionedThroughputExceededException", 400, service, throttling, dynamodb,   \
    "ProvisionedThroughputExceeded", "The table or index used more capacity than provisioned; retried.")            \
  X(request_limit_exceeded, "RequestLimitExceeded", 400, service, throttling, dynamodb, "RequestLimitExceeded",                         \
    "The account's request throughput limit was reached; retried.")                                                 \
  X(throttling, "ThrottlingException", 400, service, throttling, coral_availability, "ThrottlingError",             \
    "Requests arrive faster than the service accepts them (control-plane rates, a busy server); retried.")          \
  X(limit_exceeded, "LimitExceededException", 400, service, throttling, dynamodb, "",                               \
    "Too many control-plane operations at once, or a per-table quota such as the number of tags.")                  \
  X(internal_server_error, "InternalServerError", 500, service, transient, dynamodb, "InternalServerError",                            \
    "The service failed to handle a valid request; dynamo-server logs the cause. Retried.")                         \
  X(service_unavailable, "ServiceUnavailable", 503, service, transient, dynamodb, "",                               \
    "The service is temporarily unable to answer; retried.")                                                        \
  X(unknown_operation, "UnknownOperationException", 400, service, no, coral_service, "",                            \
    "The X-Amz-Target header names no operation of the protocol.")                                                  \
  X(access_denied, "AccessDeniedException", 400, service, no, coral_service, "AccessDenied",                                    \
    "The caller may not perform the operation on the resource (e.g. a table ARN of another account).")              \
  X(missing_authentication_token, "MissingAuthenticationTokenException", 400, service, no, coral_service, "",       \
    "The request carries no credentials; on the client, no credentials were found anywhere it looked.")             \
  X(incomplete_signature, "IncompleteSignatureException", 400, service, no, coral_service, "",                      \
    "The Authorization header lacks a part of a SigV4 signature.")                                                  \
  X(invalid_signature, "InvalidSignatureException", 400, service, no, coral_service, "",                            \
    "The request's signature does not match, or its date or credential scope is wrong.")                           \
  X(unrecognized_client, "UnrecognizedClientException", 400, service, no, coral_service, "",                        \
    "The access key id or session token is not known.")                                                             \
  X(expired_token, "ExpiredTokenException", 400, service, no, coral_service, "",                                    \
    "The session token has expired; the client refreshes its credentials and retries once.")                        \
  X(length_required, "LengthRequired", 411, service, no, coral_service, "",                                         \
    "dynamo-server: a request body without Content-Length (chunked bodies are refused before authentication).")     \
  X(request_entity_too_large, "RequestEntityTooLarge", 413, service, no, coral_service, "",                        \
    "dynamo-server: the request body is larger than the server accepts (--max-body-bytes).")                       \
  X(request_header_fields_too_large, "RequestHeaderFieldsTooLarge", 431, service, no, coral_service, "",            \
    "dynamo-server: the request's headers are larger than the server accepts (--max-header-bytes).")               \
  X(expired_iterator, "ExpiredIteratorException", 400, service, no, dynamodb, "",                                   \
    "A DynamoDB Streams shard iterator is older than 15 minutes.")                                                  \
  X(trimmed_data_access, "TrimmedDataAccessException", 400, service, no, dynamodb, "",                              \
    "A DynamoDB Streams position lies before the oldest record kept (24 hours).")                                   \
  /* Codes of other AWS services and endpoints that the retry policy recognises */                                  \
  X(internal_failure, "InternalFailure", 500, other_service, transient, none, "",                                   \
    "Another AWS service (e.g. STS) failed to handle the request; retried.")                                        \
  X(service_unavailable_exception, "ServiceUnavailableException", 503, other_service, transient, none, "",          \
    "Another AWS service is temporarily unavailable; retried.")                                                     \
  X(throttling_plain, "Throttling", 400, other_service, throttling, none, "", "STS's throttling code; retried.")     \
  X(throttled, "ThrottledException", 400, other_service, throttling, none, "", "A throttling code; retried.")       \
  X(request_throttled_exception, "RequestThrottledException", 400, other_service, throttling, none, "",             \
    "A throttling code; retried.")                                                                                  \
  X(too_many_requests, "TooManyRequestsException", 400, other_service, throttling, none, "",                        \
    "A throttling code; retried.")                                                                                  \
  X(bandwidth_limit_exceeded, "BandwidthLimitExceeded", 400, other_service, throttling, none, "",                   \
    "A throttling code; retried.")                                                                                  \
  X(request_throttled, "RequestThrottled", 400, other_service, throttling, none, "", "A throttling code; retried.") \
  X(slow_down, "SlowDown", 503, other_service, throttling, none, "", "S3-style throttling; retried.")               \
  X(ec2_throttled, "EC2ThrottledException", 400, other_service, throttling, none, "",                               \
    "The EC2 API throttled the call; retried.")                                                                     \
  X(request_timeout, "RequestTimeout", 400, other_service, transient, none, "",                                     \
    "The service timed out reading the request; retried.")                                                          \
  X(request_timeout_exception, "RequestTimeoutException", 400, other_service, transient, none, "",                  \
    "The service timed out reading the request; retried.")                                                          \
  X(prior_request_not_complete, "PriorRequestNotComplete", 400, other_service, transient, none, "",                 \
    "An earlier request is still being handled; retried.")                                                          \
  X(expired_token_sts, "ExpiredToken", 400, other_service, no, none, "",                                            \
    "STS's code for an expired session token; handled like ExpiredTokenException.")                                 \
  X(invalid_client_token_id, "InvalidClientTokenId", 403, other_service, no, coral_service, "",                     \
    "STS does not know the access key id.")                                                                         \
  X(request_expired, "RequestExpired", 400, other_service, no, coral_service, "",                                   \
    "The request's signature date is too far from the service's clock.")                                            \
  /* dynamo's own codes, raised on the client side */                                                               \
  X(connection_error, "ConnectionError", 0, client, no, none, "",                                                   \
    "No response after every allowed attempt (connection refused or reset, timeout, DNS or TLS failure); the "      \
    "message names the endpoint, the reason and the number of attempts.")                                          \
  X(checksum_error, "ChecksumError", 0, client, no, none, "",                                                       \
    "Every attempt's response failed its x-amz-crc32 check: the bytes were damaged in transit.")                    \
  X(unrecognized_error, "HttpError", 0, client, no, none, "",                                                       \
    "An error response without a recognisable __type (not DynamoDB's JSON); http_status() tells the status.")       \
  X(invalid_response, "InvalidResponse", 0, client, no, none, "",                                                   \
    "A successful response whose body could not be decoded as the operation's answer.")                             \
  X(invalid_configuration, "InvalidConfiguration", 0, client, no, none, "",                                         \
    "A configuration source (AWS config or credentials file, settings file, endpoint, option) is malformed or "     \
    "names something that does not exist; raised before any request is made.")                                      \
  X(credential_retrieval, "CredentialRetrievalError", 0, client, no, none, "",                                      \
    "A configured credentials source failed (credential_process, a metadata endpoint, the SSO token cache); the "   \
    "message names the source and what to do.")                                                                     \
  X(store_error, "StoreError", 0, client, no, none, "",                                                             \
    "The embedded engine's persistent store failed (cannot open or write its directory, disk full); the message "   \
    "names the path and the storage library's reason.")                                                             \
  X(model_usage, "ModelUsageError", 0, client, no, none, "",                                                        \
    "A model call that cannot be sent as asked (a transaction over 100 actions, a committed transaction reused, a " \
    "condition naming no attribute of the model); nothing was sent.")                                               \
  X(does_not_exist, "DoesNotExist", 0, client, no, none, "",                                                        \
    "A model's get(), refresh() or update() found no item with the key (PynamoDB's Model.DoesNotExist).")           \
  X(wrong_model, "WrongModel", 0, client, no, none, "",                                                             \
    "An item was read as a model of a polymorphic table whose discriminator it does not carry.")                    \
  X(batch_incomplete, "BatchIncomplete", 0, client, no, none, "",                                                   \
    "A batch stopped with work left: keys or writes still unprocessed after every retry, or a failed batch write "  \
    "request; the exception lists what was not done and what is in doubt, everything else was done.")               \
  X(table_not_active, "TableNotActive", 0, client, no, none, "",                                                    \
    "A model's create_table() waited for the table to become ACTIVE longer than its wait_timeout.")                 \
  X(table_not_deleted, "TableNotDeleted", 0, client, no, none, "",                                                  \
    "A model's delete_table() waited for the table to disappear longer than its wait_timeout.")                     \
  X(schema_validation, "ValidationError", 0, client, no, none, "",                                                  \
    "An item broke its model's validation rules (required, one_of, length, range, pattern, custom checks); the "    \
    "message lists every violation by field. Nothing was written.")                                                 \
  X(unexpected, "UnexpectedError", 0, client, no, none, "",                                                         \
    "A call ended with an exception that is not a dynamo::Error (e.g. std::bad_alloc, or one thrown by a hook); "   \
    "the code appears in hooks' outcomes and logs, the exception itself is rethrown.")

// The codes as constants: error_code::validation == "ValidationException".
namespace error_code {
#define DYNAMO_ERROR_CODE_CONSTANT(name, code, ...) inline constexpr std::string_view name = code;
DYNAMO_ERROR_CODES(DYNAMO_ERROR_CODE_CONSTANT)
#undef DYNAMO_ERROR_CODE_CONSTANT
}  // namespace error_code

// One row of the list.
struct ErrorCodeInfo {
  std::string_view name;  // the C++ name in error_code
  std::string_view code;  // as in Error::code() and on the wire
  int http_status;        // 0 for client-side codes
  ErrorOrigin origin;
  ErrorRetry retry;
  ErrorNamespace wire_namespace;
  // The code as a transaction's cancellation reason or a PartiQL batch error states it
  // ("ConditionalCheckFailed" for ConditionalCheckFailedException); "" when it has none.
  std::string_view short_code;
  std::string_view meaning;
};

// Every row, in the list's order.
[[nodiscard]] std::span<const ErrorCodeInfo> error_codes() noexcept;

// The row of `code` ("ValidationException"; a namespaced "ns#Code" is accepted too), or
// nullptr for a code not in the list.
[[nodiscard]] const ErrorCodeInfo* find_error_code(std::string_view code) noexcept;

// The code's short form in cancellation reasons and PartiQL batch errors
// ("ConditionalCheckFailed"), or "" when it has none.
[[nodiscard]] std::string_view short_error_code(std::string_view code) noexcept;

// The `__type` namespace text of a row's ErrorNamespace ("com.amazonaws.dynamodb.v20120810"
// for codes not in the list, as DynamoDB's own errors use it).
[[nodiscard]] std::string_view wire_namespace_text(ErrorNamespace wire_namespace) noexcept;

}  // namespace dynamo
