// FakeRedis: a scripted Redis holding upload records, for tests of UploadTable's rounds
// without a server. It answers ZREVRANGE, OBJECT ENCODING, MEMORY USAGE, HSTRLEN and
// HMGET as Redis would for the records it holds, counts the commands by verb, and fails
// a pipeline on a reply over the table connection's bound, as RedisClient does.
// Header-only; not thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "redis/redis_client.h"
#include "snapshot/upload_table.h"
#include "support/fake_replies.h"

namespace observd::test {

inline redisReply* Nil() {
  auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
  r->type = REDIS_REPLY_NIL;
  return r;
}

class FakeRedis {
 public:
  struct Record {
    std::string encoding = "listpack";  // "" = not a hash (WRONGTYPE)
    std::map<std::string, std::string> fields;
  };
  std::vector<std::string> newest;  // ids, newest first
  std::map<std::string, Record> records;
  std::map<std::string, int> sent;  // verb -> commands
  std::string refuse_measure;       // an error reply to OBJECT/MEMORY ("" = answer)
  bool fail_next = false;           // the next pipeline fails (a timeout)
  // A pipeline with a reply whose strings add up to more fails, as RedisClient's does.
  size_t max_reply_bytes = kMaxUploadTableReplyBytes;

  RedisPipeline Pipeline() {
    return [this](const std::vector<Command>& commands) -> Result<std::vector<ReplyPtr>> {
      if (fail_next) {
        fail_next = false;
        return Fail("timeout");
      }
      std::vector<ReplyPtr> out;
      for (const Command& c : commands) ++sent[c[0]];  // all sent, as a pipeline is
      for (const Command& c : commands) {
        out.emplace_back(Answer(c));
        if (Bytes(out.back().get()) > max_reply_bytes) return Fail("a reply over the bound");
      }
      return out;
    };
  }
  int Total() const {
    int n = 0;
    for (const auto& [verb, count] : sent) n += count;
    return n;
  }

 private:
  static size_t Bytes(const redisReply* r) {
    size_t n = r->type == REDIS_REPLY_STRING ? r->len : 0;
    for (size_t k = 0; r->type == REDIS_REPLY_ARRAY && k < r->elements; ++k) {
      n += Bytes(r->element[k]);
    }
    return n;
  }

  redisReply* Answer(const Command& c) {
    if (c[0] == "ZREVRANGE") {
      std::vector<redisReply*> items;
      for (const auto& id : newest) {
        items.push_back(Str(id));
        items.push_back(Str("1764355000"));
      }
      return Arr(items);
    }
    const std::string id = c[c[0] == "OBJECT" || c[0] == "MEMORY" ? 2 : 1].substr(7);
    auto it = records.find(id);
    if ((c[0] == "OBJECT" || c[0] == "MEMORY") && !refuse_measure.empty()) {
      return Err(refuse_measure);
    }
    if (it == records.end()) {
      if (c[0] == "HSTRLEN") return Int(0);
      if (c[0] == "HMGET") {
        std::vector<redisReply*> nils;
        for (size_t k = 2; k < c.size(); ++k) nils.push_back(Nil());
        return Arr(nils);
      }
      return Nil();
    }
    const Record& r = it->second;
    size_t bytes = 0;
    for (const auto& [k, v] : r.fields) bytes += k.size() + v.size() + 2;
    if (c[0] == "OBJECT") return Str(r.encoding.empty() ? "hashtable" : r.encoding);
    if (c[0] == "MEMORY") return Int(static_cast<long long>(bytes + 40));
    if (r.encoding.empty()) return Err("WRONGTYPE Operation against a key");
    if (c[0] == "HSTRLEN") {
      auto f = r.fields.find(c[2]);
      return Int(f == r.fields.end() ? 0 : static_cast<long long>(f->second.size()));
    }
    std::vector<redisReply*> values;
    for (size_t k = 2; k < c.size(); ++k) {
      auto f = r.fields.find(c[k]);
      values.push_back(f == r.fields.end() ? Nil() : Str(f->second));
    }
    return Arr(values);
  }
};

}  // namespace observd::test
