// Config loading: YAML -> Config (yaml_reader.h does the typed reads and positions),
// then one validation pass shared with the flag overrides (flags.cc).
#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "config/config_validate.h"
#include "config/yaml_reader.h"

namespace observd {

namespace {

const char* const kKindNames[] = {"zcard", "zcount", "scard",   "llen",
                                  "hlen",  "xlen",   "pfcount", "get"};

// ---------------------------------------------------------------------------
// YAML -> Config

void ReadQuery(YamlReader& r, const YAML::Node& node, const std::string& at, QueryConfig* q) {
  if (!node.IsMap()) return r.Fail(node.Mark(), at + ": expected a map, got " + r.Describe(node));
  if (!r.CheckMap(node, at, {"name", "help", "kind", "key", "labels", "window"})) return;
  for (const char* required : {"name", "kind"}) {
    if (!node[required] || node[required].IsNull()) {
      return r.Fail(node.Mark(), at + "." + required + ": required");
    }
  }
  r.String(node, at, "name", &q->name);
  r.String(node, at, "help", &q->help);
  std::string kind;
  r.String(node, at, "kind", &kind);
  bool known = false;
  for (size_t k = 0; k < std::size(kKindNames); ++k) {
    if (kind == kKindNames[k]) {
      q->kind = static_cast<QueryConfig::Kind>(k);
      known = true;
    }
  }
  if (r.ok() && !known) {
    return r.Fail(node["kind"].Mark(), at + ".kind: unknown kind " + r.Quote(kind) +
                                           " (expected one of zcard, zcount, scard, llen, "
                                           "hlen, xlen, pfcount, get)");
  }
  r.String(node, at, "key", &q->key);
  r.StringMap(node, at, "labels", &q->labels);
  if (node["window"] && q->kind != QueryConfig::Kind::kZcount) {
    return r.Fail(node["window"].Mark(), at + ".window: only allowed with kind zcount");
  }
  r.Duration(node, at, "window", &q->window);
}

// web.thresholds: {redis_latency_ms: {warn, bad}, failed_runs_1h: {warn, bad}}.
void ReadThresholds(YamlReader& r, const YAML::Node& web, WebConfig* w) {
  YAML::Node t = r.Field(web, "web", "thresholds");
  if (!r.CheckMap(t, "web.thresholds", {"redis_latency_ms", "failed_runs_1h"})) return;
  const std::string lat = "web.thresholds.redis_latency_ms";
  YAML::Node l = r.Field(t, "web.thresholds", "redis_latency_ms");
  if (r.CheckMap(l, lat, {"warn", "bad"})) {
    r.Int(l, lat, "warn", &w->latency_warn_ms);
    r.Int(l, lat, "bad", &w->latency_bad_ms);
  }
  const std::string runs = "web.thresholds.failed_runs_1h";
  YAML::Node f = r.Field(t, "web.thresholds", "failed_runs_1h");
  if (r.CheckMap(f, runs, {"warn", "bad"})) {
    r.Int(f, runs, "warn", &w->failed_runs_warn);
    r.Int(f, runs, "bad", &w->failed_runs_bad);
  }
}

// One reader per section: the keys it allows, then one line per key.
void ReadWeb(YamlReader& r, const YAML::Node& web, WebConfig* w) {
  if (!r.CheckMap(
          web, "web",
          {"listen_address", "config_file", "root", "templates", "num_threads", "max_sse_streams",
           "sse_interval", "sse_max_duration", "request_timeout", "thresholds"})) {
    return;
  }
  r.String(web, "web", "listen_address", &w->listen_address);
  r.String(web, "web", "config_file", &w->config_file);
  r.String(web, "web", "root", &w->root);
  r.String(web, "web", "templates", &w->templates);
  r.Int(web, "web", "num_threads", &w->num_threads);
  r.Int(web, "web", "max_sse_streams", &w->max_sse_streams);
  r.Duration(web, "web", "sse_interval", &w->sse_interval);
  r.Duration(web, "web", "sse_max_duration", &w->sse_max_duration);
  r.Duration(web, "web", "request_timeout", &w->request_timeout);
  ReadThresholds(r, web, w);
}

void ReadRedis(YamlReader& r, const YAML::Node& redis, RedisConfig* c) {
  if (!r.CheckMap(
          redis, "redis",
          {"addr", "username", "password_file", "sentinel_username", "sentinel_password_file",
           "read_replica", "connect_timeout", "command_timeout", "backoff_max"})) {
    return;
  }
  r.String(redis, "redis", "addr", &c->addr);
  r.String(redis, "redis", "username", &c->username);
  r.String(redis, "redis", "read_replica", &c->read_replica);
  r.String(redis, "redis", "password_file", &c->password_file);
  r.String(redis, "redis", "sentinel_username", &c->sentinel_username);
  r.String(redis, "redis", "sentinel_password_file", &c->sentinel_password_file);
  r.Duration(redis, "redis", "connect_timeout", &c->connect_timeout);
  r.Duration(redis, "redis", "command_timeout", &c->command_timeout);
  r.Duration(redis, "redis", "backoff_max", &c->backoff_max);
}

void ReadKeys(YamlReader& r, const YAML::Node& keys, KeysConfig* k) {
  if (!r.CheckMap(keys, "keys",
                  {"uploads_timeline", "upload_hash_prefix", "active_users", "workflow_runs_prefix",
                   "workflow_statuses", "recent_uploads"})) {
    return;
  }
  r.String(keys, "keys", "uploads_timeline", &k->uploads_timeline);
  r.String(keys, "keys", "upload_hash_prefix", &k->upload_hash_prefix);
  r.String(keys, "keys", "active_users", &k->active_users);
  r.String(keys, "keys", "workflow_runs_prefix", &k->workflow_runs_prefix);
  r.StringList(keys, "keys", "workflow_statuses", &k->workflow_statuses);
  r.Int(keys, "keys", "recent_uploads", &k->recent_uploads);
}

void ReadQueries(YamlReader& r, const YAML::Node& queries, std::vector<QueryConfig>* out) {
  if (!queries) return;
  if (!queries.IsSequence()) return r.TypeError(queries, "", "queries", "a list");
  for (size_t i = 0; i < queries.size() && r.ok(); ++i) {
    out->emplace_back();
    r.Remember("queries[" + std::to_string(i) + "]", queries[i].Mark());
    ReadQuery(r, queries[i], "queries[" + std::to_string(i) + "]", &out->back());
  }
}

void ReadConfig(YamlReader& r, const YAML::Node& root, Config* c) {
  if (!r.CheckMap(root, "", {"web", "redis", "cache", "sampler", "keys", "log", "queries"})) {
    return;
  }
  ReadWeb(r, r.Field(root, "", "web"), &c->web);
  ReadRedis(r, r.Field(root, "", "redis"), &c->redis);
  YAML::Node cache = r.Field(root, "", "cache");
  if (r.CheckMap(cache, "cache", {"key", "ttl", "stale_after", "max_wait"})) {
    r.String(cache, "cache", "key", &c->cache.key);
    r.Duration(cache, "cache", "ttl", &c->cache.ttl);
    r.Duration(cache, "cache", "stale_after", &c->cache.stale_after);
    r.Duration(cache, "cache", "max_wait", &c->cache.max_wait);
  }
  YAML::Node sampler = r.Field(root, "", "sampler");
  if (r.CheckMap(sampler, "sampler", {"interval", "history"})) {
    r.Duration(sampler, "sampler", "interval", &c->sampler.interval);
    r.Duration(sampler, "sampler", "history", &c->sampler.history);
  }
  ReadKeys(r, r.Field(root, "", "keys"), &c->keys);
  YAML::Node log = r.Field(root, "", "log");
  if (r.CheckMap(log, "log", {"level", "format"})) {
    r.String(log, "log", "level", &c->log.level);
    r.String(log, "log", "format", &c->log.format);
  }
  ReadQueries(r, r.Field(root, "", "queries"), &c->queries);
}

}  // namespace

// ---------------------------------------------------------------------------
// Public API

ConfigResult ParseConfig(const std::string& yaml_text, const std::string& source) {
  YamlReader reader(source);
  Config config;
  config.source = source;
  try {
    YAML::Node root = YAML::Load(yaml_text);
    ReadConfig(reader, root, &config);
  } catch (const YAML::Exception& e) {
    reader.Fail(e.mark, e.msg);
  } catch (const std::exception& e) {
    reader.Fail(YAML::Mark::null_mark(), e.what());
  }
  if (!reader.ok()) return {std::nullopt, reader.error()};
  if (auto problem = FindConfigProblem(config)) {
    const YAML::Mark* mark = reader.MarkOf(problem->field);
    if (mark == nullptr) mark = reader.MarkOf(problem->other_field);
    reader.Fail(mark ? *mark : YAML::Mark::null_mark(), problem->field + ": " + problem->message);
    return {std::nullopt, reader.error()};
  }
  return {std::move(config), ""};
}

ConfigResult LoadConfigFile(const std::string& path, bool missing_ok) {
  std::string text;
  if (const int err = ReadFileText(path, &text); err != 0) {
    if (missing_ok && err == ENOENT) return {Config{}, ""};
    return {std::nullopt, path + ": cannot read: " + std::strerror(err)};
  }
  return ParseConfig(text, path);
}

}  // namespace observd
