// The history store panel's data: whether observd's own history is being kept on disk
// (Status::history_store), the file's size, the last write, the oldest minute kept and
// the retention. Unknown values are "—". Pure; thread-safe.
#pragma once

#include <kainjow/mustache.hpp>

#include "status/status.h"

namespace observd {

kainjow::mustache::data HistoryStoreData(const Status& status);

}  // namespace observd
