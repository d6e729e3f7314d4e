// `dynamo export` and `dynamo import`: a table to and from a file of JSON lines.
//
// The file holds one item per line, in DynamoDB's export format ({"Item": {DynamoDB JSON}},
// the default) or as plain JSON objects; a name ending in ".gz" means gzip. Export reads the
// table with a parallel scan; import writes with BatchWriteItem (25 items a call, a few calls
// in flight, unprocessed items retried) and is resumable: it keeps FILE.import-state next to
// the input, recording the last line up to which every item is written, so that running the
// same command after an interruption (Ctrl-C, a killed process, a bad line fixed by hand)
// continues from there. Items are written by key, so lines written twice (after a crash
// between a write and the state's update) leave the same table: nothing is duplicated or
// lost.
#pragma once

#include <string>

#include "session.hpp"

namespace dynamo::cli {

struct ExportOptions {
  std::string table;
  std::string file;
  std::string format = "dynamodb-json";  // or "json"
  int segments = 4;
  bool quiet = false;
};

struct ImportOptions {
  std::string table;
  std::string file;
  bool restart = false;  // ignore (and replace) a state file left by an interrupted import
  bool quiet = false;
  int parallel = 4;  // BatchWriteItem calls in flight
  double rate = 0;   // at most this many items a second (0: as fast as the table takes them)
};

int export_table(Session& session, const ExportOptions& options);
int import_table(Session& session, const ImportOptions& options);

}  // namespace dynamo::cli
