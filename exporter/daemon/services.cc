#include "daemon/services.h"

#include <cstdlib>

#include "dashboard/routes.h"
#include "observd_revision.h"
#include "util/clock.h"

namespace observd {
namespace {

// Workers of the scrape listener (web.metrics_listen_address): enough for a few
// Prometheus servers and health probes, each holding one keep-alive connection.
constexpr int kScrapeWorkers = 8;

// `o` with its commands counted in observd_redis_commands_total{client=<o.name>}.
RedisOptions Counted(RedisOptions o, Metrics* metrics) {
  o.on_sent = [metrics, name = o.name](size_t n) { metrics->CountRedisCommands(name, n); };
  return o;
}

// The snapshot's connections: `snapshot` (the shared key; the counts without a
// replica), `replica` (the counts, with redis.read_replica) and `table` (the uploads
// table, where the counts are read, with a reply bound of its own).
SnapshotClients MakeSnapshotClients(const RedisConfig& c, const RedisSecrets& secrets,
                                    const std::shared_ptr<EndpointBoard>& endpoints,
                                    const std::function<void()>& on_error, Metrics* metrics) {
  auto client = [&](RedisOptions o) {
    return std::make_unique<RedisClient>(Counted(std::move(o), metrics), on_error);
  };
  SnapshotClients clients;
  clients.master = client(MakeRedisOptions(c, secrets, "snapshot", endpoints));
  auto replica = MakeReplicaOptions(c, secrets, endpoints);
  RedisOptions table = replica ? *replica : MakeRedisOptions(c, secrets, "table", endpoints);
  table.name = "table";
  table.max_reply_bytes = kMaxUploadTableReplyBytes;
  if (replica) clients.reader = client(std::move(*replica));
  clients.table = client(std::move(table));
  return clients;
}

SnapshotCache::Options CacheOptions(const Config& c) {
  SnapshotCache::Options o;
  o.ttl = c.cache.ttl;
  o.max_wait = c.cache.max_wait.count() ? c.cache.max_wait : c.redis.command_timeout;
  return o;
}

HistoryRecorder::Options RecorderOptions(const Config& c) {
  HistoryRecorder::Options o;
  o.path = ResolveHistoryPath(c.history.path, std::getenv("STATE_DIRECTORY"));
  o.retention_seconds = static_cast<double>(c.history.retention.count()) / 1000.0;
  return o;
}

// The application's series: open buckets shared for the snapshot's TTL, a reader waiting
// for another's count no longer than a handler waits for a snapshot. Closed counts are
// kept in memory and in the history store (history.path) when it is kept.
AppSeries::Options SeriesOptions(const Config& c) {
  AppSeries::Options o;
  o.ttl = c.cache.ttl;
  o.max_wait = CacheOptions(c).max_wait;
  return o;
}

// RedisClient::Pipeline on a client of its own (not thread-safe: AppSeries calls it from
// one thread at a time).
AppSeries::Pipeline SeriesPipeline(std::shared_ptr<RedisClient> client) {
  return [client = std::move(client)](const std::vector<Command>& commands) {
    return client->Pipeline(commands);
  };
}

}  // namespace

// Members are built in declaration order. Hooks may name members declared later
// (board_, metrics_): they run only once Start() has started the threads.
Services::Services(std::shared_ptr<const Runtime> runtime, const RedisSecrets& secrets)
    : runtime_(std::move(runtime)),
      endpoints_(std::make_shared<EndpointBoard>()),
      history_(static_cast<size_t>(runtime_->config.sampler.history /
                                   runtime_->config.sampler.interval)),
      provider_(new SharedSnapshotProvider(MakeSnapshotClients(
                                               runtime_->config.redis, secrets, endpoints_,
                                               [this] { board_.CountRedisError(); }, &metrics_),
                                           runtime_->source, runtime_->config.cache.key,
                                           runtime_->config.cache.ttl)),
      cache_(CacheOptions(runtime_->config), std::unique_ptr<SnapshotProvider>(provider_), UnixNow,
             {[this] { board_.CountCacheRead(true); }, [this] { board_.CountCacheRead(false); },
              [this](RefreshOutcome o, double s) { metrics_.ObserveRefresh(o, s); }}),
      board_(&cache_, UnixNow, OBSERVD_VERSION, OBSERVD_REVISION),
      recorder_(
          &history_, &annotations_, [this] { return board_.CacheReads(); }, UnixNow,
          RecorderOptions(runtime_->config)),
      sampler_(std::make_unique<RedisClient>(
                   Counted(MakeRedisOptions(runtime_->config.redis, secrets, "sampler", endpoints_),
                           &metrics_),
                   [this] { board_.CountRedisError(); }),
               &history_, runtime_->config.sampler.interval, UnixNow,
               [this](bool up, double s) {
                 board_.RecordPing(up, s);
                 metrics_.ObservePing(up, s);
                 annotations_.RedisState(UnixNow(), up);
               }),
      series_(SeriesOptions(runtime_->config),
              SeriesPipeline(std::make_shared<RedisClient>(
                  Counted(MakeRedisOptions(runtime_->config.redis, secrets, "series", endpoints_),
                          &metrics_),
                  [this] { board_.CountRedisError(); })),
              runtime_->source, recorder_.bucket_store(), UnixNow),
      site_(runtime_->site),
      handlers_({&board_, &history_, &metrics_, &site_,
                 [this] { return cache_.attempted() && sampler_.sampled(); },
                 runtime_->config.sampler.interval.count() / 1000.0, &annotations_, &recorder_,
                 &series_}),
      table_(MakeRouteTable(&handlers_)),
      metrics_(OBSERVD_VERSION, OBSERVD_REVISION, table_.Labels()),
      router_({&table_, [this] { return std::shared_ptr<const HttpSettings>(site_.Get()); },
               &metrics_, &board_, &history_, UnixNow}),
      scrape_router_({&table_, [this] { return std::shared_ptr<const HttpSettings>(site_.Get()); },
                      &metrics_, &board_, &history_, UnixNow, /*scrape_only=*/true}) {
  board_.SetSettings(runtime_->status);
  board_.SetEndpoints(endpoints_);
  board_.SetStoreState([this] { return recorder_.state(); });
  annotations_.Mark(UnixNow(), "restart", "observd started");
}

Services::~Services() { Stop(); }

Result<> Services::Start() {
  const Config& c = runtime_->config;
  auto server = WebServer::Start(c.web, &router_);
  if (!server) return Fail(server.error());
  server_ = std::move(*server);
  if (!c.web.metrics_listen_address.empty()) {
    // A few workers of its own: Prometheus keeps one connection per target, and no
    // viewer or slow socket on the main port can take these.
    auto scrape = WebServer::Start(
        Listener{c.web.metrics_listen_address, kScrapeWorkers, c.web.request_timeout},
        &scrape_router_);
    if (!scrape) return Fail(scrape.error());
    scrape_server_ = std::move(*scrape);
  }
  recorder_.Start();  // before the sampler: the restored samples come first
  cache_.Start();
  sampler_.Start();
  // Ready means the first snapshot and the first PING were attempted: before that
  // observd_redis_up is unknown (no sample), which a readiness gate should not expose.
  cache_.RefreshAndWait(c.redis.connect_timeout + 4 * c.redis.command_timeout);
  sampler_.WaitFirstSample(c.redis.connect_timeout + 2 * c.redis.command_timeout);
  handlers_.SetReady(true);
  return Ok();
}

void Services::Apply(std::shared_ptr<const Runtime> next) {
  provider_->SetSource(next->source);
  series_.SetSource(next->source);
  board_.SetSettings(next->status);
  site_.Set(next->site);
  handlers_.ClearRenders();  // templates may have changed
  cache_.Invalidate();       // queries may have changed
  runtime_ = std::move(next);
  annotations_.Mark(UnixNow(), "reload", "configuration reloaded");
}

void Services::Stop() {
  handlers_.BeginShutdown();
  if (scrape_server_) scrape_server_->Stop();
  if (server_) server_->Stop();
  sampler_.Stop();
  cache_.Stop();
  recorder_.Stop();  // writes the minutes so far
}

}  // namespace observd
