// FakeRedis: a scripted Redis holding upload records, for tests of UploadTable's rounds
// without a server. It answers ZREVRANGE, OBJECT ENCODING, MEMORY USAGE, HSTRLEN and
// HMGET as Redis would for the records it holds, and counts the commands by verb.
// Header-only; not thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "redis/redis_client.h"
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

  RedisPipeline Pipeline() {
    return [this](const std::vector<Command>& commands) -> Result<std::vector<ReplyPtr>> {
      if (fail_next) {
        fail_next = false;
        return Fail("timeout");
      }
      std::vector<ReplyPtr> out;
      for (const Command& c : commands) {
        ++sent[c[0]];
        out.emplace_back(Answer(c));
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
