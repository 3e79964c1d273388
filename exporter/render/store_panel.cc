#include "render/store_panel.h"

#include "render/format.h"

namespace observd {

using kainjow::mustache::data;

data HistoryStoreData(const Status& status) {
  const StoreState& s = status.history_store;
  data d;
  auto flag = [](bool b) { return b ? data::type::bool_true : data::type::bool_false; };
  d.set("state", StoreStateName(s.kind));
  switch (s.kind) {
    case StoreState::Kind::kOk:
      d.set("state_text", "Kept on disk");
      d.set("severity", "ok");
      break;
    case StoreState::Kind::kMemory:
      d.set("state_text", "Memory only");
      d.set("severity", "");
      break;
    case StoreState::Kind::kFailed:
      d.set("state_text", "Not being kept");
      d.set("severity", "bad");
      break;
  }
  d.set("message", s.message);
  d.set("size", HumanSize(s.size_bytes));
  d.set("last_write_known", flag(s.last_write.has_value()));
  d.set("last_write", s.last_write ? ClockTimeUtc(*s.last_write) : std::string(kUnknown));
  d.set("last_write_iso", IsoTimeUtc(s.last_write));
  d.set("last_write_age", HumanAge(s.last_write, status.now));
  d.set("since_known", flag(s.since.has_value()));
  d.set("since_age", HumanAge(s.since, status.now));
  d.set("since_iso", IsoTimeUtc(s.since));
  d.set("retention", HumanDuration(static_cast<double>(s.retention_seconds)) +
                         (s.kind == StoreState::Kind::kMemory ? " (memory)" : ""));
  d.set("now", std::to_string(static_cast<int64_t>(status.now)));
  return d;
}

}  // namespace observd
